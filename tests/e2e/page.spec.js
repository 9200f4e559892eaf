// End-to-end tests of the page: a person's clicks and keystrokes, checked through the readouts'
// data-value attributes. Each test also fails on any console error or page error (fixtures.js).
import { collectProblems, test, expect } from './fixtures.js';

const LABELS = ['Dataset', 'Points', 'Noise', 'Seed', 'Learning rate', 'Batch size', 'Regularization',
  'Regularization strength', 'Speed'];
const READOUTS = ['iteration', 'epoch', 'theta0', 'theta1', 'loss', 'grad-norm', 'status', 'lr-critical',
  'condition-number'];

test.beforeEach(async ({ gdviz }) => {
  await gdviz.open();
});

test('every control is found by its label and every readout by its test id', async ({ gdviz }) => {
  for (const label of LABELS) {
    await expect(gdviz.control(label), label).toBeVisible();
  }
  for (const id of READOUTS) {
    await expect(gdviz.readout(id), id).toBeVisible();
  }
  for (const name of ['Step', 'Play', 'Reset']) {
    await expect(gdviz.button(name)).toBeVisible();
  }
  expect(await gdviz.status()).toBe('ready');
  expect(await gdviz.value('iteration')).toBe(0);
  expect(await gdviz.value('lr-critical')).toBeGreaterThan(0);
  // The points field allows a million points.
  await expect(gdviz.control('Points')).toHaveAttribute('max', '1000000');
  // The L1 ratio appears only for elastic net.
  await expect(gdviz.control('L1 ratio')).toBeHidden();
  await gdviz.control('Regularization').selectOption('elastic-net');
  await expect(gdviz.control('L1 ratio')).toBeVisible();
  await gdviz.control('Regularization').selectOption('none');
  await expect(gdviz.control('L1 ratio')).toBeHidden();
});

