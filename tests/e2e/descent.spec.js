// End-to-end tests of descent on the page: optimizers and their hyperparameters, schedules and
// the effective rate, comparison runs and ladders, click-to-start, standardized x, the overlays
// and the explanation panel. Expected numbers are computed here, independently of the core,
// from the data the page returns (vis.xs(), vis.ys()) and the published update rules.
// Every test also fails on a console error or a page error (fixtures.js).
import { test, expect, pixels } from './fixtures.js';

test.beforeEach(async ({ gdviz }) => {
  await gdviz.open();
});

/** Least squares J = (1/2n)·Σ(θ0 + θ1·x − y)²: the gradient at θ from the page's data. */
async function gradientAt(page, theta) {
  const { xs, ys } = await page.evaluate(() => ({
    xs: Array.from(window.gdviz.vis.xs()), ys: Array.from(window.gdviz.vis.ys()),
  }));
  let g0 = 0;
  let g1 = 0;
  xs.forEach((x, i) => {
    const r = theta[0] + theta[1] * x - ys[i];
    g0 += r;
    g1 += r * x;
  });
  return [g0 / xs.length, g1 / xs.length];
}

async function steps(gdviz, n) {
  const start = await gdviz.value('iteration');
  for (let i = 0; i < n; i += 1) await gdviz.button('Step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', String(start + n));
}

async function theta(gdviz) {
  return [await gdviz.value('theta0'), await gdviz.value('theta1')];
}

function expectClose(actual, expected, relative = 1e-9) {
  const scale = Math.max(1e-12, Math.abs(expected));
  expect(Math.abs(actual - expected) / scale, `${actual} vs ${expected}`).toBeLessThan(relative);
}

async function openSection(page, id) {
  const details = page.locator(`#${id}`);
  if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
  await expect(details).toHaveAttribute('open', '');
}

const ROWS = {
  sgd: [],
  momentum: ['Momentum μ'],
  nesterov: ['Momentum μ'],
  adagrad: ['ε'],
  'rmsprop': ['α', 'ε'],
  adam: ['β₁', 'β₂', 'ε'],
};
const DEFAULTS = { 'Momentum μ': '0.9', 'β₁': '0.9', 'β₂': '0.999', 'α': '0.99' };

test('each optimizer shows its own hyperparameters with torch defaults; a bad one is refused', async ({ gdviz, page }) => {
  const select = gdviz.control('Optimizer');
  await expect(select).toHaveValue('sgd');
  await expect(page.locator('#optimizer option:checked')).toHaveText('Plain GD / SGD');
  for (const [kind, shown] of Object.entries(ROWS)) {
    await select.selectOption(kind);
    for (const label of ['Momentum μ', 'β₁', 'β₂', 'α', 'ε']) {
      if (shown.includes(label)) await expect(gdviz.control(label), `${kind}: ${label}`).toBeVisible();
      else await expect(gdviz.control(label), `${kind}: ${label}`).toBeHidden();
    }
    for (const label of shown) {
      const expected = label === 'ε' ? (kind === 'adagrad' ? '1e-10' : '1e-8') : DEFAULTS[label];
      await expect(gdviz.control(label)).toHaveValue(expected);
    }
    const optimizer = await page.evaluate(() => window.gdviz.vis.run_config(0).optimizer);
    expect(optimizer.kind).toBe(kind);
  }
  // Adam: β₁ = 1.5 is refused at the field, the run keeps 0.9; 0.8 is taken.
  await gdviz.set('β₁', '1.5');
  await expect(page.locator('#beta1-error')).toHaveText('Beta1 β1 must be in [0, 1), got 1.5. Still using 0.9.');
  await expect(gdviz.control('β₁')).toHaveAttribute('aria-invalid', 'true');
  expect(await page.evaluate(() => window.gdviz.vis.run_config(0).optimizer.beta1)).toBe(0.9);
  await gdviz.set('β₁', '0.8');
  await expect(page.locator('#beta1-error')).toBeEmpty();
  expect(await page.evaluate(() => window.gdviz.vis.run_config(0).optimizer)).toEqual(
    { kind: 'adam', beta1: 0.8, beta2: 0.999, eps: 1e-8 });
  await gdviz.set('ε', '0');
  await expect(page.locator('#eps-error')).toContainText('must be a finite number > 0, got 0');
  expect(await page.evaluate(() => window.gdviz.vis.run_config(0).optimizer.eps)).toBe(1e-8);
  // Momentum μ must be below 1.
  await select.selectOption('momentum');
  await gdviz.set('Momentum μ', '1');
  await expect(page.locator('#momentum-error')).toContainText('in [0, 1), got 1');
  expect(await page.evaluate(() => window.gdviz.vis.run_config(0).optimizer.momentum)).toBe(0.9);
  await page.screenshot({ path: 'artifacts/optimizers.png' });
});

