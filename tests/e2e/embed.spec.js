// End-to-end tests of embed mode: a link with embed=1 fills an 800 × 450 frame without scrolling
// (the plots, Step / Play / Reset, the learning rate; the settings column hidden), show=… brings
// more control groups, an unknown group is listed in the link's notice, embed and show round-trip
// through the link, Export ▾ → Copy embed code gives an <iframe> of the current state that
// reproduces the run, and the page renders inside a real iframe. Screenshots go to /tmp/embed-*.png.
// Every test also fails on a console error or a page error (fixtures.js).
import { collectProblems, test, expect } from './fixtures.js';

const FRAME = { width: 800, height: 450 };
/** The names show= accepts, in the order the page lists them in its notice. */
const SHOW_NAMES = 'rate, batch, optimizer, schedule, method, speed, regularization, data, model, view, start, explain, coefficients';

/** Opens `hash` as a fresh page load (not a same-document hash change). */
async function openAt(page, hash) {
  await page.goto('about:blank');
  await page.goto(`/index.html${hash}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/** The page's scroll extent against its viewport. */
function scrollExtent(page) {
  return page.evaluate(() => {
    const s = document.scrollingElement;
    return { scrollWidth: s.scrollWidth, clientWidth: s.clientWidth, scrollHeight: s.scrollHeight, clientHeight: s.clientHeight };
  });
}

async function expectNoScroll(page) {
  const s = await scrollExtent(page);
  expect(s.scrollHeight, 'no vertical scrolling').toBeLessThanOrEqual(s.clientHeight);
  expect(s.scrollWidth, 'no horizontal scrolling').toBeLessThanOrEqual(s.clientWidth);
}

/** Each plot's top canvas: visible, at least `min` px, inside the viewport. */
async function expectPlotsInView(page, { surface = 250, side = [200, 100] } = {}) {
  const view = page.viewportSize();
  const within = (box) => {
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(view.width + 0.5);
    expect(box.y + box.height).toBeLessThanOrEqual(view.height + 0.5);
  };
  await expect(page.locator('#surface-moving')).toBeVisible();
  const s = await page.locator('#surface-moving').boundingBox();
  expect(s.width).toBeGreaterThanOrEqual(surface);
  expect(s.height).toBeGreaterThanOrEqual(surface);
  within(s);
  for (const id of ['fit-moving', 'loss']) {
    await expect(page.locator(`#${id}`)).toBeVisible();
    const box = await page.locator(`#${id}`).boundingBox();
    expect(box.width, id).toBeGreaterThanOrEqual(side[0]);
    expect(box.height, id).toBeGreaterThanOrEqual(side[1]);
    within(box);
  }
}

/** θ of run 1 at full precision. */
function theta(page) {
  return page.evaluate(() => ['theta0', 'theta1'].map((id) => document.querySelector(`[data-testid="${id}"]`).getAttribute('data-value')));
}

