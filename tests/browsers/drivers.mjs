// The browsers of the cross-browser suite, driven over classic WebDriver by npm selenium-webdriver
// with explicit driver paths (SE_OFFLINE: its selenium-manager never runs, nothing is
// downloaded): Debian's Firefox ESR, headless, through geckodriver (`cargo install geckodriver`);
// and WebKitGTK's MiniBrowser (Safari's engine) through Debian's WebKitWebDriver, in an Xvfb
// display of the suite's own (MiniBrowser has no headless mode).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/headless.mjs';

process.env.SE_OFFLINE = 'true';
const { Builder } = await import('selenium-webdriver');
const firefox = await import('selenium-webdriver/firefox.js');

export const FIREFOX_BINARY = '/usr/bin/firefox-esr';
export const GECKODRIVER = process.env.GECKODRIVER ?? path.join(os.homedir(), '.cargo/bin/geckodriver');
export const WEBKIT_DRIVER = '/usr/bin/WebKitWebDriver';
export const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const WINDOW = { width: 1366, height: 768 };

async function waitForPort(port, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port} after ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What is missing on this machine for `browser` ('' when nothing is). */
export function missing(browser) {
  const needed = browser === 'firefox' ? [FIREFOX_BINARY, GECKODRIVER] : [WEBKIT_DRIVER, MINIBROWSER, '/usr/bin/Xvfb'];
  return needed.filter((file) => !fs.existsSync(file)).join(', ');
}

/** Starts `browser` ('firefox' or 'webkit'); resolves {driver, quit}. */
export async function start(browser) {
  if (browser === 'firefox') {
    const options = new firefox.Options().setBinary(FIREFOX_BINARY).addArguments('-headless').windowSize(WINDOW);
    const driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options)
      .setFirefoxService(new firefox.ServiceBuilder(GECKODRIVER)).build();
    return { driver, quit: () => driver.quit() };
  }
  // WebKit: an X display of its own, then the driver on it.
  let display = 90 + Math.floor(Math.random() * 500);
  while (fs.existsSync(`/tmp/.X11-unix/X${display}`) || fs.existsSync(`/tmp/.X${display}-lock`)) display += 1;
  const xvfb = spawn('Xvfb', [`:${display}`, '-screen', '0', '1400x900x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  const port = await freePort();
  const webdriver = spawn(WEBKIT_DRIVER, [`--port=${port}`], { stdio: 'ignore', env: { ...process.env, DISPLAY: `:${display}` } });
  const stop = () => {
    webdriver.kill();
    xvfb.kill();
  };
  try {
    await waitForPort(port, 15_000);
    const driver = await new Builder().usingServer(`http://127.0.0.1:${port}`).withCapabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
    }).build();
    await driver.manage().window().setRect(WINDOW);
    return {
      driver,
      quit: async () => {
        try {
          await driver.quit();
        } finally {
          stop();
        }
      },
    };
  } catch (error) {
    stop();
    throw error;
  }
}
