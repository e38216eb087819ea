#!/usr/bin/env bash
# Lists or replays messages the bridge could not deliver to ELMA365.
#
#   scripts/poison.sh list   [CALL_ID]   what is in the poison queue, and why
#   scripts/poison.sh replay [CALL_ID]   put them (or one call's) back on the queue
#
# BRIDGE_URL        the Function App address (default http://127.0.0.1:7071, the local run)
# BRIDGE_ADMIN_KEY  the master key (Azure portal → Function App → App keys → _master;
#                   locally DevHost__MasterKey, 'local-master-key' in scripts/run-local.sh)
# A replay is safe to repeat: what already reached ELMA365 is recognised and not sent twice.
set -euo pipefail
url=${BRIDGE_URL:-http://127.0.0.1:7071}
key=${BRIDGE_ADMIN_KEY:?set BRIDGE_ADMIN_KEY to the Function App master key}
query=""
[ -n "${2:-}" ] && query="?callId=$(printf %s "$2" | jq -sRr @uri 2>/dev/null || printf %s "$2")"
case "${1:-}" in
  list)   curl -fsS -H "x-functions-key: $key" "$url/api/ops/poison$query" ;;
  replay) curl -fsS -X POST -H "x-functions-key: $key" -H "Content-Length: 0" "$url/api/ops/poison/replay$query" ;;
  *)      sed -n '2,11p' "$0"; exit 2 ;;
esac
echo
