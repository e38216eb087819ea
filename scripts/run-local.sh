#!/usr/bin/env bash
# Runs the bridge locally and shows what it does: Azurite (in memory, loopback), the PBX and ELMA365
# simulators when no real ones are configured, and the app on the best host there is — `func start`
# when Azure Functions Core Tools are installed, else the real Azure Functions host built from
# ../shared/functions-host, else the DevHost, which serves the same function classes on Kestrel
# (docs/design.md, "The two hosts"). With the simulators it plays one call of each kind, prints what
# ELMA365 received grouped per call, then prints each message ELMA365 receives as it arrives.
#
#   scripts/run-local.sh           keep running until Ctrl+C
#   scripts/run-local.sh --once    play the calls, show the result, stop everything
#
# To use a real PBX and ELMA365 instead, export Vats__Endpoint, Vats__ApiKey, Vats__CrmToken,
# Elma365__WebhookUrl and Elma365__Token before running (docs/configuration.md).
# BRIDGE_HOST=func|functions-host|devhost picks the host; FUNCTIONS_HOST_DIR says where the
# functions-host tool is. Ports: BRIDGE_PORT (7071), VATS_SIMULATOR_PORT (7301),
# ELMA365_SIMULATOR_PORT (7302), AZURITE_BLOB_PORT, AZURITE_QUEUE_PORT, AZURITE_TABLE_PORT (10000-10002).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/functions-host.sh
. scripts/lib/build.sh

started=$(date +%s.%N)
since_start() { awk -v from="$started" -v now="$(date +%s.%N)" 'BEGIN { printf "%.1f s", now - from }'; }

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

# Each long-running part in a session of its own, so Ctrl+C reaches this script alone and it stops
# them in order: the bridge first, while the storage and simulators it talks to are still there.
bridge_pid='' demo_pid='' others=()
stop_pid() { # pid, seconds to wait before killing its whole group
  kill -0 "$1" 2>/dev/null || return 0
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 $(($2 * 10))); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  trap - EXIT INT TERM
  [ -n "$demo_pid" ] && stop_pid "$demo_pid" 2
  [ -n "$bridge_pid" ] && stop_pid "$bridge_pid" 15
  for pid in "${others[@]}"; do stop_pid "$pid" 5; done
  # A host build started in the background carries on for the next run.
}
trap cleanup EXIT
trap 'exit 130' INT TERM

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

simulators=false
if [ -z "${Vats__Endpoint:-}" ] || [ -z "${Elma365__WebhookUrl:-}" ]; then simulators=true; fi

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
case $bridge_host in
  func|functions-host|devhost) ;;
  *) echo "BRIDGE_HOST must be func, functions-host or devhost, not '$bridge_host'." >&2; exit 1 ;;
esac
if [ "$bridge_host" = functions-host ]; then
  [ -n "$host_tool" ] || { echo "BRIDGE_HOST=functions-host, but the functions-host tool was not found: set FUNCTIONS_HOST_DIR." >&2; exit 1; }
  # Built once into a cache (~0.1 s when built, ~1.5 min from nothing), in a session of its own so
  # it finishes for the next run even if this one is stopped, and at the lowest priority so that it
  # does not slow down this run's own build. With the kernel's autogroup scheduling (the default on
  # desktop and many server kernels) a new session is a group of its own that competes with this
  # one as an equal whatever its processes' nice values: the group's own nice is what lowers it.
  host_built=$state/functions-host-build.status host_building=$state/functions-host-build.pid
  rm -f "$host_built"
  # An earlier run's build still going is left to finish: waiting for its answer would only cost time.
  if [ ! -f "$host_building" ] || ! kill -0 "$(cat "$host_building")" 2>/dev/null; then
    setsid nice -n 19 bash -c '{ echo 19 > /proc/self/autogroup; } 2>/dev/null; bash "$1/build.sh" > "$2" 2>&1; echo $? > "$3"; rm -f "$4"' \
      build "$host_tool" "$state/functions-host-build.log" "$host_built" "$host_building" < /dev/null &
    echo $! > "$host_building"
    for _ in $(seq 1 50); do [ -f "$host_built" ] && break; sleep 0.1; done
  fi
  if [ ! -f "$host_built" ]; then
    # Not built yet: do not keep the newcomer waiting for it.
    echo "The Azure Functions host is being built, once, in the background (~1.5 min; log: $state/functions-host-build.log):"
    echo "this run uses the DevHost, the next one the Functions host."
    bridge_host=devhost
  elif [ "$(cat "$host_built")" != 0 ]; then
    echo "The Azure Functions host did not build (log: $state/functions-host-build.log); using the DevHost." >&2
    bridge_host=devhost
  fi
