// The built-in lesson on its stage: walked with PgDn in both languages (the link follows, no
// console error, the stage's sizes at 1024×768 and 1280×720 in presenter mode, a screenshot of
// every scene), each scene's claims checked against the core's numbers, the keys, the two kinds
// of question, and the lesson menu. The numbers the narration states were worked out with the
// command line (`gdviz fit` / `gdviz solve` on `gdviz preset …`), independently of the page.
import fs from 'node:fs';
import { test, expect } from './fixtures.js';

const SCENES = 12;

/** The learning rate's field. */
const rateField = (page) => page.getByLabel('Learning rate', { exact: true });

async function openScene(page, scene, extra = '') {
  await page.goto(`/index.html#presenter=1&lesson=least-squares&scene=${scene}${extra}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('scene')).toHaveText(`${scene} / ${SCENES}`);
}

/** Steps every run `updates` times (each stops where it converges or diverges); returns the reports. */
const step = (page, updates) => page.evaluate((k) => {
  window.gdviz.vis.step(k);
  window.gdviz.refresh();
  return window.gdviz.vis.reports().map((r) => ({
    iteration: r.iteration, status: r.status, loss: r.loss, grad: r.grad_norm, theta: Array.from(r.theta.theta), rate: r.lr_effective,
  }));
}, updates);

const analysis = (page) => page.evaluate(() => {
  const a = window.gdviz.vis.analysis();
  return { optimum: a.optimum && { loss: a.optimum.loss, theta: Array.from(a.optimum.theta.theta) }, kappa: a.curvature.condition_number, critical: a.curvature.lr_critical };
});

const narration = (page) => page.locator('#lesson-narration').innerText();

/** The stage's measures: plot heights, the smallest text of the page, whether it scrolls. */
const measures = (page) => page.evaluate(() => {
  const height = (id) => {
    const el = document.getElementById(id);
    return el && el.getClientRects().length ? el.getBoundingClientRect().height : null;
  };
  let smallest = Infinity;
  let where = '';
  for (const el of document.querySelectorAll('body *')) {
    if (!el.getClientRects().length) continue;
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < smallest) {
      smallest = size;
      where = `${el.tagName.toLowerCase()}#${el.id}.${el.className}: ${el.textContent.trim().slice(0, 30)}`;
    }
  }
  const root = document.documentElement;
  return {
    surface: height('surface-static'),
    others: ['fit-static', 'loss', 'coefficients'].map(height).filter((h) => h !== null),
    smallest,
    where,
    scrolls: root.scrollHeight > innerHeight || root.scrollWidth > innerWidth,
    headerFits: document.querySelector('.topbar').scrollWidth <= document.querySelector('.topbar').clientWidth,
  };
});

