// Browser check of payload encryption in the Temporal Web UI: an encrypted run's page, once as the UI is configured
// (its codec endpoint is `tpo codec-server`, so the browser decodes the payloads through it and shows the run's
// input as JSON) and once with the codec endpoint removed from the UI's settings, which is what a UI started without
// --ui-codec-endpoint serves (then the page must show the stored ciphertext and none of the plaintext). Drives
// Debian's Chromium through playwright-core. Run by the JUnit test EncryptedRunTest.
//
// Environment (all required but TPO_OUT, TPO_NAMESPACE and TPO_CHROMIUM):
//   TPO_UI_URL          the Web UI, e.g. http://127.0.0.1:18233
//   TPO_CODEC_URL       the codec server the UI is configured with, e.g. http://127.0.0.1:18081
//   TPO_WORKFLOW_ID     the encrypted run's workflow id
//   TPO_PLAINTEXT       a string of the run's input that only the decoded page may show
//   TPO_CIPHERTEXT      the input payload's stored data, base64, as the page without the codec shows it
//   TPO_OUT             folder for the screenshots and codec-result.json (default ./ui-test-output)
//   TPO_NAMESPACE       (default default)
//   TPO_CHROMIUM        the browser (default /usr/bin/chromium)
// Exit status 0 when every check passed; 1 with the failed check on stderr.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const env = (name, fallback) => {
  const value = process.env[name] || fallback;
  if (!value) {
    console.error(`check-codec-in-ui: ${name} is not set`);
    process.exit(2);
  }
  return value;
};
const uiUrl = env('TPO_UI_URL').replace(/\/$/, '');
const codecUrl = env('TPO_CODEC_URL').replace(/\/$/, '');
const workflowId = env('TPO_WORKFLOW_ID');
const plaintext = env('TPO_PLAINTEXT');
const ciphertext = env('TPO_CIPHERTEXT');
const outDir = path.resolve(env('TPO_OUT', 'ui-test-output'));
const namespace = env('TPO_NAMESPACE', 'default');
const chromiumPath = env('TPO_CHROMIUM', '/usr/bin/chromium');
fs.mkdirSync(outDir, { recursive: true });
const result = { workflow_id: workflowId, codec_url: codecUrl };

function check(condition, message) {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
}

// The run's page in a fresh browser context; `withoutCodec` removes the codec endpoint from the settings the UI
// server hands the page (the page reads its codec endpoint from nowhere else). Returns what the page did and showed.
async function openRun(browser, withoutCodec, shown, screenshot) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const codecCalls = [];
  page.on('request', (request) => {
    if (request.url().startsWith(codecUrl)) {
      const url = new URL(request.url());
      codecCalls.push({ method: request.method(), path: url.pathname, namespace: request.headers()['x-namespace'] });
    }
  });
  page.on('response', (response) => {
    if (response.url().startsWith(codecUrl) && response.request().method() === 'POST') {
      codecCalls.push({ status: response.status(), cors: response.headers()['access-control-allow-origin'] });
    }
  });
  if (withoutCodec) {
    await page.route('**/api/v1/settings*', async (route) => {
      const response = await route.fetch();
      const settings = await response.json();
      settings.Codec = { ...settings.Codec, Endpoint: '' };
      await route.fulfill({ response, json: settings });
    });
  }
  try {
    await page.goto(`${uiUrl}/namespaces/${namespace}/workflows/${encodeURIComponent(workflowId)}`);
    await page.getByTestId('workflow-id-heading').waitFor();
    // The Input panel renders once the payloads are decoded (or found undecodable): wait for the expected text.
    await page.waitForFunction((text) => document.body.innerText.includes(text), shown);
    const body = await page.locator('body').innerText();
    // The panel's text: between its "Input" and "Result" headings.
    const start = body.indexOf('\nInput\n');
    const end = body.indexOf('\nResult\n', start);
    await page.screenshot({ path: path.join(outDir, screenshot) });
    return { codecCalls, body, input: start >= 0 ? body.slice(start + 7, end > start ? end : start + 600) : '' };
  } finally {
    await context.close();
  }
}

async function main(browser) {
  const settings = await (await fetch(`${uiUrl}/api/v1/settings`)).json();
  result.ui_codec_endpoint = settings.Codec?.Endpoint;
  check(result.ui_codec_endpoint?.replace(/\/$/, '') === codecUrl,
    `the UI is configured with the codec server (its settings name ${JSON.stringify(result.ui_codec_endpoint)})`);

  const decoded = await openRun(browser, false, plaintext, 'codec-decoded-input.png');
  result.decoded = { input: decoded.input, codec_calls: decoded.codecCalls };
  check(decoded.input.includes(plaintext), `the Input panel shows the decoded spec: ${decoded.input}`);
  const decodes = decoded.codecCalls.filter((call) => call.path?.endsWith('/decode') && call.method === 'POST');
  check(decodes.length > 0 && decodes.every((call) => call.namespace === namespace),
    `the browser POSTed to the codec server's /decode with X-Namespace ${namespace}: ${JSON.stringify(decoded.codecCalls)}`);
  check(decoded.codecCalls.some((call) => call.status === 200 && call.cors === new URL(uiUrl).origin),
    `the codec server answered 200 with CORS for the UI's origin: ${JSON.stringify(decoded.codecCalls)}`);

  const locked = await openRun(browser, true, ciphertext, 'codec-off-encrypted-input.png');
  result.without_codec = { input: locked.input, codec_calls: locked.codecCalls };
  check(!locked.body.includes(plaintext), `without the codec the page shows no plaintext: ${locked.input}`);
  check(locked.input.includes(ciphertext.slice(0, 40)), `without the codec the Input panel shows the ciphertext: ${locked.input}`);
  check(locked.codecCalls.length === 0, `without the codec nothing calls the codec server: ${JSON.stringify(locked.codecCalls)}`);
}

const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
let code = 0;
try {
  await main(browser);
  result.passed = true;
} catch (error) {
  code = 1;
  result.passed = false;
  result.error = String(error?.stack || error);
  console.error(`check-codec-in-ui: ${error?.message || error}`);
} finally {
  fs.writeFileSync(path.join(outDir, 'codec-result.json'), JSON.stringify(result, null, 2));
  await browser.close().catch(() => {});
}
process.exit(code);
