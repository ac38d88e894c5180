#!/usr/bin/env bash
# Fallback for install-temporal-cli.sh, where the pinned wheel cannot be used (another OS or processor, or PyPI out
# of reach): builds Temporal Server and its UI server from Temporal's own Go modules and runs them on SQLite.
# Not the default: a cold build takes about 18 CPU-minutes. Needs Go >= 1.25 (v1.32.2 needs >= 1.26.10).
#
#   infra/temporal/build-temporal-from-source.sh build      # -> $TPO_CACHE/temporal-src/{server,ui-server}
#   infra/temporal/build-temporal-from-source.sh run DIR    # server on :7233 (SQLite under DIR), UI on :8233
#
# The Temporal CLI itself cannot be `go install`ed (its go.mod has a replace directive), so this has no
# `temporal` command: the TPO control worker registers the search attributes itself when it starts, but the
# namespace must exist first (create it once with any Temporal CLI, e.g. the temporalio/admin-tools image:
# `temporal operator namespace create --namespace default --address HOST:7233`).
set -euo pipefail

SERVER_VERSION="v1.32.1"
UI_VERSION="v2.54.1"
cache_root="${TPO_CACHE:-${HOME}/.cache/tpo}"
out="${cache_root}/temporal-src/${SERVER_VERSION}-${UI_VERSION}"

build() {
  command -v go >/dev/null || { echo "build-temporal-from-source: needs Go" >&2; exit 1; }
  mkdir -p "${out}/server-bin" "${out}/ui-bin"
  # Both main packages are named `server`, hence one GOBIN each.
  GOBIN="${out}/server-bin" go install "go.temporal.io/server/cmd/server@${SERVER_VERSION}"
  GOBIN="${out}/ui-bin" go install "github.com/temporalio/ui-server/v2/cmd/server@${UI_VERSION}"
  echo "${out}"
}

run() {
  local data="${1:?usage: $0 run DATA_DIR}"
  [[ -x "${out}/server-bin/server" && -x "${out}/ui-bin/server" ]] || build >/dev/null
  local modcache
  modcache="$(go env GOMODCACHE)"
  # The modules ship their own configuration; only the SQLite path and ports are ours.
  local server_config="${modcache}/go.temporal.io/server@${SERVER_VERSION}/config"
  local ui_config="${modcache}/github.com/temporalio/ui-server/v2@${UI_VERSION}/config"
  mkdir -p "${data}/config/dynamicconfig"
  # development-sqlite-file.yaml keeps history in a SQLite file named by databaseName (relative: made absolute here)
  # and reads the dynamic config from a relative path (pointed at ours, the compose stack's).
  sed "s|databaseName: \"default\"|databaseName: \"${data}/temporal.db\"|; s|filepath: \".*\"|filepath: \"${data}/config/dynamicconfig/development.yaml\"|" \
    "${server_config}/development-sqlite-file.yaml" > "${data}/config/development-sqlite-file.yaml"
  cp "${infra_dir}/dynamicconfig/development.yaml" "${data}/config/dynamicconfig/development.yaml"
  "${out}/server-bin/server" --root / --config "${data}/config" --env development-sqlite-file start &
  local server_pid=$!
  trap 'kill ${server_pid} 2>/dev/null' EXIT
  "${out}/ui-bin/server" --root / --config "${ui_config}" --env development start
}

infra_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case "${1:-}" in
  build) build ;;
  run) shift; run "$@" ;;
  *) echo "usage: $0 build | run DATA_DIR" >&2; exit 2 ;;
esac
