// End-to-end tests of sharing: the user's own data (editing on the data plot,
// CSV import, paste and export), the URL state (round trip, hostile links, edits surviving a
// reload), exports (CSV, PNG), the timeline, the two languages, the phone layout and presenter
// mode. Every test also fails on a console error or a page error (fixtures.js).
import fs from 'node:fs';
import { collectProblems, test, expect } from './fixtures.js';

const READOUTS = ['iteration', 'epoch', 'theta0', 'theta1', 'loss', 'grad-norm', 'status', 'lr-critical',
  'condition-number'];

/** Every readout's data-value. */
async function readouts(page) {
  return page.evaluate((ids) => Object.fromEntries(ids.map((id) => [id,
    document.querySelector(`[data-testid="${id}"]`).getAttribute('data-value')])), READOUTS);
}

/** The core's analysis and data, as the page holds them. */
async function analysis(page) {
  return page.evaluate(() => {
    const a = window.gdviz.vis.analysis();
    return { n: a.n, curvature: a.curvature, optimum: a.optimum, csv: window.gdviz.vis.export_csv() };
  });
}

async function openMenu(page, id) {
  const details = page.locator(`#${id}`);
  if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
  await expect(details.locator('.menu-panel')).toBeVisible();
}

async function stepTimes(gdviz, n) {
  const start = await gdviz.value('iteration');
  for (let i = 0; i < n; i += 1) await gdviz.button('Step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', String(start + n));
}

/** The critical rate 2/λmax of unregularized least squares on these x. */
function criticalRate(xs) {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const meanSq = xs.reduce((a, b) => a + b * b, 0) / n;
  const tr = 1 + meanSq;
  const det = meanSq - mean * mean;
  return 2 / ((tr + Math.sqrt(tr * tr - 4 * det)) / 2);
}

/** A CSS position on the data plot's top canvas where no point lies within `radius` px. */
async function emptySpot(page, fx, fy) {
  return page.evaluate(([fx, fy]) => {
    const canvas = document.getElementById('fit-moving');
    // On whole client pixels, where a mouse event lands (the canvas may sit at a fraction).
    const rect = canvas.getBoundingClientRect();
    const x = Math.round(rect.left + canvas.clientWidth * fx) - rect.left;
    const y = Math.round(rect.top + canvas.clientHeight * fy) - rect.top;
    return { x, y, near: window.gdviz.vis.nearest_point(x, y, 8), data: window.gdviz.vis.fit_point_to_data(x, y) };
  }, [fx, fy]);
}

/** The CSS position of point `index` (searched on a grid through nearest_point). */
async function pointPosition(page, index) {
  return page.evaluate((index) => {
    const canvas = document.getElementById('fit-moving');
    const vis = window.gdviz.vis;
    for (let y = 0; y < canvas.clientHeight; y += 2) {
      for (let x = 0; x < canvas.clientWidth; x += 2) {
        if (vis.nearest_point(x, y, 1.5) === index) return { x, y };
      }
    }
    return null;
  }, index);
}

async function canvasBox(page) {
  return page.locator('#fit-moving').boundingBox();
}

async function downloadText(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), text: fs.readFileSync(await download.path(), 'utf8'), download };
}

test.beforeEach(async ({ gdviz }) => {
  await gdviz.open();
});

