import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
const runs = [{ learning_rate: 0.005 }, { learning_rate: 0.02 }, { learning_rate: 0.002 },
  { learning_rate: 0.002, optimizer: { kind: 'momentum', momentum: 0.9 } },
  { learning_rate: 0.01, optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 } }].map((r) => ({ batch_size: 1, ...r }));
await page.goto(`http://127.0.0.1:8123/index.html#points=1000000&batchSize=1&learningRate=0.01&speed=1000&runs=${encodeURIComponent(JSON.stringify(runs))}`);
await page.waitForSelector('body[data-ready="true"]');
await page.evaluate(() => { window.__v = []; const tick = (t) => { const c = document.getElementById('surface-static'); const p = c.width + 'x' + c.height + ' ' + document.getElementById('plots').clientHeight; window.__v.push([Math.round(t), p, window.gdviz.vis.reports()[0].iteration]); if (window.__v.length < 400) requestAnimationFrame(tick); }; requestAnimationFrame(tick); });
await page.getByRole('button', { name: 'Play', exact: true }).click();
await page.waitForTimeout(6000);
console.log(JSON.stringify(await page.evaluate(() => window.__v.filter((v, i, a) => i === 0 || v[1] !== a[i - 1][1] || v[0] - a[i - 1][0] > 30))));
const r = await page.evaluate(() => window.__gdvizFrameTimes.filter((f) => f.interval > 25 || f.work > 12).map((f) => [Math.round(f.at), f.interval && Math.round(f.interval), Math.round(f.work), f.updates]));
console.log(JSON.stringify(r));
await browser.close();
