#!/usr/bin/env bash
# Runs every test: .NET unit and integration tests (Azurite from npm, real HTTP on loopback),
# the infrastructure compile, the companion ELMA365 module's type-check and contract test, and the
# benchmarks' quick variant (bench/quick.sh: proves the harnesses still run, asserts no timings).
set -euo pipefail
cd "$(dirname "$0")/.."

log_dir=artifacts/test
mkdir -p "$log_dir"

if [ ! -x node_modules/.bin/azurite ] || [ ! -x node_modules/.bin/tsc ]; then
  echo "== npm ci (Azurite, TypeScript)"
  npm ci --no-audit --no-fund
fi

echo "== dotnet build"
dotnet build MegafonFunctions.sln -c Release -nologo -clp:ErrorsOnly

echo "== dotnet test"
set +e
dotnet test MegafonFunctions.sln -c Release --no-build -nologo 2>&1 | tee "$log_dir/dotnet.log"
dotnet_status=${PIPESTATUS[0]}
set -e

echo "== ELMA365 module: type-check and contract test"
set +e
npm run --silent elma365:test 2>&1 | tee "$log_dir/node.log"
node_status=${PIPESTATUS[0]}
set -e

echo "== benchmarks, quick variant (no timings asserted)"
set +e
bench/quick.sh 2>&1 | tee "$log_dir/bench.log"
bench_status=${PIPESTATUS[0]}
set -e

# One closing line for all runners: "N passed, N failed".
passed=$(grep -hoE 'Passed: +[0-9]+' "$log_dir/dotnet.log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -hoE 'Failed: +[0-9]+' "$log_dir/dotnet.log" | awk '{s+=$2} END {print s+0}')
node_passed=$(grep -hoE '^# pass [0-9]+' "$log_dir/node.log" | awk '{s+=$3} END {print s+0}')
node_failed=$(grep -hoE '^# fail [0-9]+' "$log_dir/node.log" | awk '{s+=$3} END {print s+0}')
echo
bench_checks_passed=$(grep -cE '^  ok  ' "$log_dir/bench.log" || true)
bench_checks_failed=$(grep -cE '^  FAIL ' "$log_dir/bench.log" || true)
echo "bench quick: $bench_checks_passed checks passed, $bench_checks_failed failed (exit $bench_status)"
echo "tests: $((passed + node_passed)) passed, $((failed + node_failed)) failed"

if [ "$dotnet_status" -ne 0 ] || [ "$node_status" -ne 0 ] || [ "$bench_status" -ne 0 ]; then
  exit 1
fi
