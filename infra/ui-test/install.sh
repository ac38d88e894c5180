#!/usr/bin/env bash
# Installs the browser test's one npm dependency (playwright-core, pinned in package-lock.json) into
# infra/ui-test/node_modules with `npm ci`. Quick and offline when the pinned version is already there.
# The browser is Debian's /usr/bin/chromium (apt-get install chromium; .ci/run does): Playwright's own browser
# download is never used, so nothing is fetched but the npm package.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
pinned="$(node -p "require('./package-lock.json').packages['node_modules/playwright-core'].version")"
installed="$(node -p "try { require('./node_modules/playwright-core/package.json').version } catch { '' }")"
if [[ "${installed}" == "${pinned}" ]]; then
  echo "cached: infra/ui-test/node_modules (playwright-core ${installed})"
  exit 0
fi
# PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: playwright-core downloads nothing on install today; this keeps it so.
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent
echo "installed: infra/ui-test/node_modules (playwright-core ${pinned})"
