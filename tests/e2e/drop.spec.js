// End-to-end tests of dropping a CSV file on the page: the drop target shown while a file is
// dragged over the page and gone after the drop, when the drag leaves or on Escape; a drag of
// text ignored; the file imported exactly as Import CSV imports it (its messages, its limits, the
// data kept when the file is refused). The drags are DragEvents dispatched with a DataTransfer
// built in the page. Every test also fails on a console error or a page error (fixtures.js).
import { test, expect, pixels } from './fixtures.js';

/** A DataTransfer in the page holding one file `name` with `text`, or (no name) only `text`. */
function transfer(page, { name, text, size }) {
  return page.evaluateHandle(({ name, text, size }) => {
    const dt = new DataTransfer();
    if (!name) {
      dt.setData('text/plain', text);
    } else {
      const body = size === undefined ? [text] : [new Uint8Array(size)];
      dt.items.add(new File(body, name, { type: 'text/csv' }));
    }
    return dt;
  }, { name, text, size });
}

/** Drags `dataTransfer` onto the plots and, unless `drop` is false, drops it there. */
async function dragOnto(page, dataTransfer, { drop = true } = {}) {
  const plots = page.locator('#plots');
  await plots.dispatchEvent('dragenter', { dataTransfer });
  await plots.dispatchEvent('dragover', { dataTransfer });
  if (drop) await plots.dispatchEvent('drop', { dataTransfer });
}

const current = (page) => page.evaluate(() => ({ csv: window.gdviz.vis.export_csv(), n: window.gdviz.vis.analysis().n }));

test.beforeEach(async ({ gdviz }) => {
  await gdviz.open();
});

test('a dropped CSV is imported; the drop target shows while dragging and is gone after', async ({ gdviz, page }) => {
  const target = page.locator('#drop-target');
  await expect(target).toBeHidden();
  const good = 'x,y\n0,1\n1,3\n2,5\n3,7.5\n';
  const fitBefore = await pixels(page, 'fit-static');
  const file = await transfer(page, { name: 'good.csv', text: good });
  await dragOnto(page, file, { drop: false });
  await expect(target).toBeVisible();
  await expect(target).toHaveText(/Drop a CSV file to import it/);
  await expect(target).toContainText('At most 1,000,000 rows and 96 MiB a file.');
  await page.locator('#plots').dispatchEvent('drop', { dataTransfer: file });
  await expect(target).toBeHidden();
  // The same messages as Import CSV, in the Data menu, opened to show them.
  await expect(page.locator('#import-status')).toHaveText('Loaded 4 points from good.csv.');
  await expect(page.locator('#import-status')).toBeVisible();
  await expect(page.locator('#import-error')).toBeEmpty();
  expect(await current(page)).toEqual({ csv: good, n: 4 });
  await expect.poll(() => pixels(page, 'fit-static')).not.toBe(fitBefore);
  // The page runs on the new data.
  await gdviz.button('Step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '1');
});

test('a bad dropped CSV names its line and column and leaves the data; too large a file is refused', async ({ gdviz, page }) => {
  const before = await current(page);
  await dragOnto(page, await transfer(page, { name: 'bad.csv', text: 'x,y\n1,2\n3,abc\n4,5\n' }));
  await expect(page.locator('#drop-target')).toBeHidden();
  const alert = page.locator('#import-error');
  await expect(alert).toContainText('Could not read bad.csv');
  await expect(alert).toContainText('Line 3, column 2: "abc" is not a number');
  await expect(alert).toContainText('The data already shown stays.');
  await expect(alert).toBeVisible();
  expect(await current(page)).toEqual(before);
  expect(await gdviz.value('iteration')).toBe(0);

  const max = await page.evaluate(() => window.gdviz.catalog.import.max_bytes);
  await dragOnto(page, await transfer(page, { name: 'huge.csv', size: max + 1 }));
  await expect(alert).toContainText('Could not read huge.csv');
  await expect(alert).toContainText('The file is larger than 96 MiB, the most an import reads');
  expect(await current(page)).toEqual(before);
});

test('the drop target counts the elements a drag crosses, and goes on leaving, on Escape; text drags are ignored', async ({ page }) => {
  const target = page.locator('#drop-target');
  const file = await transfer(page, { name: 'any.csv', text: 'x,y\n0,1\n1,2\n' });
  // Entering a child fires its dragenter before the parent's dragleave: the target stays.
  await page.locator('.stage').dispatchEvent('dragenter', { dataTransfer: file });
  await page.locator('#plots').dispatchEvent('dragenter', { dataTransfer: file });
  await page.locator('.stage').dispatchEvent('dragleave', { dataTransfer: file });
  await expect(target).toBeVisible();
  // Leaving the last element: the drag has left the page.
  await page.locator('#plots').dispatchEvent('dragleave', { dataTransfer: file });
  await expect(target).toBeHidden();
  // Escape hides it.
  await page.locator('#plots').dispatchEvent('dragenter', { dataTransfer: file });
  await expect(target).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(target).toBeHidden();
  // A drag of selected text shows nothing and its drop imports nothing.
  const before = await current(page);
  const text = await transfer(page, { text: 'x,y\n5,6\n7,8\n' });
  await page.locator('#plots').dispatchEvent('dragenter', { dataTransfer: text });
  await expect(target).toBeHidden();
  await page.locator('#plots').dispatchEvent('drop', { dataTransfer: text });
  await expect(target).toBeHidden();
  await expect(page.locator('#import-status')).toBeEmpty();
  expect(await current(page)).toEqual(before);
});

test('the drop target speaks Chinese', async ({ page }) => {
  await page.getByLabel('Language', { exact: true }).selectOption('zh');
  await page.locator('#plots').dispatchEvent('dragenter', { dataTransfer: await transfer(page, { name: 'a.csv', text: 'x,y\n' }) });
  const target = page.locator('#drop-target');
  await expect(target).toContainText('放下 CSV 文件即可导入');
  await expect(target).toContainText('每个文件最多 1,000,000 行、96 MiB。');
  await page.keyboard.press('Escape');
  await expect(target).toBeHidden();
});