/** The first update from θ = 0 with gradient g, by the published rules (state starts at 0). */
function firstStep(kind, eta, g) {
  return g.map((gi) => {
    switch (kind) {
      case 'momentum': return -eta * gi;
      case 'nesterov': return -eta * (gi + 0.9 * gi);
      case 'adagrad': return -eta * gi / (Math.sqrt(gi * gi) + 1e-10);
      case 'rmsprop': return -eta * gi / (Math.sqrt(0.01 * gi * gi) + 1e-8);
      case 'adam': {
        const m = 0.1 * gi / (1 - 0.9);
        const v = 0.001 * gi * gi / (1 - 0.999);
        return -eta * m / (Math.sqrt(v) + 1e-8);
      }
      default: return -eta * gi;
    }
  });
}

// Rates at which each optimizer descends this valley well (κ ≈ 13); the loss after 40 steps
// must fall below a tenth of its start, with no divergence.
const RATES = { sgd: 0.3, momentum: 0.05, nesterov: 0.05, adagrad: 0.5, 'rmsprop': 0.03, adam: 0.1 };

test('each of the six optimizers takes the textbook first step and lowers the loss', async ({ gdviz, page }) => {
  await gdviz.set('Speed', '10');
  for (const [kind, eta] of Object.entries(RATES)) {
    await gdviz.control('Optimizer').selectOption(kind);
    await gdviz.set('Learning rate', String(eta));
    await gdviz.button('Reset').click();
    const loss0 = await gdviz.value('loss');
    const g = await gradientAt(page, [0, 0]);
    await steps(gdviz, 1);
    const expected = firstStep(kind, eta, g);
    const got = await theta(gdviz);
    expectClose(got[0], expected[0], 1e-12);
    expectClose(got[1], expected[1], 1e-12);
    // 39 more steps: 3 frames of Speed 10 would overshoot the count, so step by the core.
    await page.evaluate(() => { window.gdviz.vis.step(39); window.gdviz.refresh(); });
    await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '40');
    expect(await gdviz.status(), kind).not.toBe('diverged');
    expect(await gdviz.value('loss'), kind).toBeLessThan(loss0 / 10);
  }
});

test('the L1 part is a subgradient for the other optimizers, and the page says so', async ({ gdviz, page }) => {
  const note = page.locator('#l1-note');
  await expect(note).toBeHidden();
  await gdviz.control('Regularization').selectOption('l1');
  await expect(note).toBeHidden(); // plain GD takes the proximal step
  await gdviz.control('Optimizer').selectOption('adam');
  await expect(note).toBeVisible();
  await expect(note).toContainText('subgradient');
  await expect(note).toContainText('sign(0) = 0');
  await gdviz.control('Regularization').selectOption('l2');
  await expect(note).toBeHidden();
  await gdviz.control('Regularization').selectOption('elastic-net');
  await expect(note).toBeVisible();
});

