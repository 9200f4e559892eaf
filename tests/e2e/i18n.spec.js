// End-to-end tests of the page's languages: every string key exists in every language's table
// (the core's English words included), every label the catalogue names has its strings, and in
// Chinese no visible text of the page (and no accessible name) is left in English, apart from
// the names of methods, formats and symbols. Errors are written in Chinese from their parts.
import { test, expect } from './fixtures.js';

/** Words that stay as they are in every language: names of methods, formats, symbols. */
const KEPT = new Set([
  'gdviz', 'SGD', 'Adam', 'RMSprop', 'Adagrad', 'Nesterov', 'Lasso', 'CSV', 'PNG', 'UTF', 'MiB', 'PyTorch', 'NumPy',
  'max', 'min', 'sign', 'cos', 'Ctrl', 'Esc', 'Shift', 'PgDn', 'PgUp', 'Home', 'End', // key caps
]);

test('every key exists in both languages, and so do the strings the catalogue names', async ({ gdviz, page }) => {
  await gdviz.open();
  const report = await page.evaluate(async () => {
    const { TABLES } = await import('/www/shell/i18n.js');
    const catalog = window.gdviz.catalog;
    const en = Object.keys(TABLES.en);
    const zh = Object.keys(TABLES.zh);
    const named = [
      ...catalog.optimizers.flatMap((o) => [o.label, ...o.params.map((p) => p.label)]),
      ...catalog.schedules.flatMap((s) => [s.label, s.formula, ...s.params.map((p) => p.label)]),
      ...catalog.regularizations.map((r) => r.label),
      ...catalog.regularization_params.map((p) => p.label),
      ...catalog.presets.flatMap((p) => [`preset.${p.name}.label`, `preset.${p.name}.description`]),
      ...catalog.value_names.map((v) => `name.${v.key}`),
    ].filter(Boolean);
    return {
      onlyEn: en.filter((k) => !(k in TABLES.zh)),
      onlyZh: zh.filter((k) => !(k in TABLES.en)),
      missing: named.filter((k) => !(k in TABLES.en) || !(k in TABLES.zh)),
      count: en.length,
    };
  });
  expect(report.onlyEn, 'keys only in English').toEqual([]);
  expect(report.onlyZh, 'keys only in Chinese').toEqual([]);
  expect(report.missing, 'catalogue strings missing in a language').toEqual([]);
  expect(report.count).toBeGreaterThan(200);
});

test('no key is written twice in a language\'s table (the later would hide the earlier)', async () => {
  const fs = await import('node:fs');
  for (const lang of ['en', 'zh']) {
    const text = fs.readFileSync(new URL(`../../www/strings/${lang}.js`, import.meta.url), 'utf8');
    const keys = [...text.matchAll(/^\s*'([^']+)':/gm)].map((m) => m[1]);
    const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
    expect(twice, `keys written twice in ${lang}.js`).toEqual([]);
  }
});

test('in Chinese no visible text or accessible name is left in English', async ({ gdviz, page }) => {
  await gdviz.open();
  await page.getByLabel('Language', { exact: true }).selectOption('zh');
  await expect(gdviz.readout('status')).toHaveText('就绪');
  // Show as much of the page as one can: every section, a kind with parameters, a step.
  await page.locator('#optimizer').selectOption('adam');
  await page.locator('#schedule').selectOption('step');
  await page.locator('#regularization').selectOption('elastic-net');
  await page.locator('#standardize').check();
  for (const id of ['runs-section', 'explain-section']) {
    await page.locator(`#${id}`).evaluate((el) => { el.open = true; });
  }
  await page.locator('#step').click();
  const check = async (where) => {
    const words = await page.evaluate(() => {
      const visible = (el) => el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
      const found = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!visible(el) || el.closest('script, style, option:not(:checked), #language')) continue;
        found.push(node.textContent);
      }
      for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
        if (!visible(el) && el.tagName !== 'CANVAS') continue;
        for (const attr of ['aria-label', 'title', 'placeholder']) if (el.hasAttribute(attr)) found.push(el.getAttribute(attr));
      }
      return found.join('\n').match(/[A-Za-z]{3,}/g) ?? [];
    });
    const english = [...new Set(words)].filter((w) => !KEPT.has(w));
    expect(english, `English words in Chinese mode (${where})`).toEqual([]);
  };
  await check('settings and plots');
  for (const menu of ['data-menu', 'export-menu', 'table-menu']) {
    await page.locator(`#${menu} > summary`).click();
    await check(menu);
    await page.locator(`#${menu} > summary`).click();
  }
  await page.keyboard.press('?');
  await check('shortcuts');
  await page.keyboard.press('Escape');
  await page.screenshot({ path: 'artifacts/chinese.png' });
});

test('errors are written in Chinese from their parts', async ({ gdviz, page }) => {
  await gdviz.open();
  await page.getByLabel('Language', { exact: true }).selectOption('zh');
  await page.locator('#paste-csv').evaluate((el) => { el.closest('details').open = true; });
  await page.locator('#paste-csv').fill('x,y\n1,2\n3,abc\n');
  await page.locator('#load-pasted').click();
  await expect(page.locator('#import-error')).toContainText('第 3 行第 2 列："abc" 不是数字');
  await page.locator('#paste-csv').fill('x,y\n1,2\n');
  await page.locator('#load-pasted').click();
  await expect(page.locator('#import-error')).toContainText('文件只有 1 行数据，拟合一条直线至少需要 2 行');
  await page.locator('#optimizer').selectOption('momentum');
  await page.locator('#momentum').fill('1');
  await page.locator('#momentum').press('Enter');
  await expect(page.locator('#momentum-error')).toHaveText('动量 μ必须是[0, 1) 内的数，实际为 1。仍使用 0.9。');
  await page.locator('#points').fill('');
  await page.locator('#points').press('Enter');
  await expect(page.locator('#points-error')).toHaveText('点数必须是[2, 1000000] 内的整数，实际为 空白。仍使用 50。');
});
