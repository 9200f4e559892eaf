#!/usr/bin/env node
// Page benchmark (`make bench`): serves the repository on 127.0.0.1, opens the page in headless
// Debian chromium and measures what a person sees, in one run so that ratios hold on a noisy
// machine. For each scenario it prints:
//   - the frame interval: the time between successive requestAnimationFrame timestamps, recorded
//     by a loop of its own in the page, so that it includes the canvas work rasterized after the
//     callbacks return (median, p95, frames per second);
//   - the callback work: the time inside the page's own frame callback (step + readouts + draw,
//     window.__gdvizFrameTimes), or inside the timeline's input handler while scrubbing;
//   - the updates per second of run 1.
//
// Scenarios:
//   (a) the default page: one full-batch run at speed 2 (learning rate 0.001 so that it is still
//       descending when the measurement ends: the drawing is the default page's);
//   (b) n = 1e6, batch 1, speed 1000, six runs (run 1, the η ladder and three added runs),
//       measured once every run's history holds 20,000 steps;
//   (c) n = 1e6, batch 1e5, speed 10, three runs (the η ladder);
//   (d) (b) with the timeline dragged back and forth, one input event a frame;
//   (e) (b) with a polynomial of degree 10 (standardized: eleven coefficients), the coefficient
//       plot drawing its eleven lines live.
// Targets (reported, never asserted): (b) and (e) median interval ≤ 1.1 × (a)'s and p95 ≤
// 1.25 × (a)'s, callback p95 ≤ 8 ms; (c) and (d) p95 interval ≤ 1.5 × (a)'s.
//
// Options: --seconds S per scenario (default 5), --only a,b,c,d,e.
// Build the page first (`make wasm`); `make bench` does.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { LAUNCH, ROOT, freePort, serve } from './headless.mjs';

const VIEWPORT = { width: 1366, height: 768 };
const HISTORY_STEPS = 20_000;

function options(argv) {
  const o = { seconds: 5, only: ['a', 'b', 'c', 'd', 'e'] };
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log('usage: node scripts/bench-page.mjs [--seconds 5] [--only a,b,c,d,e]');
    process.exit(0);
  }
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--seconds') o.seconds = Number(value);
    else if (flag === '--only') o.only = value.split(',');
    else throw new Error(`unknown option ${flag}`);
  }
  if (!(o.seconds > 0)) throw new Error('--seconds must be a positive number');
  return o;
}

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

/** The link of a scenario: the page's settings by their link keys. */
function link(base, fields) {
  const hash = Object.entries(fields).map(([k, v]) => `${k}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`);
  return `${base}#${hash.join('&')}`;
}