test('Step raises the iteration by exactly one and, at a small rate, lowers the loss', async ({ gdviz }) => {
  await gdviz.set('Learning rate', '0.01');
  const loss0 = await gdviz.value('loss');
  await gdviz.button('Step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '1');
  const loss1 = await gdviz.value('loss');
  expect(loss1).toBeLessThan(loss0);
  expect(await gdviz.status()).toBe('paused');
  await gdviz.button('Step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '2');
  expect(await gdviz.value('loss')).toBeLessThan(loss1);
  // Reset goes back to the start.
  await gdviz.button('Reset').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '0');
  expect(await gdviz.status()).toBe('ready');
  expect(await gdviz.value('theta0')).toBe(0);
  expect(await gdviz.value('theta1')).toBe(0);
  expect(await gdviz.value('loss')).toBe(loss0);
});

test('Play runs until Pause; the button reads Pause while running', async ({ gdviz, page }) => {
  await gdviz.set('Learning rate', '0.001'); // slow: the run cannot converge during the test
  await gdviz.button('Play').click();
  await expect(gdviz.button('Pause')).toBeVisible();
  await expect(gdviz.readout('status')).toHaveAttribute('data-value', 'running');
  await expect.poll(() => gdviz.value('iteration')).toBeGreaterThan(10);
  const during = await gdviz.value('iteration');
  await expect.poll(() => gdviz.value('iteration')).toBeGreaterThan(during);
  await gdviz.button('Pause').click();
  await expect(gdviz.button('Play')).toBeVisible();
  await expect(gdviz.readout('status')).toHaveAttribute('data-value', 'paused');
  const paused = await gdviz.value('iteration');
  await page.waitForTimeout(500);
  expect(await gdviz.value('iteration')).toBe(paused);
});

test('a rate above the critical rate diverges with a message and no NaN or Infinity', async ({ gdviz, page }) => {
  const critical = await gdviz.value('lr-critical');
  await gdviz.set('Learning rate', String(1.5 * critical));
  await gdviz.button('Play').click();
  await expect(gdviz.readout('status')).toHaveAttribute('data-value', 'diverged');
  const message = page.getByTestId('message');
  await expect(message).toBeVisible();
  await expect(message).toHaveAttribute('role', 'alert');
  await expect(message).toContainText('Diverged');
  await expect(gdviz.button('Play')).toBeVisible(); // the loop stopped
  const iteration = await gdviz.value('iteration');
  await page.waitForTimeout(300);
  expect(await gdviz.value('iteration')).toBe(iteration);
  const text = await gdviz.allText();
  expect(text).not.toMatch(/NaN|Infinity|undefined/);
  for (const id of ['theta0', 'theta1', 'loss', 'grad-norm']) {
    expect(Number.isFinite(await gdviz.value(id)), id).toBe(true);
  }
  await page.screenshot({ path: 'artifacts/diverged.png' });
  // Reset clears the message and the run can start again.
  await gdviz.button('Reset').click();
  await expect(message).toBeHidden();
  expect(await gdviz.status()).toBe('ready');
});

test('a run that converges stops by itself and says so', async ({ gdviz, page }) => {
  await gdviz.set('Speed', '1000');
  await gdviz.button('Play').click();
  await expect(gdviz.readout('status')).toHaveAttribute('data-value', 'converged');
  await expect(gdviz.button('Play')).toBeDisabled(); // the loop stopped
  await expect(gdviz.button('Step')).toBeDisabled();
  await expect(page.getByTestId('note')).toContainText('Converged after');
  expect(await gdviz.value('grad-norm')).toBeLessThanOrEqual(1e-6);
  await expect(page.getByTestId('message')).toBeHidden();
  await gdviz.button('Reset').click();
  await expect(gdviz.button('Play')).toBeEnabled();
  expect(await gdviz.status()).toBe('ready');
});

test('changing the rate mid-run takes effect without a reset', async ({ gdviz }) => {
  await gdviz.set('Learning rate', '0.0005');
  await gdviz.button('Play').click();
  await expect.poll(() => gdviz.value('iteration')).toBeGreaterThan(20);
  const before = await gdviz.value('iteration');
  const lossBefore = await gdviz.value('loss');
  await gdviz.set('Learning rate', '0.1');
  await expect.poll(() => gdviz.value('iteration')).toBeGreaterThan(before + 20);
  expect(await gdviz.status()).toBe('running');
  // At the faster rate the loss falls much further than it did in the same number of steps.
  expect(await gdviz.value('loss')).toBeLessThan(lossBefore);
  await gdviz.button('Pause').click();
  // The slider moved with the number field (log10(0.1) = -1).
  expect(Number(await gdviz.page.locator('#learning-rate-slider').inputValue())).toBeCloseTo(-1, 5);
});

test('invalid input is shown at the control and the run keeps the last good value', async ({ gdviz }) => {
  // The reference: one step at rate 0.01.
  await gdviz.set('Learning rate', '0.01');
  await gdviz.button('Step').click();
  const theta0 = await gdviz.value('theta0');
  const theta1 = await gdviz.value('theta1');
  await gdviz.button('Reset').click();

  const rate = gdviz.control('Learning rate');
  for (const [text, expected] of [
    ['-1', 'Learning rate must be a finite number > 0, got -1'],
    ['0', 'Learning rate must be a finite number > 0, got 0'],
    ['', 'Learning rate must be a finite number > 0, got an empty field'],
  ]) {
    await gdviz.set('Learning rate', text);
    await expect(rate).toHaveAttribute('aria-invalid', 'true');
    const error = gdviz.page.locator('#learning-rate-error');
    await expect(error).toBeVisible();
    await expect(error).toContainText(expected);
    await expect(error).toContainText('Still using 0.01');
    expect(await rate.getAttribute('aria-describedby')).toContain('learning-rate-error');
  }
  // The run goes on at the last good rate: the same step as before.
  await gdviz.button('Step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '1');
  expect(await gdviz.value('theta0')).toBe(theta0);
  expect(await gdviz.value('theta1')).toBe(theta1);
  // A good value clears the error.
  await gdviz.set('Learning rate', '0.02');
  await expect(rate).not.toHaveAttribute('aria-invalid', 'true');
  await expect(gdviz.page.locator('#learning-rate-error')).toBeHidden();

  // Other controls: the core's messages with the valid range.
  const cases = [
    ['Batch size', '2.5', 'batch-size-error', 'Batch size must be an integer in [1, 50], got 2.5'],
    ['Batch size', '0', 'batch-size-error', 'Batch size must be an integer in [1, 50], got 0'],
    ['Points', '1', 'points-error', 'Points must be an integer in [2, 1000000], got 1'],
    ['Noise', '-0.5', 'noise-error', 'Noise must be a finite number ≥ 0, got -0.5'],
    ['Seed', '-3', 'seed-error', 'Seed must be an integer in [0, 9007199254740991], got -3'],
    ['Speed', '0', 'speed-error', 'Speed must be an integer in [1, 1000], got 0'],
    ['Speed', '1.5', 'speed-error', 'Speed must be an integer in [1, 1000], got 1.5'],
  ];
  for (const [label, text, errorId, expected] of cases) {
    await gdviz.set(label, text);
    await expect(gdviz.control(label), label).toHaveAttribute('aria-invalid', 'true');
    await expect(gdviz.page.locator(`#${errorId}`)).toContainText(expected);
  }
  await gdviz.control('Regularization').selectOption('l2');
  await gdviz.set('Regularization strength', '-1');
  await expect(gdviz.page.locator('#lambda-error'))
    .toContainText('Regularization strength λ must be in [0, 1000000], got -1');
  await gdviz.control('Regularization').selectOption('elastic-net');
  await gdviz.set('L1 ratio', '1.5');
  await expect(gdviz.page.locator('#l1-ratio-error')).toContainText('L1 ratio ρ must be in [0, 1], got 1.5');

  // Nothing was applied: the data (50 points) and the run are as they were.
  await gdviz.button('Step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '2');
  expect(await gdviz.status()).toBe('paused');
  const text = await gdviz.allText();
  expect(text).not.toMatch(/NaN|Infinity|undefined/);
});

test('changing the data or the regularization keeps θ and refreshes the analysis', async ({ gdviz }) => {
  await gdviz.set('Learning rate', '0.01');
  for (let i = 0; i < 3; i += 1) await gdviz.button('Step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '3');
  const theta0 = await gdviz.value('theta0');
  const theta1 = await gdviz.value('theta1');
  const critical = await gdviz.value('lr-critical');
  const kappa = await gdviz.value('condition-number');

  await gdviz.control('Dataset').selectOption('ill-conditioned');
  await expect.poll(() => gdviz.value('lr-critical')).toBeLessThan(critical / 3);
  expect(await gdviz.value('condition-number')).toBeGreaterThan(kappa);
  expect(await gdviz.value('theta0')).toBe(theta0);
  expect(await gdviz.value('theta1')).toBe(theta1);
  expect(await gdviz.value('iteration')).toBe(3);

  const illCritical = await gdviz.value('lr-critical');
  await gdviz.control('Regularization').selectOption('l2');
  await gdviz.set('Regularization strength', '5');
  await expect.poll(() => gdviz.value('lr-critical')).toBeLessThan(illCritical);
  expect(await gdviz.value('theta1')).toBe(theta1);

  // More points, another seed: still the same θ; full batch follows the number of points.
  await gdviz.set('Points', '500');
  await expect(gdviz.control('Batch size')).toHaveValue('500');
  await gdviz.set('Seed', '7');
  expect(await gdviz.value('theta0')).toBe(theta0);
  expect(await gdviz.value('iteration')).toBe(3);
});

test('batch size quick choices switch between full batch, 32 and SGD', async ({ gdviz }) => {
  const batch = gdviz.control('Batch size');
  await expect(batch).toHaveValue('50');
  await gdviz.page.getByRole('button', { name: 'Batch size 1 (SGD)' }).click();
  await expect(batch).toHaveValue('1');
  await gdviz.button('Step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '1');
  expect(await gdviz.value('epoch')).toBe(0); // 1 of 50 points seen
  await gdviz.page.getByRole('button', { name: 'Batch size 32' }).click();
  await expect(batch).toHaveValue('32');
  await gdviz.page.getByRole('button', { name: 'Full batch' }).click();
  await expect(batch).toHaveValue('50');
  await gdviz.set('Speed', '25');
  await expect(gdviz.control('Speed')).toHaveValue('25');
  await gdviz.button('Play').click();
  await expect.poll(() => gdviz.value('iteration')).toBeGreaterThan(100);
  await gdviz.button('Pause').click();
});

test('the layout fits a laptop screen without scrolling', async ({ gdviz, page }) => {
  for (const [width, height] of [[1366, 768], [1440, 900]]) {
    await page.setViewportSize({ width, height });
    await gdviz.control('Regularization').selectOption('elastic-net'); // the tallest settings column
    const measure = () => page.evaluate(() => {
      const root = document.scrollingElement;
      const controls = document.querySelector('.controls');
      const canvas = document.getElementById('surface-static');
      const surface = canvas.getBoundingClientRect();
      const inside = (el, box) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5
          && r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
      };
      const viewport = { top: 0, left: 0, bottom: window.innerHeight, right: window.innerWidth };
      const column = controls.getBoundingClientRect();
      return {
        pageOverflow: root.scrollHeight - root.clientHeight,
        pageOverflowX: root.scrollWidth - root.clientWidth,
        // The settings column may scroll inside itself (it holds many groups); what a lesson
        // needs at once stays in view without any scrolling:
        // Step, Play, Reset and the three plots on the screen, the learning-rate field and
        // slider in the column's visible part.
        transport: ['step', 'play', 'reset'].every((id) => inside(document.getElementById(id), viewport)),
        plots: ['surface-static', 'fit-static', 'loss'].every((id) => inside(document.getElementById(id), viewport)),
        learningRate: ['learning-rate', 'learning-rate-slider'].every((id) => inside(document.getElementById(id), column)
          && inside(document.getElementById(id), viewport)),
        controlsScrollTop: controls.scrollTop,
        header: document.querySelector('.topbar').getBoundingClientRect().height,
        surface: [surface.width, surface.height],
        fills: canvas.parentElement.clientWidth === surface.width,
        ratio: canvas.width / surface.width,
      };
    });
    // The canvases follow the new size in the next animation frame.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await expect.poll(async () => (await measure()).fills).toBe(true);
    const sizes = await measure();
    expect(sizes.pageOverflow, `${width}x${height}`).toBeLessThanOrEqual(0);
    expect(sizes.pageOverflowX, `${width}x${height}`).toBeLessThanOrEqual(0);
    expect(sizes.controlsScrollTop, 'the column starts at its top').toBe(0);
    expect(sizes.transport, 'Step, Play and Reset fully visible').toBe(true);
    expect(sizes.plots, 'the three plots fully visible').toBe(true);
    expect(sizes.learningRate, 'the learning-rate field and slider fully visible').toBe(true);
    expect(sizes.header, 'the header stays one row').toBeLessThan(80);
    expect(Math.abs(sizes.surface[0] - sizes.surface[1])).toBeLessThanOrEqual(1); // square
    expect(sizes.surface[0]).toBeGreaterThan(450);
    expect(sizes.ratio).toBeCloseTo(1, 5); // devicePixelRatio 1 here
    await page.screenshot({ path: `artifacts/layout-${width}x${height}.png` });
  }
});

test('counts past seven digits keep the header readouts apart', async ({ gdviz, page }) => {
  const format = await page.evaluate(async () => {
    const { formatCount } = await import('./www/shell/format.js');
    return [9_999_999, 10_000_000, 232_000_000, 36_027_976, 1.5e12].map(formatCount);
  });
  expect(format).toEqual(['9,999,999', '1×10⁷', '2.32×10⁸', '3.603×10⁷', '1.5×10¹²']);
  // A million points at full batch: ten steps have seen ten million samples.
  await gdviz.set('Points', '1000000');
  for (let i = 0; i < 10; i += 1) await gdviz.button('Step').click();
  expect(await gdviz.value('samples-seen')).toBe(10_000_000);
  await expect(gdviz.readout('samples-seen')).toHaveText('1×10⁷');
  // Each header readout holds its widest value, beside the next, on a laptop screen and in
  // presenter mode.
  const widest = { iteration: '9,999,999', epoch: '9,999,999', 'samples-seen': '9,999,999', theta0: '−0.373737', theta1: '−0.373737', loss: '1.435×10¹¹', 'grad-norm': '1.43×10¹¹' };
  const measure = () => page.evaluate((widest) => [...document.querySelectorAll('.topbar .readout')]
    .filter((r) => r.offsetParent !== null)
    .map((r) => {
      const value = r.querySelector('dd');
      if (widest[value.dataset.testid]) value.textContent = widest[value.dataset.testid];
      const box = r.getBoundingClientRect();
      const label = r.querySelector('dt');
      return { id: value.dataset.testid, left: box.left, right: box.right, top: box.top, fits: value.scrollWidth <= value.clientWidth && label.scrollWidth <= r.clientWidth };
    }), widest);
  for (const presenter of [false, true]) {
    if (presenter) await gdviz.button('Presenter').click();
    const boxes = await measure();
    expect(boxes.map((b) => b.id)).toEqual(Object.keys(widest));
    for (const box of boxes) expect(box.fits, `${box.id} holds its label and widest value (presenter ${presenter})`).toBe(true);
    const rows = boxes.filter((b) => Math.abs(b.top - boxes[0].top) < 2);
    for (let i = 1; i < rows.length; i += 1) expect(rows[i].left, `${rows[i].id} after ${rows[i - 1].id}`).toBeGreaterThanOrEqual(rows[i - 1].right - 0.5);
  }
});

test('below 1366 px the readouts take one row of their own under the title and buttons', async ({ gdviz, page }) => {
  for (const [width, height] of [[1280, 720], [1024, 768]]) {
    await page.setViewportSize({ width, height });
    const header = await page.evaluate(() => ({
      height: document.querySelector('.topbar').getBoundingClientRect().height,
      tops: [...document.querySelectorAll('.topbar .readout')].map((r) => Math.round(r.getBoundingClientRect().top)),
      below: document.querySelector('.topbar .readouts').getBoundingClientRect().top >= document.getElementById('play').getBoundingClientRect().bottom,
    }));
    expect(new Set(header.tops).size, `${width}x${height}: one row of readouts`).toBe(1);
    expect(header.below, `${width}x${height}: under the buttons`).toBe(true);
    expect(header.height, `${width}x${height}: two rows`).toBeLessThan(130);
  }
  await expect(gdviz.button('Step')).toBeVisible();
});

test('Play turning into Pause moves nothing in the header', async ({ gdviz, page }) => {
  const left = () => page.evaluate(() => document.querySelector('.readouts').getBoundingClientRect().left);
  const before = await left();
  await gdviz.button('Play').click();
  await expect(gdviz.button('Pause')).toBeVisible();
  expect(await left()).toBe(before);
  await gdviz.button('Pause').click();
});

test('a high-DPI screen gets sharp canvases', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const errors = collectProblems(page);
  await page.goto('/index.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const sizes = await page.evaluate(() => ['surface-static', 'surface-halo', 'surface-trails', 'surface-moving', 'fit-static', 'fit-moving', 'loss']
    .map((id) => {
      const c = document.getElementById(id);
      return [c.width, c.clientWidth, c.height, c.clientHeight];
    }));
  for (const [width, cssWidth, height, cssHeight] of sizes) {
    expect(width).toBe(2 * cssWidth);
    expect(height).toBe(2 * cssHeight);
  }
  expect(errors).toEqual([]);
  await context.close();
});

test('all three plots draw something; full-page screenshot', async ({ gdviz, page }) => {
  await gdviz.set('Learning rate', '0.1');
  await gdviz.button('Play').click();
  await expect.poll(() => gdviz.value('iteration')).toBeGreaterThan(30);
  await gdviz.button('Pause').click();
  await page.screenshot({ path: 'artifacts/page.png', fullPage: true });
  // Fails until the plots are drawn by the core (Visualizer.draw).
  expect(await gdviz.canvasesInk()).toEqual({ surface: true, fit: true, loss: true });
});

test('a setting without hand-laid markup gets a labelled field with its error line in its group', async ({ gdviz, page }) => {
  await gdviz.open();
  const made = await page.evaluate(async () => {
    const { TABLES } = await import('/www/shell/i18n.js');
    TABLES.en['label.probe-setting'] = 'Probe setting';
    const input = window.gdviz.controls.generateField({ key: 'probe', id: 'probe-setting', group: 'regularization' });
    const group = input.closest('[data-settings-group]');
    return {
      type: input.type,
      group: group?.dataset.settingsGroup,
      describedBy: input.getAttribute('aria-describedby'),
      errorInGroup: group?.querySelector('#probe-setting-error') !== null,
    };
  });
  expect(made).toEqual({ type: 'number', group: 'regularization', describedBy: 'probe-setting-error', errorInGroup: true });
  await expect(gdviz.control('Probe setting')).toBeVisible();
});