fi

npm_pid=''
if [ ! -x node_modules/.bin/azurite ]; then
  echo "Installing Azurite from package.json (npm ci; log: $state/npm.log)..."
  npm ci --no-audit --no-fund > "$state/npm.log" 2>&1 &
  npm_pid=$!
fi

# Only what runs, and only when its sources changed (scripts/lib/build.sh); func start builds the app itself.
printf 'Building what runs (Release): '
case $bridge_host in
  devhost)
    printf 'app and DevHost %s' "$(build_if_changed devhost src/DevHost/Megafon.DevHost.csproj src/DevHost/bin/Release/net10.0/Megafon.DevHost.dll src/Core src/Functions src/DevHost)"
    mark_built functions src/Core src/Functions ;;
  functions-host)
    printf 'app %s' "$(build_if_changed functions src/Functions/Megafon.Functions.csproj src/Functions/bin/Release/net10.0/Megafon.Functions.dll src/Core src/Functions)" ;;
  func)
    printf 'app: by func start' ;;
esac
if $simulators; then
  printf ', simulators %s' "$(build_if_changed simulators src/Simulators/Megafon.Simulators.csproj src/Simulators/bin/Release/net10.0/Megafon.Simulators.dll src/Core src/Simulators)"
fi
echo " ($(since_start) since start)"
simulators_dll=src/Simulators/bin/Release/net10.0/Megafon.Simulators.dll
devhost_dll=src/DevHost/bin/Release/net10.0/Megafon.DevHost.dll
functions_app=src/Functions/bin/Release/net10.0

if [ -n "$npm_pid" ] && ! wait "$npm_pid"; then
  echo "npm ci failed; its log ($state/npm.log):" >&2
  tail -n 40 "$state/npm.log" >&2
  exit 1
fi

setsid node_modules/.bin/azurite --silent --inMemoryPersistence --disableTelemetry --skipApiVersionCheck \
  --blobHost 127.0.0.1 --blobPort "$blob_port" --queueHost 127.0.0.1 --queuePort "$queue_port" \
  --tableHost 127.0.0.1 --tablePort "$table_port" > "$state/azurite.log" 2>&1 < /dev/null &
others+=($!)
# Azurite's well-known development account (it exists only in Azurite), on the ports above.
dev_key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
export AzureWebJobsStorage=${AzureWebJobsStorage:-"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$dev_key;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"}

# One local key plays both the host key the module calls with and Elma365__ModuleKey, as in Azure.
export DevHost__FunctionKey=${DevHost__FunctionKey:-local-function-key}
export DevHost__MasterKey=${DevHost__MasterKey:-local-master-key}
export Elma365__ModuleKey=${Elma365__ModuleKey:-$DevHost__FunctionKey}

if $simulators; then
  export Vats__ApiKey=local-pbx-key Vats__CrmToken=local-crm-token-0123456789 Elma365__Token=local-elma365-key
  export Vats__Endpoint="http://127.0.0.1:$vats_port/sys/crm_api.wcgp"
  export Elma365__WebhookUrl="http://127.0.0.1:$elma_port/elma365/webhook"
  export Elma365__ApiUrl="http://127.0.0.1:$elma_port" Elma365__ApiToken=local-elma365-api-token Elma365__ModuleCode=ext_megafon_vats
  setsid dotnet "$simulators_dll" serve --vats-port "$vats_port" --elma-port "$elma_port" \
    --vats-api-key "$Vats__ApiKey" --elma-token "$Elma365__Token" --elma-api-token "$Elma365__ApiToken" \
    --elma-bridge-key "$Elma365__ModuleKey" > "$state/simulators.log" 2>&1 < /dev/null &
  others+=($!)
fi
wait_for_port "$queue_port" Azurite "$state/azurite.log"
wait_for_port "$table_port" Azurite "$state/azurite.log"
wait_for_port "$blob_port" Azurite "$state/azurite.log"
if $simulators; then
  wait_for_port "$vats_port" "The PBX simulator" "$state/simulators.log"
  wait_for_port "$elma_port" "The ELMA365 simulator" "$state/simulators.log"
fi

