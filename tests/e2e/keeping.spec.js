// End-to-end tests of the user's data kept in this browser: imported points survive a reload
// (with a notice), a link that carries points wins over them, choosing a preset stops restoring
// them, and Forget my data deletes them. Every test also fails on a console error or a page
// error (fixtures.js).
import { test, expect } from './fixtures.js';

async function openMenu(page, id) {
  const details = page.locator(`#${id}`);
  if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
  await expect(details.locator('.menu-panel')).toBeVisible();
}

/** 1,000 points of y = 3 − x/2 plus a wiggle, as CSV. */
function thousand() {
  const rows = ['x,y'];
  for (let i = 0; i < 1000; i += 1) rows.push(`${i / 100},${3 - i / 200 + Math.sin(i) / 10}`);
  return `${rows.join('\n')}\n`;
}

async function reload(page) {
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
}

test('imported points survive a reload, and Forget my data forgets them', async ({ gdviz, page }) => {
  await gdviz.open();
  await openMenu(page, 'data-menu');
  const csv = thousand();
  await gdviz.control('Import CSV').setInputFiles({ name: 'thousand.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.locator('#import-status')).toContainText('Loaded 1,000 points');
  // The link cannot carry them: said there, with Export data at hand.
  await expect(page.locator('#link-note')).toContainText('more than the 300 a link holds');
  await expect(page.locator('#link-note').getByRole('button', { name: 'Export data' })).toBeVisible();
  const before = await page.evaluate(() => window.gdviz.vis.export_csv());
  expect(before).toBe(csv);
  await page.waitForTimeout(800); // the save follows the change after 400 ms

  await reload(page);
  await expect(page.locator('#kept-notice')).toHaveText(/Restored your 1,000 points from this browser\./);
  expect(await page.evaluate(() => window.gdviz.vis.export_csv())).toBe(csv);
  expect(await page.evaluate(() => window.gdviz.vis.analysis().n)).toBe(1000);
  await expect(gdviz.control('Dataset')).toHaveValue('custom');

  // Forget my data: the page keeps showing them, but a reload brings the preset back.
  await openMenu(page, 'data-menu');
  await page.getByRole('button', { name: 'Forget my data', exact: true }).click();
  await expect(page.locator('#kept-notice')).toContainText('no longer kept');
  await reload(page);
  await expect(page.locator('#kept-notice')).toBeHidden();
  expect(await page.evaluate(() => window.gdviz.vis.analysis().n)).toBe(50);
});

test('a link with points wins over the kept data, and a preset chosen stops restoring it', async ({ gdviz, page }) => {
  await gdviz.open();
  await openMenu(page, 'data-menu');
  await gdviz.control('Import CSV').setInputFiles({ name: 'thousand.csv', mimeType: 'text/csv', buffer: Buffer.from(thousand()) });
  await expect(page.locator('#import-status')).toContainText('Loaded 1,000 points');
  await page.waitForTimeout(800);
  await page.goto('/index.html#x=0,1,2,3&y=1,3,5,7.5');
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  expect(await page.evaluate(() => window.gdviz.vis.analysis().n)).toBe(4);
  await expect(page.locator('#kept-notice')).toBeHidden();
  // Opening a link did not overwrite what is kept: a page without data brings the 1,000 back.
  await page.waitForTimeout(800);
  await page.goto('/index.html');
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('#kept-notice')).toHaveText(/Restored your 1,000 points/);
  // A preset chosen: the next visit starts from it, and Restore my data brings them back.
  await gdviz.control('Dataset').selectOption('noisy');
  await page.waitForTimeout(800);
  await reload(page);
  await expect(page.locator('#kept-notice')).toBeHidden();
  expect(await page.evaluate(() => window.gdviz.vis.analysis().n)).toBe(200);
  await openMenu(page, 'data-menu');
  await page.getByRole('button', { name: 'Restore my data', exact: true }).click();
  await expect(page.locator('#kept-notice')).toHaveText(/Restored your 1,000 points/);
  expect(await page.evaluate(() => window.gdviz.vis.analysis().n)).toBe(1000);
});
