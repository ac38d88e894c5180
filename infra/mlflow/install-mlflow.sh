#!/usr/bin/env bash
# Installs the MLflow tracking server (mlflow 3.17.2, pinned with its whole dependency closure in requirements.txt
# beside this script) into a venv of its own and prints the venv's python. Idempotent and cached: a venv built
# from the same lock and Python whose server module imports is reused at once; anything else is rebuilt. The
# venv is built under a temporary name and renamed into place, so an interrupted install never looks installed
# (it is run with `python -m mlflow`, which works from the renamed folder; its bin/ scripts would not).
#
#   infra/mlflow/install-mlflow.sh            # -> ~/.cache/tpo/mlflow/3.17.2/venv/bin/python
#   TPO_CACHE=/somewhere infra/mlflow/install-mlflow.sh
#   MLFLOW_PYTHON=python3.12 infra/mlflow/install-mlflow.sh   # another interpreter (>= 3.10)
set -euo pipefail

VERSION="3.17.2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lock="${here}/requirements.txt"
py="${MLFLOW_PYTHON:-python3}"
cache_root="${TPO_CACHE:-${HOME}/.cache/tpo}"
target="${cache_root}/mlflow/${VERSION}/venv"
log() { echo "install-mlflow: $*" >&2; }

command -v "${py}" >/dev/null 2>&1 || { log "python not found: ${py}"; exit 1; }
pyver="$("${py}" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
"${py}" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
  || { log "mlflow ${VERSION} needs Python >= 3.10, got ${pyver} from ${py}"; exit 1; }
stamp_want="$( { echo "python=${pyver}"; cat "${lock}"; } | sha256sum | cut -d' ' -f1)"

smoke() { "$1/bin/python" -c 'import mlflow, mlflow.server; assert mlflow.__version__ == "'"${VERSION}"'"'; }

# The stamp is written only after the import check passed, so a matching stamp is enough (importing mlflow takes
# seconds, which every test run would pay).
if [[ -f "${target}/.tpo-stamp" && "$(cat "${target}/.tpo-stamp")" == "${stamp_want}" && -x "${target}/bin/python" ]]; then
  echo "${target}/bin/python"
  exit 0
fi

log "building ${target} (mlflow ${VERSION}, python ${pyver})"
start=$(date +%s)
mkdir -p "$(dirname "${target}")"
work="$(mktemp -d "$(dirname "${target}")/.venv-XXXXXX")"
trap 'rm -rf "${work}"' EXIT
"${py}" -m venv "${work}"
"${work}/bin/python" -m pip install --disable-pip-version-check --no-input --quiet --no-deps \
  --only-binary=:all: --no-compile -r "${lock}" >&2
smoke "${work}" || { log "import check failed"; exit 1; }
echo "${stamp_want}" > "${work}/.tpo-stamp"
rm -rf "${target}"
mv "${work}" "${target}"
trap - EXIT
log "done in $(( $(date +%s) - start )) s; size $(du -sh "${target}" | cut -f1)"
echo "${target}/bin/python"
