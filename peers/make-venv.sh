#!/usr/bin/env bash
# Create (or verify) the pinned Hugging Face peer venv at <repo>/.venv-peers.
#
# Idempotent: if the venv exists, was built from the same lock files, Python and mode,
# and its imports work, it returns at once. Otherwise it is deleted and rebuilt.
#
# Environment:
#   PEERS_PYTHON      interpreter to build the venv with (default: python3; must be >= 3.11)
#   PEERS_VENV        venv directory (default: <repo>/.venv-peers)
#   PEERS_VENV_MODE   lean (default): requirements.txt only (CPU; no triton/cusolver/nvrtc/nvtx)
#                     full: also requirements-gpu-extra.txt (= every dependency torch declares)
#   PEERS_PIP_ARGS    extra arguments for pip install (e.g. --no-cache-dir)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
py="${PEERS_PYTHON:-python3}"
venv="${PEERS_VENV:-$root/.venv-peers}"
mode="${PEERS_VENV_MODE:-lean}"
req="$here/requirements.txt"
extra="$here/requirements-gpu-extra.txt"

log() { echo "make-venv: $*" >&2; }

case "$mode" in
  lean) reqs=("$req") ;;
  full) reqs=("$req" "$extra") ;;
  *) log "PEERS_VENV_MODE must be lean or full, not '$mode'"; exit 2 ;;
esac

command -v "$py" >/dev/null 2>&1 || { log "python not found: $py"; exit 1; }
pyver="$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
"$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
  || { log "need Python >= 3.11 (trl 1.16 requires it), got $pyver from $py"; exit 1; }

stamp_want="$( { echo "mode=$mode python=$pyver"; cat "${reqs[@]}"; } | sha256sum | cut -d' ' -f1)"
stamp_file="$venv/.peers-stamp"

smoke() {
  "$venv/bin/python" - <<'EOF'
import os
os.environ["HF_HUB_OFFLINE"] = "1"
import torch, transformers, trl, peft, safetensors, tokenizers
from transformers import LlamaForCausalLM, Qwen2ForCausalLM
from trl import DPOTrainer, DPOConfig
assert torch.__version__.split("+")[0] == "2.5.1", torch.__version__
x = torch.randn(4, 8)
assert torch.isfinite(x @ x.T).all()
EOF
}

if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp_want" ]] && smoke 2>/dev/null; then
  log "up to date: $venv"
  exit 0
fi

log "building $venv (mode=$mode, python $pyver)"
start=$(date +%s)
rm -rf "$venv"
"$py" -m venv "$venv"
pip_args=(--disable-pip-version-check --no-input --no-deps --only-binary=:all:)
for r in "${reqs[@]}"; do pip_args+=(-r "$r"); done
# shellcheck disable=SC2086
"$venv/bin/python" -m pip install "${pip_args[@]}" ${PEERS_PIP_ARGS:-}
smoke || { log "import check failed"; exit 1; }
echo "$stamp_want" > "$stamp_file"
end=$(date +%s)
log "done in $((end - start)) s; size $(du -sh "$venv" | cut -f1)"