for (const lang of ['en', 'zh']) {
  test(`the built-in lesson walked with PgDn (${lang}): every scene, the link, the stage's sizes, screenshots`, async ({ page }) => {
    fs.mkdirSync('artifacts/lesson', { recursive: true });
    await page.setViewportSize({ width: 1024, height: 768 });
    await openScene(page, 1, `&lang=${lang}`);
    const sizes = [];
    for (let scene = 1; scene <= SCENES; scene += 1) {
      await expect(page.getByTestId('scene')).toHaveText(`${scene} / ${SCENES}`);
      await expect.poll(() => page.evaluate(() => window.location.hash)).toContain(`scene=${scene}`);
      await expect(page.locator('#lesson-notice')).toBeHidden(); // nothing of the scene was ignored
      await expect(page.locator('#lesson-fallback')).toBeHidden(); // both languages are written
      await page.waitForTimeout(150); // the stage lays out in the next frame
      for (const [width, height] of [[1024, 768], [1280, 720]]) {
        await page.setViewportSize({ width, height });
        await page.waitForTimeout(150);
        const m = await measures(page);
        sizes.push({ scene, width, ...m });
        expect(m.surface, `scene ${scene} at ${width}×${height}: the surface's height`).toBeGreaterThanOrEqual(420);
        for (const other of m.others) expect(other, `scene ${scene} at ${width}×${height}: a side plot's height`).toBeGreaterThanOrEqual(200);
        expect(m.smallest, `scene ${scene} at ${width}×${height}: the smallest text (${m.where})`).toBeGreaterThanOrEqual(18);
        expect(m.scrolls, `scene ${scene} at ${width}×${height}: the page scrolls`).toBe(false);
        expect(m.headerFits, `scene ${scene} at ${width}×${height}: the header holds its row`).toBe(true);
      }
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.waitForTimeout(150);
      await page.screenshot({ path: `artifacts/lesson/${lang}-scene-${String(scene).padStart(2, '0')}.png` });
      await page.keyboard.press('PageDown');
    }
    // PgDn on the last scene stays there.
    await expect(page.getByTestId('scene')).toHaveText(`${SCENES} / ${SCENES}`);
    for (const width of [1024, 1280]) {
      const low = (key) => Math.min(...sizes.filter((s) => s.width === width).flatMap((s) => (key === 'surface' ? [s.surface] : s.others)));
      const text = Math.min(...sizes.filter((s) => s.width === width).map((s) => s.smallest));
      console.log(`stage at ${width === 1024 ? '1024×768' : '1280×720'} (${lang}): surface ≥ ${low('surface')} px, other plots ≥ ${low('others')} px, text ≥ ${text} px`);
    }
  });
}

test('scenes 1–2: the bowl and its optimum; one step moves θ by −η·∇J', async ({ page }) => {
  await openScene(page, 1);
  const a = await analysis(page);
  expect(a.optimum.theta[0]).toBeCloseTo(0.9646, 4); // gdviz solve on the clean preset
  expect(a.optimum.theta[1]).toBeCloseTo(1.9920, 4);
  await expect(page.locator('#lesson-narration')).toContainText('50 points');
  await page.keyboard.press('PageDown');
  await expect(page.locator('#explain-section')).toHaveJSProperty('open', true);
  await expect(page.locator('#lesson-controls #explain-section')).toBeVisible();
  const [first] = await step(page, 1);
  expect(first.iteration).toBe(1);
  // From θ = 0 the gradient is (mean(ŷ − y), mean((ŷ − y)·x)) = (−ȳ, −mean(x·y)): θ = 0.05·(ȳ, mean(xy)).
  const xy = await page.evaluate(() => {
    const x = Array.from(window.gdviz.vis.x_columns()[0]);
    const y = Array.from(window.gdviz.vis.ys());
    const mean = (v) => v.reduce((s, t) => s + t, 0) / v.length;
    return [mean(y), mean(x.map((xi, i) => xi * y[i]))];
  });
  expect(first.theta[0]).toBeCloseTo(0.05 * xy[0], 12);
  expect(first.theta[1]).toBeCloseTo(0.05 * xy[1], 12);
});

test('scene 3: at η = 0.005 the run has not stopped after 1,000 steps, and stops at step 8,030', async ({ page }) => {
  await openScene(page, 3);
  expect(await narration(page)).toContain('8,030');
  const [at1000] = await step(page, 1000);
  expect(at1000.status).toBe('running');
  const { optimum } = await analysis(page);
  expect(at1000.loss - optimum.loss).toBeGreaterThan(1e-4);
  expect(at1000.loss - optimum.loss).toBeLessThan(2e-4); // "about 1.5×10⁻⁴"
  const [end] = await step(page, 20000);
  expect(end).toMatchObject({ status: 'converged', iteration: 8030 });
});

