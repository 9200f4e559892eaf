#!/usr/bin/env node
// Mini-batch kernel benchmark (`make bench-batch`, part of `make bench`): serves the repository
// on 127.0.0.1, opens benches/batch.html in headless Debian chromium, and times the batch
// gradient at b = 1e4, 1e5 and 1e6 on n = 1e6 points, sequential (points in order) and shuffled
// (the runs' lazy Fisher–Yates epoch order), in plain JavaScript, the scalar wasm module and the
// simd128 wasm module. Prints one table: ns per point, the speed ratios simd ÷ scalar and
// wasm ÷ JS, and the bytes each point moves against the machine's memory bandwidth, measured
// twice as a copy (bytes read + written per second): a 256 MB Float64Array `set` into another in
// the same page, and a 1 GiB Buffer.copy in Node (both a native memcpy).
//
// Options: --points N (default 1000000), --repeats R (default 5), --ms M per timing (default 150).
// Build the modules first (`make bench-batch` does): benches/pkg-scalar and benches/pkg-simd.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { LAUNCH, ROOT, freePort, serve } from './headless.mjs';

const SIZES = [1e4, 1e5, 1e6];
const ORDERS = ['sequential', 'shuffled'];
const IMPLS = ['js', 'wasm', 'simd'];
// Bytes a point moves. Sequential: its 16-byte record, read. Shuffled: the record and index at
// position k (16 + 4 bytes, read and written: 40) and, at the random position j, one 64-byte line
// of records and one of indices, each read and later written back (4 × 64 = 256).
const BYTES = { sequential: 16, shuffled: 40 + 4 * 64 };

function options(argv) {
  const o = { points: 1e6, repeats: 5, ms: 150 };
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log('usage: node scripts/bench-batch.mjs [--points 1000000] [--repeats 5] [--ms 150]');
    process.exit(0);
  }
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--points') o.points = Number(value);
    else if (flag === '--repeats') o.repeats = Number(value);
    else if (flag === '--ms') o.ms = Number(value);
    else throw new Error(`unknown option ${flag}`);
  }
  return o;
}

/** Native memcpy bandwidth (read + write bytes per second) of a 1 GiB Buffer.copy, best of 3. */
function memcpyBandwidth() {
  const bytes = 1024 ** 3;
  const source = Buffer.alloc(bytes, 1);
  const target = Buffer.alloc(bytes, 0);
  let best = Infinity;
  for (let p = 0; p < 3; p += 1) {
    const t0 = process.hrtime.bigint();
    source.copy(target);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return (2 * bytes) / best / 1e9;
}

const pad = (s, w) => String(s).padStart(w);
const fixed = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '—');

async function main() {
  const o = options(process.argv.slice(2));
  for (const pkg of ['benches/pkg-scalar/gdviz_bg.wasm', 'benches/pkg-simd/gdviz_bg.wasm']) {
    if (!existsSync(path.join(ROOT, pkg))) throw new Error(`${pkg} is missing: run \`make bench-batch\``);
  }
  const port = await freePort();
  const server = await serve(port, 'benches/batch.html');
  const browser = await chromium.launch(LAUNCH);
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    await page.goto(`http://127.0.0.1:${port}/benches/batch.html`);
    await page.waitForFunction(() => window.batchBench !== undefined);
    const { points } = await page.evaluate((n) => window.batchBench.setUp(n), o.points);
    const results = {};
    for (const batch of SIZES.filter((b) => b <= points)) {
      for (const order of ORDERS) {
        for (const impl of IMPLS) {
          const r = await page.evaluate((args) => window.batchBench.measure(args),
            { impl, order, batch, repeats: o.repeats, ms: o.ms });
          results[`${impl} ${order} ${batch}`] = r.nsPerPoint;
          process.stderr.write(`  ${impl.padEnd(4)} ${order.padEnd(10)} b=${batch.toExponential(0)}: ${fixed(r.nsPerPoint, 2)} ns/point\n`);
        }
      }
    }
    const pageCopy = (await page.evaluate(() => window.batchBench.bandwidth({ megabytes: 256, passes: 3 }))).gbPerSecond;
    const copy = memcpyBandwidth();
    if (problems.length) throw new Error(`the benchmark page reported errors:\n${problems.join('\n')}`);
    const bandwidth = Math.max(pageCopy, copy);

    console.log();
    console.log(`Mini-batch gradient kernel, n = ${points.toExponential(0)} points, headless Chromium (median of ${o.repeats} × ≥${o.ms} ms)`);
    console.log('ns/point: plain JS Float64Array loop, scalar wasm, simd128 wasm; speed ratios (×, > 1 = faster);');
    console.log('B/pt: bytes moved per point; GB/s: B/pt ÷ ns/pt of the fastest wasm; % bw: of the machine bandwidth below');
    const header = `${'b'.padEnd(5)} ${'order'.padEnd(10)} ${pad('JS', 7)} ${pad('wasm', 7)} ${pad('simd', 7)} `
      + `${pad('simd÷wasm', 9)} ${pad('wasm÷JS', 8)} ${pad('simd÷JS', 8)} ${pad('B/pt', 5)} ${pad('GB/s', 6)} ${pad('% bw', 5)}`;
    console.log(header);
    console.log('-'.repeat(header.length));
    for (const batch of SIZES.filter((b) => b <= points)) {
      for (const order of ORDERS) {
        const [js, wasm, simd] = IMPLS.map((impl) => results[`${impl} ${order} ${batch}`]);
        const gbs = BYTES[order] / Math.min(wasm, simd);
        console.log(`${batch.toExponential(0).padEnd(5)} ${order.padEnd(10)} ${pad(fixed(js, 2), 7)} ${pad(fixed(wasm, 2), 7)} `
          + `${pad(fixed(simd, 2), 7)} ${pad(fixed(wasm / simd, 2), 9)} ${pad(fixed(js / wasm, 2), 8)} ${pad(fixed(js / simd, 2), 8)} `
          + `${pad(BYTES[order], 5)} ${pad(fixed(gbs, 1), 6)} ${pad(fixed((100 * gbs) / bandwidth, 0), 5)}`);
      }
    }
    console.log();
    console.log(`memory bandwidth (copy, read + write): ${fixed(pageCopy, 1)} GB/s in the page (256 MB Float64Array.set, best of 3); `
      + `${fixed(copy, 1)} GB/s in Node (1 GiB Buffer.copy, best of 3); % bw uses ${fixed(bandwidth, 1)} GB/s`);
    console.log(`shuffled B/pt = ${BYTES.shuffled}: the record and index at position k (40 B) and a 64-B line each of records and`
      + ' indices at the random position j, read and written back (256 B), as if every random line came from memory;'
      + ' above 100 % of bandwidth, some of them come from a cache that holds the order (16 + 4 B × n)');
  } finally {
    await browser.close();
    server.kill();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
