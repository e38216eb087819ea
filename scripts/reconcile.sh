#!/usr/bin/env bash
# Reconciles the bridge's calls against the PBX's own call history now, instead of waiting for
# the timer (Reconcile__Schedule, every 5 minutes by default).
#
#   scripts/reconcile.sh                 the last Reconcile__Window (2 hours by default)
#   scripts/reconcile.sh FROM [TO]       a period of your own, UTC: 20261124T090000Z or 2026-11-24T09:00:00Z
#
# BRIDGE_URL        the Function App address (default http://127.0.0.1:7071, the local run)
# BRIDGE_ADMIN_KEY  the master key (Azure portal → Function App → App keys → _master;
#                   locally DevHost__MasterKey, 'local-master-key' in scripts/run-local.sh)
# Answers {"calls", "delivered", "linksFilled", "complete", ...}; safe to repeat: a call ELMA365 has is left alone.
set -euo pipefail
url=${BRIDGE_URL:-http://127.0.0.1:7071}
key=${BRIDGE_ADMIN_KEY:?set BRIDGE_ADMIN_KEY to the Function App master key}
case "${1:-}" in
  -h|--help) sed -n '2,12p' "$0"; exit 2 ;;
esac
query=""
[ -n "${1:-}" ] && query="?from=$1"
[ -n "${2:-}" ] && query="$query&to=$2"
curl -sS --fail-with-body -X POST -H "x-functions-key: $key" -H "Content-Length: 0" -w '\n' "$url/api/ops/reconcile$query"
