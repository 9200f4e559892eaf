import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
const runs = [{ learning_rate: 0.005 }, { learning_rate: 0.02 }, { learning_rate: 0.002 },
  { learning_rate: 0.002, optimizer: { kind: 'momentum', momentum: 0.9 } },
  { learning_rate: 0.01, optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 } }].map((r) => ({ batch_size: 1, ...r }));
const url = process.argv[2] ?? 'http://127.0.0.1:8123/index.html';
await page.goto(`${url}#points=1000000&batchSize=1&learningRate=0.01&speed=1000&runs=${encodeURIComponent(JSON.stringify(runs))}`);
await page.waitForSelector('body[data-ready="true"]');
const r = await page.evaluate(() => {
  const app = window.gdviz;
  const t = (f) => { const s = performance.now(); f(); return performance.now() - s; };
  const out = { step: [], draw: [], show: [] };
  for (let i = 0; i < 25; i++) app.vis.step(1000);
  for (let i = 0; i < 20; i++) {
    let reports;
    out.step.push(t(() => { reports = app.vis.step(1000); }));
    out.draw.push(t(() => app.vis.draw()));
    out.show.push(t(() => app.show(reports)));
  }
  const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
  return { step: med(out.step), draw: med(out.draw), show: med(out.show), it: app.vis.reports()[0].iteration };
});
console.log(JSON.stringify(r));
await browser.close();