test('importing a good CSV file replaces the data; a bad one names line and column and changes nothing', async ({ gdviz, page }) => {
  await openMenu(page, 'data-menu');
  const good = 'x,y\n0,1\n1,3.1\n2,4.9\n3,7.2\n';
  await gdviz.control('Import CSV').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await expect(page.locator('#import-status')).toContainText('Loaded 4 points from good.csv');
  await expect(gdviz.control('Dataset')).toHaveValue('custom');
  await expect(gdviz.control('Dataset').locator('option:checked')).toHaveText('Custom (edited)');
  await expect(gdviz.control('Batch size')).toHaveValue('4');
  expect(await gdviz.value('lr-critical')).toBeCloseTo(criticalRate([0, 1, 2, 3]), 12);
  const before = await analysis(page);
  expect(before.n).toBe(4);
  expect(before.csv).toBe('x,y\n0,1\n1,3.1\n2,4.9\n3,7.2\n');
  const readoutsBefore = await readouts(page);

  const bad = 'x,y\n1,2\n3,abc\n5,6\n';
  await gdviz.control('Import CSV').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  const alert = page.locator('#import-error');
  await expect(alert).toHaveAttribute('role', 'alert');
  await expect(alert).toContainText('bad.csv');
  await expect(alert).toContainText('Line 3, column 2: "abc" is not a number');
  await expect(alert).toContainText('The data already shown stays');
  expect(await analysis(page)).toEqual(before);
  expect(await readouts(page)).toEqual(readoutsBefore);

  // A file with one row, and an empty file: refused the same way.
  await gdviz.control('Import CSV').setInputFiles({ name: 'one.csv', mimeType: 'text/csv', buffer: Buffer.from('1,2\n') });
  await expect(alert).toContainText('at least 2 are needed');
  await gdviz.control('Import CSV').setInputFiles({ name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.from('') });
  await expect(alert).toContainText('the file is empty');
  expect(await analysis(page)).toEqual(before);

  // Stepping works on the imported data.
  await stepTimes(gdviz, 2);
  expect(await gdviz.value('loss')).toBeLessThan(Number(readoutsBefore.loss));
});

test('the paste box loads data and reports a bad paste without losing the data', async ({ gdviz, page }) => {
  await openMenu(page, 'data-menu');
  const paste = gdviz.control('Paste CSV');
  await paste.fill('1,1\n2,2\n3,2.5\n4,4\n5,5.5\n');
  await gdviz.button('Load pasted data').click();
  await expect(page.locator('#import-status')).toContainText('Loaded 5 points from the pasted text');
  const before = await analysis(page);
  expect(before.n).toBe(5);
  await paste.fill('x,y\n1,2\n3\n');
  await gdviz.button('Load pasted data').click();
  await expect(page.locator('#import-error')).toContainText('Line 3: expected 2 columns (x,y), found 1');
  expect(await analysis(page)).toEqual(before);
  await expect(gdviz.control('Dataset')).toHaveValue('custom');
  // Choosing a preset again replaces the pasted data.
  await gdviz.control('Dataset').selectOption('clean');
  await expect(gdviz.control('Dataset')).toHaveValue('clean');
  expect((await analysis(page)).n).toBe(50);
});

test('click adds a point, drag moves it, shift-click deletes it; the analysis follows', async ({ gdviz, page }) => {
  const n0 = (await analysis(page)).n;
  const critical0 = await gdviz.value('lr-critical');
  const box = await canvasBox(page);
  const spot = await emptySpot(page, 0.25, 0.2); // top left: the clean line rises, no point there
  expect(spot.near).toBe(-1);
  expect(spot.data.length).toBe(2);

  await page.mouse.click(box.x + spot.x, box.y + spot.y);
  await expect.poll(async () => (await analysis(page)).n).toBe(n0 + 1);
  const added = await page.evaluate(() => [window.gdviz.vis.xs().at(-1), window.gdviz.vis.ys().at(-1)]);
  expect(added[0]).toBeCloseTo(spot.data[0], 9);
  expect(added[1]).toBeCloseTo(spot.data[1], 9);
  const critical1 = await gdviz.value('lr-critical');
  expect(critical1).not.toBe(critical0);
  await expect(gdviz.control('Dataset')).toHaveValue('custom');
  await expect(page.locator('#dataset-description')).toContainText(`Your own ${n0 + 1} points`);
  await expect(gdviz.control('Batch size')).toHaveValue(String(n0 + 1)); // full batch follows n

  // Drag the new point to the right and down.
  const at = await pointPosition(page, n0);
  expect(at).not.toBeNull();
  await page.mouse.move(box.x + at.x, box.y + at.y);
  await page.mouse.down();
  await page.mouse.move(box.x + at.x + 30, box.y + at.y + 40, { steps: 5 });
  await page.mouse.move(box.x + at.x + 60, box.y + at.y + 80, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => page.evaluate(() => window.gdviz.vis.xs().at(-1))).toBeGreaterThan(added[0]);
  const moved = await page.evaluate(() => [window.gdviz.vis.xs().at(-1), window.gdviz.vis.ys().at(-1)]);
  expect(moved[1]).toBeLessThan(added[1]);
  expect((await analysis(page)).n).toBe(n0 + 1);
  const critical2 = await gdviz.value('lr-critical');
  expect(critical2).not.toBe(critical1);
  // The drag updated the statistics in place; once it ends they are exactly those of the
  // points, as a link or a file would load them.
  const dragged = await analysis(page);
  await page.evaluate(() => {
    const vis = window.gdviz.vis;
    vis.set_points(vis.xs(), vis.ys());
  });
  const reloaded = await analysis(page);
  expect(reloaded).toEqual(dragged);
  await page.screenshot({ path: 'artifacts/editing.png' });

  // Shift-click deletes it: back to the original points and critical rate.
  const now = await pointPosition(page, n0);
  await page.keyboard.down('Shift');
  await page.mouse.click(box.x + now.x, box.y + now.y);
  await page.keyboard.up('Shift');
  await expect.poll(async () => (await analysis(page)).n).toBe(n0);
  expect(await gdviz.value('lr-critical')).toBe(critical0);
});

