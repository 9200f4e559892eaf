// End-to-end tests of models with several features: a polynomial on the curved preset (against
// the native command line), the two-feature preset with its three coefficients and its 3-D view,
// CSV files of several x columns, lasso switching a feature off, and links that keep the model.
// Every test also fails on a console error or a page error (fixtures.js).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pixels, test, expect } from './fixtures.js';

/** Runs the native command line (the debug build `cargo test` made, or through cargo). */
function gdviz(...args) {
  const binary = 'target/debug/gdviz';
  if (existsSync(binary)) return execFileSync(binary, args, { encoding: 'utf8' });
  return execFileSync('cargo', ['run', '--quiet', '--', ...args], { encoding: 'utf8' });
}

async function openMenu(page, id) {
  const details = page.locator(`#${id}`);
  if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
  await expect(details.locator('.menu-panel')).toBeVisible();
}

async function stepTimes(page, n) {
  const iteration = page.getByTestId('iteration');
  const start = Number(await iteration.getAttribute('data-value'));
  for (let i = 0; i < n; i += 1) await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(iteration).toHaveAttribute('data-value', String(start + n));
}

/** θ0 … θd from the readouts (data-value, full precision). */
async function thetaReadouts(page, count) {
  return page.evaluate((count) => Array.from({ length: count },
    (_, k) => Number(document.querySelector(`[data-testid="theta${k}"]`).getAttribute('data-value'))), count);
}

/** λmax of the symmetric matrix `m` by power iteration (written here, not the core's). */
function largestEigenvalue(m) {
  let v = m.map(() => 1);
  let lambda = 0;
  for (let it = 0; it < 5000; it += 1) {
    const w = m.map((row) => row.reduce((s, a, j) => s + a * v[j], 0));
    const norm = Math.hypot(...w);
    v = w.map((x) => x / norm);
    lambda = norm;
  }
  return lambda;
}

/** The Hessian (1/n)·ZᵀZ of ½·mean squared error for the rows of features `rows` (z = (1, x)). */
function hessian(rows) {
  const z = rows.map((r) => [1, ...r]);
  const p = z[0].length;
  return Array.from({ length: p }, (_, a) => Array.from({ length: p },
    (_, b) => z.reduce((s, r) => s + r[a] * r[b], 0) / z.length));
}

/** The y (CSS px, in the canvas) of the run's curve in column `x` of the fit's moving layer. */
async function curveRows(page, fractions) {
  return page.evaluate((fractions) => {
    const canvas = document.getElementById('fit-moving');
    const g = canvas.getContext('2d');
    const { width, height } = canvas;
    const data = g.getImageData(0, 0, width, height).data;
    const color = window.gdviz.catalog.run_colors[0];
    const rgb = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
    return fractions.map((f) => {
      const x = Math.round(width * f);
      const rows = [];
      for (let y = 0; y < height; y += 1) {
        const i = (y * width + x) * 4;
        if (data[i + 3] > 200 && rgb.every((c, k) => Math.abs(data[i + k] - c) < 30)) rows.push(y);
      }
      return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : null;
    });
  }, fractions);
}

test.beforeEach(async ({ gdviz: page }) => {
  await page.open();
});

test('degree 3 on the curved preset bends the curve, draws the coefficients and matches the command line', async ({ gdviz: ui, page }) => {
  test.setTimeout(120_000);
  await ui.control('Dataset').selectOption('cubic');
  await ui.control('Model').selectOption('polynomial');
  await ui.set('Degree', 3);
  await expect(page.locator('#fit-caption')).toHaveText('Data and fitted curve');
  await expect(page.getByTestId('theta3')).toBeVisible();
  await expect(page.locator('#theta1-label')).toHaveText('θ₁ (x)');
  await expect(page.locator('#coefficient-readouts')).toContainText('θ₃ (x³)');
  await stepTimes(page, 10);

  const dir = mkdtempSync(join(tmpdir(), 'gdviz-'));
  const file = join(dir, 'cubic.csv');
  writeFileSync(file, gdviz('preset', 'cubic'));
  const native = JSON.parse(gdviz('fit', '--csv', file, '--degree', '3', '--steps', '10', '--lr', '0.05'));
  const theta = await thetaReadouts(page, 4);
  expect(native.theta).toHaveLength(4);
  theta.forEach((v, k) => expect(Math.abs(v - native.theta[k])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(native.theta[k]))));

  // The curve bends: at the middle of the plot it is far from the chord of its two ends.
  const [left, middle, right] = await curveRows(page, [0.3, 0.55, 0.8]);
  expect(left).not.toBeNull();
  expect(middle).not.toBeNull();
  expect(right).not.toBeNull();
  const chord = left + ((right - left) * (0.55 - 0.3)) / (0.8 - 0.3);
  expect(Math.abs(middle - chord)).toBeGreaterThan(6);

  // The coefficient plot: four lines drawn.
  const ink = await page.evaluate(() => {
    const c = document.getElementById('coefficients');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let count = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0 && (d[i - 3] < 200 || d[i - 2] < 200)) count += 1;
    return count;
  });
  expect(ink).toBeGreaterThan(500);
});

