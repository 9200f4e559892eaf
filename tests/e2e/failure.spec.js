// End-to-end test of a trap of the WebAssembly module: reached through a test-only path (a raw
// export of the module called with a pointer past its memory, which the shipped page never
// does), it stops the loop, the page says so with a link that reloads the same settings, and the
// user's data comes back with the reload.
import { test, expect } from './fixtures.js';

test('a trap stops the loop, says so with a reload link, and the data survives the reload', async ({ gdviz, page, problems }) => {
  await gdviz.open();
  await page.locator('#data-menu summary').click();
  await gdviz.control('Paste CSV').fill('x,y\n0,1\n1,2.9\n2,5.2\n3,7\n4,9.1\n');
  await page.getByRole('button', { name: 'Load pasted data', exact: true }).click();
  await expect(page.locator('#import-status')).toContainText('Loaded 5 points');
  await page.waitForTimeout(800); // kept in this browser after 400 ms
  const csv = await page.evaluate(() => window.gdviz.vis.export_csv());

  // The test-only path: every step now calls the module's raw export with a pointer past its
  // memory, which traps (a RuntimeError, as a Rust panic would).
  await page.evaluate(async () => {
    const wasm = await (await import('/www/pkg/gdviz.js')).default();
    window.gdviz.vis.step = (updates) => wasm.visualizer_step(0xfffffff0, updates);
  });
  await gdviz.button('Play').click();
  await expect(page.locator('body')).toHaveAttribute('data-failed', 'true');
  const message = page.getByTestId('message');
  await expect(message).toContainText('Something went wrong — reload with the same settings');
  await expect(gdviz.button('Step')).toBeDisabled();
  await expect(gdviz.button('Play')).toBeDisabled();
  const href = await page.locator('#failure-reload').getAttribute('href');
  expect(href).toBe(await page.evaluate(() => window.location.href));
  // The trap was reported in the console, and only it.
  expect(problems.length).toBeGreaterThan(0);
  expect(problems.every((p) => /trapped|RuntimeError|unreachable|out of bounds|memory access/i.test(p))).toBe(true);
  problems.length = 0;

  await page.locator('#failure-reload').click();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  expect(await page.evaluate(() => window.gdviz.vis.export_csv())).toBe(csv);
  await expect(page.locator('body')).not.toHaveAttribute('data-failed', 'true');
  await gdviz.button('Step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '1');
});
