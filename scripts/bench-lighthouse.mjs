#!/usr/bin/env node
// Lighthouse on the static site (`make bench-lighthouse`, part of `make bench`): serves dist/ as a
// real host serves it (each file's precompressed .br or .gz when the browser accepts it, with its
// Content-Encoding and MIME type, application/wasm for the module), runs Lighthouse 12.2.3 in
// Debian's chromium three times for each of its two profiles (mobile: a CPU 4× slower and a slow
// network, simulated; desktop), and prints the median of each figure with its target:
//   mobile:  performance ≥ 95, total blocking time ≤ 200 ms, cumulative layout shift ≤ 0.01;
//   desktop: performance ≥ 98, cumulative layout shift ≤ 0.01;
//   both:    accessibility and best practices 100.
// Targets are reported, never asserted. Options: --runs N (default 3).
// Lighthouse is not one of the page's dependencies: `make bench-lighthouse` installs it, pinned,
// into .cache/lighthouse (its version 13 needs Node 22).

import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { LAUNCH, ROOT } from './headless.mjs';

const DIST = path.join(ROOT, 'dist');
const LIGHTHOUSE = path.join(ROOT, '.cache', 'lighthouse', 'node_modules');
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png',
  '.svg': 'image/svg+xml', '.ico': 'image/x-icon',
};

/** A static server of dist/ that sends a file's .br or .gz beside it when the request accepts it. */
function serveDist() {
  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    let file = path.join(DIST, decodeURIComponent(url.pathname));
    if (!file.startsWith(DIST)) { response.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!existsSync(file)) { response.writeHead(404).end(); return; }
    const accepted = String(request.headers['accept-encoding'] ?? '');
    const headers = { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', Vary: 'Accept-Encoding' };
    let body = file;
    for (const [encoding, suffix] of [['br', '.br'], ['gzip', '.gz']]) {
      if (accepted.includes(encoding) && existsSync(file + suffix)) {
        body = file + suffix;
        headers['Content-Encoding'] = encoding;
        break;
      }
    }
    headers['Content-Length'] = statSync(body).size;
    response.writeHead(200, headers);
    createReadStream(body).pipe(response);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const at = process.argv.indexOf('--runs');
  const runs = at < 0 ? 3 : Number(process.argv[at + 1]);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number ≥ 1');
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error('no dist/: run make dist first');
  const require = createRequire(path.join(LIGHTHOUSE, 'noop.js'));
  const lighthouse = (await import(require.resolve('lighthouse'))).default;
  const chromeLauncher = await import(require.resolve('chrome-launcher'));
  const desktop = (await import(require.resolve('lighthouse/core/config/desktop-config.js'))).default;
  const server = await serveDist();
  const url = `http://127.0.0.1:${server.address().port}/index.html`;
  const rows = [];
  try {
    for (const [profile, config] of [['mobile', undefined], ['desktop', desktop]]) {
      const figures = [];
      for (let i = 0; i < runs; i += 1) {
        const chrome = await chromeLauncher.launch({
          chromePath: process.env.CHROME_PATH ?? LAUNCH.executablePath,
          chromeFlags: ['--headless=new', ...LAUNCH.args],
        });
        try {
          const result = await lighthouse(url, {
            port: chrome.port, output: 'json', logLevel: 'error',
            onlyCategories: ['performance', 'accessibility', 'best-practices'],
          }, config);
          const { categories, audits } = result.lhr;
          figures.push({
            performance: Math.round(categories.performance.score * 100),
            tbt: audits['total-blocking-time'].numericValue,
            cls: audits['cumulative-layout-shift'].numericValue,
            accessibility: Math.round(categories.accessibility.score * 100),
            practices: Math.round(categories['best-practices'].score * 100),
            fcp: Math.round(audits['first-contentful-paint'].numericValue),
            lcp: Math.round(audits['largest-contentful-paint'].numericValue),
            speedIndex: Math.round(audits['speed-index'].numericValue),
          });
          process.stderr.write(`bench-lighthouse: ${profile} run ${i + 1}: ${JSON.stringify(figures.at(-1))}\n`);
          // The main thread's long tasks (as Lighthouse simulates them), longest first.
          const tasks = (audits['long-tasks']?.details?.items ?? []).map((task) => `${Math.round(task.duration)} ms at ${Math.round(task.startTime)} (${String(task.url).split('/').pop()})`);
          process.stderr.write(`  long tasks: ${tasks.join(', ')}\n`);
          const lcp = JSON.stringify(audits['largest-contentful-paint-element']?.details ?? null).match(/"snippet":"((?:[^"\\]|\\.)*)"/);
          if (lcp) process.stderr.write(`  largest contentful paint: ${lcp[1]}\n`);
        } finally {
          await chrome.kill();
        }
      }
      const m = (key) => median(figures.map((f) => f[key]));
      rows.push({ profile, performance: m('performance'), tbt: m('tbt'), cls: m('cls'), accessibility: m('accessibility'), practices: m('practices'), all: figures });
    }
  } finally {
    server.close();
  }
  const verdict = (ok) => (ok ? 'met' : 'MISSED');
  console.log(`\nLighthouse 12.2.3 on dist/ (served compressed), median of ${runs} runs per profile`);
  console.log('| profile | performance | total blocking time | layout shift | accessibility | best practices | target |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const mobile = r.profile === 'mobile';
    const met = mobile
      ? [r.performance >= 95, r.tbt <= 200, r.cls <= 0.01]
      : [r.performance >= 98, r.cls <= 0.01];
    met.push(r.accessibility === 100, r.practices === 100);
    const target = mobile ? 'perf ≥ 95, TBT ≤ 200 ms, CLS ≤ 0.01, a11y and practices 100' : 'perf ≥ 98, CLS ≤ 0.01, a11y and practices 100';
    console.log(`| ${r.profile} | ${r.performance} (${r.all.map((f) => f.performance).join(' / ')}) | ${Math.round(r.tbt)} ms (${r.all.map((f) => Math.round(f.tbt)).join(' / ')}) | ${r.cls.toFixed(3)} | ${r.accessibility} | ${r.practices} | ${target}: ${verdict(met.every(Boolean))} |`);
  }
}

main().catch((error) => {
  console.error(`bench-lighthouse: ${error?.stack ?? error}`);
  process.exit(1);
});
