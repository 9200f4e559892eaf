// End-to-end test of the static site that `make dist` builds: dist/ copied under a sub-path
// (/ml/gdviz/) of a plain static server of its own, as a department's web space would hold it.
// Its scripts are two bundles and its styles one sheet, each with a .gz and a .br beside it.
// The page steps, plays and pauses, and imports a small CSV (on the page's thread) and a large one
// (in the worker), with no console error, no failed request, no HTTP error and no request
// outside /ml/gdviz/. `make test` builds dist/ first; without it this test fails.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { test, expect } from './fixtures.js';
import { freePort, serve } from '../../scripts/headless.mjs';

const DIST = fileURLToPath(new URL('../../dist', import.meta.url));
const SUB_PATH = '/ml/gdviz/';

let server = null;
let root = null;
let origin = '';

test.beforeAll(async () => {
  expect(fs.existsSync(path.join(DIST, 'index.html')), 'dist/index.html is missing: run `make dist` first').toBe(true);
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'gdviz-dist-'));
  fs.cpSync(DIST, path.join(root, 'ml', 'gdviz'), { recursive: true });
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = await serve(port, SUB_PATH.slice(1), root);
});

test.afterAll(async () => {
  server?.kill();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

function rows(n) {
  const lines = ['x,y'];
  for (let i = 0; i < n; i += 1) lines.push(`${(i % 1000) / 100},${(i % 1000) / 50 + (i % 7) / 10}`);
  return `${lines.join('\n')}\n`;
}

test('dist/ under a sub-path: step, play, pause and import, every request under the sub-path', async ({ gdviz, page }) => {
  const requests = [];
  const failures = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('requestfailed', (request) => failures.push(`${request.url()}: ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) failures.push(`${response.url()}: HTTP ${response.status()}`);
  });
  const workers = [];
  page.on('worker', (worker) => workers.push(worker.url()));

  await page.goto(`${origin}${SUB_PATH}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');

  // Step: one update.
  await gdviz.button('Step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '1');

  // Play, then Pause: the iteration advanced and stays where it paused.
  await gdviz.set('Learning rate', '0.001'); // slow: the run cannot converge during the test
  await gdviz.button('Play').click();
  await expect.poll(() => gdviz.value('iteration')).toBeGreaterThan(1);
  await gdviz.button('Pause').click();
  await expect(gdviz.readout('status')).toHaveAttribute('data-value', 'paused');
  const paused = await gdviz.value('iteration');
  await page.waitForTimeout(200);
  expect(await gdviz.value('iteration')).toBe(paused);

  // Data ▾ → Import CSV: a small file, read on the page's thread.
  await page.locator('#data-menu summary').click();
  const small = 'x,y\n0,1\n1,3\n2,5.2\n3,6.9\n4,9.1\n';
  await gdviz.control('Import CSV').setInputFiles({ name: 'small.csv', mimeType: 'text/csv', buffer: Buffer.from(small) });
  await expect(page.locator('#import-status')).toHaveText('Loaded 5 points from small.csv.');
  expect(await page.evaluate(() => window.gdviz.vis.analysis().n)).toBe(5);

  // A file above 2 MB is read in the worker, which loads the module itself from the sub-path.
  const large = rows(200_000);
  expect(large.length).toBeGreaterThan(2_000_000);
  await gdviz.control('Import CSV').setInputFiles({ name: 'large.csv', mimeType: 'text/csv', buffer: Buffer.from(large) });
  await expect(page.locator('#import-status')).toHaveText('Loaded 200,000 points from large.csv.');
  expect(await page.evaluate(() => window.gdviz.vis.analysis().n)).toBe(200_000);
  const before = await gdviz.value('iteration');
  await gdviz.button('Step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', String(before + 1));

  expect(failures, 'failed requests and HTTP errors').toEqual([]);
  const prefix = `${origin}${SUB_PATH}`;
  const network = requests.filter((url) => !url.startsWith('data:') && !url.startsWith('blob:'));
  expect(network.filter((url) => !url.startsWith(prefix)), 'requests outside the sub-path').toEqual([]);
  // The page is six files: the scripts are bundled (no module is fetched on its own) and the
  // five style sheets are one.
  expect([...new Set(network)].map((url) => url.slice(prefix.length)).sort()).toEqual(
    ['', 'www/lessons/least-squares.json', 'www/main.js', 'www/pkg/gdviz_bg.wasm', 'www/shell/csv-worker.js', 'www/styles/page.css']);
  expect(workers).toEqual([`${prefix}www/shell/csv-worker.js`]);
  // The module served is the optimized one, as application/wasm (for streaming compilation).
  const wasm = await fetch(`${prefix}www/pkg/gdviz_bg.wasm`);
  expect(wasm.headers.get('content-type')).toBe('application/wasm');
  expect((await wasm.arrayBuffer()).byteLength).toBe(fs.statSync(path.join(DIST, 'www/pkg/gdviz_bg.wasm')).size);
});

test('dist/ has a precompressed .gz and .br beside each file, each the file itself', () => {
  const files = ['index.html', 'www/main.js', 'www/shell/csv-worker.js', 'www/styles/page.css', 'www/lessons/least-squares.json', 'www/pkg/gdviz_bg.wasm'];
  for (const file of files) {
    const bytes = fs.readFileSync(path.join(DIST, file));
    expect(zlib.gunzipSync(fs.readFileSync(path.join(DIST, `${file}.gz`))).equals(bytes), `${file}.gz`).toBe(true);
    expect(zlib.brotliDecompressSync(fs.readFileSync(path.join(DIST, `${file}.br`))).equals(bytes), `${file}.br`).toBe(true);
  }
  // The style sheet keeps the print rules inside their media query, and the bundle is minified.
  const css = fs.readFileSync(path.join(DIST, 'www/styles/page.css'), 'utf8');
  expect(css).toMatch(/@media print\{/);
  expect(fs.readFileSync(path.join(DIST, 'www/main.js'), 'utf8').split('\n').length).toBeLessThan(20);
});
