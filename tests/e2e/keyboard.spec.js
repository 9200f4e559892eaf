// End-to-end tests of the keyboard and accessibility: every shortcut, Tab
// reaching every control with a visible focus, the live region (one announcement per event), and
// the trajectory table for screen readers, checked against full-batch descent worked out here
// from the data (not from the page's own numbers).
import { test, expect } from './fixtures.js';

test.beforeEach(async ({ gdviz }) => {
  await gdviz.open();
});

/** Presses `key` with the focus on the page body (not in a field). */
async function press(page, key) {
  await page.evaluate(() => {
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
  });
  await page.keyboard.press(key);
}

test('→ steps, Space plays and pauses, R resets', async ({ gdviz, page }) => {
  await gdviz.set('Learning rate', '0.01'); // slow: Play keeps running until paused
  await press(page, 'ArrowRight');
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '1');
  await press(page, 'ArrowRight');
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '2');

  await press(page, 'Space');
  await expect(gdviz.readout('status')).toHaveAttribute('data-value', 'running');
  await expect(gdviz.button('Pause')).toBeVisible();
  await expect.poll(() => gdviz.value('iteration')).toBeGreaterThan(10);
  await press(page, 'Space');
  await expect(gdviz.readout('status')).toHaveAttribute('data-value', 'paused');
  const stopped = await gdviz.value('iteration');
  await page.waitForTimeout(200);
  expect(await gdviz.value('iteration')).toBe(stopped);

  await press(page, 'r');
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '0');
  expect(await gdviz.value('theta0')).toBe(0);
  expect(await gdviz.value('theta1')).toBe(0);
  await press(page, 'ArrowRight');
  await press(page, 'Shift+R'); // capital R as well
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '0');
});

test('[ and ] halve and double the learning rate through the control', async ({ gdviz, page }) => {
  await gdviz.set('Learning rate', '0.08');
  await press(page, ']');
  await expect(gdviz.control('Learning rate')).toHaveValue('0.16');
  await press(page, '[');
  await press(page, '[');
  await expect(gdviz.control('Learning rate')).toHaveValue('0.04');
  // The halved rate is what the next step uses: one full-batch step from θ = 0 moves θ0 by
  // η·mean(y) (the gradient of J at 0 is (−mean(y), −mean(x·y))).
  const meanY = await page.evaluate(() => {
    const ys = window.gdviz.vis.ys();
    return ys.reduce((a, b) => a + b, 0) / ys.length;
  });
  await press(page, 'ArrowRight');
  expect(await gdviz.value('theta0')).toBeCloseTo(0.04 * meanY, 12);
  // The link follows the rate.
  await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('learningRate=0.04');
});

test('shortcuts do nothing while typing in a field', async ({ gdviz, page }) => {
  const field = gdviz.control('Noise');
  await field.click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('r');
  await page.keyboard.press(']');
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '0');
  await expect(gdviz.control('Learning rate')).not.toHaveValue('0.2');
});

test('? lists the shortcuts in a dialog and Esc closes it', async ({ page }) => {
  await press(page, '?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  for (const text of ['Play or pause', 'One step', 'Reset', 'Halve the learning rate', 'Double the learning rate']) {
    await expect(dialog).toContainText(text);
  }
  await page.screenshot({ path: 'artifacts/shortcuts.png' });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  // The header's ? button opens it too.
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('Tab reaches every control, and the focused control shows a visible outline', async ({ page }) => {
  const wanted = ['step', 'play', 'reset', 'language', 'presenter', 'shortcuts-button', 'dataset', 'points',
    'noise', 'seed', 'learning-rate', 'learning-rate-slider', 'batch-size', 'speed', 'regularization',
    'timeline', 'copy-link'];
  const seen = new Map();
  await page.locator('body').focus();
  for (let i = 0; i < 120 && seen.size < wanted.length; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      return {
        id: el.id,
        visible: el.matches(':focus-visible'),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
      };
    });
    if (focused && wanted.includes(focused.id) && !seen.has(focused.id)) seen.set(focused.id, focused);
  }
  expect([...seen.keys()].sort()).toEqual([...wanted].sort());
  for (const [id, focus] of seen) {
    expect(focus.visible, id).toBe(true);
    expect(focus.outline, id).toBe(true);
  }
});

