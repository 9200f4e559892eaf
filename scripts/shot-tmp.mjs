import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
const errors = []; page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); }); page.on('pageerror', (e) => errors.push(e.message));
const runs = [{ learning_rate: 0.005 }, { learning_rate: 0.02 }, { learning_rate: 0.002 },
  { learning_rate: 0.002, optimizer: { kind: 'momentum', momentum: 0.9 } },
  { learning_rate: 0.01, optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 } }].map((r) => ({ batch_size: 1, ...r }));
await page.goto(`http://127.0.0.1:8123/index.html#points=1000000&batchSize=1&learningRate=0.01&speed=1000&runs=${encodeURIComponent(JSON.stringify(runs))}`);
await page.waitForSelector('body[data-ready="true"]');
await page.getByRole('button', { name: 'Play', exact: true }).click();
await page.waitForTimeout(4000);
await page.screenshot({ path: '/tmp/gd/shot-b.png' });
await page.getByRole('button', { name: 'Pause', exact: true }).click();
await page.getByLabel('Log iteration axis').check();
await page.waitForTimeout(300);
await page.screenshot({ path: '/tmp/gd/shot-b-log.png' });
const p2 = await browser.newPage({ viewport: { width: 1366, height: 768 } });
await p2.goto('http://127.0.0.1:8123/index.html#dataset=noisy&batchSize=4&learningRate=0.05&speed=20');
await p2.waitForSelector('body[data-ready="true"]');
await p2.getByRole('button', { name: 'Play', exact: true }).click();
await p2.waitForTimeout(3000);
await p2.screenshot({ path: '/tmp/gd/shot-noisy.png' });
console.log('errors', errors);
await browser.close();
