// The same seed gives the same run, bit for bit, in the browser (wasm) and natively (the
// `gdviz` command line): the preset's points and a seeded SGD run are compared number by number.
// Nothing here is a stored value: both sides are computed now, by the two builds of the core.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './fixtures.js';

/** Runs the native command line (the debug build `cargo test` made, or through cargo). */
function gdviz(...args) {
  const binary = 'target/debug/gdviz';
  if (existsSync(binary)) return execFileSync(binary, args, { encoding: 'utf8' });
  return execFileSync('cargo', ['run', '--quiet', '--', ...args], { encoding: 'utf8' });
}

test('a seeded SGD run gives bit-identical numbers natively and in the browser', async ({ gdviz: page, page: raw }) => {
  test.setTimeout(180_000);
  const csv = gdviz('preset', 'noisy', '--seed', '7');
  const dir = mkdtempSync(join(tmpdir(), 'gdviz-'));
  const file = join(dir, 'noisy.csv');
  writeFileSync(file, csv);
  const native = JSON.parse(gdviz('fit', '--csv', file, '--batch', '1', '--lr', '0.02', '--steps', '250', '--seed', '1'));

  await page.open();
  await page.control('Dataset').selectOption('noisy');
  await page.set('Seed', 7);
  await page.set('Learning rate', 0.02);
  await page.set('Batch size', 1);
  // The page's data: the same points, bit for bit, as the native preset.
  const pageCsv = await raw.evaluate(() => window.gdviz.vis.export_csv());
  expect(pageCsv).toBe(csv);
  // After 50 updates (the point the Firefox and WebKit suite compares, tests/browsers/): the same θ.
  const native50 = JSON.parse(gdviz('fit', '--csv', file, '--batch', '1', '--lr', '0.02', '--steps', '50', '--seed', '1'));
  await raw.evaluate(() => window.gdviz.vis.step(50));
  await raw.evaluate(() => window.gdviz.refresh());
  expect(await page.value('iteration')).toBe(50);
  expect([await page.value('theta0'), await page.value('theta1')]).toEqual([native50.theta0, native50.theta1]);
  // 250 updates in all: the Step button is one update a click, so go through the handle for speed.
  await raw.evaluate(() => window.gdviz.vis.step(200));
  await raw.evaluate(() => window.gdviz.refresh());
  expect(await page.value('iteration')).toBe(250);
  // Compare as doubles parsed from each side's shortest round-trip text: equal means same bits.
  expect(await page.value('theta0')).toBe(native.theta0);
  expect(await page.value('theta1')).toBe(native.theta1);
  expect(await page.value('loss')).toBe(native.loss);
  expect(await page.value('epoch')).toBe(native.epochs);
});