/** Starts the page's own interval recorder: every requestAnimationFrame timestamp. */
async function startIntervals(page) {
  await page.evaluate(() => {
    const stamps = [];
    window.__benchStamps = stamps;
    window.__benchRecording = true;
    const tick = (t) => {
      if (!window.__benchRecording) return;
      stamps.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

async function stopIntervals(page) {
  return page.evaluate(() => {
    window.__benchRecording = false;
    const s = window.__benchStamps;
    const intervals = [];
    for (let i = 1; i < s.length; i += 1) intervals.push(s[i] - s[i - 1]);
    return intervals;
  });
}

const iteration = async (page) => Number(await page.getByTestId('iteration').getAttribute('data-value'));

async function open(browser, url) {
  const page = await browser.newPage({ viewport: VIEWPORT });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  const notice = page.locator('#url-notice');
  if (await notice.isVisible()) problems.push(`link notice: ${(await notice.textContent()).trim()}`);
  await page.waitForTimeout(300); // let the static layers settle
  return { page, problems };
}

/** Plays for `seconds` and measures. */
async function measurePlay(page, seconds) {
  await page.evaluate(() => { window.__gdvizFrameTimes.length = 0; });
  const start = await iteration(page);
  const t0 = Date.now();
  await startIntervals(page);
  await page.waitForTimeout(seconds * 1000);
  const intervals = await stopIntervals(page);
  const end = await iteration(page);
  const elapsed = (Date.now() - t0) / 1000;
  const frames = await page.evaluate(() => window.__gdvizFrameTimes.map((f) => f.work));
  return summary(intervals, frames, (end - start) / elapsed);
}

/** Drags the timeline back and forth, one input event a frame, for `seconds`. */
async function measureScrub(page, seconds) {
  await startIntervals(page);
  const work = await page.evaluate((ms) => new Promise((resolve) => {
    const range = document.getElementById('timeline');
    const max = Number(range.max);
    const times = [];
    const begin = performance.now();
    const tick = (now) => {
      const phase = ((now - begin) / 2000) % 2; // 2 s one way, 2 s back
      const value = Math.round(max * (phase < 1 ? 1 - phase : phase - 1));
      range.value = String(Math.min(value, max - 1));
      const t = performance.now();
      range.dispatchEvent(new Event('input', { bubbles: true }));
      times.push(performance.now() - t);
      if (now - begin < ms) requestAnimationFrame(tick);
      else resolve(times);
    };
    requestAnimationFrame(tick);
  }), seconds * 1000);
  const intervals = await stopIntervals(page);
  return summary(intervals, work, 0);
}

function summary(intervals, work, updatesPerSecond) {
  const i = intervals.slice().sort((a, b) => a - b);
  const w = work.slice().sort((a, b) => a - b);
  const median = quantile(i, 0.5);
  return {
    frames: intervals.length,
    intervalMedian: median,
    intervalP95: quantile(i, 0.95),
    fps: intervals.length / (intervals.reduce((a, b) => a + b, 0) / 1000),
    workMedian: quantile(w, 0.5),
    workP95: quantile(w, 0.95),
    updatesPerSecond,
  };
}

async function waitForSteps(page, steps, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (await iteration(page) < steps) {
    if (Date.now() > deadline) throw new Error(`run 1 did not reach ${steps} steps in ${timeoutMs / 1000} s`);
    await page.waitForTimeout(200);
  }
}

const SIX_RUNS = [
  { learning_rate: 0.005 }, { learning_rate: 0.02 }, // the η ladder around run 1's 0.01
  { learning_rate: 0.002 },
  { learning_rate: 0.002, optimizer: { kind: 'momentum', momentum: 0.9 } },
  { learning_rate: 0.01, optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 } },
];
const LADDER = [{ learning_rate: 0.005 }, { learning_rate: 0.02 }];

async function scenarios(browser, base, o) {
  const rows = [];
  const run = async (name, description, fn) => {
    if (!o.only.includes(name)) return;
    process.stderr.write(`bench-page: scenario (${name}) ${description}\n`);
    const result = await fn();
    rows.push({ name, description, ...result });
  };

  await run('a', 'default page, speed 2', async () => {
    const { page, problems } = await open(browser, link(base, { learningRate: 0.001 }));
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    const r = await measurePlay(page, o.seconds);
    await page.close();
    return { ...r, problems };
  });

  let scrubPage = null;
  let scrubProblems = [];
  await run('b', 'n = 1e6, b = 1, speed 1000, 6 runs, histories of 20,000 steps', async () => {
    const { page, problems } = await open(browser, link(base, {
      points: 1_000_000, batchSize: 1, learningRate: 0.01, speed: 1000, runs: SIX_RUNS.map((r) => ({ batch_size: 1, ...r })),
    }));
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await waitForSteps(page, HISTORY_STEPS, 600_000);
    const r = await measurePlay(page, o.seconds);
    scrubPage = page;
    scrubProblems = problems;
    return { ...r, problems };
  });

  await run('d', '(b) with the timeline dragged back and forth', async () => {
    if (!scrubPage) throw new Error('scenario (d) needs scenario (b)');
    await scrubPage.getByRole('button', { name: 'Pause', exact: true }).click();
    const r = await measureScrub(scrubPage, o.seconds);
    return { ...r, problems: scrubProblems };
  });
  if (scrubPage) await scrubPage.close();

  await run('c', 'n = 1e6, b = 1e5, speed 10, 3 runs', async () => {
    const { page, problems } = await open(browser, link(base, {
      points: 1_000_000, batchSize: 100_000, learningRate: 0.01, speed: 10, runs: LADDER.map((r) => ({ batch_size: 100_000, ...r })),
    }));
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForTimeout(500);
    const r = await measurePlay(page, o.seconds);
    await page.close();
    return { ...r, problems };
  });

  await run('e', '(b) at degree 10, standardized, coefficient plot live', async () => {
    const { page, problems } = await open(browser, link(base, {
      points: 1_000_000, model: 'polynomial', degree: 10, standardize: '1', batchSize: 1, learningRate: 0.01, speed: 1000,
      runs: SIX_RUNS.map((r) => ({ batch_size: 1, ...r })),
    }));
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await waitForSteps(page, HISTORY_STEPS, 600_000);
    const r = await measurePlay(page, o.seconds);
    const running = await page.evaluate(() => window.gdviz.vis.reports().filter((x) => x.status === 'running').length);
    await page.close();
    return { ...r, problems: running === 6 ? problems : [...problems, `only ${running} of 6 runs still running`] };
  });
  return rows;
}

const num = (x, digits = 1, width = 8) => (Number.isFinite(x) ? x.toFixed(digits) : '-').padStart(width);

async function main() {
  const o = options(process.argv.slice(2));
  if (!existsSync(path.join(ROOT, 'www/pkg/gdviz.js'))) {
    throw new Error('www/pkg is missing: build the page first (make wasm)');
  }
  const port = await freePort();
  const server = await serve(port, 'index.html');
  const browser = await chromium.launch(LAUNCH);
  let rows;
  try {
    rows = await scenarios(browser, `http://127.0.0.1:${port}/index.html`, o);
  } finally {
    await browser.close();
    server.kill();
  }
  rows.sort((x, y) => x.name.localeCompare(y.name));
  const a = rows.find((r) => r.name === 'a');
  console.log(`\ngdviz page benchmark: headless chromium ${VIEWPORT.width}x${VIEWPORT.height}, ${o.seconds} s a scenario`);
  console.log('interval = requestAnimationFrame to requestAnimationFrame (what a person sees); '
    + 'work = inside the frame callback (the input handler for d); ms');
  console.log('scenario  frames  int med  int p95     fps  work med  work p95  updates/s   med/(a)  p95/(a)');
  for (const r of rows) {
    const ratio = (x, y) => (a ? num(x / y, 2, 8) : '       -');
    console.log(`   (${r.name})   ${String(r.frames).padStart(6)} ${num(r.intervalMedian)} ${num(r.intervalP95)} ${num(r.fps)}`
      + `  ${num(r.workMedian)}  ${num(r.workP95)} ${num(r.updatesPerSecond, 0, 10)}  ${ratio(r.intervalMedian, a?.intervalMedian)} `
      + ` ${ratio(r.intervalP95, a?.intervalP95)}   ${r.description}`);
  }
  console.log('');
  const verdict = (ok) => (ok ? 'met' : 'MISSED');
  for (const name of ['b', 'e']) {
    const b = rows.find((r) => r.name === name);
    if (a && b) {
      console.log(`(${name}) median ${num(b.intervalMedian / a.intervalMedian, 2, 0)} × (a), target ≤ 1.1: ${verdict(b.intervalMedian <= 1.1 * a.intervalMedian)}; `
        + `p95 ${num(b.intervalP95 / a.intervalP95, 2, 0)} × (a), target ≤ 1.25: ${verdict(b.intervalP95 <= 1.25 * a.intervalP95)}; `
        + `work p95 ${num(b.workP95, 2, 0)} ms, target ≤ 8: ${verdict(b.workP95 <= 8)}`);
    }
  }
  for (const name of ['c', 'd']) {
    const r = rows.find((x) => x.name === name);
    if (a && r) {
      console.log(`(${name}) p95 ${num(r.intervalP95 / a.intervalP95, 2, 0)} × (a), target ≤ 1.5: ${verdict(r.intervalP95 <= 1.5 * a.intervalP95)}`);
    }
  }
  for (const r of rows) {
    if (r.problems.length) console.log(`(${r.name}) page errors: ${r.problems.join(' | ')}`);
  }
}

main().catch((error) => {
  console.error(`bench-page: ${error.message}`);
  process.exit(1);
});