test('a schedule sets the effective rate by its formula; iteration, epoch and samples are counted apart', async ({ gdviz, page }) => {
  const eta = 0.05;
  expect(await gdviz.value('lr-effective')).toBe(eta);
  await gdviz.control('Schedule').selectOption('exponential');
  await expect(gdviz.control('Decay γ')).toBeVisible();
  await expect(gdviz.control('Step size')).toBeHidden();
  await gdviz.set('Decay γ', '0.5');
  await steps(gdviz, 3);
  expectClose(await gdviz.value('lr-effective'), eta * 0.125, 1e-15);

  await gdviz.control('Schedule').selectOption('step');
  await expect(gdviz.control('Step size')).toBeVisible();
  await gdviz.set('Step size', '2');
  await gdviz.button('Reset').click();
  await steps(gdviz, 5); // ⌊5/2⌋ = 2
  expectClose(await gdviz.value('lr-effective'), eta * 0.25, 1e-15);

  await gdviz.control('Schedule').selectOption('inverse-time');
  await gdviz.set('Decay d', '0.1');
  expectClose(await gdviz.value('lr-effective'), eta / (1 + 0.1 * 5), 1e-15);

  await gdviz.control('Schedule').selectOption('cosine');
  await gdviz.set('Total steps T', '10');
  expectClose(await gdviz.value('lr-effective'), eta * (1 + Math.cos(Math.PI * 0.5)) / 2, 1e-12);

  // A bad γ is refused at the field and the schedule keeps the last good one.
  await gdviz.control('Schedule').selectOption('exponential');
  await gdviz.set('Decay γ', '1.5');
  await expect(page.locator('#gamma-error')).toHaveText('Decay γ must be in (0, 1], got 1.5. Still using 0.5.');
  expect(await page.evaluate(() => window.gdviz.vis.run_config(0).schedule)).toEqual({ kind: 'exponential', gamma: 0.5 });

  // Counters: full batch of 50 → 5 epochs and 250 samples after 5 steps; batch 10 → 1 epoch per 5 steps.
  expect(await gdviz.value('epoch')).toBe(5);
  expect(await gdviz.value('samples-seen')).toBe(250);
  await gdviz.set('Batch size', '10');
  await gdviz.button('Reset').click();
  await steps(gdviz, 7);
  expect(await gdviz.value('samples-seen')).toBe(70);
  expect(await gdviz.value('epoch')).toBe(1);
  expect(await gdviz.value('iteration')).toBe(7);
});

test('the η ladder gives three named runs; 2η diverges on its own while the others converge', async ({ gdviz, page }) => {
  const critical = await gdviz.value('lr-critical');
  const eta = Number((0.75 * critical).toPrecision(3)); // η/2, η converge; 2η = 1.5·critical diverges
  await gdviz.set('Learning rate', String(eta));
  await openSection(page, 'runs-section');
  await gdviz.button('Ladder: η/2, η, 2η').click();
  await expect(page.locator('#runs-list li')).toHaveCount(3);
  const configs = await page.evaluate(() => [0, 1, 2].map((i) => window.gdviz.vis.run_config(i).learning_rate));
  expect(configs).toEqual([eta, eta / 2, eta * 2]);
  const labels = await page.evaluate(() => window.gdviz.vis.run_labels());
  for (let i = 0; i < 3; i += 1) {
    await expect(page.getByTestId(`run-label-${i}`)).toHaveText(`Run ${i + 1}: ${labels[i]}`);
  }
  // Colours in the core's order (Okabe–Ito: vermillion, blue, bluish green).
  const colours = await page.locator('#runs-list .run-swatch').evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
  expect(colours).toEqual(['rgb(213, 94, 0)', 'rgb(0, 114, 178)', 'rgb(0, 158, 115)']);

  // A few steps in: the 2η run already swings out across the valley, the others slide down.
  await steps(gdviz, 4);
  await page.screenshot({ path: 'artifacts/ladder.png' });
  await gdviz.set('Speed', '5');
  await gdviz.button('Play').click();
  await expect(page.getByTestId('run-status-2')).toHaveAttribute('data-value', 'diverged');
  // The other two go on after run 3 diverged; Play keeps going until every run has stopped.
  const early = await page.evaluate(() => window.gdviz.vis.reports().map((r) => r.status));
  expect(early[0]).not.toBe('diverged');
  expect(early[1]).not.toBe('diverged');
  await expect(page.getByTestId('run-status-1')).toHaveAttribute('data-value', 'converged', { timeout: 30_000 });
  await expect(page.getByTestId('run-status-0')).toHaveAttribute('data-value', 'converged');
  await expect(gdviz.button('Play')).toBeDisabled();
  expect(await gdviz.status()).toBe('converged'); // the page status is run 1's
  await expect(gdviz.readout('message')).toBeEmpty(); // run 1 did not diverge
  await page.screenshot({ path: 'artifacts/ladder-end.png' });

  // Remove run 3: two runs stay.
  await page.getByRole('button', { name: 'Remove run 3', exact: true }).click();
  await expect(page.locator('#runs-list li')).toHaveCount(2);
  expect(await page.evaluate(() => window.gdviz.vis.run_count())).toBe(2);
});

