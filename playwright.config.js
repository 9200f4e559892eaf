// End-to-end tests of the page, driving Debian's chromium (no browser downloads).
// `make test` builds www/pkg first; the web server below only serves the repository.
import { defineConfig } from '@playwright/test';
import { LAUNCH } from './scripts/headless.mjs';

// Not 8000, so a running `make serve` does not clash (GDVIZ_E2E_PORT to run a second suite at once).
const PORT = Number(process.env.GDVIZ_E2E_PORT ?? 8123);

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'artifacts/test-results',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    headless: true,
    viewport: { width: 1366, height: 768 },
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: LAUNCH.executablePath, args: LAUNCH.args },
  },
  webServer: {
    command: `python3 -m http.server ${PORT} --bind 127.0.0.1 --directory .`,
    url: `http://127.0.0.1:${PORT}/index.html`,
    reuseExistingServer: !process.env.CI,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'ignore', // http.server logs every request to stderr
  },
});
