#!/usr/bin/env bash
# BenchmarkDotNet micro-benchmarks (default job, MemoryDiagnoser): parse + validate + translate per
# command, the intake's and the processor's CPU work per webhook, the JSON the bridge writes, and
# the form reader before/after. About 10 minutes on 2 cores.
#   bench/micro.sh            today's src/Core            → bench/results/micro-after/
#   bench/micro.sh --before   src/Core as it was before the optimisation (the parent of the commit
#                             that read the form pair by pair, or HEAD while it is uncommitted)
#                                                         → bench/results/micro-before/
# Extra arguments go to BenchmarkDotNet, e.g. --filter '*FormBody*'.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

mode=after
if [ "${1:-}" = "--before" ]; then
  mode=before
  shift
fi
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--filter '*')

project=bench/Megafon.Bench.Micro
if [ "$mode" = before ]; then
  introduced=$(git log --format=%H -S'ReadNextPair' -- src/Core/Vats/Webhooks/WebhookBody.cs | tail -n 1)
  rev=${introduced:+$introduced^}
  rev=${rev:-HEAD}
  tree=$(mktemp -d)
  trap 'rm -rf "$tree"' EXIT
  echo "== micro-benchmarks against src/Core at $(git rev-parse --short "$rev") (before the optimisation)"
  git archive "$rev" src .editorconfig Directory.Build.props Directory.Packages.props host.json | tar -x -C "$tree"
  mkdir -p "$tree/bench"
  cp -r "$project" "$tree/bench/"
  rm -rf "$tree/$project/bin" "$tree/$project/obj"
  cd "$tree"
fi

echo "== build $project (Release)"
dotnet build "$project" -c Release -nologo -clp:ErrorsOnly -v:q
out="$root/artifacts/bench/bdn-$mode"
rm -rf "$out"
echo "== run (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
dotnet "$project/bin/Release/net10.0/Megafon.Bench.Micro.dll" --artifacts "$out" "${args[@]}"

dest="$root/bench/results/micro-$mode"
mkdir -p "$dest"
cp "$out"/results/*-report-github.md "$dest/"
{
  echo "date: $(date -Iseconds)"
  echo "load average before/after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM"
  echo "src/Core: $(cd "$root" && git rev-parse --short HEAD)$( [ "$mode" = before ] && echo " → before = ${rev}" )"
} > "$dest/run.txt"
echo "== results: ${dest#$root/}"
