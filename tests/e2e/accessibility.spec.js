// The accessibility audit: axe-core (npm @axe-core/playwright) with the WCAG 2.0, 2.1 and 2.2 A
// and AA rules and axe's best practices, on every state a person meets: the default page paused
// and playing, presenter mode at 1024×768, the phone layout, embed mode at 800×450, Chinese, a
// diverged run, each menu and dialog open, a lesson scene with its question, and the lesson
// editor. The target is zero violations of any impact, with no rule turned off.
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures.js';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** The audit's violations, each as "rule (impact): the first elements it names". */
async function violations(page) {
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

const ready = async (page, hash = '') => {
  await page.goto(`/index.html${hash}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
};

test('the default page, paused and playing, and a diverged run', async ({ page, gdviz }) => {
  await ready(page);
  expect(await violations(page), 'paused').toEqual([]);
  await gdviz.set('Learning rate', '0.001');
  await gdviz.button('Play').click();
  expect(await violations(page), 'playing').toEqual([]);
  await gdviz.button('Pause').click();
  await gdviz.set('Learning rate', '0.9');
  await gdviz.button('Play').click();
  await expect(gdviz.readout('status')).toHaveAttribute('data-value', 'diverged');
  expect(await violations(page), 'diverged').toEqual([]);
});

test('presenter mode at 1024×768, the phone layout, Chinese', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await ready(page, '#presenter=1');
  expect(await violations(page), 'presenter mode').toEqual([]);
  await page.setViewportSize({ width: 390, height: 844 });
  await ready(page, '#lang=en');
  expect(await violations(page), 'phone').toEqual([]);
  await page.setViewportSize({ width: 1366, height: 768 });
  await ready(page, '#lang=zh');
  expect(await violations(page), 'Chinese').toEqual([]);
});

test('embed mode at 800×450', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 450 });
  await ready(page, '#embed=1&show=batch,optimizer');
  expect(await violations(page)).toEqual([]);
});

test('each menu and dialog open', async ({ page }) => {
  await ready(page);
  for (const id of ['lesson-menu', 'data-menu', 'export-menu', 'table-menu']) {
    const summary = page.locator(`#${id} > summary`);
    if (!(await summary.count())) continue;
    await summary.click();
    await expect(page.locator(`#${id}`)).toHaveAttribute('open', '');
    expect(await violations(page), `${id} open`).toEqual([]);
    await page.keyboard.press('Escape');
  }
  // Comparison runs, in the settings column.
  const runs = page.locator('#runs-section, details.runs').first();
  if (await runs.count()) {
    await runs.locator('summary').first().click();
    expect(await violations(page), 'comparison runs open').toEqual([]);
  }
  // The shortcuts dialog.
  await page.locator('#shortcuts-button').click();
  await expect(page.locator('dialog[open]')).toHaveCount(1);
  expect(await violations(page), 'shortcuts dialog').toEqual([]);
});

test('a lesson scene with its question, and the lesson editor', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await ready(page, '#presenter=1&lesson=least-squares&scene=4');
  await expect(page.locator('#lesson-question')).toBeVisible();
  expect(await violations(page), 'a scene with a prediction').toEqual([]);
  await page.setViewportSize({ width: 1366, height: 768 });
  await ready(page, '#lesson=least-squares&scene=7');
  expect(await violations(page), 'a scene with a goal').toEqual([]);
  await page.getByRole('button', { name: 'Leave' }).click();
  await page.locator('#lesson-menu > summary').click();
  await page.getByRole('button', { name: 'New lesson', exact: true }).click();
  await page.locator('#lesson-editor').getByRole('button', { name: 'Add this view as a scene' }).click();
  await page.locator('#editor-question-kind').selectOption('prediction');
  expect(await violations(page), 'the lesson editor').toEqual([]);
});

