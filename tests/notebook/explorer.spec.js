// gdviz.Explorer end to end: a real JupyterLab started here (offline: no news, no update check,
// jupyter_lsp off, every JUPYTER_*_DIR and IPYTHONDIR in a temporary folder, a token), a notebook
// written here, run cell by cell in Debian's chromium:
//   1. an Explorer on the two-feature preset with loss="mse" and learning_rate=0.01;
//   2. w.step(100); 3. w.theta, printed in a later cell, equals gdviz.fit(…, steps=100)["theta"]
//      on the preset's points (from the gdviz command line) bit for bit, and the history has the
//      trajectory CSV's columns;
//   4. a value out of range is refused in Python with the core's words; w.learning_rate = 0.5
//      moves the page's field and slider;
//   5. the slider dragged with the mouse: Python reads the page's new rate;
//   6. an Explorer on a NumPy array of 100,000 rows shows 100,000 points.
// No console error, and no request leaves 127.0.0.1 (every request is routed and any other
// host fails the test). The screenshots: test-results/notebook.png (the first widget) and
// notebook-rows.png (the one of 100,000 rows).
//
//   make test-notebook    (npx --no-install playwright test -c tests/notebook/playwright.config.js)

import { test, expect } from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VENV = path.join(ROOT, '.venv/bin');
/** The command line, for the preset's points (make test-notebook builds it). */
const CLI = path.resolve(ROOT, process.env.GDVIZ_CLI ?? 'target/release/gdviz');
const SCREENSHOT = path.join(ROOT, 'test-results/notebook.png');
const HOST = '127.0.0.1';
/** Rows of the NumPy data (GDVIZ_NOTEBOOK_ROWS: up to the page's 1,000,000). */
const ROWS = Number(process.env.GDVIZ_NOTEBOOK_ROWS ?? 100_000);

/** A TCP port free on this machine now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The notebook's cells; the preset's points are written into the one that fits natively. */
function cellSources(presetCsv) {
  return [
    // 0: the widget on the two-feature preset
    'import json\nimport numpy as np\nimport gdviz\n\nw = gdviz.Explorer(preset="two-features", loss="mse", learning_rate=0.01)\nw',
    // 1
    'w.step(100)',
    // 2: read in a later cell (the kernel hears the page between cells)
    'print(json.dumps({"iteration": w.iteration, "theta": w.theta, "status": w.status, "n": w.n}))',
    // 3: the same run natively
    `import io\npoints = np.loadtxt(io.StringIO(${JSON.stringify(presetCsv)}), delimiter=",", skiprows=1)\n`
      + 'fit = gdviz.fit(points[:, :-1], points[:, -1], loss="mse", lr=0.01, steps=100)\n'
      + 'print(json.dumps({"theta": fit["theta"], "iterations": fit["iterations"], "same": fit["theta"] == w.theta}))',
    // 4: the trajectory
    'h = w.history()\nprint(json.dumps({"type": type(h).__name__, "rows": len(h), "columns": list(h.columns), "last": h.iloc[-1].tolist()}))',
    // 5: refused in Python, with the core's words
    'try:\n    w.learning_rate = -1\nexcept Exception as error:\n    print(f"{type(error).__name__}: {error}")\nprint(json.dumps({"learning_rate": w.learning_rate}))',
    // 6
    'w.learning_rate = 0.5',
    // 7: after the slider was dragged on the page
    'print(json.dumps({"learning_rate": w.learning_rate}))',
    // 8: several settings at once: an optimizer, one of its parameters, a line search it refuses
    'w.optimizer = "adam"\nw.beta1 = 0.8\nw.line_search = "armijo"',
    // 9
    'print(json.dumps({k: getattr(w, k) for k in ["optimizer", "beta1", "beta2", "eps", "line_search", "error"]}))',
    // 10: 100,000 rows from NumPy
    `rng = np.random.default_rng(7)\nx = rng.normal(size=${ROWS})\ny = 2 * x + 1 + rng.normal(scale=0.5, size=${ROWS})\n\nw2 = gdviz.Explorer(x, y)\nw2`,
    // 11
    'print(json.dumps({"n": w2.n, "batch_size": w2.batch_size, "preset": w2.preset}))',
    // 12: new data of two columns into the same widget
    'w2.set_data(np.c_[x[:500], x[:500] ** 2], y[:500])',
    // 13
    'print(json.dumps({"n": w2.n, "batch_size": w2.batch_size, "theta": len(w2.theta)}))',
  ];
}

