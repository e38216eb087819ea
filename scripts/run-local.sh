#!/usr/bin/env bash
# Runs the bridge locally: Azurite (in memory, loopback), the PBX and ELMA365 simulators when
# no real ones are configured, and the app on the best host there is — `func start` when Azure
# Functions Core Tools are installed, else the real Functions host built from
# ../shared/functions-host (README, "Running without Core Tools"), else the DevHost, which serves
# the same function classes on Kestrel. With the simulators it then plays one call of each kind
# and shows what ELMA365 received.
#
#   scripts/run-local.sh           keep running until Ctrl+C
#   scripts/run-local.sh --once    play the calls, show the result, stop everything
#
# To use a real PBX and ELMA365 instead, export Vats__Endpoint, Vats__ApiKey, Vats__CrmToken,
# Elma365__WebhookUrl and Elma365__Token before running (see README, "Configuration").
# BRIDGE_HOST=func|functions-host|devhost picks the host; FUNCTIONS_HOST_DIR says where the
# functions-host tool is. Ports: BRIDGE_PORT, VATS_SIMULATOR_PORT, ELMA365_SIMULATOR_PORT,
# AZURITE_BLOB_PORT, AZURITE_QUEUE_PORT, AZURITE_TABLE_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/functions-host.sh

once=false
[ "${1:-}" = "--once" ] && once=true

bridge_port=${BRIDGE_PORT:-7071}
vats_port=${VATS_SIMULATOR_PORT:-7301}
elma_port=${ELMA365_SIMULATOR_PORT:-7302}
blob_port=${AZURITE_BLOB_PORT:-10000}
queue_port=${AZURITE_QUEUE_PORT:-10001}
table_port=${AZURITE_TABLE_PORT:-10002}
state=.local
mkdir -p "$state"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # Only what was started to run: a host build in the background carries on for the next run.
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

