// Shared fixtures for the end-to-end tests: every test fails on a console error or a page error,
// and `gdviz` offers small helpers that go through the page as a person would.
import { test as base, expect } from '@playwright/test';

/** Console errors and uncaught exceptions of `page`, collected into the returned array. */
export function collectProblems(page) {
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

export const test = base.extend({
  // Collects console errors and uncaught exceptions; checked after each test.
  problems: [async ({ page }, use) => {
    const problems = collectProblems(page);
    await use(problems);
    expect(problems, 'console errors or page errors').toEqual([]);
  }, { auto: true }],

  gdviz: async ({ page }, use) => {
    await use(new Gdviz(page));
  },
});

export { expect };

/** In the page: a hash of a canvas's pixels (installed as window.__canvasHash). */
function installCanvasHash() {
  window.__canvasHash = (id) => {
    const c = document.getElementById(id);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i += 1) h = (h * 31 + d[i]) >>> 0;
    return h;
  };
}

/** A hash of the pixels of canvas `id`: equal hashes, equal pictures (almost surely). */
export async function pixels(page, id) {
  await page.evaluate(installCanvasHash);
  return page.evaluate((id) => window.__canvasHash(id), id);
}

/** The page seen through its labels, buttons and readouts. */
export class Gdviz {
  constructor(page) {
    this.page = page;
  }

  async open() {
    await this.page.goto('/index.html');
    await expect(this.page.locator('body')).toHaveAttribute('data-ready', 'true');
  }

  control(label) {
    return this.page.getByLabel(label, { exact: true });
  }

  button(name) {
    return this.page.getByRole('button', { name, exact: true });
  }

  readout(id) {
    return this.page.getByTestId(id);
  }

  /** The full-precision value of a readout. */
  async value(id) {
    const text = await this.readout(id).getAttribute('data-value');
    return Number(text);
  }

  async status() {
    return this.readout('status').getAttribute('data-value');
  }

  /** Types into a number field and commits it with Enter. */
  async set(label, text) {
    const field = this.control(label);
    await field.fill(String(text));
    await field.press('Enter');
  }

  /** Everything a person or a script could read on the page: text and data-value attributes. */
  async allText() {
    return this.page.evaluate(() => {
      const values = [...document.querySelectorAll('[data-value]')].map((el) => el.getAttribute('data-value'));
      return `${document.body.innerText}\n${values.join('\n')}`;
    });
  }

  /** Whether each canvas (or stacked pair) has any pixel with alpha > 0. */
  async canvasesInk() {
    return this.page.evaluate(() => {
      const ink = (...ids) => ids.some((id) => {
        const canvas = document.getElementById(id);
        if (!canvas || canvas.width === 0 || canvas.height === 0) return false;
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return true;
        return false;
      });
      return {
        surface: ink('surface-static', 'surface-halo', 'surface-trails', 'surface-moving'),
        fit: ink('fit-static', 'fit-moving'),
        loss: ink('loss'),
      };
    });
  }
}
