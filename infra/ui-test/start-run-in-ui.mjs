// Browser test of the Temporal Web UI with a TPO run, as a user does it: fill the Start Workflow form with a run
// spec, start the run, follow it on its page, then audit it: every step of the run and of each child iteration
// workflow must be shown with its summary. Drives Debian's Chromium through playwright-core (Playwright's own
// browser download is not used). Run by the JUnit test UiBrowserTest, which starts the real server and a worker
// and then compares what this script read from the UI with `tpo history`.
//
// Environment:
//   TPO_UI_URL          the Web UI, e.g. http://127.0.0.1:18233 (required)
//   TPO_SPEC            the run spec, a JSON file (required)
//   TPO_WORKFLOW_ID     the run's workflow id (default ui-run-<time>)
//   TPO_OUT             folder for the screenshots and ui-result.json (default ./ui-test-output)
//   TPO_RUN_TIMEOUT_S   how long the run may take (default 600)
//   TPO_TASK_QUEUE      the control task queue (default tpo-control)
//   TPO_NAMESPACE       (default default)
//   TPO_CHROMIUM        the browser (default /usr/bin/chromium)
// Exit status 0 when every check passed; 1 with the failed check on stderr (and failure.png in TPO_OUT).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const uiUrl = required('TPO_UI_URL').replace(/\/$/, '');
const specPath = required('TPO_SPEC');
const workflowId = process.env.TPO_WORKFLOW_ID || `ui-run-${Date.now()}`;
const outDir = path.resolve(process.env.TPO_OUT || 'ui-test-output');
const runTimeoutMs = Number(process.env.TPO_RUN_TIMEOUT_S || 600) * 1000;
const taskQueue = process.env.TPO_TASK_QUEUE || 'tpo-control';
const namespace = process.env.TPO_NAMESPACE || 'default';
const chromiumPath = process.env.TPO_CHROMIUM || '/usr/bin/chromium';
const WORKFLOW_TYPE = 'TpoRunWorkflow';

const specText = fs.readFileSync(specPath, 'utf8');
const spec = JSON.parse(specText);
const runSummary = `TPO run ${spec.name || workflowId}, started from the Web UI`;
fs.mkdirSync(outDir, { recursive: true });
const result = { workflow_id: workflowId, ui_url: uiUrl, screenshots: {}, workflows: [] };

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`start-run-in-ui: ${name} is not set`);
    process.exit(2);
  }
  return value;
}

function check(condition, message) {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
}