test('the two-feature preset has three coefficients, its critical rate, and a 3-D view that rotates', async ({ gdviz: ui, page }) => {
  await ui.control('Dataset').selectOption('two-features');
  await expect(ui.control('Model')).toHaveValue('columns');
  await expect(ui.control('Degree')).toBeDisabled();
  await expect(page.locator('#theta1-label')).toHaveText('θ₁ (x1)');
  await expect(page.locator('#coefficient-readouts')).toContainText('θ₂ (x2)');
  await expect(page.locator('#surface-caption')).toHaveText('Loss surface over (θ₁, θ₂), others at their best (profile)');
  await expect(page.locator('#fit-caption')).toHaveText('Data and fitted plane (drag to rotate)');
  // The critical rate 2/λmax of the data's own Hessian.
  const rows = await page.evaluate(() => {
    const [x1, x2] = window.gdviz.vis.x_columns();
    return Array.from(x1, (v, i) => [v, x2[i]]);
  });
  expect(rows).toHaveLength(100);
  expect(await ui.value('lr-critical')).toBeCloseTo(2 / largestEigenvalue(hessian(rows)), 10);

  await stepTimes(page, 3);
  const theta = await thetaReadouts(page, 3);
  theta.forEach((v) => expect(Number.isFinite(v)).toBe(true));
  expect(theta[2]).toBeGreaterThan(0); // y = 2·x1 + 3·x2: θ2 climbs first

  // The 3-D view is drawn, and dragging on it turns it.
  const drawn = await ui.canvasesInk();
  expect(drawn.fit).toBe(true);
  const before = await pixels(page, 'fit-static');
  const box = await page.locator('#fit-moving').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 10, { steps: 6 });
  await page.mouse.up();
  await expect.poll(() => pixels(page, 'fit-static')).not.toBe(before);
  // Dragging rotated the view; it did not add or move points.
  expect(await page.evaluate(() => window.gdviz.vis.analysis().n)).toBe(100);
});

