#!/usr/bin/env bash
# Lists or replays messages the bridge could not deliver to ELMA365 (or recordings it could not archive).
#
#   scripts/poison.sh list   [CALL_ID]              what is in vats-events-poison, and why
#   scripts/poison.sh replay [CALL_ID]              put them (or one call's) back on the queue
#   scripts/poison.sh recordings list|replay [CALL_ID]   the same for recordings-poison
#
# BRIDGE_URL        the Function App address (default http://127.0.0.1:7071, the local run)
# BRIDGE_ADMIN_KEY  the master key (Azure portal → Function App → App keys → _master;
#                   locally DevHost__MasterKey, 'local-master-key' in scripts/run-local.sh)
# A replay takes what was in the poison queue when it started, and is safe to repeat: what already
# reached ELMA365 (or is too late to matter) is not put back but listed under "droppedMessages".
set -euo pipefail
url=${BRIDGE_URL:-http://127.0.0.1:7071}
key=${BRIDGE_ADMIN_KEY:?set BRIDGE_ADMIN_KEY to the Function App master key}
queue=vats-events
if [ "${1:-}" = recordings ]; then queue=recordings; shift; fi
query="?queue=$queue"
[ -n "${2:-}" ] && query="$query&callId=$(printf %s "$2" | jq -sRr @uri 2>/dev/null || printf %s "$2")"
case "${1:-}" in
  list)   curl -fsS -H "x-functions-key: $key" "$url/api/ops/poison$query" ;;
  replay) curl -fsS -X POST -H "x-functions-key: $key" -H "Content-Length: 0" "$url/api/ops/poison/replay$query" ;;
  *)      sed -n '2,12p' "$0"; exit 2 ;;
esac
echo