function log(message) {
  console.log(`[ui-test ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A fresh profile each time: no cookies, cached UI settings or codec endpoints from an earlier run.
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tpo-ui-test-profile-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: true,
  viewport: { width: 1440, height: 1600 },  // tall enough for a whole iteration's timeline
  // --no-sandbox: CI runs as root in a container. The rest stop Chromium's own traffic (updates, sync, QUIC); the
  // UI's calls to other hosts (its news feed) fail harmlessly on a machine without the internet.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(30_000);

// The UI server's HTTP API, the same one the UI pages read (no proxy, no auth on the dev server).
async function api(pathAndQuery) {
  const response = await page.request.get(`${uiUrl}/api/v1/namespaces/${namespace}${pathAndQuery}`);
  check(response.ok(), `GET ${pathAndQuery} answered ${response.status()}: ${await response.text()}`);
  return response.json();
}

async function describe(id) {
  return (await api(`/workflows/${encodeURIComponent(id)}`)).workflowExecutionInfo;
}

async function history(id) {
  const events = [];
  let token = '';
  do {
    const query = token ? `?nextPageToken=${encodeURIComponent(token)}` : '';
    const pageOfEvents = await api(`/workflows/${encodeURIComponent(id)}/history${query}`);
    events.push(...(pageOfEvents.history?.events ?? []));
    token = pageOfEvents.nextPageToken || '';
  } while (token);
  return events;
}

// A user-metadata payload (summary, details) as the text the UI shows: json/plain holds a JSON string.
function payloadText(payload) {
  if (!payload?.data) {
    return null;
  }
  const text = Buffer.from(payload.data, 'base64').toString('utf8');
  try {
    const value = JSON.parse(text);
    return typeof value === 'string' ? value : text;
  } catch {
    return text;
  }
}

// Why a workflow failed, from its closing event, for the error message; empty when it did not fail.
async function failure(id) {
  const events = await history(id).catch(() => []);
  const failed = events.at(-1)?.workflowExecutionFailedEventAttributes?.failure;
  return failed ? `: ${failed.message}${failed.cause ? ` (cause: ${failed.cause.message})` : ''}` : '';
}

// The UI scrolls inside its own panels, so a screenshot is the (tall) viewport.
async function shoot(name, tab = page) {
  const file = path.join(outDir, name);
  await tab.screenshot({ path: file });
  result.screenshots[name.replace(/\.png$/, '')] = file;
  log(`screenshot ${file}`);
}

async function statusShown(tab = page) {
  return (await tab.getByTestId('execution-status').first().innerText()).trim().toUpperCase();
}

// Opens a workflow's page (its latest run) on the given tab of the page and returns the run's base URL.
async function openWorkflow(id, tab, on = page) {
  // The UI finds a workflow's latest run by id; a child started a moment ago may not be found at once (404).
  for (let attempt = 1; ; attempt++) {
    await on.goto(`${uiUrl}/namespaces/${namespace}/workflows/${encodeURIComponent(id)}`);
    try {
      await on.waitForURL(/\/namespaces\/[^/]+\/workflows\/[^/]+\/[^/]+\/[a-z-]+/, { timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt === 6) {
        throw new Error(`the UI did not open workflow ${id}: ${error.message}`);
      }
    }
  }
  const base = on.url().replace(/\/[a-z-]+(\?.*)?$/, '');
  if (tab !== 'timeline' || !on.url().includes('/timeline')) {
    await on.goto(`${base}/${tab}`);
  }
  await on.getByTestId('workflow-id-heading').waitFor();
  return base;
}

// Pairs each activity with one shown item (a history row) holding its type and its summary;
// fails naming the first activity without one, and when items of the workflow's activity types are left over.
function matchOneToOne(id, what, activities, shown) {
  const types = new Set(activities.map((a) => a.type));
  const ofType = (item, type) => new RegExp(`(^|\\W)${type}(\\W|$)`).test(item);
  const left = shown.filter((item) => [...types].some((type) => ofType(item, type)));
  for (const activity of activities) {
    check(activity.summary, `${id}: activity ${activity.type} has a summary`);
    const at = left.findIndex((item) => ofType(item, activity.type) && item.includes(activity.summary));
    check(at >= 0, `${id}: a ${what} shows ${activity.type} with its summary "${activity.summary}"`
      + ` (${what}s left: ${JSON.stringify(left.map((item) => item.replace(/\s+/g, ' ').slice(0, 120)))})`);
    left.splice(at, 1);
  }
  check(left.length === 0, `${id}: no ${what} beyond the history's activities: ${JSON.stringify(left)}`);
}

// Polls until `reached()` says so; fails when the run closes first (naming its failure) or the deadline passes.
async function waitForRun(deadline, what, reached) {
  while (!(await reached())) {
    const info = await describe(workflowId);
    check(info.status === 'WORKFLOW_EXECUTION_STATUS_RUNNING',
      `the run was still running when waiting for ${what} (it is ${info.status}${await failure(workflowId)})`);
    check(Date.now() < deadline, `${what} within ${runTimeoutMs / 1000} s`);
    await sleep(500);
  }
}

// The UI's markdown (summary, details, current details) reads typographically: "1/2" becomes "1⁄2".
function normalize(text) {
  return text.replace(/\u2044/g, '/').replace(/\s+/g, ' ').trim();
}

// The rendered markdown frames of the User Metadata tab: their texts, and their tables as rows keyed by header.
async function renderedMetadata() {
  await page.getByText('Current Details').first().waitFor();
  const frames = page.locator('iframe[src*="/render"]');
  await frames.first().waitFor({ state: 'attached' });
  const texts = [];
  const tables = [];
  for (let i = 0; i < (await frames.count()); i++) {
    const body = page.frameLocator('iframe[src*="/render"]').nth(i).locator('body');
    await body.waitFor({ state: 'attached' });
    texts.push(normalize(await body.innerText()));
    tables.push(...await body.locator('table').evaluateAll((all) => all.map((table) => {
      const cells = (row) => [...row.querySelectorAll('th,td')].map((c) => c.textContent.replace(/\u2044/g, '/').trim());
      const [head, ...rows] = [...table.querySelectorAll('tr')].map(cells);
      return rows.map((row) => Object.fromEntries(head.map((h, k) => [h || `column${k}`, row[k]])));
    })));
  }
  return { texts, tables };
}

async function main() {
  // 1. The Start Workflow form.
  log(`opening ${uiUrl}/namespaces/${namespace}/workflows/start-workflow`);
  await page.goto(`${uiUrl}/namespaces/${namespace}/workflows/start-workflow`);
  await page.getByTestId('workflowId').fill(workflowId);
  await page.getByTestId('taskQueue').fill(taskQueue);
  await page.getByTestId('workflowType').fill(WORKFLOW_TYPE);
  // The form looks the queue up once its field loses focus: a worker polls it, so the UI must say so.
  await page.getByText('Task Queue is Active').waitFor({ timeout: 60_000 });
  const editor = page.locator('.cm-content').first();  // the input's editor; summary and details come later
  await editor.click();
  // insertText, not typing: the editor closes brackets and quotes by itself as keys are typed.
  await page.keyboard.insertText(specText);
  // The form takes the editor's text when the editor loses focus; without this, Start sends no input.
  await page.getByRole('heading', { name: 'Start Workflow' }).click();
  const editorText = await editor.innerText();
  check(JSON.stringify(JSON.parse(editorText)) === JSON.stringify(spec),
    'the input editor holds the spec as given');
  // The run's summary, under More options: the one line the UI shows for the run (the workflow cannot set its
  // own static summary; `tpo start` sets the same kind of line).
  await page.getByRole('button', { name: 'More options' }).click();
  const summaryEditor = page.locator('label[for="summary"] + div .cm-content');
  await summaryEditor.click();
  await page.keyboard.insertText(runSummary);
  await page.getByRole('heading', { name: 'Start Workflow' }).click();
  check((await summaryEditor.innerText()).trim() === runSummary, 'the summary editor holds the summary');
  await editor.evaluate((el) => { el.closest('.cm-scroller').scrollTop = 0; });  // the spec's first lines in view
  const start = page.getByTestId('start-workflow-button').last();
  check(await start.isEnabled(), 'Start Workflow is enabled once the form is filled');
  await shoot('01-start-form-filled.png');
  await start.click();
  // The toast links to the new run: follow it as a user would.
  await page.getByRole('link', { name: 'Workflow started successfully' }).click();
  await page.getByTestId('workflow-id-heading').filter({ hasText: workflowId }).waitFor();
  log(`started ${workflowId}`);

  // 2. The run while it runs, in two tabs that refresh themselves while a workflow runs, so no page load stands
  //    between the moment and its capture: this tab stays on the run and is captured once it shows the first
  //    iteration workflow; a second tab opens that iteration and is captured during training (the longest step).
  //    The checks make sure both showed RUNNING. On a slow machine an iteration may be over before its page is
  //    ready: then the next one is used.
  const iterations = Number(spec.iterations ?? 1);
  const deadline = Date.now() + runTimeoutMs;
  const childStarted = (k) => async () => (await history(workflowId)).some((e) =>
    e.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId === `${workflowId}-iter-${k}`);
  await waitForRun(deadline, 'its first iteration workflow to start', childStarted(1));
  const iterationTab = await context.newPage();
  const iterationOpened = openWorkflow(`${workflowId}-iter-1`, 'timeline', iterationTab);
  await page.locator('button[aria-label^="Event TpoIterationWorkflow:"]').first().waitFor({ state: 'attached' });
  result.running_status_shown = await statusShown();
  await shoot('02-running-run-timeline.png');
  check(result.running_status_shown === 'RUNNING',
    `the run's page showed it running when captured (it showed ${result.running_status_shown}${await failure(workflowId)})`);
  await iterationOpened;
  for (let k = 1; k <= iterations && result.running_iteration_status_shown !== 'RUNNING'; k++) {
    const iterationId = `${workflowId}-iter-${k}`;
    if (k > 1) {
      await waitForRun(deadline, `iteration ${k} to start`, childStarted(k));
      await openWorkflow(iterationId, 'timeline', iterationTab);
    }
    let trains = false;
    await waitForRun(deadline, `iteration ${k} to train or end`, async () => {
      trains = (await history(iterationId))
        .some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'Train');
      return trains || (await describe(iterationId)).status !== 'WORKFLOW_EXECUTION_STATUS_RUNNING';
    });
    if (trains) {
      // Each timeline row is a button labelled "Event <type>: <state>" (its text: "<type> • <summary>").
      await iterationTab.locator('button[aria-label^="Event Train:"]').first().waitFor({ state: 'attached' });
    }
    result.running_iteration_status_shown = await statusShown(iterationTab);
    result.running_iteration = iterationId;
    log(`${iterationId}: ${result.running_iteration_status_shown} when captured`);
  }
  await shoot('03-running-iteration-timeline.png', iterationTab);
  await iterationTab.close();
  check(result.running_iteration_status_shown === 'RUNNING',
    `an iteration's page showed it running when captured (the last showed ${result.running_iteration_status_shown})`);

  // 3. Wait for the end, through the API the UI reads.
  let info;
  while (true) {
    info = await describe(workflowId);
    if (info.status !== 'WORKFLOW_EXECUTION_STATUS_RUNNING') {
      break;
    }
    check(Date.now() < deadline, `the run ended within ${runTimeoutMs / 1000} s`);
    await sleep(1000);
  }
  result.status = info.status.replace('WORKFLOW_EXECUTION_STATUS_', '');
  log(`run ended: ${result.status}`);

  // 4. Audit every workflow of the run on its page: the run first, then each iteration it started.
  const ids = [workflowId];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    const events = await history(id);
    const started = events[0].workflowExecutionStartedEventAttributes;
    const entry = {
      workflow_id: id,
      workflow_type: started.workflowType.name,
      summary: payloadText(events[0].userMetadata?.summary),
      activities: [],
      event_count: events.length,
    };
    const byScheduled = new Map();
    for (const e of events) {
      if (e.startChildWorkflowExecutionInitiatedEventAttributes) {
        ids.push(e.startChildWorkflowExecutionInitiatedEventAttributes.workflowId);
      }
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled) {
        const activity = { type: scheduled.activityType.name, summary: payloadText(e.userMetadata?.summary),
          outcome: 'scheduled' };
        byScheduled.set(String(e.eventId), activity);
        entry.activities.push(activity);
      }
      for (const [key, outcome] of [['activityTaskCompletedEventAttributes', 'completed'],
        ['activityTaskFailedEventAttributes', 'failed'], ['activityTaskTimedOutEventAttributes', 'timed_out'],
        ['activityTaskCanceledEventAttributes', 'canceled']]) {
        if (e[key]) {
          byScheduled.get(String(e[key].scheduledEventId)).outcome = outcome;
        }
      }
    }
    entry.status = (await describe(id)).status.replace('WORKFLOW_EXECUTION_STATUS_', '');

    // Each activity once in the compact event history, as a row with its type and summary, matched one to one
    // (the timeline only renders the rows in view, so the history table is what is counted).
    await openWorkflow(id, 'history');
    entry.status_shown = await statusShown();
    check(entry.status_shown === entry.status, `${id}: the page shows ${entry.status} (it shows ${entry.status_shown})`);
    await page.getByText('Compact', { exact: true }).click();
    const perPage = page.locator('#per-page-filter');
    if (await perPage.count()) {
      await perPage.selectOption('500');
    }
    const rows = page.locator('tr').filter({ hasText: 'Activity Type' });
    const lastType = entry.activities.at(-1)?.type;
    if (lastType) {
      await rows.filter({ hasText: lastType }).first().waitFor();
    }
    matchOneToOne(id, 'history row', entry.activities, await rows.allInnerTexts());
    if (i === 1) {
      await shoot('05-finished-iteration-history.png');
    }
    const counted = {};
    for (const activity of entry.activities) {
      counted[activity.type] = (counted[activity.type] ?? 0) + 1;
    }
    entry.activity_counts = counted;

    // The User Metadata tab: the workflow's summary and its current details, a markdown progress table (the
    // iteration's steps, or the run's iterations), which the UI renders in frames.
    await openWorkflow(id, 'user-metadata');
    // Current details come from a query that a worker answers (replaying a closed workflow first): poll a while.
    let rendered = await renderedMetadata();
    for (let tries = 0; tries < 60 && !rendered.tables.some((rows) => rows.length && 'state' in rows[0]); tries++) {
      await sleep(1000);
      rendered = await renderedMetadata();
    }
    if (entry.summary) {
      check(rendered.texts.some((text) => text.includes(normalize(entry.summary))),
        `${id}: User Metadata shows the summary "${entry.summary}" (it shows ${JSON.stringify(rendered.texts)})`);
    }
    entry.progress = rendered.tables.find((rows) => rows.length && 'state' in rows[0]) ?? [];
    check(entry.progress.length > 0, `${id}: User Metadata shows a progress table: ${JSON.stringify(rendered.texts)}`);
    if (entry.status === 'COMPLETED') {
      const open = entry.progress.filter((row) => !['done', 'evaluated'].includes(row.state));
      check(open.length === 0, `${id}: every row of the finished workflow's progress is done: ${JSON.stringify(open)}`);
    }
    log(`${id}: ${entry.status}, ${entry.activities.length} activities shown with their summaries, `
      + `${entry.progress.length} progress rows`);
    result.workflows.push(entry);
    if (i <= 1) {
      await shoot(i === 0 ? '07-finished-run-metadata.png' : '06-finished-iteration-metadata.png');
    }
    if (i === 1) {
      await openWorkflow(id, 'timeline');
      await page.locator(`button[aria-label^="Event ${lastType}:"]`).first().waitFor({ state: 'attached' });
      await shoot('08-finished-iteration-timeline.png');
    }
  }
  check(ids.length > 1, 'the run started at least one iteration workflow');

  // 5. The finished run's own page, last, as the user would leave it.
  await openWorkflow(workflowId, 'timeline');
  result.status_shown = await statusShown();
  await shoot('04-finished-run.png');
  check(result.status === 'COMPLETED', `the run completed (status ${result.status}${await failure(workflowId)})`);
  check(result.status_shown === 'COMPLETED', `the run's page shows COMPLETED (it shows ${result.status_shown})`);
}

let code = 0;
try {
  await main();
  result.passed = true;
} catch (error) {
  code = 1;
  result.passed = false;
  result.error = String(error?.stack || error);
  console.error(`start-run-in-ui: ${error?.message || error}`);
  await shoot('failure.png').catch(() => {});
} finally {
  fs.writeFileSync(path.join(outDir, 'ui-result.json'), JSON.stringify(result, null, 2));
  await context.close().catch(() => {});
  fs.rmSync(profile, { recursive: true, force: true });
}
process.exit(code);
