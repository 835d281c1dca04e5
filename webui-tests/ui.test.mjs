// Browser test of the Unmask web UI against a running server (started by UiBrowserTest in standalone/).
//   node webui-tests/ui.test.mjs BASE_URL API_KEY SCREENSHOT_DIR
// Needs Debian's chromium at $CHROMIUM (default /usr/bin/chromium) and playwright-core (npm install here).
// The server must hold a dataset named "broken" whose file was deleted (a training on it fails).
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const [baseUrl, apiKey, shots] = process.argv.slice(2);
if (!baseUrl || !apiKey || !shots) {
  console.error('usage: node ui.test.mjs BASE_URL API_KEY SCREENSHOT_DIR');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'unmask-ui-chromium-'));
const TIMEOUT = 60_000;
const TRAINING = 180_000; // 20 steps take seconds on an idle CI machine, minutes on a loaded one
const started = Date.now();

function corpus() {
  const words = ['the', 'jury', 'said', 'a', 'court', 'of', 'law', 'in', 'morning', 'she', 'looked', 'at', 'city', 'and', 'river'];
  const lines = [];
  for (let i = 0; i < 120; i++) {
    lines.push(Array.from({ length: 12 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' ') + '.');
  }
  return lines.join('\n') + '\n';
}

async function step(name, body) {
  const t = Date.now();
  await body();
  console.log(`ok  ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}

// A new empty profile (--user-data-dir) per run: Playwright passes it for a persistent context.
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 900 },
  acceptDownloads: true,
});
context.setDefaultTimeout(TIMEOUT);
// Records every mask count a canvas shows: frames of a tiny model can come faster than the test could poll.
await context.addInitScript(() => {
  window.__masked = {};
  new MutationObserver((records) => {
    for (const r of records) {
      const pane = r.target.closest('[data-job]');
      const key = pane ? pane.dataset.job : 'page';
      (window.__masked[key] ??= []).push(Number(r.target.dataset.masked));
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-masked'] });
});
const page = context.pages()[0] ?? await context.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
page.on('console', (m) => { if (m.type() === 'error' && !/the server responded with a status of 4\d\d/.test(m.text())) errors.push(`console: ${m.text()}`); });
const nav = (name) => page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name });
const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

let trainJob;
let exitCode = 0;
try {
  await step('a wrong key shows the 401 problem', async () => {
    await page.goto(baseUrl);
    await page.getByLabel('API key').fill('not-the-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Sign-in failed' }).waitFor();
    assert.match(await page.getByRole('alert').innerText(), /API key/i);
    await shot('01-sign-in-rejected');
  });

  await step('sign in; the key is kept in sessionStorage only', async () => {
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Playground' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('unmask.apiKey')), apiKey);
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    await page.getByText('No trained or registered model yet').waitFor();
  });

  await step('upload a dataset with a progress bar; a bad NDJSON file shows its line errors', async () => {
    await nav('Datasets').click();
    await page.getByLabel('Corpus file').setInputFiles({ name: 'bad.jsonl', mimeType: 'application/x-ndjson',
      buffer: Buffer.from('{"text": "fine"}\n{"text": oops}\n[1]\n') });
    await page.getByRole('button', { name: 'Upload' }).click();
    const alert = page.locator('#upload-message [role=alert]');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /line 2/);
    assert.match(text, /line 3/);
    await shot('02-datasets-line-errors');
    await page.getByLabel('Corpus file').setInputFiles({ name: 'tiny.txt', mimeType: 'text/plain', buffer: Buffer.from(corpus()) });
    await page.getByLabel('Name', { exact: true }).fill('tiny-corpus');
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.locator('#upload-message').getByText('Uploaded tiny-corpus: 120 documents').waitFor();
    assert.equal(await page.locator('#upload-progress').evaluate((p) => p.value), 1);
    await page.locator('#datasets-table').getByRole('cell', { name: 'tiny-corpus' }).waitFor();
    await shot('03-datasets');
  });

  await step('train through the form; the loss and learning-rate curves draw', async () => {
    await page.locator('#datasets-table tr', { hasText: 'tiny-corpus' }).getByRole('link', { name: 'Train' }).click();
    await page.getByRole('heading', { name: 'Train a model' }).waitFor();
    // the fields come from the served schema (generated from the parameter description), not from copies
    const hyper = await page.evaluate(() => fetch('/openapi.json').then((r) => r.json())
      .then((doc) => doc.components.schemas.TrainHyperparameters.properties));
    assert.equal(await page.locator('#train-batch_size').getAttribute('max'), String(hyper.batch_size.maximum));
    assert.equal(await page.locator('#train-batch_size').getAttribute('placeholder'), String(hyper.batch_size.default));
    assert.equal(await page.locator('#train-warmup_steps').getAttribute('placeholder'), hyper.warmup_steps['x-default']);
    await page.getByLabel('Base model').selectOption('preset:tiny');
    await page.locator('#train-dataset').selectOption({ label: 'tiny-corpus (120 documents)' });
    await page.getByLabel('Output name').fill('ui-tiny');
    await page.getByLabel('Steps', { exact: true }).fill('20');
    await page.getByLabel('Batch size').fill('4');
    await page.getByLabel('Sequence length').fill('32');
    await page.getByText('Advanced hyperparameters').click();
    await page.getByLabel('Vocabulary size (from scratch)').fill('300');
    await page.getByLabel('Eval samples').fill('0');
    await page.getByLabel('Checkpoint every (0 = final only)').fill('10');
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.waitForURL(/#\/jobs\/[0-9a-f-]{36}$/);
    trainJob = page.url().split('/').pop();
    await page.waitForFunction(() => Number(document.querySelector('#loss-chart')?.dataset.points) >= 2, null, { timeout: TRAINING });
    await shot('04-training-running');
    await page.waitForFunction(() => document.querySelector('main').dataset.status === 'succeeded', null, { timeout: TRAINING });
    assert.ok(Number(await page.locator('#lr-chart').getAttribute('data-points')) >= 2);
    await page.locator('#checkpoints tbody tr').first().waitFor();
    await page.locator('#generate-from-model').waitFor();
    await shot('05-training-done');
  });

  await step('generate from a checkpoint, two strategies side by side: frames unmask, final text', async () => {
    await page.locator('#checkpoints tbody tr').first().getByRole('button', { name: 'Generate from this checkpoint' }).click();
    await page.waitForURL(/#\/playground\?model=/);
    const model = new URL(page.url()).hash.split('model=')[1];
    await page.waitForFunction((id) => document.querySelector('#pg-model')?.value === id, model);
    await page.getByLabel('Prompt', { exact: true }).fill('the jury said');
    await page.getByLabel('Strategy', { exact: true }).selectOption('topk');
    await page.getByLabel('Steps', { exact: true }).fill('8');
    await page.getByLabel('Temperature').fill('0.8');
    await page.getByLabel('Length (max_tokens)').fill('24');
    await page.getByLabel('Seed', { exact: true }).fill('1');
    await page.getByLabel('Compare with a second strategy').check();
    await page.getByLabel('Second strategy', { exact: true }).selectOption('refine');
    await page.getByRole('button', { name: 'Generate' }).click();
    const panes = page.locator('#panes section[data-job]');
    await page.waitForFunction(() => document.querySelectorAll('#panes section[data-status="succeeded"]').length === 2);
    assert.equal(await panes.count(), 2);
    const trails = await page.evaluate(() => window.__masked);
    for (const id of await panes.evaluateAll((els) => els.map((e) => e.dataset.job))) {
      const trail = trails[id] ?? [];
      assert.ok(trail.length >= 2, `pane ${id}: at least two frames, saw ${JSON.stringify(trail)}`);
      assert.ok(trail[0] > 0, `pane ${id}: the first frame has masks: ${JSON.stringify(trail)}`);
      assert.equal(trail.at(-1), 0, `pane ${id}: nothing masked at the end`);
      for (let i = 1; i < trail.length; i++) assert.ok(trail[i] <= trail[i - 1], `pane ${id}: masks only decrease: ${JSON.stringify(trail)}`);
    }
    const finals = await page.locator('#panes .final-text p').allInnerTexts();
    assert.equal(finals.length, 2);
    assert.ok(finals.every((t) => t.trim().length > 0), 'final texts are not empty');
    await page.locator('#panes .final-text').first().getByRole('button', { name: 'Copy' }).click();
    await page.locator('#panes .final-text').first().getByRole('button', { name: 'Copied' }).waitFor();
    await shot('06-playground-compare');
  });

  await step('the job page replays a generation; the slider shows the mask chips of step 1', async () => {
    const id = await page.locator('#panes section[data-job]').first().getAttribute('data-job');
    await page.goto(`${baseUrl}/#/jobs/${id}`);
    await page.locator('#job-result .final-text').waitFor();
    await page.waitForFunction(() => Number(document.querySelector('.denoise')?.dataset.frames) >= 2);
    await page.waitForFunction(() => document.querySelector('.denoise .canvas')?.dataset.masked === '0');
    await page.getByLabel('Replay step').fill('1');
    assert.ok(Number(await page.locator('.denoise .canvas').getAttribute('data-masked')) > 0, 'step 1 still has masks');
    assert.ok(await page.locator('.denoise .canvas .chip').count() > 0, 'masked positions are drawn as chips');
    await page.getByLabel('Show every progress and frame event').check();
    assert.ok(await page.locator('#job-events tr[data-kind=frame]').count() >= 2);
    await shot('07-generate-job');
  });

  await step('a failing training shows its error', async () => {
    await page.goto(`${baseUrl}/#/models`);
    await page.locator('#train-dataset').selectOption({ label: 'broken (1 documents)' });
    await page.getByLabel('Steps', { exact: true }).fill('20');
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.waitForURL(/#\/jobs\/[0-9a-f-]{36}$/);
    await page.waitForFunction(() => document.querySelector('main').dataset.status === 'failed');
    await page.locator('#job-error [role=alert]', { hasText: 'dataset_missing' }).waitFor();
    await shot('08-failed-job');
  });

  await step('jobs table: filters and live rows', async () => {
    await nav('Jobs').click();
    await page.locator('#jobs-table tbody tr[data-job]').nth(3).waitFor();
    await page.getByLabel('Status').selectOption('failed');
    await page.waitForURL(/status=failed/);
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('#jobs-table tbody tr[data-job]')];
      return rows.length === 1 && rows[0].dataset.status === 'failed';
    });
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Type').selectOption('generate');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('#jobs-table tbody tr[data-job]')];
      return rows.length === 2 && rows.every((r) => r.children[1].textContent === 'generate');
    });
    await page.getByLabel('Type').selectOption('');
    await page.locator('#jobs-table tbody tr[data-job]').nth(3).waitFor();
    await shot('09-jobs');
  });

  await step('cancel a long training from the jobs table', async () => {
    const id = await page.evaluate(async (key) => {
      const datasets = await (await fetch('/v1/datasets', { headers: { Authorization: `Bearer ${key}` } })).json();
      const dataset = datasets.datasets.find((d) => d.name === 'tiny-corpus').id;
      const res = await fetch('/v1/jobs', { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'train', model: 'preset:tiny', dataset, hyperparameters: { steps: 100000, batch_size: 4, seq_len: 32, vocab_size: 300 } }) });
      return (await res.json()).id;
    }, apiKey);
    const row = page.locator(`#jobs-table tr[data-job="${id}"]`);
    await row.getByRole('button', { name: `Cancel job ${id}` }).click();
    await page.locator(`#jobs-table tr[data-job="${id}"][data-status="cancelled"]`).waitFor();
  });

  await step('models: download a trained model file with the key', async () => {
    await nav('Models').click();
    const row = page.locator('#models-table tr[data-kind=trained]', { hasText: 'ui-tiny' });
    await row.getByRole('button', { name: 'Files' }).click();
    const downloading = page.waitForEvent('download');
    await row.getByRole('button', { name: 'Download config.json' }).click();
    const download = await downloading;
    assert.equal(download.suggestedFilename(), 'config.json');
    const body = JSON.parse(await streamText(await download.createReadStream()));
    assert.ok(body.vocab_size > 0, 'config.json has a vocab_size');
    await shot('10-models');
  });

  await step('compare: a GPT-2 trained on the same dataset beside the diffusion model, both curves, one prompt by both', async () => {
    const gpt2 = await page.evaluate(async (key) => {
      const auth = { Authorization: `Bearer ${key}` };
      const datasets = await (await fetch('/v1/datasets', { headers: auth })).json();
      const dataset = datasets.datasets.find((d) => d.name === 'tiny-corpus').id;
      const res = await fetch('/v1/jobs', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'train', model: 'preset:gpt2-tiny', dataset, output_name: 'ui-gpt2',
          hyperparameters: { steps: 20, batch_size: 4, seq_len: 32, vocab_size: 300, eval_samples: 1, checkpoint_every: 0 } }) });
      return (await res.json()).id;
    }, apiKey);
    // polled from here: waitForFunction takes a returned promise as a truthy value, not its result
    let done = null;
    for (const until = Date.now() + TRAINING; !done && Date.now() < until;) {
      const job = await page.evaluate(async ({ id, key }) =>
        (await fetch(`/v1/jobs/${id}`, { headers: { Authorization: `Bearer ${key}` } })).json(), { id: gpt2, key: apiKey });
      if (['succeeded', 'failed', 'cancelled'].includes(job.status)) {
        done = job;
      } else {
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    assert.ok(done, `the GPT-2 training ${gpt2} ended within ${TRAINING} ms`);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    const diffusion = await page.evaluate(async (key) => {
      const { models } = await (await fetch('/v1/models', { headers: { Authorization: `Bearer ${key}` } })).json();
      return models.find((m) => m.name === 'ui-tiny').id;
    }, apiKey);
    await page.goto(`${baseUrl}/#/compare?a=${diffusion}&b=${done.result.model}`);
    await page.getByRole('heading', { name: 'Compare' }).waitFor();
    await page.waitForFunction(() => {
      const chart = document.querySelector('#compare-chart');
      return Number(chart?.dataset.points0) >= 2 && Number(chart?.dataset.points1) >= 2;
    });
    assert.equal(await page.locator('#compare-chart polyline').count(), 2, 'one loss curve per model');
    const held = page.locator('#cmp-numbers tr[data-row="Held-out perplexity"] td');
    await page.waitForFunction(() => /exact/.test(document.querySelector('#cmp-numbers tr[data-row="Held-out perplexity"]')?.textContent ?? ''));
    assert.match(await held.nth(1).innerText(), /\(exact\)/);
    assert.equal(await page.locator('#cmp-numbers tr[data-row="Steps"] td').allInnerTexts().then((t) => t.join(' ')), '20 20');
    await page.getByLabel('Prompt', { exact: true }).fill('the jury said');
    await page.getByLabel('Length (max_tokens)').fill('12');
    await page.getByLabel('Steps', { exact: true }).fill('4');
    await page.getByLabel('Seed', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Write with both' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#cmp-panes section[data-status="succeeded"]').length === 2);
    const finals = await page.locator('#cmp-panes .final-text p').allInnerTexts();
    assert.equal(finals.length, 2, 'a text from each model');
    assert.ok(finals.every((t) => t.includes('jury') && t.trim().length > 'the jury said'.length), JSON.stringify(finals));
    const lines = await page.locator('#cmp-panes .stepline').allInnerTexts();
    assert.ok(/ of 4 /.test(lines[0]) && / of 12 /.test(lines[1]),
      `each pane counts its own steps, diffusion 4 denoising steps, GPT-2 12 tokens: ${JSON.stringify(lines)}`);
    const hints = await page.locator('#cmp-panes section > p.hint').allInnerTexts();
    assert.ok(/^refine · 4 steps/.test(hints[0]) && /^left to right · /.test(hints[1]), JSON.stringify(hints));
    await shot('15-compare');
  });

  await step('the API page is generated from /openapi.json', async () => {
    await nav('API').click();
    await page.getByRole('heading', { name: 'API reference' }).waitFor();
    await page.getByRole('heading', { name: 'POST /v1/jobs', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'GET /v1/jobs/{id}/events', exact: true }).waitFor();
    assert.ok(await page.getByText('validation_failed').count() > 0, 'the error codes are listed');
    await shot('14-api-reference');
  });

  await step('phone width: pages fit, the keyboard reaches the navigation', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [route, name] of [['#/playground', '11-phone-playground'], ['#/jobs', '12-phone-jobs'], [`#/jobs/${trainJob}`, '13-phone-training'], ['#/compare', '16-phone-compare']]) {
      await page.goto(`${baseUrl}/${route}`);
      await page.locator('main h1').waitFor();
      if (route.includes(trainJob)) await page.waitForFunction(() => Number(document.querySelector('#loss-chart')?.dataset.points) >= 2);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${route} is wider than the phone screen by ${overflow}px`);
      await shot(name);
    }
    await page.reload();
    await page.locator('main h1').waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Playground');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Playground' }).waitFor();
  });

  assert.deepEqual(errors, [], 'no script errors in the page');
  console.log(`UI test passed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${shots}`);
} catch (e) {
  exitCode = 1;
  console.error(`UI test FAILED: ${e.stack ?? e}`);
  if (errors.length) console.error(errors.join('\n'));
  await page.screenshot({ path: join(shots, 'failure.png'), fullPage: true }).catch(() => {});
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(exitCode);

async function streamText(stream) {
  const chunks = [];
  for await (const c of stream) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}