test('scene 4: the prediction; Reveal marks the answer and plays the run to its divergence at step 36', async ({ page }) => {
  await openScene(page, 4);
  const a = await analysis(page);
  expect(a.critical).toBeCloseTo(0.587, 3);
  expect(await narration(page)).toContain('0.587');
  const choices = page.locator('#lesson-question input[type="radio"]');
  await expect(choices).toHaveCount(3);
  // The choices are a radio group for the keyboard: Tab to it, arrows move the choice.
  await choices.first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(choices.nth(1)).toBeChecked();
  // Opening and closing Settings keeps the class's answer.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(choices.nth(1)).toBeChecked();
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.locator('[data-choice="3"]')).toHaveClass(/lesson-right/);
  await expect(page.locator('[data-choice="2"]')).toHaveClass(/lesson-wrong/);
  await expect(page.getByTestId('status')).toHaveText('diverged', { timeout: 20_000 });
  await expect(page.getByTestId('iteration')).toHaveAttribute('data-value', '36');
  await expect(page.getByTestId('message')).toContainText('0.587');
});

test('scene 5: the run stops at step 76, where ‖∇J‖ < 10⁻⁶ and J − J* is about 10⁻¹²', async ({ page }) => {
  await openScene(page, 5);
  expect(await narration(page)).toContain('step 76');
  const [end] = await step(page, 10000);
  expect(end).toMatchObject({ status: 'converged', iteration: 76 });
  expect(end.grad).toBeLessThan(1e-6);
  const { optimum } = await analysis(page);
  expect(end.loss - optimum.loss).toBeLessThan(1e-11);
});

test('scene 6: full batch, 32 and 1 on the noisy points; only the full batch stops (step 999)', async ({ page }) => {
  await openScene(page, 6);
  const sizes = await page.evaluate(() => [0, 1, 2].map((i) => window.gdviz.vis.run_config(i).batch_size));
  expect(sizes).toEqual([200, 32, 1]);
  const reports = await step(page, 2000);
  const { optimum } = await analysis(page);
  expect(reports[0]).toMatchObject({ status: 'converged', iteration: 999 });
  expect(reports[1].status).toBe('running');
  expect(reports[2].status).toBe('running');
  const excess = reports.map((r) => r.loss - optimum.loss);
  expect(excess[1]).toBeGreaterThan(0.001); // "about 0.002"
  expect(excess[1]).toBeLessThan(0.003);
  expect(excess[2]).toBeGreaterThan(0.04); // "about 0.07"
  expect(excess[2]).toBeLessThan(0.1);
});

test('scene 7: κ ≈ 1,600 and 11,819 steps; the goal is missed at η = 0.05 and met with Standardize and η = 1', async ({ page, gdviz }) => {
  await openScene(page, 7);
  const a = await analysis(page);
  expect(a.kappa).toBeGreaterThan(1550);
  expect(a.kappa).toBeLessThan(1650);
  expect(a.critical).toBeCloseTo(0.079, 3);
  const goal = page.getByTestId('goal');
  await expect(goal).toHaveAttribute('data-state', 'open');
  await step(page, 101);
  await expect(goal).toHaveAttribute('data-state', 'missed');
  const [end] = await step(page, 20000);
  expect(end).toMatchObject({ status: 'converged', iteration: 11819 });
  // R starts the scene again; Standardize and η = 1 reach the goal.
  await page.locator('#lesson-title').focus();
  await page.keyboard.press('r');
  await expect(page.getByTestId('iteration')).toHaveAttribute('data-value', '0');
  await expect(goal).toHaveAttribute('data-state', 'open');
  await page.locator('#lesson-controls').getByLabel('Standardize x').check();
  await gdviz.set('Learning rate', '1');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(goal).toHaveAttribute('data-state', 'met');
  await expect(goal).toContainText('step 1');
});

test('scene 8: momentum stops at step 1,099, Adam at 4,658, plain descent at 11,819', async ({ page }) => {
  await openScene(page, 8);
  const text = await narration(page);
  for (const n of ['1,099', '4,658', '11,819']) expect(text).toContain(n);
  const reports = await step(page, 20000);
  expect(reports.map((r) => [r.status, r.iteration])).toEqual([['converged', 11819], ['converged', 1099], ['converged', 4658]]);
});

