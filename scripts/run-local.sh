#!/usr/bin/env bash
# Runs the bridge locally: Azurite (in memory, loopback), the PBX and ELMA365 simulators when
# no real ones are configured, and the app — `func start` when Azure Functions Core Tools are
# installed, else the DevHost, which serves the same function classes on Kestrel. With the
# simulators it then plays one call of each kind and shows what ELMA365 received.
#
#   scripts/run-local.sh           keep running until Ctrl+C
#   scripts/run-local.sh --once    play the calls, show the result, stop everything
#
# To use a real PBX and ELMA365 instead, export Vats__Endpoint, Vats__ApiKey, Vats__CrmToken,
# Elma365__WebhookUrl and Elma365__Token before running (see README, "Configuration").
set -euo pipefail
cd "$(dirname "$0")/.."

once=false
[ "${1:-}" = "--once" ] && once=true

bridge_port=${BRIDGE_PORT:-7071}
vats_port=${VATS_SIMULATOR_PORT:-7301}
elma_port=${ELMA365_SIMULATOR_PORT:-7302}
state=.local
mkdir -p "$state"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
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

for port in 10000 10001 10002 "$bridge_port" "$vats_port" "$elma_port"; do
  if (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is already in use (another run still going?). Stop it, or set BRIDGE_PORT / VATS_SIMULATOR_PORT / ELMA365_SIMULATOR_PORT." >&2
    exit 1
  fi
done

if [ ! -x node_modules/.bin/azurite ]; then
  echo "Installing Azurite from package.json (npm ci)..."
  npm ci --no-audit --no-fund >/dev/null
fi

echo "Building..."
dotnet build MegafonFunctions.sln -nologo -clp:ErrorsOnly -v:q >/dev/null
# Started as `dotnet <dll>` rather than `dotnet run`, so stopping the script stops them too.
simulators_dll=src/Simulators/bin/Debug/net10.0/Megafon.Simulators.dll
devhost_dll=src/DevHost/bin/Debug/net10.0/Megafon.DevHost.dll

echo "Starting Azurite (in memory) on 127.0.0.1:10000-10002..."
node_modules/.bin/azurite --silent --inMemoryPersistence --disableTelemetry --skipApiVersionCheck \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 > "$state/azurite.log" 2>&1 &
pids+=($!)
wait_for_port 10001 Azurite "$state/azurite.log"
wait_for_port 10002 Azurite "$state/azurite.log"
export AzureWebJobsStorage=${AzureWebJobsStorage:-UseDevelopmentStorage=true}

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
if command -v func >/dev/null 2>&1; then
  echo "Starting the Functions host (func start) on port $bridge_port..."
  (cd src/Functions && func start --port "$bridge_port") > "$state/bridge.log" 2>&1 &
else
  echo "Azure Functions Core Tools not found: starting the DevHost on port $bridge_port..."
  dotnet "$devhost_dll" --urls "http://127.0.0.1:$bridge_port" > "$state/bridge.log" 2>&1 &
fi
pids+=($!)
wait_for_port "$bridge_port" "The bridge" "$state/bridge.log"

cat <<INFO

Bridge running:
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
wait
