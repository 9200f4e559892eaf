// gdviz.Explorer in a real JupyterLab (make test-notebook): the spec starts its own server,
// offline, and drives it with Debian's chromium (no browser downloads). Kept out of tests/e2e/,
// which `make test-e2e` runs against the static page.
import { defineConfig } from '@playwright/test';
import { LAUNCH } from '../../scripts/headless.mjs';

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.js$/,
  outputDir: '../../artifacts/notebook-results',
  timeout: 240_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    headless: true,
    viewport: { width: 1280, height: 900 },
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: LAUNCH.executablePath, args: LAUNCH.args },
  },
});