test('scene 9: the bold driver raises η by 5 % after a step that lowers J, and stops at step 78', async ({ page }) => {
  await openScene(page, 9);
  const [first] = await step(page, 1);
  expect(first.rate).toBeCloseTo(0.0525, 15);
  const [end] = await step(page, 10000);
  expect(end).toMatchObject({ status: 'converged', iteration: 78 });
});

test('scene 10: with L1 at λ = 2, θ* = (0.116, 0, 0.909) and descent sets θ₁ to exactly 0', async ({ page }) => {
  await openScene(page, 10);
  const { optimum } = await analysis(page);
  expect(optimum.theta[0]).toBeCloseTo(0.116, 3);
  expect(optimum.theta[1]).toBe(0);
  expect(optimum.theta[2]).toBeCloseTo(0.909, 3);
  const [end] = await step(page, 100000);
  expect(end.theta[1]).toBe(0);
  expect(end.status).toBe('converged');
});

test('scene 11: the normal equation gives θ* = (0, 1) on x = y = (1, 2, 3, 4), and descent stops at step 1,436', async ({ page }) => {
  await openScene(page, 11);
  const { optimum } = await analysis(page);
  expect(Math.abs(optimum.theta[0])).toBeLessThan(1e-12);
  expect(Math.abs(optimum.theta[1] - 1)).toBeLessThan(1e-12);
  expect(optimum.loss).toBeLessThan(1e-24);
  // The line the scene calls a slip misses every point.
  for (const x of [1, 2, 3, 4]) expect(Math.abs(0.2 * x + 1.5 - x)).toBeGreaterThan(0.1);
  const [end] = await step(page, 100000);
  expect(end).toMatchObject({ status: 'converged', iteration: 1436 });
});

test("scene 12: PyTorch's MSELoss at lr = 0.01 stops at step 880 at θ ≈ (−0.09, 1.94, 3.13)", async ({ page }) => {
  await openScene(page, 12);
  await expect(page.locator('#loss-convention')).toHaveValue('mse');
  const [end] = await step(page, 100000);
  expect(end).toMatchObject({ status: 'converged', iteration: 880 });
  const expected = [-0.09, 1.94, 3.13];
  end.theta.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(0.005));
});

test('the keys: PgDn, PgUp, Home, End, R restarts the scene, Esc leaves and keeps its state', async ({ page, gdviz }) => {
  await openScene(page, 3);
  const counter = page.getByTestId('scene');
  await page.keyboard.press('PageDown');
  await expect(counter).toHaveText('4 / 12');
  await page.keyboard.press('PageUp');
  await page.keyboard.press('PageUp');
  await expect(counter).toHaveText('2 / 12');
  await page.keyboard.press('End');
  await expect(counter).toHaveText('12 / 12');
  await page.keyboard.press('Home');
  await expect(counter).toHaveText('1 / 12');
  await page.getByRole('button', { name: 'Next ▶' }).click();
  await page.getByRole('button', { name: 'Next ▶' }).click();
  await expect(counter).toHaveText('3 / 12');
  // → still steps, R brings the scene's state back.
  await page.locator('#lesson-title').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('iteration')).toHaveAttribute('data-value', '1');
  await gdviz.set('Learning rate', '0.02');
  await page.locator('#lesson-title').focus();
  await page.keyboard.press('r');
  await expect(page.getByTestId('iteration')).toHaveAttribute('data-value', '0');
  await expect(gdviz.control('Learning rate')).toHaveValue('0.005');
  // Esc leaves: the normal page, with the scene's state.
  await page.keyboard.press('Escape');
  await expect(page.locator('body')).not.toHaveAttribute('data-lesson', '');
  await expect(page.locator('#lesson-panel')).toBeHidden();
  await expect(page.locator('aside.controls')).toBeVisible();
  await expect(gdviz.control('Learning rate')).toHaveValue('0.005');
  await expect.poll(() => page.evaluate(() => window.location.hash)).not.toContain('lesson=');
});