test('the batch ladder runs batch 1, 32 and full together; a run is added from the form', async ({ gdviz, page }) => {
  await openSection(page, 'runs-section');
  await gdviz.button('Ladder: batch 1, 32, full').click();
  await expect(page.locator('#runs-list li')).toHaveCount(3);
  const sizes = await page.evaluate(() => [0, 1, 2].map((i) => window.gdviz.vis.run_config(i).batch_size));
  expect(sizes).toEqual([50, 1, 32]);
  await expect(page.getByTestId('run-label-1')).toContainText('SGD b=1');
  await expect(page.getByTestId('run-label-2')).toContainText('SGD b=32');
  await steps(gdviz, 4);
  const samples = await page.evaluate(() => window.gdviz.vis.reports().map((r) => r.samples_seen));
  expect(samples).toEqual([200, 4, 32 + 18 + 32 + 18]); // batches of 32 from 50: the epoch's last is 18
  expect(await gdviz.value('samples-seen')).toBe(200);

  // Add a fourth run: Adam at η = 0.1 with batch 10 and seed 7.
  await gdviz.control('New run optimizer').selectOption('adam');
  await gdviz.control('New run learning rate').fill('0.1');
  await gdviz.control('New run batch size').fill('10');
  await gdviz.control('New run seed').fill('7');
  await gdviz.button('Add run').click();
  await expect(page.locator('#runs-list li')).toHaveCount(4);
  expect(await page.evaluate(() => window.gdviz.vis.run_config(3))).toMatchObject({
    learning_rate: 0.1, batch_size: 10, seed: 7, optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  });
  await expect(page.getByTestId('run-label-3')).toContainText('Adam b=10 η=0.1');
  expect(await gdviz.value('iteration')).toBe(0); // every run restarted together
  // A bad batch size is refused with the range.
  await gdviz.control('New run batch size').fill('0');
  await gdviz.button('Add run').click();
  await expect(page.locator('#add-run-error')).toHaveText('Batch size must be an integer in [1, 50], got 0');
  await expect(page.locator('#runs-list li')).toHaveCount(4);
});

