// End-to-end tests of the page in print: one A4 landscape sheet (www/styles/print.css) holding
// the readouts and the four plots, in black on white, without the settings column, the toolbar
// or the buttons. The PDF is Chromium's own (page.pdf, as Ctrl+P prints); the layout is checked
// in print media at the size of the sheet's printable area. The PDF and a picture of the sheet
// land in artifacts/. Every test also fails on a console error or a page error (fixtures.js).
import fs from 'node:fs';
import { test, expect } from './fixtures.js';

/** A4 landscape less the 8 mm margins of print.css's @page, in CSS px (96 per inch). */
const PRINTABLE = { width: Math.floor(((297 - 16) / 25.4) * 96), height: Math.floor(((210 - 16) / 25.4) * 96) };
const PLOTS = ['surface', 'fit', 'loss', 'coefficients'];

/** Chromium's PDF of the page as printed. */
const printed = (page) => page.pdf({ format: 'A4', landscape: true, preferCSSPageSize: true, printBackground: true });

/** The pages of a PDF (its page objects, /Type /Page and not /Pages, and the page tree's count) and its images. */
function pdfParts(pdf) {
  const text = pdf.toString('latin1');
  return {
    pages: (text.match(/\/Type\s*\/Page(?![A-Za-z])/g) ?? []).length,
    counts: [...text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)]
      .map((m) => Number(m[1] ?? m[2])),
    images: (text.match(/\/Subtype\s*\/Image\b/g) ?? []).length,
  };
}

/** In print media: the box of each plot's canvases, what is hidden, the colours, the height. */
function printLayout(page) {
  return page.evaluate((plots) => {
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
    };
    const shown = (selector) => [...document.querySelectorAll(selector)].some((el) => el.getClientRects().length > 0);
    return {
      canvases: Object.fromEntries(plots.map((name) => [name,
        [...document.querySelectorAll(`[data-plot="${name}"] canvas`)].map(box)])),
      hidden: {
        settings: getComputedStyle(document.querySelector('aside.controls')).display === 'none',
        toolbar: !shown('#toolbar'),
        buttons: !shown('button'),
        menus: !shown('details.menu'),
      },
      readouts: ['iteration', 'theta0', 'theta1', 'loss', 'grad-norm', 'status']
        .every((id) => document.querySelector(`[data-testid="${id}"]`).getClientRects().length > 0),
      summary: {
        shown: document.getElementById('print-summary').getClientRects().length > 0,
        text: document.getElementById('print-summary').textContent,
        bottom: document.getElementById('print-summary').getBoundingClientRect().bottom,
      },
      background: getComputedStyle(document.body).backgroundColor,
      ink: getComputedStyle(document.body).color,
      height: document.documentElement.scrollHeight,
      width: document.documentElement.scrollWidth,
    };
  }, PLOTS);
}

test.beforeEach(async ({ gdviz }) => {
  await gdviz.open();
});

test('the page prints on one A4 landscape sheet: the readouts and the plots, no settings or buttons', async ({ gdviz, page }) => {
  await gdviz.set('Learning rate', '0.05');
  for (let i = 0; i < 5; i += 1) await gdviz.button('Step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '5');

  // The settings line is for paper only.
  expect(await page.locator('#print-summary').isVisible()).toBe(false);
  const critical = (await gdviz.readout('lr-critical').textContent()).trim();
  const pdf = await printed(page);
  fs.mkdirSync('artifacts', { recursive: true });
  fs.writeFileSync('artifacts/handout.pdf', pdf);
  const parts = pdfParts(pdf);
  expect(parts.pages, 'page objects in the PDF').toBe(1);
  expect(parts.counts, 'the page tree\'s count').toEqual([1]);
  expect(parts.images, 'an image for each plot at least').toBeGreaterThanOrEqual(PLOTS.length);

  // The same page in print media, at the size of the printable area.
  await page.setViewportSize(PRINTABLE);
  await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
  const layout = await printLayout(page);
  for (const name of PLOTS) {
    expect(layout.canvases[name].length, name).toBeGreaterThan(0);
    for (const c of layout.canvases[name]) {
      expect(c.width, `${name}: width`).toBeGreaterThan(150);
      expect(c.height, `${name}: height`).toBeGreaterThan(100);
      expect(c.left, name).toBeGreaterThanOrEqual(0);
      expect(c.top, name).toBeGreaterThanOrEqual(0);
      expect(c.right, name).toBeLessThanOrEqual(PRINTABLE.width);
      expect(c.bottom, name).toBeLessThanOrEqual(PRINTABLE.height);
    }
  }
  // The surface keeps its square.
  const surface = layout.canvases.surface[0];
  expect(Math.abs(surface.width - surface.height)).toBeLessThan(2);
  expect(surface.height).toBeGreaterThan(PRINTABLE.height * 0.7);
  expect(layout.hidden).toEqual({ settings: true, toolbar: true, buttons: true, menus: true });
  expect(layout.readouts).toBe(true);
  // What the run is, since the settings column is not on the sheet: the settings as their
  // controls show them, the critical rate as its readout does, above the plots.
  expect(layout.summary.shown).toBe(true);
  for (const part of ['Dataset ', 'Learning rate 0.05', 'Batch size 50', 'Optimizer Plain GD', `Critical rate ${critical}`, 'Condition number κ ']) {
    expect(layout.summary.text, part).toContain(part);
  }
  expect(layout.summary.text).not.toContain('Regularization strength'); // λ is unused without a regularizer
  expect(layout.summary.bottom).toBeLessThanOrEqual(surface.top);
  expect(layout.height).toBeLessThanOrEqual(PRINTABLE.height);
  expect(layout.width).toBeLessThanOrEqual(PRINTABLE.width);
  // White paper and black ink, whatever the screen's colour scheme.
  expect(layout.background).toBe('rgb(255, 255, 255)');
  expect(layout.ink).toBe('rgb(0, 0, 0)');
  await page.screenshot({ path: 'artifacts/handout.png' });
});

test('a diverged run of two features, its message and its extra coefficient, still prints on one sheet', async ({ gdviz, page }) => {
  await gdviz.control('Dataset').selectOption('two-features');
  await gdviz.set('Learning rate', '3');
  await gdviz.button('Play').click();
  await expect(gdviz.readout('status')).toHaveAttribute('data-value', 'diverged');
  await expect(page.getByTestId('message')).toBeVisible();
  await expect(page.locator('#coefficient-readouts')).toBeVisible();

  const parts = pdfParts(await printed(page));
  expect(parts.pages).toBe(1);
  expect(parts.counts).toEqual([1]);

  await page.setViewportSize(PRINTABLE);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('message')).toBeVisible();
  await expect(page.locator('#coefficient-readouts')).toBeVisible();
  const layout = await printLayout(page);
  for (const name of PLOTS) {
    for (const c of layout.canvases[name]) {
      expect(c.height, name).toBeGreaterThan(80);
      expect(c.bottom, name).toBeLessThanOrEqual(PRINTABLE.height);
    }
  }
  expect(layout.height).toBeLessThanOrEqual(PRINTABLE.height);
});