test('Lesson ▾ opens the lesson at its first scene; a reload keeps the place; Settings brings the column back', async ({ page }) => {
  await page.goto('/index.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await page.locator('#lesson-menu summary').click();
  await page.locator('#lesson-menu [data-lesson="least-squares"]').click();
  await expect(page.getByTestId('scene')).toHaveText('1 / 12');
  await page.keyboard.press('PageDown');
  await page.keyboard.press('PageDown');
  await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('scene=3');
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('scene')).toHaveText('3 / 12');
  await expect(page.locator('aside.controls')).toBeHidden();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.locator('aside.controls')).toBeVisible();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.locator('aside.controls')).toBeHidden();
});

test('a link to a scene that the lesson lacks opens its first scene; an unknown lesson is listed as ignored', async ({ page }) => {
  await page.goto('/index.html#lesson=least-squares&scene=40');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('scene')).toHaveText('1 / 12');
  await page.goto('about:blank');
  await page.goto('/index.html#lesson=no-such-lesson');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('#url-notice')).toContainText('lesson');
  await expect(page.locator('#lesson-panel')).toBeHidden();
});

test('a lesson file that fails the format is refused with its scene and field, in the page\'s words', async ({ page }) => {
  await page.goto('/index.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const text = await page.evaluate(() => {
    const lesson = window.gdviz.features.lesson;
    try {
      lesson.parse({ version: 1, title: { en: 'L' }, scenes: [{ title: { en: 'a' }, narration: { en: 'b' } }, { title: { en: 'c' }, narration: { en: 'd' }, show: ['colours'] }] });
      return 'accepted';
    } catch (error) {
      return lesson.errorText(error);
    }
  });
  expect(text).toBe('This lesson cannot be opened: scene 2, show: “colours” is not a control group.');
});

test("a lesson neither restores the user's kept data nor saves its own points over it", async ({ page }) => {
  await page.goto('/index.html#x=1,2,3&y=2,4,7');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await page.evaluate(() => window.gdviz.features.keep.save()); // kept in this browser
  await page.locator('#lesson-menu summary').click();
  await page.locator('#lesson-menu [data-lesson="least-squares"]').click();
  await page.keyboard.press('End');
  await page.keyboard.press('PageUp'); // scene 11: its own four points
  await expect(page.getByTestId('scene')).toHaveText('11 / 12');
  await expect.poll(() => page.evaluate(() => window.gdviz.n)).toBe(4);
  await page.waitForTimeout(1500); // longer than the page waits before it saves
  await page.keyboard.press('Escape');
  await page.goto('about:blank');
  await page.goto('/index.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  expect(await page.evaluate(() => Array.from(window.gdviz.vis.ys()))).toEqual([2, 4, 7]);
});

test("the teacher's note shows only in presenter mode; Space still plays on the stage", async ({ page }) => {
  await page.goto('/index.html#lesson=least-squares&scene=1');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('#lesson-note')).toBeHidden();
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('#lesson-note')).toBeVisible();
  await expect(page.locator('#lesson-note')).toContainText('Teacher’s note:');
  await page.locator('#lesson-title').focus();
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
});

