#!/usr/bin/env bash
# The benchmarks' quick variant (about a minute, most of it building): proves every harness still
# runs end to end with tiny sizes, and that reading the form pair by pair still reads exactly what
# FormReader.ReadForm read. It asserts no timings. Exits non-zero when anything is broken.
# Output (logs, throw-away figures) goes to artifacts/bench-quick/, never to bench/results/.
# Needs the .NET 10 SDK and Node (Azurite from package.json); wrk is not needed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/azurite ]; then
  echo "== bench quick: npm ci (Azurite)"
  npm ci --no-audit --no-fund
fi

echo "== bench quick: build bench/Megafon.Bench.Micro and bench/Megafon.Bench.Load (Release; builds the DevHost too)"
dotnet build bench/Megafon.Bench.Micro -c Release -nologo -clp:ErrorsOnly -v:q
dotnet build bench/Megafon.Bench.Load -c Release -nologo -clp:ErrorsOnly -v:q

micro=bench/Megafon.Bench.Micro/bin/Release/net10.0/Megafon.Bench.Micro.dll
load=bench/Megafon.Bench.Load/bin/Release/net10.0/Megafon.Bench.Load.dll
mkdir -p artifacts/bench-quick

echo "== bench quick 1/3: every BenchmarkDotNet benchmark, one dry in-process iteration"
(cd artifacts/bench-quick && dotnet "../../$micro" --quick --filter '*' > micro.log 2>&1) || { tail -n 40 artifacts/bench-quick/micro.log; echo "bench quick: micro-benchmarks FAILED" >&2; exit 1; }
grep -E "executed benchmarks" artifacts/bench-quick/micro.log | tail -n 1

echo "== bench quick 2/3: form read pair by pair against FormReader.ReadForm on 20,000 random bodies"
dotnet "$micro" --verify 20000

echo "== bench quick 3/3: load harnesses (intake vs bare Kestrel vs raw enqueue; end-to-end with the storage proxy; whole calls; recording archiver; contact lookup cold and warm)"
dotnet "$load" quick

echo "bench quick: passed"
