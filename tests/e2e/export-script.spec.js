// Export ▾ → Copy as NumPy, Copy as PyTorch: run 1 as a Python script on the clipboard (saved as a
// file when the clipboard refuses), holding the run's start θ and ending on the JSON print of θ
// and J. When the repository's Python environment is there (`make setup-python`), the copied
// NumPy script is run too and must end on the page's θ.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, expect } from './fixtures.js';

const PYTHON = path.resolve('.venv/bin/python');
const LAST_LINE = 'print(json.dumps({"theta": theta.tolist(), "loss": float(loss(theta))}))';

/** θ as the readouts hold it, to full precision. */
function theta(page) {
  return page.evaluate(() => ['theta0', 'theta1'].map((id) => Number(document.querySelector(`[data-testid="${id}"]`).getAttribute('data-value'))));
}

test('Copy as NumPy puts run 1 on the clipboard as a script from its start θ to the JSON print', async ({ gdviz, page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await gdviz.open();
  await gdviz.set('Start θ₀', '0.5');
  await gdviz.set('Start θ₁', '-0.25');
  await gdviz.set('Learning rate', '0.1');
  for (let i = 0; i < 4; i += 1) await gdviz.button('Step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '4');
  const expected = await theta(page);

  await page.locator('#export-menu > summary').click();
  await gdviz.button('Copy as NumPy').click();
  await expect(page.locator('#export-status')).toHaveText('Copied run 1 as a NumPy script.');
  const script = await page.evaluate(() => navigator.clipboard.readText());

  expect(script).toMatch(/^#!\/usr\/bin\/env python3\n# gdviz: run 1 of the page, carried to NumPy/);
  expect(script).toContain('import numpy as np');
  expect(script).toContain('THETA_START = [0.5, -0.25]');
  expect(script).toContain('LR = 0.1');
  expect(script).toContain('UPDATES = 4');
  expect(script).not.toContain('import torch');
  expect(script.trimEnd().split('\n').at(-1)).toBe(LAST_LINE);

  if (existsSync(PYTHON)) {
    const dir = mkdtempSync(path.join(tmpdir(), 'gdviz-script-'));
    writeFileSync(path.join(dir, 'gdviz-run-numpy.py'), script);
    const out = execFileSync(PYTHON, ['gdviz-run-numpy.py'], { cwd: dir, encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').at(-1));
    expect(result.theta).toHaveLength(2);
    result.theta.forEach((v, k) => expect(Math.abs(v - expected[k])).toBeLessThanOrEqual(1e-9 * Math.max(...expected.map(Math.abs))));
    expect(result.loss).toBeCloseTo(await gdviz.value('loss'), 12);
  } else {
    test.info().annotations.push({ type: 'note', description: `${PYTHON} missing (make setup-python): the script was not run` });
  }
});

test('Copy as PyTorch saves gdviz-run.py when the clipboard refuses it', async ({ gdviz, page }) => {
  await gdviz.open();
  await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true }));
  await page.locator('#export-menu > summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), gdviz.button('Copy as PyTorch').click()]);
  expect(download.suggestedFilename()).toBe('gdviz-run.py');
  await expect(page.locator('#export-status')).toHaveText('The clipboard refused the script: saved gdviz-run.py.');
  const file = await download.path();
  const script = readFileSync(file, 'utf8');
  expect(script).toContain('model = nn.Linear(d, 1)');
  expect(script).toContain('THETA_START = [0.0, 0.0]');
  expect(script.trimEnd().split('\n').at(-1)).toBe(LAST_LINE);
});