function notebook(sources) {
  return {
    cells: sources.map((source, i) => ({ cell_type: 'code', id: `cell-${i}`, execution_count: null, metadata: {}, outputs: [], source })),
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
      language_info: { name: 'python' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

const server = { process: null, dir: '', base: '', token: '', log: [] };

async function startJupyter(sources) {
  server.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gdviz-notebook-'));
  const home = (name) => {
    const dir = path.join(server.dir, name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  };
  const work = home('work');
  fs.writeFileSync(path.join(work, 'explorer.ipynb'), JSON.stringify(notebook(sources), null, 1));
  // jupyter_lsp is off (it runs npm and writes its logs): so is JupyterLab's LSP front end (and
  // the two plugins that need it), whose status request would otherwise fail with a 404.
  fs.mkdirSync(path.join(server.dir, 'config/labconfig'), { recursive: true });
  const disabledExtensions = Object.fromEntries(['@jupyterlab/lsp-extension', '@jupyterlab/fileeditor-extension:language-server',
    '@jupyterlab/notebook-extension:language-server'].map((id) => [id, true]));
  fs.writeFileSync(path.join(server.dir, 'config/labconfig/page_config.json'), JSON.stringify({ disabledExtensions }));
  const port = await freePort();
  server.token = crypto.randomBytes(16).toString('hex');
  server.base = `http://${HOST}:${port}`;
  const env = {
    ...process.env,
    JUPYTER_CONFIG_DIR: home('config'),
    JUPYTER_DATA_DIR: home('data'),
    JUPYTER_RUNTIME_DIR: home('runtime'),
    JUPYTERLAB_SETTINGS_DIR: home('lab-settings'),
    JUPYTERLAB_WORKSPACES_DIR: home('lab-workspaces'),
    IPYTHONDIR: home('ipython'),
    PATH: `${VENV}:${process.env.PATH}`,
  };
  const args = [
    'lab', '--no-browser', `--ip=${HOST}`, `--port=${port}`, '--port-retries=0',
    `--IdentityProvider.token=${server.token}`, `--ServerApp.root_dir=${work}`,
    "--LabApp.news_url=''", '--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate',
    '--LabApp.extension_manager=readonly', `--ServerApp.jpserver_extensions={'jupyter_lsp': False}`,
  ];
  if (process.getuid?.() === 0) args.push('--allow-root');
  // jupyter itself, not a shell: its pid is the server's.
  server.process = spawn(path.join(VENV, 'jupyter'), args, { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [server.process.stdout, server.process.stderr]) {
    stream.on('data', (chunk) => server.log.push(String(chunk)));
  }
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.process.exitCode !== null) throw new Error(`jupyter lab exited (${server.process.exitCode}):\n${server.log.join('')}`);
    try {
      const response = await fetch(`${server.base}/api/status?token=${server.token}`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`jupyter lab did not answer within 60 s:\n${server.log.join('')}`);
}

async function stopJupyter() {
  if (server.process && server.process.exitCode === null) {
    try {
      const api = (p, init) => fetch(`${server.base}${p}?token=${server.token}`, init);
      const sessions = await (await api('/api/sessions')).json();
      for (const s of sessions) await api(`/api/sessions/${s.id}`, { method: 'DELETE' });
    } catch {
      // the server may be gone already
    }
    const exited = new Promise((resolve) => server.process.once('exit', resolve));
    server.process.kill('SIGTERM');
    const timer = setTimeout(() => server.process.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  if (server.dir) fs.rmSync(server.dir, { recursive: true, force: true });
}

test.describe.configure({ mode: 'serial' });
test.afterAll(stopJupyter);

test('the traitlets refuse what the core refuses, in its words', () => {
  const out = execFileSync(path.join(VENV, 'python'), [path.join(ROOT, 'tests/notebook/settings.py')], { encoding: 'utf8' });
  expect(out).toMatch(/settings: \d+ passed, 0 failed/);
});

test('gdviz.Explorer in JupyterLab: steps, the same θ as gdviz.fit, settings both ways, 100,000 points', async ({ page }) => {
  const started = Date.now();
  const presetCsv = execFileSync(CLI, ['preset', 'two-features'], { encoding: 'utf8' });
  await startJupyter(cellSources(presetCsv));
  const serverUp = Date.now();

  const problems = [];
  const outside = [];
  const local = (address) => {
    try {
      return new URL(address).hostname === HOST;
    } catch {
      return false;
    }
  };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  page.on('websocket', (socket) => {
    if (!local(socket.url())) outside.push(socket.url());
  });
  await page.context().route('**/*', (route) => {
    const address = route.request().url();
    if (local(address)) return route.continue();
    outside.push(address);
    return route.abort();
  });

  await page.goto(`${server.base}/lab/tree/explorer.ipynb?token=${server.token}&reset`);
  await expect(page.locator('#jupyterlab-splash')).toHaveCount(0, { timeout: 60_000 });
  await expect(page.locator('#jp-main-statusbar')).toHaveText(/\|\s*Idle/, { timeout: 60_000 });
  const no = page.locator('.jp-toast-button', { hasText: /^No$/ });
  if (await no.count()) await no.first().click();

  const cells = page.locator('.jp-Notebook .jp-Cell');
  let runs = 0;
  /** Runs cell `i` (Shift+Enter) and waits until it has finished; returns the cell. */
  const run = async (i) => {
    const cell = cells.nth(i);
    await cell.locator('.jp-InputArea-prompt').click();
    await page.keyboard.press('Shift+Enter');
    runs += 1;
    await expect(cell.locator('.jp-InputArea-prompt')).toHaveText(new RegExp(`\\[${runs}\\]`));
    await expect(page.locator('#jp-main-statusbar')).toHaveText(/\|\s*Idle/);
    return cell;
  };
  /** The JSON a cell printed on its last line. */
  const printed = async (cell) => {
    const text = (await cell.locator('.jp-OutputArea-output').last().innerText()).trim();
    return JSON.parse(text.split('\n').pop());
  };
  /** The page inside the widget of a cell, once it is ready. */
  const widget = async (cell) => {
    const frame = cell.frameLocator('.gdviz-explorer iframe');
    try {
      await expect(frame.locator('body')).toHaveAttribute('data-ready', 'true');
    } catch (error) {
      error.message += `\nthe page's messages:\n${problems.join('\n')}`;
      throw error;
    }
    return frame;
  };

  // 1. The Explorer on the two-feature preset; it leaves the keyboard to the notebook.
  const first = await run(0);
  const frame = await widget(first);
  expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe('IFRAME');
  await expect(frame.locator('#loss-convention')).toHaveValue('mse');
  await expect(frame.locator('#learning-rate')).toHaveValue('0.01');
  await expect(frame.locator('[data-testid="points-count"]')).toHaveText('100');

  // 2. Step 100 times; the page shows it.
  await run(1);
  await expect(frame.locator('[data-testid="iteration"]')).toHaveAttribute('data-value', '100');

  // 3. θ read in a later cell, against gdviz.fit on the preset's points: bit for bit.
  const state = await printed(await run(2));
  expect(state.iteration).toBe(100);
  expect(state.n).toBe(100);
  expect(state.theta).toHaveLength(3);
  const native = await printed(await run(3));
  expect(native.iterations).toBe(100);
  expect(native.theta).toHaveLength(3);
  native.theta.forEach((v, k) => expect(Object.is(v, state.theta[k]), `θ${k}: page ${state.theta[k]}, native ${v}`).toBe(true));
  expect(native.same).toBe(true);
  const history = await printed(await run(4));
  expect(history.type).toBe('DataFrame');
  expect(history.rows).toBe(101);
  expect(history.columns).toEqual(['run', 'step', 'epoch', 'theta0', 'theta1', 'theta2', 'loss', 'grad_norm']);
  expect(history.last.slice(1, 2)).toEqual([100]);
  expect(history.last.slice(3, 6)).toEqual(state.theta);

  // 4. Refused in Python with the core's words (the page keeps 0.01); 0.5 reaches the page.
  const refusedCell = await run(5);
  await expect(refusedCell.locator('.jp-OutputArea-output').first())
    .toContainText('TraitError: learning rate must be a finite number > 0, got -1');
  expect((await printed(refusedCell)).learning_rate).toBe(0.01);
  await expect(frame.locator('#learning-rate')).toHaveValue('0.01');
  await run(6);
  await expect(frame.locator('#learning-rate')).toHaveValue('0.5');
  const slider = frame.locator('#learning-rate-slider');
  expect(Math.abs(Number(await slider.inputValue()) - Math.log10(0.5))).toBeLessThan(0.011);

  // 5. The slider dragged with the mouse: Python reads the page's new rate.
  await slider.scrollIntoViewIfNeeded();
  const box = await slider.boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.62, y);
  await page.mouse.down();
  for (const f of [0.55, 0.48, 0.42, 0.36]) await page.mouse.move(box.x + box.width * f, y, { steps: 3 });
  await page.mouse.up();
  const dragged = Number(await frame.locator('#learning-rate').inputValue());
  expect(dragged).toBeGreaterThan(0);
  expect(dragged).not.toBe(0.5);
  await page.waitForTimeout(400); // the page reports at most every 100 ms
  expect((await printed(await run(7))).learning_rate).toBe(dragged);

  // Several settings in one cell: applied in the catalogue's order (the optimizer, which resets
  // its parameters to their defaults, before β1); the line search refused by the page (plain
  // descent only), which Python hears with the core's reason.
  await run(8);
  await expect(frame.locator('#optimizer')).toHaveValue('adam');
  await page.waitForTimeout(400);
  const adam = await printed(await run(9));
  expect(adam).toMatchObject({ optimizer: 'adam', beta1: 0.8, beta2: 0.999, eps: 1e-8, line_search: 'none' });
  expect(adam.error).toMatch(/^line search must be /);
  await expect(frame.locator('#beta1')).toHaveValue('0.8');

  // 6. 100,000 rows from NumPy: the page shows 100,000 points.
  const bigAt = Date.now();
  const big = await run(10);
  const bigFrame = await widget(big);
  await expect(bigFrame.locator('[data-testid="points-count"]')).toHaveText(ROWS.toLocaleString('en-US'));
  await expect(bigFrame.locator('[data-testid="points-count"]')).toHaveAttribute('data-value', String(ROWS));
  // No notice that a link cannot carry them, no "Open in gdviz": the frame has no address.
  await expect(bigFrame.locator('#link-note, #embed-open')).toHaveCount(0);
  const bigMs = Date.now() - bigAt;
  await big.locator('.gdviz-explorer').scrollIntoViewIfNeeded();
  await page.screenshot({ path: SCREENSHOT.replace(/\.png$/, '-rows.png') });
  const bigState = await printed(await run(11));
  expect(bigState).toEqual({ n: ROWS, batch_size: ROWS, preset: null });
  await run(12);
  await expect(bigFrame.locator('[data-testid="points-count"]')).toHaveText('500');
  await page.waitForTimeout(400);
  expect(await printed(await run(13))).toEqual({ n: 500, batch_size: 500, theta: 3 });

  // The wheel over a widget scrolls the notebook (the page inside does not hold it).
  const scroller = page.locator('.jp-NotebookPanel .jp-WindowedPanel-outer');
  const surface = frame.locator('#surface-moving');
  await surface.scrollIntoViewIfNeeded();
  const before = await scroller.evaluate((el) => el.scrollTop);
  const over = await surface.boundingBox();
  await page.mouse.move(over.x + over.width / 2, over.y + over.height / 2);
  await page.mouse.wheel(0, 200);
  await expect.poll(() => scroller.evaluate((el) => el.scrollTop)).toBeGreaterThan(before);

  // The screenshot: the first widget as a person sees it in the notebook.
  await first.scrollIntoViewIfNeeded();
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT });

  expect(outside, 'requests to other hosts').toEqual([]);
  expect(problems, 'console errors').toEqual([]);
  const seconds = (ms) => (ms / 1000).toFixed(1);
  console.log(`notebook: server up in ${seconds(serverUp - started)} s, the notebook in ${seconds(Date.now() - serverUp)} s, `
    + `${seconds(Date.now() - started)} s in all; ${ROWS.toLocaleString('en-US')} rows shown ${seconds(bigMs)} s after their cell ran`);
});
