#!/usr/bin/env node
// The soak (`make soak`): the page plays six runs at speed 1000, batch 1, n = 1e6 for
// --minutes (10) in headless Debian chromium, and every 10 s samples the WebAssembly memory,
// the live JS heap (performance.memory, precise, after a collection), run 1's updates and the median frame interval of
// the last 10 s. It prints the samples as a table and the verdicts (reported, not asserted in
// `make test`): memory and heap flat after the first minute (growth ≤ 5 %), the frame interval
// at the end within 10 % of the start, more than 1e7 updates, no console error.
//
// Options: --minutes M (default 10), --every S (default 10). Build the page first (`make wasm`).

import { chromium } from '@playwright/test';
import { LAUNCH, freePort, serve } from './headless.mjs';

function options(argv) {
  const o = { minutes: 10, every: 10 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], Number(argv[i + 1])];
    if (flag === '--minutes') o.minutes = value;
    else if (flag === '--every') o.every = value;
    else throw new Error(`unknown option ${flag} (--minutes M, --every S)`);
    if (!(value > 0)) throw new Error(`${flag} needs a positive number`);
  }
  return o;
}

const SIX_RUNS = [
  { learning_rate: 0.005 }, { learning_rate: 0.02 }, { learning_rate: 0.002 },
  { learning_rate: 0.002, optimizer: { kind: 'momentum', momentum: 0.9 } },
  { learning_rate: 0.01, optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 } },
].map((r) => ({ batch_size: 1, ...r }));

const median = (values) => {
  const v = values.slice().sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)] : NaN;
};

async function main() {
  const o = options(process.argv.slice(2));
  const port = await freePort();
  const server = await serve(port, 'index.html');
  const browser = await chromium.launch({ ...LAUNCH, args: [...LAUNCH.args, '--enable-precise-memory-info', '--js-flags=--expose-gc'] });
  const problems = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    const runs = encodeURIComponent(JSON.stringify(SIX_RUNS));
    await page.goto(`http://127.0.0.1:${port}/index.html#points=1000000&batchSize=1&learningRate=0.01&speed=1000&runs=${runs}`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.evaluate(async () => {
      window.__soakWasm = await (await import('/www/pkg/gdviz.js')).default();
      window.__soakStamps = [];
      const tick = (t) => { window.__soakStamps.push(t); requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    });
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    const samples = [];
    const started = Date.now();
    while (Date.now() - started < o.minutes * 60_000) {
      await page.waitForTimeout(o.every * 1000);
      samples.push(await page.evaluate(() => {
        const s = window.__soakStamps.splice(0);
        const intervals = [];
        for (let i = 1; i < s.length; i += 1) intervals.push(s[i] - s[i - 1]);
        intervals.sort((a, b) => a - b);
        window.gc?.(); // the live heap, not the garbage since the last collection
        return {
          wasm: window.__soakWasm.memory.buffer.byteLength,
          heap: performance.memory?.usedJSHeapSize ?? NaN,
          iteration: Number(document.querySelector('[data-testid="iteration"]').getAttribute('data-value')),
          interval: intervals.length ? intervals[Math.floor(intervals.length / 2)] : NaN,
          status: document.querySelector('[data-testid="status"]').getAttribute('data-value'),
        };
      }));
      const s = samples[samples.length - 1];
      process.stderr.write(`soak: ${((Date.now() - started) / 1000).toFixed(0)} s, ${s.iteration} updates, ${s.status}\n`);
    }
    const mb = (b) => (b / 2 ** 20).toFixed(1).padStart(8);
    console.log(`\ngdviz soak: six runs, n = 1e6, batch 1, speed 1000, ${o.minutes} min, a sample every ${o.every} s`);
    console.log('     t (s)   wasm MiB   heap MiB     updates   interval (ms)   status');
    samples.forEach((s, i) => {
      console.log(`${String((i + 1) * o.every).padStart(10)}   ${mb(s.wasm)}   ${mb(s.heap)}  ${String(s.iteration).padStart(10)}   ${s.interval.toFixed(1).padStart(13)}   ${s.status}`);
    });
    // Flat after the first minute: the largest sample after it against the first one after it.
    const settled = samples.filter((_, i) => (i + 1) * o.every > 60);
    const growth = (key) => {
      if (settled.length < 2) return NaN;
      const base = settled[0][key];
      return Math.max(...settled.map((s) => s[key])) / base - 1;
    };
    const first = median(samples.slice(0, 3).map((s) => s.interval));
    const last = median(samples.slice(-3).map((s) => s.interval));
    const updates = samples[samples.length - 1]?.iteration ?? 0;
    const verdict = (ok) => (ok ? 'met' : 'MISSED');
    console.log('');
    console.log(`wasm memory growth after the first minute: ${(100 * growth('wasm')).toFixed(1)} % (target ≤ 5 %): ${verdict(growth('wasm') <= 0.05)}`);
    console.log(`JS heap growth after the first minute: ${(100 * growth('heap')).toFixed(1)} % (target ≤ 5 %): ${verdict(growth('heap') <= 0.05)}`);
    console.log(`frame interval: ${first.toFixed(1)} ms at the start, ${last.toFixed(1)} ms at the end (within 10 %): ${verdict(Math.abs(last / first - 1) <= 0.1)}`);
    console.log(`run 1's updates: ${updates} (target > 1e7 for 10 minutes): ${verdict(updates > 1e7 * (o.minutes / 10))}`);
    console.log(`console errors: ${problems.length}${problems.length ? ` (${problems.slice(0, 3).join(' | ')})` : ''}`);
  } finally {
    await browser.close();
    server.kill();
  }
}

main().catch((error) => {
  console.error(`soak: ${error.message}`);
  process.exit(1);
});