test('each plot is named by what it shows now, in the page language', async ({ page, gdviz }) => {
  await ready(page);
  for (let i = 0; i < 10; i += 1) await gdviz.button('Step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '10');
  const { theta, optimum, loss, optimumLoss } = await page.evaluate(() => {
    const r = window.gdviz.vis.reports()[0];
    const a = window.gdviz.vis.analysis();
    return { theta: Array.from(r.theta.theta), optimum: Array.from(a.optimum.theta.theta), loss: r.loss, optimumLoss: a.optimum.loss };
  });
  // The numbers as the page writes them: four significant digits, the distance three.
  const four = (v) => String(Number(v.toPrecision(4)));
  const distance = Math.hypot(theta[0] - optimum[0], theta[1] - optimum[1]);
  await expect(page.locator('#surface-static')).toHaveAttribute('aria-label',
    `Loss surface: heat map and contours of J over intercept and slope, with the optimum marked. After 10 steps θ is at (${four(theta[0])}, ${four(theta[1])}), ${String(Number(distance.toPrecision(3)))} from θ*`);
  await expect(page.locator('#fit-static')).toHaveAttribute('aria-label', new RegExp(`The fitted line: ŷ = ${four(theta[0])} \\+ ${four(theta[1])}·x$`));
  await expect(page.locator('#loss')).toHaveAttribute('aria-label', new RegExp(`At step 10, J = ${four(loss)}; J\\* = ${four(optimumLoss)}$`));
  await expect(page.locator('#coefficients')).toHaveAttribute('aria-label', new RegExp(`At step 10: θ₀ = ${four(theta[0])}, θ₁ = ${four(theta[1])}$`));
  await page.getByLabel('Language').selectOption('zh');
  await expect(page.locator('#loss')).toHaveAttribute('aria-label', new RegExp(`第 10 步，J = ${four(loss)}；J\\* = ${four(optimumLoss)}$`));
});

test('a whole session by keyboard alone: the rate, Play, a CSV through Data ▾, a ladder, Copy link', async ({ page, gdviz, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  // Listened for from the start: Playwright intercepts the file chooser only once a listener is
  // in place, and a listener added just before the key press can come too late for it.
  const choosers = [];
  page.on('filechooser', (chooser) => choosers.push(chooser));
  await ready(page);
  /** Presses Tab (Shift+Tab backwards) until `selector` has the focus; fails after 200 presses. */
  const tabTo = async (selector, key = 'Tab') => {
    for (let i = 0; i < 200; i += 1) {
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      await page.keyboard.press(key);
    }
    throw new Error(`${selector} was not reached with ${key}`);
  };
  await tabTo('#learning-rate');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('0.1');
  await page.keyboard.press('Enter');
  await expect(gdviz.control('Learning rate')).toHaveValue('0.1');
  await tabTo('#play', 'Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(gdviz.button('Pause')).toBeVisible();
  await page.keyboard.press('Enter'); // Pause
  await expect(gdviz.button('Play')).toBeVisible();
  // Data ▾ → Import CSV: the file chooser opened from the keyboard.
  await tabTo('#data-menu > summary');
  await page.keyboard.press('Enter');
  await tabTo('#import-file');
  await page.keyboard.press('Space');
  await expect.poll(() => choosers.length, { message: 'Space on the file input opens the file chooser' }).toBe(1);
  await choosers[0].setFiles({ name: 'keys.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y\n0,1\n1,3\n2,5\n3,7\n') });
  await expect(page.locator('#import-status')).toContainText('Loaded 4 points');
  await page.keyboard.press('Escape');
  // Comparison runs → the η ladder.
  await tabTo('#runs-section > summary');
  await page.keyboard.press('Enter');
  await tabTo('#ladder-lr');
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-testid="run-status-2"]')).toBeAttached();
  // Copy link.
  await tabTo('#copy-link', 'Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(page.locator('#link-feedback')).toContainText('copied');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain('learningRate=0.1');
  expect(link).toContain('x=0,1,2,3');
});

test('the tuning dialogs: Find a rate and the stability map, in English and Chinese', async ({ page }) => {
  for (const lang of ['en', 'zh']) {
    await ready(page, `#lang=${lang}`);
    await page.locator('#find-rate').click();
    await page.waitForFunction(() => window.gdviz.features.rangeTest.result()?.done === true);
    expect(await violations(page), `Find a rate (${lang})`).toEqual([]);
    await page.keyboard.press('Escape');
    await page.locator('#stability-map').click();
    await page.waitForFunction(() => window.gdviz.features.rateMap.result()?.done === true);
    expect(await violations(page), `stability map (${lang})`).toEqual([]);
    await page.screenshot({ path: `test-results/stability-map-${lang}.png` });
    await page.keyboard.press('Escape');
  }
});