test('a CSV of three columns names the coefficients; a bad one names its line and keeps the data', async ({ gdviz: ui, page }) => {
  await openMenu(page, 'data-menu');
  const good = 'height,weight,price\n1,2,10\n2,1,11\n3,5,20\n4,3,17\n5,6,26\n6,4,23\n';
  await ui.control('Import CSV').setInputFiles({ name: 'houses.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await expect(page.locator('#import-status')).toContainText('Loaded 6 points from houses.csv');
  await expect(ui.control('Model')).toHaveValue('columns');
  await expect(page.locator('#theta1-label')).toHaveText('θ₁ (height)');
  await expect(page.locator('#coefficient-readouts')).toContainText('θ₂ (weight)');
  const rows = [[1, 2], [2, 1], [3, 5], [4, 3], [5, 6], [6, 4]];
  expect(await ui.value('lr-critical')).toBeCloseTo(2 / largestEigenvalue(hessian(rows)), 10);
  const before = await page.evaluate(() => ({ csv: window.gdviz.vis.export_csv(), a: window.gdviz.vis.analysis() }));
  expect(before.csv).toBe(good);

  const bad = 'a,b,c\n1,2,3\n4,5\n6,7,8\n';
  await ui.control('Import CSV').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  const alert = page.locator('#import-error');
  await expect(alert).toContainText('bad.csv');
  await expect(alert).toContainText('Line 3: expected 3 columns, as in the first row, found 2');
  expect(await page.evaluate(() => ({ csv: window.gdviz.vis.export_csv(), a: window.gdviz.vis.analysis() }))).toEqual(before);
  await expect(page.locator('#theta1-label')).toHaveText('θ₁ (height)');

  // Leaving weight out: two coefficients, the critical rate of height alone; weight comes back.
  await page.getByRole('group', { name: 'Features' }).getByLabel('weight').uncheck();
  await expect(page.locator('#coefficient-readouts')).toBeHidden();
  expect(await ui.value('lr-critical')).toBeCloseTo(2 / largestEigenvalue(hessian(rows.map((r) => [r[0]]))), 10);
  expect(await page.evaluate(() => window.gdviz.vis.export_csv())).toBe(good);
  await page.getByRole('group', { name: 'Features' }).getByLabel('weight').check();
  await expect(page.locator('#coefficient-readouts')).toContainText('θ₂ (weight)');

  // Two columns again: the line.
  await ui.control('Import CSV').setInputFiles({ name: 'line.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y\n0,1\n1,3\n2,5.5\n') });
  await expect(ui.control('Model')).toHaveValue('line');
  await expect(page.locator('#theta1-label')).toHaveText('θ₁ (slope)');
  await expect(page.locator('#coefficient-readouts')).toBeHidden();
});

test('lasso with a large λ on the two-feature preset switches θ₁ off exactly', async ({ gdviz: ui, page }) => {
  await ui.control('Dataset').selectOption('two-features');
  await ui.control('Regularization').selectOption('l1');
  await ui.set('Regularization strength', 2.5);
  await expect(page.locator('#surface-caption')).toHaveText('Loss surface over (θ₁, θ₂), others held at θ*');
  await page.evaluate(() => {
    window.gdviz.vis.step(3000);
    window.gdviz.refresh();
  });
  await expect(page.getByTestId('iteration')).not.toHaveAttribute('data-value', '0');
  const [, theta1, theta2] = await thetaReadouts(page, 3);
  // With λ = 2.5 above |c·cov(x1, y)| ≈ 2 and below ≈ 3 for x2, θ1* = 0 and θ2* > 0.
  const optimum = await page.evaluate(() => window.gdviz.vis.analysis().optimum.theta.theta);
  expect(optimum[1]).toBe(0);
  expect(theta1).toBe(0);
  expect(theta2).toBeGreaterThan(0);
});

test('a link keeps the polynomial, its surface axes and its start, and imported columns', async ({ gdviz: ui, page, browser }) => {
  await ui.control('Dataset').selectOption('cubic');
  await ui.control('Model').selectOption('polynomial');
  await ui.set('Degree', 3);
  await page.locator('#surface-across').selectOption('2');
  await page.locator('#surface-up').selectOption('3');
  await expect(page.locator('#surface-caption')).toHaveText('Loss surface over (θ₂, θ₃), others at their best (profile)');
  await ui.set('Start θ₃', 0.5);
  await stepTimes(page, 3);
  const theta = await thetaReadouts(page, 4);
  await ui.button('Copy link').click();
  const url = await page.evaluate(() => window.location.href);
  expect(url).toContain('model=polynomial');
  expect(url).toContain('degree=3');
  expect(url).toContain('axes=2,3');
  expect(url).toContain('start=0,0,0,0.5');

  const other = await browser.newPage();
  await other.goto(url);
  await expect(other.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(other.getByLabel('Model', { exact: true })).toHaveValue('polynomial');
  await expect(other.getByLabel('Degree', { exact: true })).toHaveValue('3');
  await expect(other.locator('#surface-across')).toHaveValue('2');
  await expect(other.locator('#surface-up')).toHaveValue('3');
  await expect(other.getByLabel('Start θ₃', { exact: true })).toHaveValue('0.5');
  await stepTimes(other, 3);
  expect(await thetaReadouts(other, 4)).toEqual(theta);
  expect(await other.locator('#url-notice').isHidden()).toBe(true);

  // Imported columns with their names travel in the link.
  await openMenu(page, 'data-menu');
  const csv = 'a,b,out\n1,2,5\n2,1,6\n3,4,9\n4,3,10\n5,6,14\n';
  await ui.control('Import CSV').setInputFiles({ name: 'two.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await ui.button('Copy link').click();
  const columnsUrl = await page.evaluate(() => window.location.href);
  expect(columnsUrl).toContain('x1=1,2,3,4,5');
  expect(columnsUrl).toContain('names=a,b,out');
  await other.goto('about:blank');
  await other.goto(columnsUrl);
  await expect(other.locator('body')).toHaveAttribute('data-ready', 'true');
  expect(await other.evaluate(() => window.gdviz.vis.export_csv())).toBe(csv);
  await expect(other.getByLabel('Model', { exact: true })).toHaveValue('columns');
  await other.close();
});