test('the live region announces convergence once and divergence once', async ({ gdviz, page }) => {
  const announcer = page.locator('#announcer');
  await expect(announcer).toHaveAttribute('aria-live', 'polite');
  await expect(announcer).toHaveText('');
  await gdviz.set('Learning rate', '0.5');
  await gdviz.set('Speed', '50');
  // Count every change of the region's text while the run converges.
  await page.evaluate(() => {
    window.announcements = [];
    new MutationObserver(() => window.announcements.push(document.getElementById('announcer').textContent))
      .observe(document.getElementById('announcer'), { childList: true, characterData: true, subtree: true });
  });
  await gdviz.button('Play').click();
  await expect(gdviz.readout('status')).toHaveAttribute('data-value', 'converged');
  const steps = await gdviz.value('iteration');
  await page.waitForTimeout(300);
  const converged = await page.evaluate(() => window.announcements.filter((t) => t !== ''));
  expect(converged).toEqual([`Converged after ${steps} steps.`]);

  await gdviz.button('Reset').click();
  await gdviz.set('Learning rate', '5');
  await page.evaluate(() => { window.announcements = []; });
  await gdviz.button('Play').click();
  await expect(gdviz.readout('status')).toHaveAttribute('data-value', 'diverged');
  await page.waitForTimeout(300);
  const diverged = await page.evaluate(() => window.announcements.filter((t) => t !== ''));
  expect(diverged).toHaveLength(1);
  expect(diverged[0]).toMatch(/^Diverged at step \d+\.$/);
});

test('the trajectory table lists the steps of full-batch descent worked out independently', async ({ gdviz, page }) => {
  const rate = 0.05;
  await gdviz.set('Learning rate', String(rate));
  for (let i = 0; i < 3; i += 1) await gdviz.button('Step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '3');

  // Full-batch gradient descent on J = 1/(2n)·Σ(θ0 + θ1·x − y)², from θ = (0, 0).
  const { xs, ys } = await page.evaluate(() => ({ xs: [...window.gdviz.vis.xs()], ys: [...window.gdviz.vis.ys()] }));
  const n = xs.length;
  let [a, b] = [0, 0];
  const expected = [];
  const loss = (a, b) => xs.reduce((s, x, i) => s + (a + b * x - ys[i]) ** 2, 0) / (2 * n);
  expected.push([0, a, b, loss(a, b)]);
  for (let k = 1; k <= 3; k += 1) {
    let g0 = 0;
    let g1 = 0;
    for (let i = 0; i < n; i += 1) {
      const r = a + b * xs[i] - ys[i];
      g0 += r / n;
      g1 += (r * xs[i]) / n;
    }
    [a, b] = [a - rate * g0, b - rate * g1];
    expected.push([k, a, b, loss(a, b)]);
  }

  await page.locator('#table-menu summary').click();
  const table = page.getByRole('table');
  await expect(table).toBeVisible();
  await expect(table.locator('caption')).toContainText('run 1');
  const headers = await table.locator('thead th').allTextContents();
  expect(headers).toEqual(['Step', 'Epoch', 'θ₀', 'θ₁', 'Loss', '‖∇J‖']);
  expect(await table.locator('thead th').first().getAttribute('scope')).toBe('col');
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) =>
    [...tr.children].map((cell) => cell.textContent)));
  expect(rows).toHaveLength(4); // steps 3, 2, 1, 0, newest first
  for (const [k, theta0, theta1, j] of expected) {
    const row = rows.find((r) => Number(r[0]) === k);
    expect(row, `row of step ${k}`).toBeTruthy();
    // The table shows 6 significant digits.
    const close = (text, value) => expect(Math.abs(Number(text) - value)).toBeLessThanOrEqual(Math.abs(value) * 1e-5 + 1e-12);
    close(row[2], theta0);
    close(row[3], theta1);
    close(row[4], j);
  }
});