test('Export this lesson, change it, Import it back: the page opens the changed lesson', async ({ page }) => {
  await page.goto('/index.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await page.locator('#lesson-menu summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-lesson').click()]);
  expect(download.suggestedFilename()).toBe('least-squares.gdviz-lesson.json');
  const exported = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  const original = JSON.parse(fs.readFileSync(new URL('../../www/lessons/least-squares.json', import.meta.url), 'utf8'));
  expect(exported.scenes.length).toBe(original.scenes.length);
  for (const [i, scene] of original.scenes.entries()) {
    expect(exported.scenes[i].title).toEqual(scene.title);
    expect(exported.scenes[i].narration).toEqual(scene.narration);
    expect(exported.scenes[i].state ?? {}).toEqual(scene.state ?? {});
    expect(exported.scenes[i].question ?? null).toEqual(scene.question ?? null);
  }
  exported.title = { en: 'My lesson', zh: '我的课程' };
  exported.scenes[0].title.en = 'My first scene';
  exported.scenes = exported.scenes.slice(0, 3);
  await page.locator('#import-lesson-file').setInputFiles({
    name: 'mine.gdviz-lesson.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)),
  });
  await expect(page.getByTestId('scene')).toHaveText('1 / 3');
  await expect(page.locator('#lesson-title')).toHaveText('My first scene');
  await expect(page.locator('#lesson-name')).toHaveText('My lesson');
  await page.keyboard.press('End');
  await expect(page.locator('#lesson-title')).toHaveText('Too small a rate crawls');
  await expect(rateField(page)).toHaveValue('0.005');
});


for (const [what, text, message] of [
  ['JSON that breaks off', '{\n  "version": 1,\n  oops\n}', 'This lesson cannot be opened: file: it is not JSON: it goes wrong at line 3, column 3.'],
  ['an unknown control group in scene 2', JSON.stringify({ version: 1, title: { en: 'L' }, scenes: [{ title: { en: 'a' }, narration: { en: 'b' } }, { title: { en: 'c' }, narration: { en: 'd' }, show: ['colours'] }] }),
    'This lesson cannot be opened: scene 2, show: “colours” is not a control group.'],
  ['another version', JSON.stringify({ version: 7, title: { en: 'L' }, scenes: [] }), 'This lesson cannot be opened: version: this page reads lessons of version 1, not 7.'],
]) {
  test(`Import lesson refuses ${what}, names it, and leaves the stage as it was`, async ({ page }) => {
    await openScene(page, 3);
    await page.locator('#import-lesson-file').setInputFiles({ name: 'bad.gdviz-lesson.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect(page.locator('#lesson-notice')).toContainText(message);
    await expect(page.getByTestId('scene')).toHaveText('3 / 12');
    await expect(rateField(page)).toHaveValue('0.005');
  });
}

/** Opens a lesson written here through Import lesson…. */
async function importLesson(page, lesson) {
  await page.locator('#import-lesson-file').setInputFiles({
    name: 'written.gdviz-lesson.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(lesson)),
  });
}

test("a scene's setting out of its range is refused as the link refuses it; the others apply", async ({ page }) => {
  await page.goto('/index.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await importLesson(page, {
    version: 1, title: { en: 'Ranges' },
    scenes: [{ title: { en: 'One' }, narration: { en: 'Words.' }, state: { learningRate: '-1', optimizer: 'momentum', momentum: '0.5' }, show: ['rate'] }],
  });
  await expect(page.getByTestId('scene')).toHaveText('1 / 1');
  await expect(page.locator('#lesson-notice')).toContainText('Ignored from this scene: learningRate (');
  await expect(page.locator('#lesson-notice')).toContainText('-1');
  await expect(rateField(page)).toHaveValue('0.05'); // the default stays
  expect(await page.evaluate(() => window.gdviz.vis.run_config(0).optimizer)).toEqual({ kind: 'momentum', momentum: 0.5 });
});

test('a text missing in the page\'s language is shown in the other, and the panel says so', async ({ page }) => {
  await page.goto('/index.html#lang=zh');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await importLesson(page, {
    version: 1, title: { en: 'English only', zh: '中文' },
    scenes: [{ title: { en: 'Only in English' }, narration: { en: 'Words.', zh: '文字。' } }],
  });
  await expect(page.locator('#lesson-title')).toHaveText('Only in English');
  await expect(page.locator('#lesson-narration')).toHaveText('文字。');
  await expect(page.locator('#lesson-fallback')).toBeVisible();
  await expect(page.locator('#lesson-fallback')).toHaveText('本幕有部分内容没有这种语言的版本，以另一种语言显示。');
});
