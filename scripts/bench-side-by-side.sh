#!/usr/bin/env bash
# Side-by-side benchmark: our engine (tpo bench side-by-side) vs transformers / TRL (peers/bench_peer.py) on the same
# saved random Llama folders and the same inputs, 2 intra-op threads on both sides, one process per measurement (its
# peak RSS is its own), warm-up excluded, median of the timed repetitions. Prints a table; writes the results JSON.
#
#   scripts/bench-side-by-side.sh [--sizes 20m,100m,smollm2-135m] [--works score,dpo,gen1,gen32x8] [--keep-raw]
#                                 [--out docs/bench-side-by-side.json] [--quick]
#
# Sizes: 20m and 100m are random Llama folders; smollm2-135m is SmolLM2-135M-Instruct from
# ~/.cache/tpo/models/smollm2-135m-instruct (scripts/fetch-smollm2.sh; SMOLLM2_DIR overrides) with chat-formatted
# inputs through its own template (8 chat sequences, DPO at batch 4, 32 chat prompts), or, without that folder, a
# random folder of the same config with random ids. Each row also gives the peak RSS (VmHWM) of both sides and ours
# over the leaner peer's (target: at most 1.5).
# --quick: one timed repetition everywhere. --keep-raw: append to the raw lines of an earlier run (the report takes
# the last line of each measurement), e.g. to redo one figure. Needs .venv-peers (bash peers/make-venv.sh) and a built
# workers/target/tpo.jar (built here if missing). Run it on a quiet machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
sizes="20m,100m,smollm2-135m"
out="docs/bench-side-by-side.json"
quick=0
works="score,dpo,gen1,gen32x8"
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    --works) works="$2"; shift 2 ;;
    --keep-raw) keep=1; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
py="$root/.venv-peers/bin/python"
[ -x "$py" ] || { echo "no .venv-peers: run bash peers/make-venv.sh" >&2; exit 1; }
# the whole reactor, packaged in place (nothing installed into ~/.m2)
[ -f workers/target/tpo.jar ] || mvn -o -q -B package -DskipTests -Dspotless.check.skip=true
threads=2
work="${BENCH_WORK:-$root/.cache/bench-side-by-side}"
mkdir -p "$work"
raw="$work/raw.jsonl"
[ "$keep" = 1 ] || : > "$raw"
java_cmd=(java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=$threads
  -Dai.djl.pytorch.num_interop_threads=1 -jar workers/target/tpo.jar bench side-by-side)
peer=("$py" peers/bench_peer.py)

reps() { # reps SIZE WORK -> timed repetitions
  if [ "$quick" = 1 ]; then echo 1; return; fi
  case "$1/$2" in
    20m/score) echo 5 ;; 20m/dpo) echo 3 ;; 20m/gen1) echo 7 ;; 20m/gen32x8) echo 3 ;;
    */score) echo 5 ;; */dpo) echo 3 ;; */gen1) echo 5 ;; *) echo 3 ;;
  esac
}

[ "$keep" = 1 ] || echo "== matmul" >&2
[ "$keep" = 1 ] || "${peer[@]}" matmul --threads $threads --reps 20 --json "$raw" >/dev/null

models=()
smollm2="${SMOLLM2_DIR:-$HOME/.cache/tpo/models/smollm2-135m-instruct}"
for size in ${sizes//,/ }; do
  dir="$work/model-$size"
  vocab=32000
  model_args=(--arch llama --seed 1 --max-pos 1024 --embed-std 0.02)
  case "$size" in
    20m) shape=(--layers 8 --hidden 256 --heads 8 --kv-heads 4 --intermediate 688) ;;
    100m) shape=(--layers 8 --hidden 768 --heads 12 --kv-heads 4 --intermediate 2048) ;;
    smollm2-135m)
      vocab=49152
      shape=(--layers 30 --hidden 576 --heads 9 --kv-heads 3 --intermediate 1536 --tie --rope-theta 100000)
      model_args=(--arch llama --seed 1 --max-pos 8192 --embed-std 0.02)
      if [ -f "$smollm2/model.safetensors" ] && [ -f "$smollm2/tokenizer.json" ]; then dir="$smollm2"; fi ;;
    *) echo "unknown size $size (20m, 100m or smollm2-135m)" >&2; exit 2 ;;
  esac
  if [ ! -f "$dir/model.safetensors" ]; then
    "$py" peers/hf_reference.py make-model "${model_args[@]}" --out "$dir" --vocab $vocab "${shape[@]}" \
      --threads $threads
  fi
  models+=("$size=$dir")
  in="$work/inputs-$size"
  chat=()
  # the real model: chat inputs, and DPO at batch 4 (the issue's training case)
  [ -f "$dir/tokenizer.json" ] && chat=(--tokenizer "$dir" --pairs 4)
  "${peer[@]}" inputs --out "$in" --vocab $vocab "${chat[@]}" --label "$size" --json "$raw" >/dev/null
  for w in ${works//,/ }; do
    r=$(reps "$size" "$w")
    case "$w" in
      score) jargs=(--work score --input "$in/score.jsonl" --batch 8); pargs=(score --input "$in/score.jsonl") ;;
      dpo) jargs=(--work dpo --input "$in/pairs.jsonl"); pargs=(dpo --input "$in/pairs.jsonl" --tmp "$work") ;;
      # Batch 1 is cheap: three full-length warm-ups (one short one leaves our first timed runs 50% slower).
      gen1) jargs=(--work generate --input "$in/prompts1.jsonl" --samples 1 --warmup 3 --warmup-new-tokens 64)
            pargs=(generate --input "$in/prompts1.jsonl" --samples 1 --warmup 3 --warmup-new-tokens 64) ;;
      gen32x8) jargs=(--work generate --input "$in/prompts32.jsonl" --samples 8)
               pargs=(generate --input "$in/prompts32.jsonl" --samples 8) ;;
    esac
    echo "== $size $w ours ($r reps)" >&2
    "${java_cmd[@]}" --model "$dir" "${jargs[@]}" --reps "$r" --label "$size/$w" --json "$raw" >/dev/null \
      || echo "ours $size/$w FAILED" >&2
    for attn in eager sdpa; do
      echo "== $size $w peer $attn ($r reps)" >&2
      "${peer[@]}" "${pargs[0]}" --model "$dir" "${pargs[@]:1}" --attn-impl $attn --threads $threads --reps "$r" \
        --label "$size/$w" --json "$raw" >/dev/null 2>"$work/peer.log" || { echo "peer $size/$w $attn FAILED" >&2; tail -5 "$work/peer.log" >&2; }
    done
  done
done

avx512=$(grep -q -m1 avx512f /proc/cpuinfo && echo "AVX-512" || echo "no AVX-512")
machine="$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $avx512), $(free -g | awk '/Mem:/{print $2}') GiB, no GPU, load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$(dirname "$out")"
"${peer[@]}" report --raw "$raw" --out "$out" --machine "$machine" --models "${models[@]}"
echo "results: $out (raw lines: $raw)" >&2
