#!/usr/bin/env bash
# Load and scale-out benchmark on the official Temporal dev server (tpo bench load), every worker its own
# `tpo worker` JVM with one PyTorch thread:
#  1. N runs of a tiny random model started at once (default 20) on 2 control + 2 GPU workers: runs per minute,
#     p50/p95 schedule-to-start latency per step type (ActivityTaskScheduled -> ActivityTaskStarted, first attempts),
#     first-workflow-task times and failed workflow tasks (deadlock detector) from the runs' histories;
#  2. scale-out: one iteration's generate + judge (4 shards by default) on 1 GPU worker, then on 2, side by side.
# Prints a table; writes the results JSON. Needs the Temporal CLI (infra/temporal/install-temporal-cli.sh) and a
# built workers/target/tpo.jar (built here if missing). Run it on a quiet machine: the workers share its cores.
#
#   scripts/bench-load.sh [--runs 20] [--shards 4] [--out docs/bench-load.json]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="docs/bench-load.json"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --runs|--shards|--control-workers|--gpu-workers) args+=("$1" "$2"); shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
# the whole reactor, packaged in place (nothing installed into ~/.m2)
[ -f workers/target/tpo.jar ] || mvn -o -q -B package -DskipTests -Dspotless.check.skip=true
work="${BENCH_WORK:-$root/.cache/bench-load}"
mkdir -p "$work"
avx512=$(grep -q -m1 avx512f /proc/cpuinfo && echo "AVX-512" || echo "no AVX-512")
machine="$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $avx512), $(free -g | awk '/Mem:/{print $2}') GiB, no GPU, load average at the start $(cut -d' ' -f1-3 /proc/loadavg), build $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
# The machine's own ceiling for the scale-out ratio, side by side in this invocation: the engine benchmark with one
# PyTorch thread, alone and then two processes at once. Two "cores" that share one physical core's vector units
# (seen on this project's 2-vCPU machines: a 1-thread float32 matmul gave 130 GFLOP/s alone, 69 + 65 side by side)
# cap what two GPU workers can reach whatever the pipeline does.
engine() {
  java -Xmx1g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
    -jar workers/target/tpo.jar bench engine --max-new-tokens 32 \
    | awk -F'|' '/score \(seq 256\)/ && $3+0 == 32 { gsub(/ /, "", $6); print $6 }'
}
alone=$(engine)
engine > "$work/ceiling-a" & engine > "$work/ceiling-b"; wait
pair=$(( $(cat "$work/ceiling-a") + $(cat "$work/ceiling-b") ))
ceiling=$(awk -v a="$alone" -v p="$pair" 'BEGIN { printf "%.2f", p / a }')
echo "machine ceiling: engine scoring (batch 32, 1 thread) $alone tokens/s alone, $pair side by side in two processes: ${ceiling}x" >&2
machine="$machine; two 1-thread engine processes side by side score ${ceiling}x one (${pair} vs ${alone} tokens/s)"
java -Xmx1g -Dai.djl.offline=true -jar workers/target/tpo.jar bench load --work "$work" --json "$out" \
  --machine "$machine" "${args[@]}"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
