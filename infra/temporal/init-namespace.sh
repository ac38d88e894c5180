#!/bin/sh
# One-shot (compose service temporal-init, admin-tools image): creates the namespace the workers use and registers
# the TPO search attributes, the same list that `tpo dev-stack --temporal real` registers at start
# (workflows/.../TpoSearchAttributes.java). Idempotent: only what is missing is created.
set -eu
ns="${TEMPORAL_NAMESPACE:-default}"

until temporal operator cluster health >/dev/null 2>&1; do
  echo "waiting for Temporal at ${TEMPORAL_ADDRESS}"
  sleep 2
done

temporal operator namespace describe --namespace "${ns}" >/dev/null 2>&1 \
  || temporal operator namespace create --namespace "${ns}" --retention "${TEMPORAL_RETENTION:-72h}"

# A new namespace reaches every server role after their namespace caches refresh (seconds).
until existing="$(temporal operator search-attribute list --namespace "${ns}" 2>/dev/null)"; do
  echo "waiting for namespace ${ns} to be served"
  sleep 2
done
for spec in TpoRunName=Keyword TpoIteration=Int TpoStep=Keyword TpoThoughtMode=Keyword TpoSeedPolicy=Keyword \
            TpoStatus=Keyword; do
  name="${spec%%=*}"
  type="${spec#*=}"
  if echo "${existing}" | grep -qw "${name}"; then
    echo "search attribute ${name} exists"
  else
    temporal operator search-attribute create --namespace "${ns}" --name "${name}" --type "${type}"
  fi
done
echo "namespace ${ns} ready"