test.describe('at 800 × 450', () => {
  test.use({ viewport: FRAME });

  test('embed=1 shows the plots, Step / Play / Reset and the learning rate, without scrolling', async ({ gdviz, page }) => {
    await openAt(page, '#embed=1&learningRate=0.1');
    await page.screenshot({ path: '/tmp/embed-rate.png' });
    await expectNoScroll(page);
    await expectPlotsInView(page, { surface: 320 });
    for (const name of ['Step', 'Play', 'Reset']) await expect(gdviz.button(name)).toBeVisible();
    await expect(gdviz.control('Learning rate')).toBeVisible();
    await expect(gdviz.control('Learning rate')).toHaveValue('0.1');
    await expect(page.locator('#learning-rate-slider')).toBeVisible();
    expect(await page.evaluate(() => window.gdviz.vis.run_config(0).learning_rate)).toBe(0.1);
    // The settings column, the toolbar and the other readouts are hidden; iteration and loss stay.
    await expect(page.locator('aside.controls')).toBeHidden();
    await expect(gdviz.control('Dataset')).toBeHidden();
    await expect(gdviz.control('Batch size')).toBeHidden();
    await expect(gdviz.button('Copy link')).toBeHidden();
    await expect(page.locator('#timeline')).toBeHidden();
    for (const id of ['epoch', 'samples-seen', 'theta0', 'grad-norm']) await expect(gdviz.readout(id)).toBeHidden();
    for (const id of ['iteration', 'loss', 'status']) await expect(gdviz.readout(id)).toBeVisible();
    // embed is no unknown field.
    await expect(page.locator('#url-notice')).toBeHidden();

    await gdviz.button('Step').click();
    await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '1');

    // Keyboard shortcuts work as on the full page.
    await page.keyboard.press('ArrowRight');
    await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '2');
    await page.keyboard.press(']');
    await expect(gdviz.control('Learning rate')).toHaveValue('0.2');
    await page.keyboard.press('r');
    await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '0');
    await page.keyboard.press('[');
    await expect(gdviz.control('Learning rate')).toHaveValue('0.1');

    // "Open in gdviz": the full page with the same settings, without embed.
    const open = page.locator('#embed-open');
    await expect(open).toBeVisible();
    await expect(open).toHaveAttribute('target', '_blank');
    await expect.poll(() => open.getAttribute('href')).toContain('learningRate=0.1');
    const href = await open.getAttribute('href');
    expect(href).not.toContain('embed=');
    expect(href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/index\.html#/);

    // Playing draws a path; a screenshot of it.
    await gdviz.button('Play').click();
    await expect.poll(() => gdviz.value('iteration')).toBeGreaterThan(20);
    await page.screenshot({ path: '/tmp/embed-playing.png' });
  });

  test('show=… brings more control groups; an unknown name is listed with the valid ones', async ({ gdviz, page }) => {
    await openAt(page, '#embed=1&learningRate=0.1&show=batch');
    await page.screenshot({ path: '/tmp/embed-batch.png' });
    await expectNoScroll(page);
    await expectPlotsInView(page);
    await expect(gdviz.control('Batch size')).toBeVisible();
    await expect(gdviz.button('Full batch')).toBeVisible();
    await expect(gdviz.control('Learning rate')).toBeVisible();
    await expect(gdviz.control('Optimizer')).toBeHidden();
    await expect(page.locator('#url-notice')).toBeHidden();
    await gdviz.set('Batch size', '10');
    await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('batchSize=10');
    const hash = await page.evaluate(() => window.location.hash);
    expect(hash).toContain('embed=1');
    expect(hash).toContain('show=batch');

    // Three groups still fit, without scrolling.
    await openAt(page, '#embed=1&learningRate=0.1&show=batch,regularization,optimizer');
    await page.screenshot({ path: '/tmp/embed-three.png' });
    await expectNoScroll(page);
    await expectPlotsInView(page, { surface: 200, side: [200, 80] });
    for (const label of ['Batch size', 'Optimizer', 'Regularization', 'Learning rate']) await expect(gdviz.control(label)).toBeVisible();
    await expect(gdviz.control('Schedule')).toBeHidden();

    // An unknown name: the notice names it and the valid names; the rest of the link applies.
    await openAt(page, '#embed=1&show=colour,batch&learningRate=0.05');
    const notice = page.locator('#url-notice');
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('Ignored from the link: show');
    await expect(notice).toContainText('got "colour"');
    await expect(notice).toContainText(SHOW_NAMES);
    await expect(notice).not.toContainText('unknown field');
    await page.screenshot({ path: '/tmp/embed-notice.png' });
    await expectNoScroll(page);
    await expect(gdviz.control('Learning rate')).toHaveValue('0.05');
    await expect(gdviz.control('Batch size')).toBeHidden(); // the field was refused whole
    await expect(page.locator('aside.controls')).toBeHidden();

    // A hash changed by hand to embed=0 gives the full page back, every control in its place.
    await openAt(page, '#embed=1&show=batch,optimizer,regularization,data,start');
    await page.evaluate(() => { window.location.hash = '#embed=0'; });
    await expect(page.locator('aside.controls')).toBeVisible();
    await expect(page.locator('#embed-controls')).toBeHidden();
    for (const id of ['learning-rate', 'learning-rate-slider', 'batch-size', 'optimizer', 'regularization', 'dataset', 'start-theta0']) {
      expect(await page.locator(`aside.controls #${id}`).count(), id).toBe(1);
    }
    // In their order: the settings column as before.
    const order = await page.evaluate(() => [...document.querySelectorAll('aside.controls [id]')].map((el) => el.id).join(' '));
    expect(order.indexOf('dataset')).toBeLessThan(order.indexOf('learning-rate'));
    expect(order.indexOf('learning-rate-error')).toBeLessThan(order.indexOf('batch-size'));
    expect(order.indexOf('batch-size-error')).toBeLessThan(order.indexOf('optimizer'));
    expect(order.indexOf('speed')).toBeLessThan(order.indexOf('loss-convention'));

    // A bad embed value is listed like any other flag; embed=0 is the full page.
    await openAt(page, '#embed=yes&learningRate=0.05');
    await expect(notice).toContainText('embed (Embed mode must be one of 0, 1, got "yes")');
    await expect(page.locator('aside.controls')).toBeVisible();
    await openAt(page, '#embed=0&show=batch');
    await expect(page.locator('aside.controls')).toBeVisible();
    await expect(notice).toBeHidden();
  });

  test('Copy link from an embedded page keeps embed and show', async ({ gdviz, page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await openAt(page, '#embed=1&show=batch&learningRate=0.1&dataset=noisy');
    await gdviz.set('Learning rate', '0.08');
    // The button is hidden with the toolbar: press it as a script would.
    await page.locator('#copy-link').evaluate((button) => button.click());
    await expect(page.locator('#link-feedback')).toHaveText('Link copied.');
    const url = await page.evaluate(() => navigator.clipboard.readText());
    for (const part of ['embed=1', 'show=batch', 'learningRate=0.08', 'dataset=noisy']) expect(url).toContain(part);
    await openAt(page, new URL(url).hash);
    await expect(page.locator('#url-notice')).toBeHidden();
    await expect(page.locator('aside.controls')).toBeHidden();
    await expect(gdviz.control('Batch size')).toBeVisible();
    await expect(gdviz.control('Learning rate')).toHaveValue('0.08');
    await expect(gdviz.control('Dataset')).toHaveValue('noisy');
  });

  test('inside a real 800 × 450 iframe the page renders and steps', async ({ page, baseURL }) => {
    await page.setViewportSize({ width: 840, height: 490 });
    const src = `${baseURL}/index.html#embed=1&learningRate=0.1`;
    await page.setContent(`<!doctype html><body style="margin:20px;background:#d9dde3">
      <iframe width="800" height="450" title="gdviz: gradient descent" style="border:0"></iframe></body>`);
    await page.locator('iframe').evaluate((frame, url) => { frame.src = url; }, src);
    const frame = page.frameLocator('iframe');
    await expect(frame.locator('body')).toHaveAttribute('data-ready', 'true');
    await expect(frame.getByRole('button', { name: 'Step', exact: true })).toBeVisible();
    await expect(frame.getByLabel('Learning rate', { exact: true })).toHaveValue('0.1');
    await frame.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(frame.getByTestId('iteration')).toHaveAttribute('data-value', '1');
    // The frame has the focus: the shortcuts reach it.
    await page.keyboard.press('ArrowRight');
    await expect(frame.getByTestId('iteration')).toHaveAttribute('data-value', '2');
    const inner = page.frames().find((f) => f.url().startsWith(baseURL));
    const s = await inner.evaluate(() => {
      const e = document.scrollingElement;
      return { w: e.scrollWidth - e.clientWidth, h: e.scrollHeight - e.clientHeight, vw: innerWidth, vh: innerHeight };
    });
    expect(s).toEqual({ w: 0, h: 0, vw: 800, vh: 450 });
    const box = await frame.locator('#surface-moving').boundingBox();
    expect(box.width).toBeGreaterThanOrEqual(250);
    const ink = await inner.evaluate(() => ['surface-static', 'fit-static', 'loss'].map((id) => {
      const c = document.getElementById(id);
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true;
      return false;
    }));
    expect(ink).toEqual([true, true, true]);
    await page.screenshot({ path: '/tmp/embed-iframe.png' });
  });
});

