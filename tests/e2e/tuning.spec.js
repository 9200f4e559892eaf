// End-to-end tests of the tuning tools: Find a rate (the learning-rate range test) opens, its
// curve starts as the published loop says on the page's own data, its suggestions set η, a
// click on its plot sets η, and the runs and the link are left as they were.
// Every test also fails on a console error or a page error (fixtures.js).
import { test, expect } from './fixtures.js';

test.beforeEach(async ({ gdviz }) => {
  await gdviz.open();
});

/** Opens Find a rate and waits for the test to stop; returns its report. */
async function rangeTest(page) {
  await page.getByRole('button', { name: 'Find a rate…' }).click();
  await expect(page.locator('#range-test-dialog')).toBeVisible();
  await page.waitForFunction(() => window.gdviz.features.rangeTest.result()?.done === true);
  return page.evaluate(() => window.gdviz.features.rangeTest.result());
}

test('Find a rate follows fastai\'s loop on the page\'s data and leaves the runs alone', async ({ page, gdviz }) => {
  const url = page.url();
  const report = await rangeTest(page);
  // The first updates by hand: plain full-batch descent from θ = (0, 0) on J = (1/2n)·Σr², at
  // η_i = 1e-7·(1e8)^(i/100); the recorded loss is J before the step, smoothed with β = 0.98.
  const { xs, ys } = await page.evaluate(() => ({ xs: Array.from(window.gdviz.vis.xs()), ys: Array.from(window.gdviz.vis.ys()) }));
  const n = xs.length;
  let theta = [0, 0];
  let avg = 0;
  for (let i = 0; i < 5; i += 1) {
    const lr = 1e-7 * 1e8 ** (i / 100);
    let [j, g0, g1] = [0, 0, 0];
    xs.forEach((x, k) => {
      const r = theta[0] + theta[1] * x - ys[k];
      j += r * r;
      g0 += r;
      g1 += r * x;
    });
    j /= 2 * n;
    avg = 0.98 * avg + 0.02 * j;
    expect(Math.abs(report.lrs[i] / lr - 1)).toBeLessThan(1e-12);
    expect(Math.abs(report.losses[i] / j - 1)).toBeLessThan(1e-12);
    expect(Math.abs(report.smooth_losses[i] / (avg / (1 - 0.98 ** (i + 1))) - 1)).toBeLessThan(1e-12);
    theta = [theta[0] - lr * g0 / n, theta[1] - lr * g1 / n];
  }
  // It stopped on divergence, past the critical rate.
  expect(report.stopped).toBe('diverged');
  expect(report.lrs.at(-1)).toBeGreaterThan(report.lr_critical);
  // The runs did not move and the link did not change.
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '0');
  expect(page.url()).toBe(url);
  // The theory's rates for full-batch plain descent: 1/λmax = critical/2.
  expect(Math.abs(report.theory[0] * 2 / report.theory[2] - 1)).toBeLessThan(1e-12);
  // The sentence names the valley rate and its ratio to the critical rate.
  const valley = report.suggestions.valley;
  const verdict = await page.locator('#range-test-verdict').textContent();
  expect(verdict).toContain(`2/λmax = ${Number(report.lr_critical.toPrecision(3))}`);
  expect(verdict).toContain(valley < report.lr_critical / 2 ? 'below 1/λmax' : valley <= report.lr_critical ? 'between 1/λmax and 2/λmax' : 'above it');
  await page.screenshot({ path: 'test-results/range-test.png' });
});

test('a suggestion\'s button and a click on the range test\'s plot set the learning rate', async ({ page }) => {
  const report = await rangeTest(page);
  const buttons = page.locator('#range-test-dialog button.suggestion');
  await expect(buttons).toHaveCount(3);
  const valley = buttons.filter({ hasText: 'valley' });
  const rate = Number(report.suggestions.valley.toPrecision(3));
  await valley.click();
  await expect(page.locator('#learning-rate')).toHaveValue(String(rate));
  // The steep rate is one of the curve's rates; minimum is a tenth of the lowest loss's rate.
  expect(report.lrs).toContain(report.suggestions.steep);
  const lowest = report.smooth_losses.indexOf(Math.min(...report.smooth_losses.slice(10, -5)));
  expect(report.suggestions.minimum).toBe(report.lrs[lowest] / 10);
  // A click in the middle of the plot: a rate inside the sweep.
  const box = await page.locator('#range-test-canvas').boundingBox();
  await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.4);
  const clicked = Number(await page.locator('#learning-rate').inputValue());
  expect(clicked).not.toBe(rate);
  expect(clicked).toBeGreaterThan(1e-7);
  expect(clicked).toBeLessThan(10);
  await page.keyboard.press('Escape');
  await expect(page.locator('#range-test-dialog')).toBeHidden();
});

