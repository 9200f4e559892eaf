// End-to-end tests of the step sizes that look at the loss: the Rate rule and Line search
// controls with their parameters, the line search's trial points, Newton and CG beside gradient
// descent (and off while there is an L1 part), and the methods ladder. Every test also fails on
// a console error or a page error (fixtures.js).
import { test, expect } from './fixtures.js';

async function stepTimes(page, n) {
  const iteration = page.getByTestId('iteration');
  const start = Number(await iteration.getAttribute('data-value'));
  for (let i = 0; i < n; i += 1) await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(iteration).toHaveAttribute('data-value', String(start + n));
}

test.beforeEach(async ({ gdviz }) => {
  await gdviz.open();
});

test('the rate rule and the line search show their parameters, and the link keeps them', async ({ gdviz, page }) => {
  await expect(gdviz.control('Up')).toBeHidden();
  await gdviz.control('Rate rule').selectOption('bold-driver');
  await expect(gdviz.control('Up')).toHaveValue('1.05');
  await expect(gdviz.control('Down')).toHaveValue('0.5');
  await gdviz.set('Down', 0.25);
  await expect(page.locator('#rate-rule-formula')).toContainText('η ← η·down');
  // Above the critical rate the first step is undone: θ stays at the start, the rate is a quarter.
  const critical = await gdviz.value('lr-critical');
  await gdviz.set('Learning rate', 2 * critical);
  await stepTimes(page, 1);
  expect(await gdviz.value('theta0')).toBe(0);
  expect(await gdviz.value('theta1')).toBe(0);
  expect(await gdviz.value('lr-effective')).toBeCloseTo((2 * critical) / 4, 12);
  await page.getByRole('button', { name: 'Copy link', exact: true }).click();
  const url = await page.evaluate(() => window.location.href);
  expect(url).toContain('rateRule=bold-driver');
  expect(url).toContain('boldDown=0.25');
  expect(url).not.toContain('armijoBeta');

  // A line search goes with plain descent without a rate rule: refused with the reason.
  await gdviz.control('Line search').selectOption('exact');
  await expect(page.locator('#line-search-error')).toContainText('Rate rule must be none while a line search chooses the step, got bold-driver');
  await gdviz.control('Rate rule').selectOption('none');
  await gdviz.control('Line search').selectOption('armijo');
  await expect(gdviz.control('β')).toHaveValue('0.5');
  await expect(gdviz.control('c')).toHaveValue('0.0001');
  await gdviz.set('c', 2);
  await expect(page.locator('#armijo-c-error')).toContainText('Sufficient-decrease constant c must be in (0, 1), got 2. Still using 0.0001');
  // A mini-batch is refused while a search is on.
  await gdviz.set('Batch size', 5);
  await expect(page.locator('#batch-size-error')).toContainText('the full batch of 50');
});

test('an Armijo search draws its trials on the surface and counts them', async ({ gdviz, page }) => {
  await gdviz.control('Dataset').selectOption('ill-conditioned');
  await gdviz.control('Line search').selectOption('armijo');
  await gdviz.set('Learning rate', 1);
  const before = await page.evaluate(() => {
    const c = document.getElementById('surface-moving');
    return c.getContext('2d').getImageData(0, 0, c.width, c.height).data.reduce((a, v) => a + v, 0);
  });
  await stepTimes(page, 1);
  const trials = await page.evaluate(() => window.gdviz.vis.line_search_trials(0));
  // From η₀ = 1 halving: rejected trials first, the accepted one last, each half the one before.
  expect(trials.length).toBeGreaterThan(1);
  expect(trials[0].eta).toBe(1);
  trials.slice(1).forEach((trial, i) => expect(trial.eta).toBe(trials[i].eta / 2));
  expect(trials.map((trial) => trial.accepted)).toEqual([...trials.slice(1).map(() => false), true]);
  expect(await gdviz.value('lr-effective')).toBe(trials[trials.length - 1].eta);
  // Each trial compares f(θ′) ≤ f(θ) − c·η·gᵀg: the accepted one does, the others do not.
  const report = await page.evaluate(() => window.gdviz.vis.reports()[0]);
  expect(report.evaluations).toBe(2 + trials.length);
  const after = await page.evaluate(() => {
    const c = document.getElementById('surface-moving');
    return c.getContext('2d').getImageData(0, 0, c.width, c.height).data.reduce((a, v) => a + v, 0);
  });
  expect(after).not.toBe(before);
});