case $bridge_host in
  func)
    echo "Starting the Functions host (func start, Core Tools) on port $bridge_port..."
    (cd src/Functions && exec setsid func start --port "$bridge_port") > "$state/bridge.log" 2>&1 < /dev/null &
    host_name="the Functions host (func start)"
    ;;
  functions-host)
    echo "Starting the Azure Functions host (built from $host_tool) on port $bridge_port..."
    # The host's console as a person reads it: one line per entry, the host's own lines from warnings
    # up, and the app's lines as the worker prints them (Host.Function.Console, one line each with the
    # call id, src/Functions/Program.cs). Local only: in Azure the console is off, telemetry goes out
    # through OpenTelemetry, and host.json's levels apply.
    # The names are the host's own categories (the worker sees these variables too), in the exact
    # case the host looks them up in its environment.
    console=(
      Logging__Console__FormatterName=simple Logging__Console__FormatterOptions__SingleLine=true
      Logging__LogLevel__Microsoft.Azure.WebJobs=Warning Logging__LogLevel__Microsoft.AspNetCore=Warning
      Logging__LogLevel__Host=Warning Logging__LogLevel__Worker=Warning Logging__LogLevel__Host.Function.Console=Information
      AzureFunctionsJobHost__logging__logLevel__default=Warning AzureFunctionsJobHost__logging__logLevel__Function=Warning
      AzureFunctionsJobHost__logging__logLevel__Azure.Core=Error
      AzureFunctionsJobHost__logging__logLevel__Host.Function.Console=Information
    )
    # The same keys as the DevHost's, in this checkout's own secrets folder.
    env "${console[@]}" setsid bash "$host_tool/run.sh" --app "$functions_app" --port "$bridge_port" \
      --secrets "$state/functions-host-secrets" --master-key "$DevHost__MasterKey" --function-key "$DevHost__FunctionKey" \
      < /dev/null > >(trap '' INT; exec sed -u 's/^info: Host\.Function\.Console\[0\] //' > "$state/bridge.log") 2>&1 &
    host_name="the Azure Functions host"
    ;;
  devhost)
    echo "Starting the DevHost (src/DevHost: the same function classes on Kestrel) on port $bridge_port..."
    setsid dotnet "$devhost_dll" --urls "http://127.0.0.1:$bridge_port" > "$state/bridge.log" 2>&1 < /dev/null &
    host_name="the DevHost"
    ;;
esac
bridge_pid=$!
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

bridge=http://127.0.0.1:$bridge_port
call_id=my-call-$(date +%H%M%S)
echo
echo "Bridge ready on $host_name, $(since_start) after start:"
echo "  PBX webhook (the address for «Интеграция с CRM»)  $bridge/api/vats/webhook"
if $simulators; then
  ring="curl -s $bridge/api/vats/webhook -d cmd=event -d type=INCOMING -d callid=$call_id -d phone=79161234567 -d user=alexey -d ext=703 -d crm_token=$Vats__CrmToken"
  echo "  CRM token (crm_token)                             $Vats__CrmToken"
  echo "  ELMA365 functions (x-functions-key $DevHost__FunctionKey)  $bridge/api/members, /api/calls, /api/connection-test, ..."
  echo "  Admin (master key $DevHost__MasterKey)                  BRIDGE_URL=$bridge BRIDGE_ADMIN_KEY=$DevHost__MasterKey scripts/poison.sh list"
  echo "  What the ELMA365 simulator received               curl -s http://127.0.0.1:$elma_port/elma365/received"
  echo "  Logs                                              $state/bridge.log, $state/simulators.log, $state/azurite.log"
  echo "  Ring a call (a popup for alexey, 703):"
  echo "    $ring"
  echo
  watch=()
  $once || watch=(--watch "Watching what ELMA365 receives (Ctrl+C stops everything). Ring a call:
  $ring")
  setsid dotnet "$simulators_dll" play --bridge "$bridge/" --crm-token "$Vats__CrmToken" \
    --elma "http://127.0.0.1:$elma_port/" --recording-host "http://127.0.0.1:$vats_port" "${watch[@]}" < /dev/null &
  demo_pid=$!
  if $once; then
    status=0
    wait "$demo_pid" || status=$?
    demo_pid=''
    echo "First result $(since_start) after start."
    exit "$status"
  fi
else
  echo "  ELMA365 functions (x-functions-key $DevHost__FunctionKey)  $bridge/api/members, /api/calls, /api/connection-test, ..."
  echo "  Logs                                              $state/bridge.log, $state/azurite.log"
  $once && exit 0
  echo
  echo "Press Ctrl+C to stop."
fi
wait -n "$bridge_pid" "${others[@]}" ${demo_pid:+"$demo_pid"} || true
echo "A part of the run stopped; stopping the rest (logs in $state/)." >&2
