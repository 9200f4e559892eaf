import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
const runs = [{ learning_rate: 0.005 }, { learning_rate: 0.02 }, { learning_rate: 0.002 },
  { learning_rate: 0.002, optimizer: { kind: 'momentum', momentum: 0.9 } },
  { learning_rate: 0.01, optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 } }].map((r) => ({ batch_size: 1, ...r }));
await page.goto(`http://127.0.0.1:8123/index.html#points=1000000&batchSize=1&learningRate=0.01&speed=1000&runs=${encodeURIComponent(JSON.stringify(runs))}`);
await page.waitForSelector('body[data-ready="true"]');
const n = await page.evaluate(() => {
  for (let i = 0; i < 25; i++) window.gdviz.vis.step(1000);
  const d = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetHeight');
  let count = 0;
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { get() { count++; return d.get.call(this); }, configurable: true });
  window.gdviz.vis.step(1000); window.gdviz.vis.draw();
  const t0 = performance.now(); for (let i = 0; i < 10; i++) { window.gdviz.vis.step(1000); window.gdviz.vis.draw(); } 
  return [count / 11, (performance.now() - t0) / 10];
});
console.log(n);
await browser.close();