test('Newton and CG reach θ* at once, are off with an L1 part, and the methods ladder races them', async ({ gdviz, page }) => {
  await gdviz.control('Dataset').selectOption('ill-conditioned');
  const star = await page.evaluate(() => window.gdviz.vis.analysis().optimum.theta.theta);
  await gdviz.control('Optimizer').selectOption('newton');
  await gdviz.set('Learning rate', 1);
  await stepTimes(page, 1);
  expect(await gdviz.value('theta0')).toBeCloseTo(star[0], 9);
  expect(await gdviz.value('theta1')).toBeCloseTo(star[1], 9);
  await gdviz.control('Optimizer').selectOption('cg');
  await expect(page.locator('#method-note')).toContainText('the learning rate is not used');
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await stepTimes(page, 2);
  expect(await gdviz.value('theta0')).toBeCloseTo(star[0], 9);
  expect(await gdviz.value('theta1')).toBeCloseTo(star[1], 9);
  // An L1 part is refused while CG runs; with plain descent it is taken and CG is off.
  await gdviz.control('Regularization').selectOption('l1');
  await expect(page.locator('#regularization-error')).toContainText('without an L1 part while a run uses Newton or CG');
  await gdviz.control('Optimizer').selectOption('sgd');
  await gdviz.control('Regularization').selectOption('l1');
  await expect(page.locator('#regularization-error')).toHaveText('');
  await expect(gdviz.control('Optimizer').locator('option[value="cg"]')).toBeDisabled();
  await expect(page.locator('#method-note')).toContainText('Newton and conjugate gradient are off');
  await gdviz.control('Regularization').selectOption('none');

  // The methods ladder: GD at its best constant rate, momentum, the exact search, CG, Newton.
  await page.locator('#runs-section summary').click();
  await page.getByRole('button', { name: 'Ladder: methods', exact: true }).click();
  await expect(page.getByTestId('run-label-5')).toContainText('Newton η=1');
  const labels = await page.evaluate(() => window.gdviz.vis.run_labels());
  expect(labels.slice(1)).toEqual([
    `GD η=${labels[1].split('η=')[1]}`, labels[2], 'GD exact', 'CG', 'Newton η=1',
  ]);
  expect(labels[2]).toMatch(/^Momentum η=/);
  const optimal = await page.evaluate(() => window.gdviz.vis.analysis().curvature.lr_optimal);
  expect((await page.evaluate(() => window.gdviz.vis.run_config(1))).learning_rate).toBe(optimal);
  await stepTimes(page, 3);
  await expect(page.getByTestId('run-status-4')).toHaveAttribute('data-value', 'converged');
  await expect(page.getByTestId('run-status-5')).toHaveAttribute('data-value', 'converged');
  await expect(page.getByTestId('run-status-1')).toHaveAttribute('data-value', 'running');
  // The link carries the ladder.
  await page.getByRole('button', { name: 'Copy link', exact: true }).click();
  expect(await page.evaluate(() => window.location.href)).toContain('%22line_search%22');
});

test('the explanation writes each rule with its numbers, and its next θ is where Step goes', async ({ gdviz, page }) => {
  await gdviz.control('Dataset').selectOption('ill-conditioned');
  await page.locator('#explain-section summary').click();
  const body = page.locator('#explain-body');
  const settings = [
    ['lineSearch', 'exact', 'gᵀHg'], ['lineSearch', 'armijo', 'β'], ['lineSearch', 'bb', 'η₀'], ['lineSearch', 'polyak', 'J*'],
    ['rateRule', 'bold-driver', 'J(θ′)'], ['rateRule', 'plateau', null],
  ];
  for (const [key, value, symbol] of settings) {
    await gdviz.control('Line search').selectOption('none');
    await gdviz.control('Rate rule').selectOption('none');
    await gdviz.control(key === 'lineSearch' ? 'Line search' : 'Rate rule').selectOption(value);
    await gdviz.set('Learning rate', 0.05);
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    for (let k = 0; k < 3; k += 1) {
      if (symbol && k === 0) await expect(body.locator('math').filter({ hasText: symbol }).first()).toBeVisible();
      const predicted = await body.evaluate((el) => [Number(el.dataset.nextTheta0), Number(el.dataset.nextTheta1)]);
      await stepTimes(page, 1);
      expect([await gdviz.value('theta0'), await gdviz.value('theta1')], `${value}, step ${k + 1}`).toEqual(predicted);
    }
  }
});