wait_for_port() { # port, name, log
  for _ in $(seq 1 600); do
    if (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "$2 did not start on port $1; its log ($3):" >&2
  tail -n 40 "$3" >&2
  exit 1
}

for pair in "$blob_port:AZURITE_BLOB_PORT" "$queue_port:AZURITE_QUEUE_PORT" "$table_port:AZURITE_TABLE_PORT" \
            "$bridge_port:BRIDGE_PORT" "$vats_port:VATS_SIMULATOR_PORT" "$elma_port:ELMA365_SIMULATOR_PORT"; do
  port=${pair%%:*}
  if (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is already in use (another run still going?). Stop it, or move this one with ${pair#*:}=<free port>." >&2
    exit 1
  fi
done

# Which host: func (Core Tools), else the real Functions host from the functions-host tool, else the DevHost.
bridge_host=${BRIDGE_HOST:-auto}
host_tool=$(functions_host_dir "$PWD" || true)
if [ "$bridge_host" = auto ]; then
  if command -v func >/dev/null 2>&1; then bridge_host=func
  elif [ -n "$host_tool" ]; then bridge_host=functions-host
  else
    echo "No Core Tools (func) and no functions-host tool beside the repository (FUNCTIONS_HOST_DIR): the DevHost it is."
    bridge_host=devhost
  fi
fi
host_built=$state/functions-host-build.status
rm -f "$host_built"
if [ "$bridge_host" = functions-host ]; then
  [ -n "$host_tool" ] || { echo "BRIDGE_HOST=functions-host, but the functions-host tool was not found: set FUNCTIONS_HOST_DIR." >&2; exit 1; }
  # Built once into a cache (instant when built, ~1.5 min from nothing): alongside the app's build,
  # and in a session of its own, so it finishes for the next run even if this one is stopped.
  setsid bash -c 'bash "$1/build.sh" > "$2" 2>&1; echo $? > "$3"' build "$host_tool" "$state/functions-host-build.log" "$host_built" < /dev/null &
fi

if [ ! -x node_modules/.bin/azurite ]; then
  echo "Installing Azurite from package.json (npm ci)..."
  npm ci --no-audit --no-fund >/dev/null
fi

echo "Building..."
dotnet build MegafonFunctions.sln -nologo -clp:ErrorsOnly -v:q >/dev/null
# Started as `dotnet <dll>` rather than `dotnet run`, so stopping the script stops them too.
simulators_dll=src/Simulators/bin/Debug/net10.0/Megafon.Simulators.dll
devhost_dll=src/DevHost/bin/Debug/net10.0/Megafon.DevHost.dll
functions_app=src/Functions/bin/Debug/net10.0

if [ "$bridge_host" = functions-host ]; then
  sleep 0.2   # time for a build that is in place already to say so
  if [ ! -f "$host_built" ]; then
    # Not built yet: do not keep the newcomer waiting for it.
    echo "The Azure Functions host is being built, once (~1.5 min; log: $state/functions-host-build.log):"
    echo "this run uses the DevHost, the next one the Functions host."
    bridge_host=devhost
  elif [ "$(cat "$host_built")" != 0 ]; then
    echo "The Azure Functions host did not build (log: $state/functions-host-build.log); using the DevHost." >&2
    bridge_host=devhost
  fi
fi

echo "Starting Azurite (in memory) on 127.0.0.1:$blob_port, $queue_port, $table_port..."
node_modules/.bin/azurite --silent --inMemoryPersistence --disableTelemetry --skipApiVersionCheck \
  --blobHost 127.0.0.1 --blobPort "$blob_port" --queueHost 127.0.0.1 --queuePort "$queue_port" \
  --tableHost 127.0.0.1 --tablePort "$table_port" > "$state/azurite.log" 2>&1 &
pids+=($!)
wait_for_port "$queue_port" Azurite "$state/azurite.log"
wait_for_port "$table_port" Azurite "$state/azurite.log"
# Azurite's well-known development account (it exists only in Azurite), on the ports above.
dev_key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
export AzureWebJobsStorage=${AzureWebJobsStorage:-"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$dev_key;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"}

# One local key plays both the host key the module calls with and Elma365__ModuleKey, as in Azure.
export DevHost__FunctionKey=${DevHost__FunctionKey:-local-function-key}
export Elma365__ModuleKey=${Elma365__ModuleKey:-$DevHost__FunctionKey}

simulators=false
if [ -z "${Vats__Endpoint:-}" ] || [ -z "${Elma365__WebhookUrl:-}" ]; then
  simulators=true
  export Vats__ApiKey=local-pbx-key Vats__CrmToken=local-crm-token-0123456789 Elma365__Token=local-elma365-key
  export Vats__Endpoint="http://127.0.0.1:$vats_port/sys/crm_api.wcgp"
  export Elma365__WebhookUrl="http://127.0.0.1:$elma_port/elma365/webhook"
  export Elma365__ApiUrl="http://127.0.0.1:$elma_port" Elma365__ApiToken=local-elma365-api-token Elma365__ModuleCode=ext_megafon_vats
  echo "No real PBX/ELMA365 configured: starting the simulators on ports $vats_port and $elma_port..."
  dotnet "$simulators_dll" serve --vats-port "$vats_port" --elma-port "$elma_port" \
    --vats-api-key "$Vats__ApiKey" --elma-token "$Elma365__Token" --elma-api-token "$Elma365__ApiToken" \
    --elma-bridge-key "$Elma365__ModuleKey" > "$state/simulators.log" 2>&1 &
  pids+=($!)
  wait_for_port "$vats_port" "PBX simulator" "$state/simulators.log"
  wait_for_port "$elma_port" "ELMA365 simulator" "$state/simulators.log"
fi

export DevHost__MasterKey=${DevHost__MasterKey:-local-master-key}
case $bridge_host in
  func)
    echo "Starting the Functions host (func start, Core Tools) on port $bridge_port..."
    (cd src/Functions && func start --port "$bridge_port") > "$state/bridge.log" 2>&1 &
    ;;
  functions-host)
    echo "Starting the Azure Functions host (built from $host_tool) on port $bridge_port..."
    # The same keys as the DevHost's, in this checkout's own secrets folder.
    bash "$host_tool/run.sh" --app "$functions_app" --port "$bridge_port" --secrets "$state/functions-host-secrets" \
      --master-key "$DevHost__MasterKey" --function-key "$DevHost__FunctionKey" > "$state/bridge.log" 2>&1 &
    ;;
  devhost)
    echo "Starting the DevHost (src/DevHost: the same function classes on Kestrel) on port $bridge_port..."
    dotnet "$devhost_dll" --urls "http://127.0.0.1:$bridge_port" > "$state/bridge.log" 2>&1 &
    ;;
  *)
    echo "BRIDGE_HOST must be func, functions-host or devhost, not '$bridge_host'." >&2
    exit 1
    ;;
esac
pids+=($!)
wait_for_port "$bridge_port" "The bridge" "$state/bridge.log"
# Listening is not ready: a host answers its ping (GET /admin/host/ping, 200) once its functions are loaded.
for attempt in $(seq 1 600); do
  (exec 3<>"/dev/tcp/127.0.0.1/$bridge_port" &&
    printf 'GET /admin/host/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 &&
    head -n 1 <&3 | grep -q ' 200') 2>/dev/null && break
  if [ "$attempt" = 600 ]; then
    echo "The bridge did not become ready; its log ($state/bridge.log):" >&2
    tail -n 40 "$state/bridge.log" >&2
    exit 1
  fi
  sleep 0.1
done

cat <<INFO

Bridge running on the $bridge_host:
  PBX webhook (paste into "Интеграция с CRM"):  http://127.0.0.1:$bridge_port/api/vats/webhook
  ELMA365 functions, key '$DevHost__FunctionKey':  http://127.0.0.1:$bridge_port/api/...
  Logs: $state/*.log
INFO

if $simulators; then
  echo
  dotnet "$simulators_dll" play --bridge "http://127.0.0.1:$bridge_port/" \
    --crm-token "$Vats__CrmToken" --elma "http://127.0.0.1:$elma_port/" --recording-host "http://127.0.0.1:$vats_port"
fi

if $once; then
  exit 0
fi

echo
echo "Press Ctrl+C to stop."
wait "${pids[@]}" || true
