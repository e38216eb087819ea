#!/usr/bin/env bash
# Runs every test: .NET unit and integration tests (Azurite from npm, real HTTP on loopback; the
# integration tests on the DevHost and on the real Azure Functions host), the infrastructure
# compile, the companion ELMA365 module's type-check and contract test, and the benchmarks' quick
# variant (bench/quick.sh: proves the harnesses still run, asserts no timings).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/functions-host.sh

log_dir=artifacts/test
mkdir -p "$log_dir"

if [ ! -x node_modules/.bin/azurite ] || [ ! -x node_modules/.bin/tsc ]; then
  echo "== npm ci (Azurite, TypeScript)"
  npm ci --no-audit --no-fund
fi

# The real Functions host, built once into its cache (~0.1 s when built, ~1.5 min from nothing),
# alongside the solution's build; the tests find the same tool folder through FUNCTIONS_HOST_DIR.
if ! FUNCTIONS_HOST_DIR=$(functions_host_dir "$PWD"); then
  echo "error: the Azure Functions host tool (shared/functions-host with build.sh and run.sh) was not found beside the repository or above it; set FUNCTIONS_HOST_DIR to its folder." >&2
  exit 1
fi
export FUNCTIONS_HOST_DIR
echo "== Azure Functions host: $FUNCTIONS_HOST_DIR/build.sh, in the background (log: $log_dir/functions-host-build.log)"
bash "$FUNCTIONS_HOST_DIR/build.sh" > "$log_dir/functions-host-build.log" 2>&1 &
host_build=$!

echo "== dotnet build"
dotnet build MegafonFunctions.sln -c Release -nologo -clp:ErrorsOnly

if ! wait "$host_build"; then
  tail -n 40 "$log_dir/functions-host-build.log" >&2
  echo "error: the Azure Functions host did not build (log: $log_dir/functions-host-build.log)" >&2
  exit 1
fi
built=$(grep -oE 'done in [0-9]+s' "$log_dir/functions-host-build.log" || echo "already built")
echo "== Azure Functions host ready: $(tail -n 1 "$log_dir/functions-host-build.log") ($built)"

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
