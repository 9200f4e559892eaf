// End-to-end tests of large imports: the limits stated in the Data menu and enforced, a large
// file read off the page's thread with a progress bar (the page keeps drawing frames), a bad
// large file refused by line with the data untouched. Every test also fails on a console error
// or a page error (fixtures.js).
import { test, expect } from './fixtures.js';

function rows(n, bad = -1) {
  const lines = ['x,y'];
  for (let i = 0; i < n; i += 1) lines.push(i === bad ? '1,oops' : `${(i % 1000) / 100},${i % 7}`);
  return `${lines.join('\n')}\n`;
}

test.beforeEach(async ({ gdviz, page }) => {
  await gdviz.open();
  await page.locator('#data-menu summary').click();
});

test('the limits are stated, and a large file is read off the page thread', async ({ gdviz, page }) => {
  await expect(page.locator('#import-limits')).toHaveText('At most 1,000,000 rows and 96 MiB a file.');
  const text = rows(400_000);
  expect(text.length).toBeGreaterThan(2_000_000);
  // Frames keep coming while the file is read.
  await page.evaluate(() => {
    window.__stamps = [];
    const tick = (t) => { window.__stamps.push(t); if (window.__stamps.length < 20_000) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  await gdviz.control('Import CSV').setInputFiles({ name: 'large.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await expect(page.locator('#import-status')).toHaveText('Loaded 400,000 points from large.csv.');
  await expect(page.locator('#import-progress')).toBeHidden();
  expect(await page.evaluate(() => window.gdviz.vis.analysis().n)).toBe(400_000);
  expect(await page.evaluate(() => window.gdviz.vis.export_csv())).toBe(text);
  const longest = await page.evaluate(() => Math.max(...window.__stamps.slice(1).map((t, i) => t - window.__stamps[i])));
  expect(longest).toBeLessThan(1000);
});

test('a large bad file names its line and leaves the data; too many rows are refused', async ({ gdviz, page }) => {
  const before = await page.evaluate(() => window.gdviz.vis.export_csv());
  await gdviz.control('Import CSV').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(rows(400_000, 300_000)) });
  const alert = page.locator('#import-error');
  await expect(alert).toContainText('Line 300002, column 2: "oops" is not a number');
  expect(await page.evaluate(() => window.gdviz.vis.export_csv())).toBe(before);
  await gdviz.control('Import CSV').setInputFiles({ name: 'huge.csv', mimeType: 'text/csv', buffer: Buffer.from(rows(1_000_001)) });
  await expect(alert).toContainText('the file has more than 1000000 data rows, the most a data set holds', { timeout: 60_000 });
  await expect(alert).toContainText('Line 1000002');
  expect(await page.evaluate(() => window.gdviz.vis.export_csv())).toBe(before);
});
