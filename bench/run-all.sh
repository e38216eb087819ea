#!/usr/bin/env bash
# Every figure of bench/README.md, in the order of its table (about 65 minutes on 2 cores).
# Run it on an otherwise idle machine: it prints the load average before each step, and each
# result file records it too. Results: bench/results/*.json and bench/results/micro-*/;
# logs and traces: artifacts/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund
dotnet build bench/Megafon.Bench.Load -c Release -nologo -clp:ErrorsOnly -v:q
load=bench/Megafon.Bench.Load/bin/Release/net10.0/Megafon.Bench.Load.dll
# The Functions isolated worker runs workstation GC (no ServerGarbageCollection in
# src/Functions); the DevHost, a web project, defaults to server GC. Measure it the way it deploys.
worker_gc=(--set:DOTNET_gcServer 0)
step() { echo; echo "== $* (load average $(cut -d' ' -f1-3 /proc/loadavg))"; }

step "1. micro-benchmarks, before and after"
bench/micro.sh --before
bench/micro.sh

step "2. intake vs bare Kestrel vs raw enqueue (wrk, 3 rounds)"
dotnet "$load" intake --concurrency 1,4,16,64 --duration 10 --repeat 3 --driver wrk --label final "${worker_gc[@]}"
dotnet "$load" intake --concurrency 16 --duration 10 --repeat 3 --driver wrk --label final-servergc

step "3. end-to-end at 100 webhooks/s for 60 s"
# Azurite's queue sweep (bench/azurite/queue-gc-interval.cjs) is moved out of the measured minute,
# except in the run labelled azurite-stock-gc, which shows what it does.
gc=(--azurite-queue-gc 00:10:00)
dotnet "$load" e2e --rate 100 --duration 60 --mix incoming --label final-incoming "${gc[@]}" "${worker_gc[@]}"
dotnet "$load" e2e --rate 100 --duration 60 --mix incoming --instrument true --label final-incoming-instrumented "${gc[@]}" "${worker_gc[@]}"
dotnet "$load" e2e --rate 100 --duration 60 --mix calls --label final-calls "${gc[@]}" "${worker_gc[@]}"
# Exits 1 when a webhook is missing, which the stock sweep can cause (bench/README.md): carry on.
dotnet "$load" e2e --rate 100 --duration 60 --mix incoming --label final-incoming-azurite-stock-gc "${worker_gc[@]}" \
  || echo "(the stock-sweep run lost webhooks: see bench/README.md, \"Azurite's queue sweep\")"

step "3b. maxPollingInterval at a quiet 10 webhooks/s"
for polling in 00:00:00.100 00:00:00.500 00:00:02; do
  dotnet "$load" e2e --rate 10 --duration 30 --mix incoming --max-polling "$polling" --label "final-polling-${polling//:/}" "${gc[@]}" "${worker_gc[@]}"
done

step "4/5. cost growth 10 → 1,000 webhooks/s"
dotnet "$load" cost --rates 10,100,300,1000 --duration 20 --mix calls --label final "${gc[@]}" "${worker_gc[@]}"

step "6. contact lookup: cold (ELMA365 simulator answering in 50 ms) and warm (cached), against Contact__Budget"
dotnet "$load" contact --known 500 --unknown 100 --concurrency 1 --label final "${worker_gc[@]}"
dotnet "$load" contact --known 500 --unknown 100 --concurrency 8 --label final-c8 "${worker_gc[@]}"
step "7. DevHost and the Functions host side by side: end to end at 100/s, an idle line, intake vs raw enqueue"
# Each host with its own defaults (GC included); the Functions host is built by shared/functions-host.
dotnet "$load" hosts --rate 100 --duration 60 --idle-duration 180 --idle-gap 5,10 --concurrency 16 --intake-duration 10 --repeat 3 --driver wrk --label final "${gc[@]}"

step "profile of the intake (dotnet-trace collect-linux, if installed)"
if [ -x /tmp/dntools/dotnet-trace ] || command -v dotnet-trace >/dev/null; then
  trace=$(command -v dotnet-trace || echo /tmp/dntools/dotnet-trace)
  dotnet "$load" profile --concurrency 16 --duration 10 --dotnet-trace "$trace" --label final "${worker_gc[@]}"
else
  echo "dotnet-trace not installed (dotnet tool install dotnet-trace --tool-path /tmp/dntools): skipped"
fi

step "recordings: the archiver against a raw upload, and one 50 MiB archive's memory"
dotnet "$load" archive --files 100 --bytes 1048576 --large-bytes 52428800 --rounds 5 --label final