test('click-to-start restarts every run from the clicked θ; the link keeps the start and the runs', async ({ gdviz, page }) => {
  await openSection(page, 'runs-section');
  await gdviz.set('Learning rate', '0.2');
  await gdviz.button('Ladder: η/2, η, 2η').click();
  await steps(gdviz, 3);
  const canvas = page.locator('#surface-moving');
  await expect(canvas).toHaveCSS('cursor', 'crosshair');
  const box = await canvas.boundingBox();
  const spot = { x: Math.round(box.width * 0.3), y: Math.round(box.height * 0.7) };
  const target = await page.evaluate(({ x, y }) => Array.from(window.gdviz.vis.surface_point_to_theta(x, y)), spot);
  expect(target).toHaveLength(2);
  await canvas.click({ position: spot });
  expect(await gdviz.value('iteration')).toBe(0);
  // The clicked θ (to a hundredth of a pixel: the browser's event coordinates are fractional).
  const start = await page.evaluate(() => Array.from(window.gdviz.vis.theta_start()));
  expect(Math.abs(start[0] - target[0])).toBeLessThan(1e-4);
  expect(Math.abs(start[1] - target[1])).toBeLessThan(1e-4);
  expect(await theta(gdviz)).toEqual(start);
  expect(await page.evaluate(() => window.gdviz.vis.reports().map((r) => [r.iteration, r.theta.theta0, r.theta.theta1])))
    .toEqual([0, 1, 2].map(() => [0, start[0], start[1]]));
  await expect(gdviz.control('Start θ₀')).toHaveValue(String(start[0]));
  await expect(gdviz.control('Start θ₁')).toHaveValue(String(start[1]));
  await page.screenshot({ path: 'artifacts/start.png' });

  // Outside the plotting area (the canvas's corner): nothing happens.
  await steps(gdviz, 2);
  await canvas.click({ position: { x: 2, y: 2 } });
  expect(await gdviz.value('iteration')).toBe(2);

  // The keyboard fields do the same.
  await gdviz.set('Start θ₀', '-0.5');
  await gdviz.set('Start θ₁', '0.25');
  await expect(gdviz.readout('theta1')).toHaveAttribute('data-value', '0.25');
  expect(await theta(gdviz)).toEqual([-0.5, 0.25]);
  expect(await gdviz.value('iteration')).toBe(0);
  await gdviz.set('Start θ₀', '');
  await expect(page.locator('#start-error')).toContainText('The start must be finite numbers θ₀ to θ₁, got an empty field, 0.25');
  expect(await theta(gdviz)).toEqual([-0.5, 0.25]);

  // The link reproduces the start point and the comparison runs.
  await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('start=-0.5,0.25');
  const runs = await page.evaluate(() => window.gdviz.store.get('runs'));
  expect(runs.map((r) => r.learning_rate)).toEqual([0.1, 0.4]);
  const url = page.url();
  await page.goto('about:blank');
  await page.goto(url);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  expect(await page.evaluate(() => Array.from(window.gdviz.vis.theta_start()))).toEqual([-0.5, 0.25]);
  expect(await page.evaluate(() => window.gdviz.store.get('runs'))).toEqual(runs);
  expect(await theta(gdviz)).toEqual([-0.5, 0.25]);
  await expect(page.locator('#url-notice')).toBeHidden();

  // A hostile runs field is refused entry by entry with a notice; the good entry stays.
  const bad = JSON.stringify([{ learning_rate: -1 }, { ...runs[0] }, { optimizer: { kind: 'nope' } }]);
  await page.goto(`${url.split('#')[0]}#runs=${encodeURIComponent(bad)}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('#url-notice')).toBeVisible();
  await expect(page.locator('#url-notice')).toContainText(/run 2: learning rate must be a finite number > 0, got -1/i);
  await expect(page.locator('#url-notice')).toContainText(/run 4: run settings must be a valid setting.*unknown variant `nope`/i);
  expect(await page.evaluate(() => window.gdviz.vis.run_count())).toBe(2);
});

test('a drag on the surface moves the start with the pointer', async ({ gdviz, page }) => {
  const canvas = page.locator('#surface-moving');
  const box = await canvas.boundingBox();
  const from = { x: box.x + box.width * 0.4, y: box.y + box.height * 0.5 };
  const expected = await page.evaluate(([x0, y0, x1, y1]) => {
    const vis = window.gdviz.vis;
    return [Array.from(vis.surface_point_to_theta(x0, y0)), Array.from(vis.surface_point_to_theta(x1, y1))];
  }, [box.width * 0.4, box.height * 0.5, box.width * 0.5, box.height * 0.6]);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + box.width * 0.05, from.y + box.height * 0.05, { steps: 3 });
  await page.mouse.move(from.x + box.width * 0.1, from.y + box.height * 0.1, { steps: 3 });
  await page.mouse.up();
  const start = await page.evaluate(() => Array.from(window.gdviz.vis.theta_start()));
  // The drag keeps the pixel → θ map it began with.
  expectClose(start[0], expected[1][0], 1e-6);
  expectClose(start[1], expected[1][1], 1e-6);
  expect(await theta(gdviz)).toEqual(start);
});

test('standardized x: the Hessian is the identity, and θ is shown in both scales', async ({ gdviz, page }) => {
  const kappa0 = await gdviz.value('condition-number');
  expect(kappa0).toBeGreaterThan(5);
  await expect(page.getByTestId('theta0-original')).toBeHidden();
  await expect(page.locator('#scale-note')).toHaveText('θ₀, θ₁ are in the original x scale.');
  await gdviz.control('Standardize x').check();
  // mean(x′) = 0 and mean(x′²) = 1: H = [[1, 0], [0, 1]], κ = 1, critical rate 2/λmax = 2.
  await expect.poll(() => gdviz.value('condition-number')).toBeCloseTo(1, 12);
  expect(await gdviz.value('lr-critical')).toBeCloseTo(2, 12);
  // The Hessian row by row: [h00, h01, h10, h11].
  const hessian = await page.evaluate(() => window.gdviz.vis.analysis().curvature.hessian);
  expect(hessian[0]).toBe(1);
  expect(Math.abs(hessian[1])).toBeLessThan(1e-15);
  expect(hessian[2]).toBe(hessian[1]);
  expect(hessian[3]).toBeCloseTo(1, 14);
  await expect(page.locator('#scale-note')).toContainText('standardized');
  await gdviz.set('Learning rate', '0.5');
  await steps(gdviz, 5);
  const xs = await page.evaluate(() => Array.from(window.gdviz.vis.xs()));
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  const [a, b] = await theta(gdviz);
  await expect(page.getByTestId('theta0-original')).toBeVisible();
  expectClose(await gdviz.value('theta0-original'), a - b * mean / std, 1e-12);
  expectClose(await gdviz.value('theta1-original'), b / std, 1e-12);
  await page.screenshot({ path: 'artifacts/standardize.png' });
  await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('standardize=1');
  await gdviz.control('Standardize x').uncheck();
  await expect.poll(() => gdviz.value('condition-number')).toBeCloseTo(kappa0, 10);
  await expect(page.getByTestId('theta0-original')).toBeHidden();
  expect(await gdviz.value('iteration')).toBe(0); // the runs restarted
});

test('the overlay checkboxes switch the eigen-directions and the theory rate', async ({ gdviz, page }) => {
  await expect(gdviz.control('Eigen-directions')).toBeChecked();
  await expect(gdviz.control('Theory rate')).toBeChecked();
  const surface = await pixels(page, 'surface-static');
  const loss = await pixels(page, 'loss-frame');
  await gdviz.control('Eigen-directions').uncheck();
  await expect.poll(() => pixels(page, 'surface-static')).not.toBe(surface);
  await gdviz.control('Theory rate').uncheck();
  await expect.poll(() => pixels(page, 'loss-frame')).not.toBe(loss);
  await page.screenshot({ path: 'artifacts/overlays-off.png' });
  await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('eigenDirections=0');
  const off = await pixels(page, 'surface-static');
  await gdviz.control('Eigen-directions').check();
  await expect.poll(() => pixels(page, 'surface-static')).not.toBe(off);
  // Keyboard: the checkboxes take Space.
  await gdviz.control('Theory rate').focus();
  await page.keyboard.press('Space');
  await expect(gdviz.control('Theory rate')).toBeChecked();
  await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('theoryRate=1');
});

test('the explanation writes the update rule in MathML with numbers that the next step confirms', async ({ gdviz, page }) => {
  await openSection(page, 'explain-section');
  const body = page.locator('#explain-body');
  await expect(body.locator('math').first()).toBeVisible();
  const c = await page.evaluate(() => window.gdviz.vis.analysis().curvature);
  expect(Number(await page.getByTestId('explain-critical').getAttribute('data-value'))).toBe(c.lr_critical);
  expect(Number(await page.getByTestId('explain-optimal').getAttribute('data-value'))).toBe(c.lr_optimal);
  expect(Number(await page.getByTestId('explain-monotone').getAttribute('data-value'))).toBe(c.lr_monotone);
  // Independent check of the bands from the eigenvalues.
  const [min, max] = c.eigenvalues;
  expectClose(c.lr_critical, 2 / max, 1e-12);
  expectClose(c.lr_optimal, 2 / (min + max), 1e-12);
  for (const [kind, eta] of [['sgd', 0.3], ['momentum', 0.05], ['nesterov', 0.05], ['adagrad', 0.5], ['rmsprop', 0.03], ['adam', 0.1]]) {
    await gdviz.control('Optimizer').selectOption(kind);
    await gdviz.set('Learning rate', String(eta));
    await gdviz.button('Reset').click();
    await steps(gdviz, 3);
    const predicted = await body.evaluate((el) => [Number(el.dataset.nextTheta0), Number(el.dataset.nextTheta1)]);
    await steps(gdviz, 1);
    const got = await theta(gdviz);
    expectClose(got[0], predicted[0], 1e-12);
    expectClose(got[1], predicted[1], 1e-12);
  }
  await expect(body).toContainText('Adam');
  expect(await body.locator('math').count()).toBeGreaterThan(4);
  await expect(body.locator('msqrt').first()).toBeAttached();
  await page.locator('.controls').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.screenshot({ path: 'artifacts/explain.png' });
});

test('the explanation\'s next θ is exactly θ after Step, for every optimizer, full batch and mini-batch', async ({ gdviz, page }) => {
  await openSection(page, 'explain-section');
  const body = page.locator('#explain-body');
  const kinds = await page.evaluate(() => window.gdviz.catalog.optimizers.map((o) => o.name));
  expect(kinds).toEqual(['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'newton', 'cg']);
  const rates = { ...RATES, newton: 0.5, cg: 0.1 };
  for (const regularization of ['none', 'l1']) {
    await gdviz.control('Regularization').selectOption(regularization);
    for (const kind of kinds) {
      for (const batch of ['50', '4']) {
        // Newton and CG take the full batch of a smooth objective (CG is done after 2 steps).
        const secondOrder = kind === 'newton' || kind === 'cg';
        if (secondOrder && (batch !== '50' || regularization !== 'none')) continue;
        await gdviz.set('Batch size', '50');
        await gdviz.control('Optimizer').selectOption(kind);
        await gdviz.set('Learning rate', String(rates[kind]));
        await gdviz.set('Batch size', batch);
        await gdviz.button('Reset').click();
        for (let k = 0; k < (kind === 'cg' ? 2 : 3); k += 1) {
          const predicted = await body.evaluate((el) => [Number(el.dataset.nextTheta0), Number(el.dataset.nextTheta1)]);
          await steps(gdviz, 1);
          expect(await theta(gdviz), `${kind}, batch ${batch}, ${regularization}, step ${k + 1}`).toEqual(predicted);
        }
      }
    }
  }
  await expect(body.locator('math').first()).toBeVisible();
});

test('optimizer, schedule and view settings survive a reload through the link; Chinese covers them', async ({ gdviz, page }) => {
  await gdviz.control('Optimizer').selectOption('adam');
  await gdviz.set('β₂', '0.99');
  await gdviz.control('Schedule').selectOption('cosine');
  await gdviz.set('Total steps T', '50');
  await gdviz.control('Standardize x').check();
  await gdviz.control('Theory rate').uncheck();
  await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('totalSteps=50');
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  expect(await page.evaluate(() => window.gdviz.vis.run_config(0))).toMatchObject({
    optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.99, eps: 1e-8 }, schedule: { kind: 'cosine', total_steps: 50 },
  });
  await expect(gdviz.control('Standardize x')).toBeChecked();
  await expect(gdviz.control('Theory rate')).not.toBeChecked();
  await expect(gdviz.control('β₂')).toHaveValue('0.99');
  expect(await gdviz.value('condition-number')).toBeCloseTo(1, 12);

  await page.getByLabel('Language', { exact: true }).selectOption('zh');
  for (const label of ['优化器', '学习率计划', '总步数 T', '标准化 x', '特征方向', '理论速率', '起点 θ₀', '起点 θ₁']) {
    await expect(page.getByLabel(label, { exact: true }), label).toBeVisible();
  }
  await expect(page.locator('#optimizer option:checked')).toHaveText('Adam');
  await expect(page.locator('#schedule option:checked')).toHaveText('余弦退火');
  await expect(page.locator('#runs-section summary')).toHaveText('对比运行');
  await page.getByLabel('β₂', { exact: true }).fill('2');
  await page.getByLabel('β₂', { exact: true }).press('Enter');
  await expect(page.locator('#beta2-error')).toHaveText('β₂必须是[0, 1) 内的数，实际为 2。仍使用 0.99。');
});

test('with momentum the explanation gives the heavy-ball critical rate 2(1 + μ)/λmax, and the core obeys it', async ({ gdviz, page }) => {
  // λmax of H = [[1, x̄], [x̄, mean(x²)]], worked out here from the data.
  const xs = await page.evaluate(() => Array.from(window.gdviz.vis.xs()));
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanSq = xs.reduce((a, b) => a + b * b, 0) / xs.length;
  const trace = 1 + meanSq;
  const lambdaMax = (trace + Math.sqrt(trace * trace - 4 * (meanSq - mean * mean))) / 2;
  const limit = (2 * (1 + 0.9)) / lambdaMax;

  await gdviz.control('Optimizer').selectOption('momentum');
  await openSection(page, 'explain-section');
  const shown = page.getByTestId('explain-momentum-critical');
  await expect(shown).toContainText('2(1 + μ)/λmax');
  expectClose(Number(await shown.getAttribute('data-value')), limit, 1e-12);

  // Just above the limit heavy-ball descent diverges; just below it converges, although plain
  // gradient descent diverges at that rate (0.95 · 2(1 + 0.9)/λmax > 2/λmax): the plain bands
  // would mislead.
  await gdviz.set('Speed', '100');
  for (const [factor, outcome] of [[1.05, 'diverged'], [0.95, 'converged']]) {
    await gdviz.set('Learning rate', String(Number((factor * limit).toPrecision(6))));
    await gdviz.button('Reset').click();
    await gdviz.button('Play').click();
    await expect(gdviz.readout('status')).toHaveAttribute('data-value', outcome);
  }
  expect(0.95 * limit).toBeGreaterThan(2 / lambdaMax);
});

test('the coefficient plot draws each θ of run 1 per iteration and follows the run', async ({ gdviz, page }) => {
  const before = await pixels(page, 'coefficients');
  await gdviz.set('Learning rate', '0.1');
  await steps(gdviz, 10);
  await expect.poll(() => pixels(page, 'coefficients')).not.toBe(before);
  const after = await pixels(page, 'coefficients');
  await steps(gdviz, 10);
  await expect.poll(() => pixels(page, 'coefficients')).not.toBe(after);
  await expect(page.locator('.png-button[data-plot="coefficients"]')).toBeVisible();
  await page.locator('figure[data-plot="coefficients"]').screenshot({ path: 'artifacts/coefficients.png' });
});

test('PyTorch\'s mean squared error halves the critical rate, doubles J, and the link keeps it', async ({ gdviz, page }) => {
  const critical = await gdviz.value('lr-critical');
  const loss = await gdviz.value('loss');
  await gdviz.control('Loss').selectOption('mse');
  await expect.poll(() => gdviz.value('lr-critical')).toBeCloseTo(critical / 2, 12);
  expect(await gdviz.value('loss')).toBeCloseTo(2 * loss, 12);
  await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('loss=mse');
  // mse at η follows ½·mse at 2η step for step.
  await gdviz.set('Learning rate', '0.05');
  await steps(gdviz, 5);
  const mse = await theta(gdviz);
  await gdviz.control('Loss').selectOption('half-mse');
  await gdviz.set('Learning rate', '0.1');
  await gdviz.button('Reset').click();
  await steps(gdviz, 5);
  const half = await theta(gdviz);
  for (const [a, b] of mse.map((v, i) => [v, half[i]])) expect(a).toBeCloseTo(b, 12);
  // A link without the key is the default, half the mean squared error.
  await page.goto('/index.html#learningRate=0.1');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(gdviz.control('Loss')).toHaveValue('half-mse');
});