test('deleting below two points is refused with a visible message', async ({ gdviz, page }) => {
  await openMenu(page, 'data-menu');
  await gdviz.control('Paste CSV').fill('0,0\n1,1\n');
  await gdviz.button('Load pasted data').click();
  await expect(page.locator('#import-status')).toContainText('Loaded 2 points');
  await page.keyboard.press('Escape');
  const box = await canvasBox(page);
  const at = await pointPosition(page, 0);
  expect(at).not.toBeNull();
  await page.keyboard.down('Shift');
  await page.mouse.click(box.x + at.x, box.y + at.y);
  await page.keyboard.up('Shift');
  await expect(page.locator('#edit-message')).toHaveText('A line needs at least 2 points: this one stays.');
  expect((await analysis(page)).n).toBe(2);
});

test('a copied link reproduces the run exactly', async ({ gdviz, page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await gdviz.control('Dataset').selectOption('noisy');
  await gdviz.set('Seed', '7');
  await gdviz.set('Points', '120');
  await gdviz.set('Noise', '0.7');
  await gdviz.set('Learning rate', '0.15');
  await gdviz.set('Batch size', '16');
  await gdviz.control('Regularization').selectOption('elastic-net');
  await gdviz.set('Regularization strength', '0.05');
  await gdviz.set('L1 ratio', '0.3');
  await gdviz.set('Speed', '3');
  await stepTimes(gdviz, 25);
  const expected = await readouts(page);
  expect(Number(expected.epoch)).toBeGreaterThan(2); // mini-batches: the sampler is part of the run

  await gdviz.button('Copy link').click();
  await expect(page.locator('#link-feedback')).toHaveText('Link copied.');
  const url = await page.evaluate(() => navigator.clipboard.readText());
  expect(url).toBe(page.url());
  for (const part of ['dataset=noisy', 'seed=7', 'points=120', 'noise=0.7', 'learningRate=0.15', 'batchSize=16',
    'regularization=elastic-net', 'lambda=0.05', 'l1Ratio=0.3', 'speed=3']) {
    expect(url).toContain(part);
  }

  const other = await context.newPage();
  const errors = collectProblems(other);
  await other.bringToFront(); // a background tab gets no animation frames
  await other.goto(url);
  await expect(other.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(other.locator('#url-notice')).toBeHidden();
  await expect(other.getByLabel('Learning rate', { exact: true })).toHaveValue('0.15');
  await expect(other.getByLabel('L1 ratio', { exact: true })).toHaveValue('0.3');
  for (let i = 0; i < 25; i += 1) await other.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(other.getByTestId('iteration')).toHaveAttribute('data-value', '25');
  expect(await readouts(other)).toEqual(expected);
  expect(errors).toEqual([]);

  // Reloading the original page gives the same run again.
  await page.bringToFront();
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await stepTimes(gdviz, 25);
  expect(await readouts(page)).toEqual(expected);
});

test('edited points survive a reload through the link', async ({ gdviz, page }) => {
  const box = await canvasBox(page);
  const spot = await emptySpot(page, 0.3, 0.25);
  await page.mouse.click(box.x + spot.x, box.y + spot.y);
  await expect.poll(async () => (await analysis(page)).n).toBe(51);
  await gdviz.set('Learning rate', '0.1');
  await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('learningRate=0.1');
  const hash = await page.evaluate(() => window.location.hash);
  expect(hash).toMatch(/[#&]x=[^&]+/);
  expect(hash).toMatch(/[#&]y=[^&]+/);
  const before = await analysis(page);
  await stepTimes(gdviz, 5);
  const expected = await readouts(page);

  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  expect(await analysis(page)).toEqual(before); // the same points, bit for bit
  await expect(gdviz.control('Dataset')).toHaveValue('custom');
  await stepTimes(gdviz, 5);
  expect(await readouts(page)).toEqual(expected);
});

test('more than 300 edited points: the link keeps the preset and says so', async ({ gdviz, page }) => {
  const rows = Array.from({ length: 400 }, (_, i) => `${i / 100},${1 + (2 * i) / 100 + ((i * 7) % 5) / 10}`).join('\n');
  await openMenu(page, 'data-menu');
  await gdviz.control('Import CSV').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(rows) });
  await expect(page.locator('#import-status')).toContainText('Loaded 400 points');
  await expect(page.locator('#link-note')).toContainText('more than the 300 a link holds');
  await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('dataset=clean');
  expect(await page.evaluate(() => window.location.hash)).not.toMatch(/[#&]x=/);
});

test('a hostile or malformed link is ignored field by field with a notice', async ({ page, gdviz }) => {
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const fields = [
    'learningRate=-1',
    `speed=${encodeURIComponent('<script>window.__pwned=1</script>')}`,
    'points=1e99',
    'batchSize=abc',
    'seed=7', // a good field among bad ones still applies
    'regularization=quantum',
    'optimizer=warp-drive',
    `lang=${encodeURIComponent('<img src=x onerror="window.__pwned=2">')}`,
    'presenter=maybe',
    'x=1,2,zz',
    'y=1,2,3',
    'start=NaN,1',
    'runs=%7Bnot%20json',
    `${encodeURIComponent('<b>bold</b>')}=1`,
  ];
  await page.goto(`/index.html#${fields.join('&')}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const notice = page.locator('#url-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toHaveAttribute('role', 'status');
  const text = await notice.innerText();
  expect(text).toContain('Ignored from the link');
  for (const name of ['learningRate', 'speed', 'points', 'batchSize', 'regularization', 'optimizer', 'lang',
    'presenter', 'x, y', 'start', 'runs', '<b>bold</b>']) {
    expect(text, name).toContain(name);
  }
  expect(text).not.toContain('seed (');
  // Nothing went into the page as HTML; nothing ran.
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  expect(await page.locator('img, b, script:not([type="module"])').count()).toBe(0);
  expect(dialogs).toEqual([]);
  // The defaults stand where the link was bad; the good field applied.
  await expect(gdviz.control('Learning rate')).toHaveValue('0.05');
  await expect(gdviz.control('Speed')).toHaveValue('2');
  await expect(gdviz.control('Points')).toHaveValue('50');
  await expect(gdviz.control('Seed')).toHaveValue('7');
  await expect(gdviz.control('Learning rate')).not.toHaveAttribute('aria-invalid', 'true');
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  // The page still works, and the URL now holds the state actually in force.
  await gdviz.button('Step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '1');
  const hash = await page.evaluate(() => decodeURIComponent(window.location.hash));
  expect(hash).toContain('learningRate=0.05');
  expect(hash).not.toContain('<');
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toBeHidden();

  // A hash changed by hand is applied too.
  await page.evaluate(() => { window.location.hash = '#learningRate=0.02&speed=9'; });
  await expect(gdviz.control('Learning rate')).toHaveValue('0.02');
  await expect(gdviz.control('Speed')).toHaveValue('9');
  await expect(notice).toBeHidden();
});

test('exported data CSV reads back unchanged; trajectory CSV has every step', async ({ gdviz, page }) => {
  await openMenu(page, 'data-menu');
  const exported = await downloadText(page, () => page.locator('#export-data').click());
  expect(exported.name).toBe('gdviz-data.csv');
  const lines = exported.text.trimEnd().split('\n');
  expect(lines[0]).toBe('x,y');
  expect(lines.length - 1).toBe(50);
  const xs = await page.evaluate(() => Array.from(window.gdviz.vis.xs()));
  const ys = await page.evaluate(() => Array.from(window.gdviz.vis.ys()));
  lines.slice(1).forEach((line, i) => {
    const [x, y] = line.split(',').map(Number);
    expect(x).toBe(xs[i]);
    expect(y).toBe(ys[i]);
  });
  // Import the export: the same data, bit for bit.
  const before = await analysis(page);
  await gdviz.control('Import CSV').setInputFiles({ name: 'gdviz-data.csv', mimeType: 'text/csv', buffer: Buffer.from(exported.text) });
  await expect(page.locator('#import-status')).toContainText('Loaded 50 points');
  expect(await analysis(page)).toEqual(before);
  await page.keyboard.press('Escape');

  await gdviz.set('Learning rate', '0.1');
  await stepTimes(gdviz, 7);
  await openMenu(page, 'export-menu');
  const trajectory = await downloadText(page, () => page.locator('#export-trajectory').click());
  expect(trajectory.name).toBe('gdviz-trajectory.csv');
  const rows = trajectory.text.trimEnd().split('\n');
  expect(rows[0]).toBe('run,step,epoch,theta0,theta1,loss,grad_norm');
  expect(rows.length - 1).toBe(8); // steps 0 to 7 of run 1
  const cells = rows.slice(1).map((row) => row.split(',').map(Number));
  for (const [i, row] of cells.entries()) {
    expect(row.length).toBe(7);
    for (const v of row) expect(Number.isFinite(v)).toBe(true);
    expect(row[0]).toBe(1);
    expect(row[1]).toBe(i);
  }
  const last = cells.at(-1);
  expect(last[3]).toBe(await gdviz.value('theta0'));
  expect(last[4]).toBe(await gdviz.value('theta1'));
  expect(last[5]).toBe(await gdviz.value('loss'));
});

test('each plot and the dashboard export as PNG', async ({ gdviz, page }) => {
  await gdviz.set('Learning rate', '0.1');
  await stepTimes(gdviz, 12);
  fs.mkdirSync('artifacts', { recursive: true });
  const pngSize = (buffer) => {
    expect(buffer.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    return [buffer.readUInt32BE(16), buffer.readUInt32BE(20)];
  };
  for (const [plot, canvas, file] of [['surface', 'surface-static', 'gdviz-surface.png'],
    ['fit', 'fit-static', 'gdviz-data.png'], ['loss', 'loss', 'gdviz-loss.png'],
    ['coefficients', 'coefficients', 'gdviz-coefficients.png']]) {
    const [download] = await Promise.all([page.waitForEvent('download'),
      page.locator(`.png-button[data-plot="${plot}"]`).click()]);
    expect(download.suggestedFilename()).toBe(file);
    const buffer = fs.readFileSync(await download.path());
    const size = await page.evaluate((id) => [document.getElementById(id).width, document.getElementById(id).height], canvas);
    expect(pngSize(buffer)).toEqual(size);
    fs.writeFileSync(`artifacts/export-${plot}.png`, buffer);
  }
  await openMenu(page, 'export-menu');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-dashboard').click()]);
  expect(download.suggestedFilename()).toBe('gdviz-dashboard.png');
  const buffer = fs.readFileSync(await download.path());
  const [width, height] = pngSize(buffer);
  const plots = await page.locator('#plots').boundingBox();
  expect(width).toBeGreaterThan(plots.width);
  expect(height).toBeGreaterThan(plots.height);
  fs.writeFileSync('artifacts/export-dashboard.png', buffer);
});

test('the timeline shows an earlier step without recomputing, and Play returns to live', async ({ gdviz, page }) => {
  await gdviz.set('Learning rate', '0.01');
  const seen = [await readouts(page)];
  for (let i = 1; i <= 6; i += 1) {
    await gdviz.button('Step').click();
    await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', String(i));
    seen.push(await readouts(page));
  }
  const timeline = gdviz.control('Timeline');
  await expect(timeline).toHaveAttribute('max', '6');
  await expect(timeline).toHaveValue('6');
  await timeline.fill('3');
  await expect(page.locator('#timeline-text')).toHaveText('viewing step 3 of 6');
  for (const id of ['iteration', 'epoch', 'theta0', 'theta1', 'loss', 'grad-norm']) {
    expect(await gdviz.readout(id).getAttribute('data-value'), id).toBe(seen[3][id]);
  }
  await expect(page.locator('.topbar .readouts')).toHaveAttribute('data-scrub', '3');
  await timeline.fill('0');
  expect(await gdviz.value('theta0')).toBe(0);
  // The end of the range is live again.
  await timeline.fill('6');
  await expect(page.locator('#timeline-text')).toHaveText('live');
  expect(await readouts(page)).toEqual(seen[6]);
  // Play from a scrubbed view goes back to live and runs on.
  await timeline.fill('2');
  await expect(page.locator('#timeline-text')).toHaveText('viewing step 2 of 6');
  await gdviz.button('Play').click();
  await expect(page.locator('#timeline-text')).toHaveText('live');
  await expect.poll(() => gdviz.value('iteration')).toBeGreaterThan(6);
  await gdviz.button('Pause').click();
  await expect(page.locator('.topbar .readouts')).not.toHaveAttribute('data-scrub', /.*/);
});

test('a long run thins its history and the timeline says so', async ({ gdviz, page }) => {
  await gdviz.set('Learning rate', '0.00001');
  await gdviz.set('Speed', '1000');
  await gdviz.button('Play').click();
  await expect.poll(() => gdviz.value('iteration'), { timeout: 30_000 }).toBeGreaterThan(21_000);
  await gdviz.button('Pause').click();
  await expect(page.locator('#timeline-thinned')).toHaveText(/history thinned: every (2nd|4th) step kept/);
  const stride = await page.evaluate(() => window.gdviz.vis.history_stride(0));
  expect(stride).toBeGreaterThan(1);
  // Scrubbing lands on a kept step.
  await gdviz.control('Timeline').fill('12345');
  const shown = await gdviz.value('iteration');
  expect(shown % stride).toBe(0);
  expect(shown).toBeLessThanOrEqual(12345);
  expect(shown).toBeGreaterThan(12345 - stride);
});

test('the language switch turns the page into Chinese and back; the choice is in the link', async ({ gdviz, page }) => {
  const language = page.getByLabel('Language', { exact: true });
  await expect(language).toHaveValue('en');
  await language.selectOption('zh');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  for (const label of ['数据集', '点数', '噪声', '随机种子', '学习率', '批大小', '正则化', '正则化强度', '速度', '语言', '时间轴']) {
    await expect(page.getByLabel(label, { exact: true }), label).toBeVisible();
  }
  await expect(page.getByRole('button', { name: '单步', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: '播放', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: '重置', exact: true })).toBeVisible();
  await expect(gdviz.readout('status')).toHaveText('就绪');
  await expect(gdviz.readout('status')).toHaveAttribute('data-value', 'ready'); // values stay machine-readable
  await expect(page.locator('#dataset option:checked')).toHaveText('干净的直线');
  await expect(page.locator('#batch-size-hint')).toHaveText('共 50 个点：全批量');
  expect(await page.title()).toBe('gdviz：线性回归上的梯度下降');
  await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('lang=zh');

  // Messages made in JS: a refused value, and the divergence message composed from its numbers.
  await page.getByLabel('学习率', { exact: true }).fill('-1');
  await page.getByLabel('学习率', { exact: true }).press('Enter');
  await expect(page.locator('#learning-rate-error')).toHaveText('学习率必须是大于 0 的有限数，实际为 -1。仍使用 0.05。');
  const critical = await gdviz.value('lr-critical');
  await page.getByLabel('学习率', { exact: true }).fill(String(Number((critical * 1.5).toPrecision(3))));
  await page.getByLabel('学习率', { exact: true }).press('Enter');
  await page.getByRole('button', { name: '播放', exact: true }).click();
  await expect(gdviz.readout('status')).toHaveText('已发散');
  const message = page.getByTestId('message');
  await expect(message).toContainText('步发散：学习率');
  await expect(message).toContainText('高于这组数据的临界学习率');
  await expect(message).not.toContainText('Diverged');
  await page.screenshot({ path: 'artifacts/zh.png' });

  // A reload keeps Chinese (from the link); switching back gives English labels again, in
  // the plots too (their axis titles are drawn by the core: the pixels change).
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  const axisPixels = () => page.evaluate(() => {
    const c = document.getElementById('surface-static');
    // The bottom strip under the heat map holds the x-axis title.
    const strip = c.getContext('2d').getImageData(0, Math.floor(c.height * 0.93), c.width, Math.ceil(c.height * 0.07)).data;
    let sum = 0;
    for (let i = 0; i < strip.length; i += 4) sum = (sum * 31 + strip[i] + strip[i + 1] * 7) % 1000000007;
    return sum;
  });
  const chinesePlot = await axisPixels();
  await page.getByLabel('语言', { exact: true }).selectOption('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect.poll(axisPixels).not.toBe(chinesePlot);
  for (const label of ['Dataset', 'Learning rate', 'Batch size', 'Regularization', 'Speed', 'Language']) {
    await expect(gdviz.control(label), label).toBeVisible();
  }
  await expect(gdviz.button('Play')).toBeVisible();
  await expect(gdviz.readout('status')).toHaveText('ready');
  await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('lang=en');
});

test('the page follows the browser language by default', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const errors = collectProblems(page);
  await page.goto('/index.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByLabel('学习率', { exact: true })).toBeVisible();
  await expect(page.getByLabel('语言', { exact: true })).toHaveValue('zh');
  // An untouched page keeps a clean URL (the language is not forced on whoever opens a link).
  expect(new URL(page.url()).hash).toBe('');
  expect(errors).toEqual([]);
  await context.close();
});

test('phone-sized screen: one column, plots as wide as the screen, no sideways scrolling', async ({ gdviz, page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  const sizes = await page.evaluate(() => {
    const rect = (id) => document.getElementById(id).getBoundingClientRect();
    return {
      scrollWidth: document.documentElement.scrollWidth,
      surface: rect('surface-static'),
      fit: rect('fit-static'),
      loss: rect('loss'),
      controls: document.querySelector('.controls').getBoundingClientRect(),
      widest: Math.max(...[...document.querySelectorAll('body *')]
        .filter((el) => el.getClientRects().length > 0 && !el.closest('.menu-panel, dialog'))
        .map((el) => el.getBoundingClientRect().right)),
    };
  });
  expect(sizes.scrollWidth).toBeLessThanOrEqual(390);
  expect(sizes.widest).toBeLessThanOrEqual(390.5);
  for (const plot of ['surface', 'fit', 'loss']) {
    expect(sizes[plot].width, plot).toBeGreaterThan(300);
    expect(sizes[plot].right, plot).toBeLessThanOrEqual(390);
  }
  // Stacked: surface, then data, then loss; the settings below the plots.
  expect(sizes.fit.top).toBeGreaterThan(sizes.surface.bottom - 1);
  expect(sizes.loss.top).toBeGreaterThan(sizes.fit.bottom - 1);
  expect(sizes.controls.top).toBeGreaterThan(sizes.loss.bottom - 1);
  // Canvases follow the width (their backing store too).
  await expect.poll(() => page.evaluate(() => document.getElementById('surface-static').width)).toBeLessThanOrEqual(390);
  await gdviz.button('Step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '1');
  await page.screenshot({ path: 'artifacts/phone.png' });
  await page.screenshot({ path: 'artifacts/phone-full.png', fullPage: true });
  // The menus fit on the screen too.
  await openMenu(page, 'data-menu');
  const panel = await page.locator('#data-menu .menu-panel').boundingBox();
  expect(panel.x).toBeGreaterThanOrEqual(0);
  expect(panel.x + panel.width).toBeLessThanOrEqual(390);
});

test('presenter mode enlarges text and plot lines and is part of the link', async ({ gdviz, page }) => {
  const fontSize = () => page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
  expect(await fontSize()).toBe('16px');
  const ink = () => page.evaluate(() => {
    const c = document.getElementById('fit-static');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let dark = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 128 && d[i + 3] > 0) dark += 1;
    return dark;
  });
  const before = await ink();
  const presenter = gdviz.button('Presenter');
  await expect(presenter).toHaveAttribute('aria-pressed', 'false');
  await presenter.click();
  await expect(presenter).toHaveAttribute('aria-pressed', 'true');
  expect(await fontSize()).toBe('20px');
  await expect.poll(ink).toBeGreaterThan(before * 1.15); // thicker text, axes and larger points
  await gdviz.set('Learning rate', '0.1');
  await stepTimes(gdviz, 10);
  await page.screenshot({ path: 'artifacts/presenter.png' });
  await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('presenter=1');
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(gdviz.button('Presenter')).toHaveAttribute('aria-pressed', 'true');
  expect(await fontSize()).toBe('20px');
  await gdviz.button('Presenter').click();
  expect(await fontSize()).toBe('16px');
  await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('presenter=0');
});