test('Export ▾ → Copy embed code gives an iframe that reproduces the run at 800 × 450', async ({ gdviz, page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await gdviz.open();
  await gdviz.control('Dataset').selectOption('noisy');
  await gdviz.set('Seed', '5');
  await gdviz.set('Learning rate', '0.12');
  await gdviz.set('Batch size', '8');
  await gdviz.control('Optimizer').selectOption('momentum');
  for (let i = 0; i < 3; i += 1) await gdviz.button('Step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '3');
  const expected = await theta(page);

  await page.locator('#export-menu > summary').click();
  await gdviz.button('Copy embed code').click();
  await expect(page.locator('#embed-feedback')).toHaveText('Embed code copied: paste it into a slide or a course page.');
  const code = await page.evaluate(() => navigator.clipboard.readText());
  expect(code).toMatch(/^<iframe src="[^"<>]+" width="800" height="450" title="gdviz: gradient descent" style="border:0" loading="lazy"><\/iframe>$/);
  expect(code).not.toMatch(/&(?!amp;)/); // every & of the address escaped
  const parsed = await page.evaluate((text) => {
    const frame = new DOMParser().parseFromString(text, 'text/html').querySelector('iframe');
    return Object.fromEntries(['src', 'width', 'height', 'title', 'style', 'loading'].map((a) => [a, frame.getAttribute(a)]));
  }, code);
  expect(parsed).toMatchObject({ width: '800', height: '450', title: 'gdviz: gradient descent', style: 'border:0', loading: 'lazy' });
  const src = new URL(parsed.src);
  expect(src.origin + src.pathname).toBe(new URL(page.url()).origin + new URL(page.url()).pathname);
  expect(src.hash).toMatch(/^#embed=1&/);
  // The address is the link's own, with embed=1 first.
  const link = await page.evaluate(async () => (await import('/www/features/link.js')).linkHash(window.gdviz));
  expect(src.hash).toBe(`#embed=1&${link.slice(1)}`);

  const other = await context.newPage();
  const errors = collectProblems(other);
  await other.setViewportSize(FRAME);
  await other.bringToFront(); // a background tab gets no animation frames
  await other.goto(parsed.src);
  await expect(other.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(other.locator('#url-notice')).toBeHidden();
  await expect(other.locator('aside.controls')).toBeHidden();
  await expectNoScroll(other);
  for (let i = 0; i < 3; i += 1) await other.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(other.getByTestId('iteration')).toHaveAttribute('data-value', '3');
  expect(await theta(other)).toEqual(expected);
  await other.screenshot({ path: '/tmp/embed-from-code.png' });
  expect(errors).toEqual([]);
  await other.close();
});

test('Copy embed code says so when the link cannot carry the points', async ({ gdviz, page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await gdviz.open();
  const rows = Array.from({ length: 400 }, (_, i) => `${i / 100},${1 + (2 * i) / 100 + ((i * 7) % 5) / 10}`).join('\n');
  await page.locator('#data-menu > summary').click();
  await gdviz.control('Import CSV').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(rows) });
  await expect(page.locator('#import-status')).toContainText('Loaded 400 points');
  await page.locator('#export-menu > summary').click();
  await gdviz.button('Copy embed code').click();
  await expect(page.locator('#embed-feedback')).toContainText('Embed code copied');
  await expect(page.locator('#embed-feedback')).toContainText('The data has 400 points, more than the 300 a link holds');
  await expect(page.locator('#link-note')).toBeVisible();
  const code = await page.evaluate(() => navigator.clipboard.readText());
  expect(code).toContain('dataset=clean');
  expect(code).not.toMatch(/[#;]x=/);
});

test('without the clipboard, the embed code is selected in a field to copy', async ({ gdviz, page }) => {
  await gdviz.open();
  await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true }));
  await page.locator('#export-menu > summary').click();
  await gdviz.button('Copy embed code').click();
  const field = gdviz.control('Embed code of this view');
  await expect(field).toBeVisible();
  await expect(field).toBeFocused();
  expect(await field.inputValue()).toMatch(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/index\.html#embed=1&amp;/);
  await expect(page.locator('#embed-feedback')).toHaveText('Press Ctrl+C (⌘C) to copy the selected embed code.');
});