/** Opens the stability map and waits for its real runs; returns its report. */
async function stabilityMap(page) {
  await page.getByRole('button', { name: 'Stability map…' }).click();
  await expect(page.locator('#rate-map-dialog')).toBeVisible();
  await page.waitForFunction(() => window.gdviz.features.rateMap.result()?.done === true, null, { timeout: 60_000 });
  return page.evaluate(() => window.gdviz.features.rateMap.result());
}

test('the stability map marks Polyak\'s optimum of the page\'s data, its real runs agree, and a click chooses Momentum', async ({ page, gdviz }) => {
  const report = await stabilityMap(page);
  // The Hessian of (1/2n)·Σ(θ0 + θ1·x − y)²: [[1, x̄], [x̄, mean(x²)]], its eigenvalues by hand.
  const xs = await page.evaluate(() => Array.from(window.gdviz.vis.xs()));
  const n = xs.length;
  const mx = xs.reduce((a, x) => a + x, 0) / n;
  const mxx = xs.reduce((a, x) => a + x * x, 0) / n;
  const mid = (1 + mxx) / 2;
  const half = Math.hypot((1 - mxx) / 2, mx);
  const [lmin, lmax] = [mid - half, mid + half];
  const kappa = lmax / lmin;
  const close = (a, b, tol = 1e-9) => expect(Math.abs(a - b) / Math.abs(b), `${a} vs ${b}`).toBeLessThan(tol);
  close(report.optimum.lr, 4 / (Math.sqrt(lmax) + Math.sqrt(lmin)) ** 2);
  close(report.optimum.momentum, ((Math.sqrt(kappa) - 1) / (Math.sqrt(kappa) + 1)) ** 2);
  close(report.optimum.rate, (Math.sqrt(kappa) - 1) / (Math.sqrt(kappa) + 1));
  close(report.plain_best.lr, 2 / (lmin + lmax));
  // Every run the theory says diverges did; the converging ones agree in the median to 1e-4.
  expect(report.agreement.diverged).toBe(report.agreement.predicted_divergent);
  expect(report.agreement.compared).toBeGreaterThan(50);
  expect(report.agreement.median_gap).toBeLessThan(1e-4);
  // Plain full-batch descent: no caveat, and run 1 sits on the μ = 0 row.
  expect(report.caveats).toEqual([]);
  expect(report.current).toEqual([0.05, 0]);
  await page.screenshot({ path: 'test-results/stability-map.png' });
  // A click in the map's upper middle: Momentum with that η and μ.
  const box = await page.locator('#rate-map-canvas').boundingBox();
  await page.mouse.click(box.x + box.width * 0.45, box.y + box.height * 0.3);
  await expect(page.locator('#optimizer')).toHaveValue('momentum');
  const momentum = Number(await page.locator('#momentum').inputValue());
  expect(momentum).toBeGreaterThan(0.3);
  expect(momentum).toBeLessThan(1);
  const lr = Number(await page.locator('#learning-rate').inputValue());
  expect(lr).toBeGreaterThan(report.lr_range[0]);
  expect(lr).toBeLessThan(report.lr_range[1]);
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '0');
});

test('the stability map says what it shows when run 1 is not full-batch heavy-ball', async ({ page }) => {
  await page.locator('#optimizer').selectOption('adam');
  await page.locator('#batch-size').fill('10');
  await page.locator('#batch-size').press('Enter');
  const report = await stabilityMap(page);
  expect(report.caveats.map((c) => c.kind)).toEqual(['not-heavy-ball', 'mini-batch']);
  const items = page.locator('#rate-map-caveats li');
  await expect(items).toHaveCount(2);
  await expect(items.first()).toContainText('Adam is not heavy-ball momentum');
  await expect(items.nth(1)).toContainText('mini-batches');
  expect(report.current).toBeNull();
});
