// Screenshots of a TPO run as people see it: its report.html (a file, opened offline) and its run page in the MLflow
// UI. Drives Debian's Chromium through playwright-core, like start-run-in-ui.mjs. Run by the JUnit test
// TrackedDemoTest after a tracked demo run, which passes where things are.
//
// Environment:
//   TPO_REPORT          the run's report.html (required)
//   TPO_MLFLOW_RUN_URL  the MLflow run page, from the run's memo (required)
//   TPO_RUN_NAME        the run's name, which the MLflow page must show (required)
//   TPO_OUT             folder for the screenshots and screenshots.json (default ./ui-test-output)
//   TPO_CHROMIUM        the browser (default /usr/bin/chromium)
// Exit status 0 when every check passed; 1 with the failed check on stderr (and failure.png in TPO_OUT).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`screenshot-report: ${name} is not set`);
    process.exit(2);
  }
  return value;
}

const report = path.resolve(required('TPO_REPORT'));
const runUrl = required('TPO_MLFLOW_RUN_URL');
const runName = required('TPO_RUN_NAME');
const outDir = path.resolve(process.env.TPO_OUT || 'ui-test-output');
const chromiumPath = process.env.TPO_CHROMIUM || '/usr/bin/chromium';
fs.mkdirSync(outDir, { recursive: true });
const result = { screenshots: {}, checks: [] };

function check(condition, message) {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
  result.checks.push(message);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tpo-report-shot-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  viewport: { width: 1400, height: 1000 },
});
const page = browser.pages()[0] || (await browser.newPage());
try {
  // The report: offline, so every request it makes must be for the file itself.
  const outside = [];
  page.on('request', (r) => { if (!r.url().startsWith('file:')) outside.push(r.url()); });
  await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
  const charts = await page.locator('svg.chart').count();
  check(charts >= 9, `report.html shows its charts (${charts})`);
  check(await page.getByText('Eval transcripts').count() === 1, 'report.html has the eval transcripts');
  check((await page.locator('.thought').count()) > 0, 'thoughts are shown, marked hidden from the judge');
  check(outside.length === 0, `report.html loads nothing from elsewhere (${outside.join(', ')})`);
  const reportShot = path.join(outDir, 'run-report.png');
  await page.screenshot({ path: reportShot, fullPage: true });
  result.screenshots.report = reportShot;
  page.removeAllListeners('request');

  await page.goto(runUrl, { waitUntil: 'domcontentloaded' });
  await page.getByText(runName, { exact: false }).first().waitFor({ timeout: 60_000 });
  check(true, `the MLflow run page names the run ${runName}`);
  // MLflow 3 opens an assistant side panel; it is no part of the run, so it is closed when there is one.
  await page.getByRole('button', { name: 'Close', exact: true }).click({ timeout: 5000 }).catch(() => {});
  const mlflowShot = path.join(outDir, 'mlflow-run.png');
  await page.screenshot({ path: mlflowShot, fullPage: false });
  result.screenshots.mlflow = mlflowShot;
  // The run's metric charts (DPO steps, iterations), as MLflow draws them.
  await page.getByRole('tab', { name: 'Model metrics' }).click();
  await page.locator('.js-plotly-plot').first().waitFor({ timeout: 60_000 });
  await sleep(3000);
  check((await page.locator('.js-plotly-plot').count()) > 0, 'MLflow draws the run\'s metric charts');
  const metricsShot = path.join(outDir, 'mlflow-run-metrics.png');
  await page.screenshot({ path: metricsShot, fullPage: false });
  result.screenshots.mlflow_metrics = metricsShot;
  fs.writeFileSync(path.join(outDir, 'screenshots.json'), JSON.stringify(result, null, 2));
  console.log(`screenshot-report: ${result.checks.length} checks passed; ${Object.values(result.screenshots).join(', ')}`);
} catch (e) {
  await page.screenshot({ path: path.join(outDir, 'failure.png'), fullPage: true }).catch(() => {});
  console.error(`screenshot-report: ${e.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
