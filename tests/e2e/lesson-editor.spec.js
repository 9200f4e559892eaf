// A teacher's own lessons: written through the page as a person writes them (clicks and typing,
// one scene on imported data, one with a prediction), exported and imported in a fresh browser;
// kept in this browser across a reload and deleted (asked first); shared as a link that holds
// the whole lesson; one scene embedded in an 800×450 iframe and in a reveal.js-style slide; bad
// files and links refused with their scene and field while the lesson being written stays; the
// editor in Chinese. Every test also fails on a console error or a page error (fixtures.js).
import fs from 'node:fs';
import { test, expect, collectProblems } from './fixtures.js';

/** Run 1's θ, each coordinate as the 16 hex digits of its IEEE-754 bits (bit-for-bit equality). */
const thetaBits = (page) => page.evaluate(() => Array.from(window.gdviz.vis.reports()[0].theta.theta, (v) => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}));

/** Reset, then Step ten times with the button; returns θ's bits. */
async function tenSteps(page) {
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  for (let i = 0; i < 10; i += 1) await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('iteration')).toHaveAttribute('data-value', '10');
  return thetaBits(page);
}

const openMenu = async (page) => {
  if (!(await page.locator('#lesson-menu').evaluate((d) => d.open))) await page.locator('#lesson-menu > summary').click();
};

/** A small lesson file: `scenes` scenes with a title and a narration each; scene 2 a prediction. */
function lessonJson(scenes = 3, extra = {}) {
  return {
    version: 1,
    title: { en: 'Rates in a slide' },
    scenes: Array.from({ length: scenes }, (_, i) => ({
      title: { en: `Scene number ${i + 1}` },
      state: { learningRate: String([0.05, 0.7, 0.3][i % 3]) },
      show: ['rate'],
      narration: { en: `Narration of scene ${i + 1}.` },
      ...(i === 1 ? {
        question: { kind: 'prediction', prompt: { en: 'At η = 0.7 this run will…' }, choices: [{ en: 'converge' }, { en: 'diverge' }], answer: 2, reveal: 60 },
      } : {}),
    })),
    ...extra,
  };
}

const fileOf = (name, value) => ({ name, mimeType: 'application/json', buffer: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)) });

test('a lesson written through the page, exported and imported in a fresh browser: the same lesson, the same θ after 10 steps bit for bit', async ({ gdviz, page, browser }, testInfo) => {
  await gdviz.open();
  await openMenu(page);
  await page.getByRole('button', { name: 'New lesson', exact: true }).click();
  const editor = page.locator('#lesson-editor');
  await expect(editor).toBeVisible();
  await page.getByLabel('Lesson title').fill('Three views of descent');

  // Scene 1: a fast rate on the default data, titled in both languages.
  await gdviz.set('Learning rate', '0.3');
  const expected = [await tenSteps(page)];
  await editor.getByRole('button', { name: 'Add this view as a scene' }).click();
  await expect(page.locator('#editor-scene-heading')).toHaveText('Scene 1 of 1');
  // The groups shown default to those whose settings differ from the defaults: the rate alone.
  await expect(page.locator('#editor-group-rate')).toBeChecked();
  await expect(page.locator('#editor-group-batch')).not.toBeChecked();
  await expect(page.locator('#editor-state')).toHaveText('Recorded: learningRate = 0.3.');
  await editor.getByLabel('Title', { exact: true }).fill('A fast rate');
  await expect(page.locator('#editor-status')).toContainText('scene 1, narration: it is missing');
  await editor.getByLabel('Narration').fill('At *η = 0.3* the run needs few steps.\n\n- watch the loss\n- watch θ');
  await editor.getByLabel('Teacher’s note (shown in presenter mode)').fill('Ask what a slower rate would do.');
  await editor.getByLabel('Writing in').selectOption('zh');
  await editor.getByLabel('Title', { exact: true }).fill('较快的学习率');
  await editor.getByLabel('Writing in').selectOption('en');
  await expect(editor.getByLabel('Title', { exact: true })).toHaveValue('A fast rate');

  // Scene 2: the class's own points, imported as a CSV file.
  const points = [[0, 1.1], [1, 2.9], [2, 5.2], [3, 6.8], [4, 9.1], [5, 11.2]];
  await page.locator('#data-menu > summary').click();
  await gdviz.control('Import CSV').setInputFiles({ name: 'class.csv', mimeType: 'text/csv', buffer: Buffer.from(`x,y\n${points.map((p) => p.join(',')).join('\n')}\n`) });
  await expect(page.locator('#import-status')).toContainText('Loaded 6 points');
  await page.locator('#data-menu > summary').click();
  await gdviz.set('Learning rate', '0.02');
  expected.push(await tenSteps(page));
  await editor.getByRole('button', { name: 'Add this view as a scene' }).click();
  await expect(page.locator('#editor-state')).toContainText('your 6 points');
  await editor.getByLabel('Title', { exact: true }).fill('Our own points');
  await editor.getByLabel('Narration').fill('These are the six points we measured.');

  // Scene 3: momentum, with a prediction of three choices, the third one right.
  await gdviz.control('Dataset').selectOption('clean');
  await gdviz.control('Optimizer').selectOption('momentum');
  await gdviz.set('Learning rate', '0.1');
  expected.push(await tenSteps(page));
  await editor.getByRole('button', { name: 'Add this view as a scene' }).click();
  await expect(page.locator('#editor-group-optimizer')).toBeChecked();
  await editor.getByLabel('Title', { exact: true }).fill('Momentum');
  await editor.getByLabel('Narration').fill('Momentum remembers the last step.');
  await editor.getByLabel('Kind').selectOption('prediction');
  await editor.getByLabel('Question text').fill('With momentum μ = 0.9 the path will…');
  await editor.getByRole('button', { name: 'Add a choice' }).click();
  await editor.getByLabel('Choice 1', { exact: true }).fill('go straight to θ*');
  await editor.getByLabel('Choice 2', { exact: true }).fill('stop halfway');
  await editor.getByLabel('Choice 3', { exact: true }).fill('overshoot and spiral in');
  await editor.getByLabel('Choice 3 is the right answer').check();
  await editor.getByLabel('Steps the reveal plays').fill('50');
  await expect(page.locator('#editor-status')).toHaveText('Ready to present: every scene follows the lesson format.');
  await expect(page.locator('#editor-scenes li')).toHaveCount(3);

  // Export.
  const downloading = page.waitForEvent('download');
  await editor.getByRole('button', { name: 'Export lesson' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('three-views-of-descent.gdviz-lesson.json');
  const path = testInfo.outputPath('lesson.json');
  await download.saveAs(path);
  const file = JSON.parse(fs.readFileSync(path, 'utf8'));
  // What was typed and set is in the file, as typed.
  expect(file.title).toEqual({ en: 'Three views of descent' });
  expect(file.scenes.map((s) => s.title)).toEqual([{ en: 'A fast rate', zh: '较快的学习率' }, { en: 'Our own points' }, { en: 'Momentum' }]);
  expect(file.scenes[0].state).toEqual({ learningRate: '0.3' });
  expect(file.scenes[0].note).toEqual({ en: 'Ask what a slower rate would do.' });
  expect(file.scenes[1].state).toMatchObject({ x: points.map((p) => p[0]).join(','), y: points.map((p) => p[1]).join(','), learningRate: '0.02' });
  expect(file.scenes[2].state).toMatchObject({ optimizer: 'momentum', learningRate: '0.1' });
  expect(file.scenes[2].question).toEqual({
    kind: 'prediction', prompt: { en: 'With momentum μ = 0.9 the path will…' },
    choices: [{ en: 'go straight to θ*' }, { en: 'stop halfway' }, { en: 'overshoot and spiral in' }], answer: 3, reveal: 50,
  });

  // A fresh browser: nothing kept, the file imported.
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, viewport: { width: 1280, height: 800 } });
  const fresh = await context.newPage();
  const problems = collectProblems(fresh);
  await fresh.goto('/index.html');
  await expect(fresh.locator('body')).toHaveAttribute('data-ready', 'true');
  await openMenu(fresh);
  await fresh.locator('#import-lesson-file').setInputFiles(path);
  await expect(fresh.getByTestId('scene')).toHaveText('1 / 3');
  await expect(fresh.locator('#lesson-title')).toHaveText('A fast rate');
  const reread = await fresh.evaluate(async () => (await import('/www/lessons/format.js')).lessonFile(window.gdviz.features.lesson.lessons.imported));
  expect(reread).toEqual(file);
  for (let scene = 1; scene <= 3; scene += 1) {
    if (scene > 1) await fresh.keyboard.press('PageDown');
    await expect(fresh.getByTestId('scene')).toHaveText(`${scene} / 3`);
    expect(await tenSteps(fresh), `θ after 10 steps of scene ${scene}`).toEqual(expected[scene - 1]);
  }
  // The prediction works on the imported lesson.
  await fresh.getByLabel('overshoot and spiral in').check();
  await fresh.getByRole('button', { name: 'Reveal' }).click();
  await expect(fresh.locator('.lesson-choice[data-choice="3"]')).toHaveClass(/lesson-right/);
  expect(problems).toEqual([]);
  await context.close();
});

test('a kept lesson survives a reload, its link holds the whole lesson, and Delete asks first', async ({ gdviz, page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await gdviz.open();
  await openMenu(page);
  await page.getByRole('button', { name: 'New lesson', exact: true }).click();
  const editor = page.locator('#lesson-editor');
  await page.getByLabel('Lesson title').fill('Kept lesson');
  await editor.getByRole('button', { name: 'Add this view as a scene' }).click();
  await editor.getByLabel('Narration').fill('The default view.');
  await gdviz.set('Learning rate', '0.5');
  await editor.getByRole('button', { name: 'Add this view as a scene' }).click();
  await editor.getByLabel('Narration').fill('A rate of 0.5.');
  await expect(page.locator('#editor-saved')).toHaveText('Saved in this browser.');

  // A reload: the editor opens again on the lesson, and Lesson ▾ lists it.
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(editor).toBeVisible();
  await expect(page.getByLabel('Lesson title')).toHaveValue('Kept lesson');
  await expect(page.locator('#editor-scenes li')).toHaveCount(2);
  await openMenu(page);
  await expect(page.locator('#kept-lessons')).toContainText('Kept lesson');

  // Copy lesson link: the whole lesson in the link, and the scene.
  await page.locator('#lesson-editor').getByRole('button', { name: 'Copy lesson link' }).click();
  await expect(page.locator('#editor-feedback')).toHaveText('Lesson link copied: it holds the whole lesson and this scene.');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/#lessonCode=[A-Za-z0-9_-]+&lesson=linked&scene=1$/);
  expect(link.length).toBeLessThanOrEqual(8000);
  // The lesson as its file holds it (what Export writes).
  const written = await page.evaluate(async () => (await import('/www/lessons/format.js'))
    .lessonFile(window.gdviz.features.lesson.lessons[window.gdviz.features.lessonEditor.draft().id]));

  // The kept lesson changes after the link was copied; the link still holds what it held.
  await page.getByLabel('Lesson title').fill('Kept lesson, changed');
  await expect(page.locator('#editor-saved')).toHaveText('Saved in this browser.');
  const other = await context.newPage();
  const problems = collectProblems(other);
  await other.goto(link);
  await expect(other.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(other.getByTestId('scene')).toHaveText('1 / 2');
  await expect(other.locator('#lesson-name')).toHaveText('Kept lesson');
  const linked = await other.evaluate(async () => (await import('/www/lessons/format.js')).lessonFile(window.gdviz.features.lesson.lessons.linked));
  expect(linked).toEqual(written);
  await other.keyboard.press('PageDown');
  await expect(other.getByLabel('Learning rate', { exact: true })).toHaveValue('0.5');
  // Opening the link did not touch the kept lesson.
  await other.reload();
  await expect(other.locator('body')).toHaveAttribute('data-ready', 'true');
  await other.getByRole('button', { name: 'Leave' }).click();
  await openMenu(other);
  await expect(other.locator('#kept-lessons')).toContainText('Kept lesson, changed');
  expect(problems).toEqual([]);
  await other.close();

  // Delete asks first: Keep it keeps it, Delete deletes it, for good.
  await editor.getByRole('button', { name: 'Delete lesson' }).click();
  await expect(page.locator('#editor-confirm')).toContainText('Delete “Kept lesson, changed” from this browser?');
  await page.getByRole('button', { name: 'Keep it' }).click();
  await expect(page.locator('#editor-confirm')).toBeHidden();
  await expect(editor).toBeVisible();
  await editor.getByRole('button', { name: 'Delete lesson' }).click();
  await page.locator('#editor-confirm').getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(editor).toBeHidden();
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(editor).toBeHidden();
  await openMenu(page);
  await expect(page.locator('#kept-lessons')).not.toContainText('Kept lesson');
});

test('scenes move, duplicate and delete; Undo brings a deleted scene back; Update scene from view records the page again; Preview plays from the scene', async ({ gdviz, page }) => {
  await gdviz.open();
  await openMenu(page);
  await page.getByRole('button', { name: 'New lesson', exact: true }).click();
  const editor = page.locator('#lesson-editor');
  for (const [rate, title] of [['0.01', 'slow'], ['0.1', 'middle'], ['0.5', 'fast']]) {
    await gdviz.set('Learning rate', rate);
    await editor.getByRole('button', { name: 'Add this view as a scene' }).click();
    await editor.getByLabel('Title', { exact: true }).fill(title);
    await editor.getByLabel('Narration').fill(`The rate ${rate}.`);
  }
  const titles = () => page.locator('#editor-scenes .editor-pick').allTextContents();
  expect(await titles()).toEqual(['1. slow', '2. middle', '3. fast']);
  await editor.getByRole('button', { name: 'Move scene 3 up' }).click();
  expect(await titles()).toEqual(['1. slow', '2. fast', '3. middle']);
  await editor.getByRole('button', { name: 'Move scene 1 down' }).click();
  expect(await titles()).toEqual(['1. fast', '2. slow', '3. middle']);
  await editor.getByRole('button', { name: 'Duplicate scene 2' }).click();
  expect(await titles()).toEqual(['1. fast', '2. slow', '3. slow', '4. middle']);
  await editor.getByRole('button', { name: 'Delete scene 1' }).click();
  expect(await titles()).toEqual(['1. slow', '2. slow', '3. middle']);
  await editor.getByRole('button', { name: 'Undo delete' }).click();
  expect(await titles()).toEqual(['1. fast', '2. slow', '3. slow', '4. middle']);
  await expect(editor.getByRole('button', { name: 'Undo delete' })).toBeHidden();
  // Drag: scene 4 onto scene 1.
  await page.locator('#editor-scenes li[data-index="3"]').dragTo(page.locator('#editor-scenes li[data-index="0"]'));
  expect(await titles()).toEqual(['1. middle', '2. fast', '3. slow', '4. slow']);

  // Scene 3 (slow, 0.01) takes the page as it is now: the rate 0.2.
  await editor.getByRole('button', { name: '3. slow' }).click();
  await gdviz.set('Learning rate', '0.2');
  await editor.getByRole('button', { name: 'Update scene from view' }).click();
  await expect(page.locator('#editor-state')).toHaveText('Recorded: learningRate = 0.2.');

  // Preview from scene 3: the stage at 3 / 4, the rate the scene holds; Leave returns to the editor.
  await gdviz.set('Learning rate', '0.05');
  await editor.getByRole('button', { name: 'Preview from this scene' }).click();
  await expect(page.getByTestId('scene')).toHaveText('3 / 4');
  await expect(editor).toBeHidden();
  await expect(gdviz.control('Learning rate')).toHaveValue('0.2');
  await page.keyboard.press('PageUp');
  await expect(gdviz.control('Learning rate')).toHaveValue('0.5');
  await page.getByRole('button', { name: 'Leave' }).click();
  await expect(editor).toBeVisible();
});

test('one scene embedded: its iframe at 800×450 and a reveal.js-style slide show the narration, and its question works', async ({ gdviz, page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await gdviz.open();
  await openMenu(page);
  await page.locator('#import-lesson-file').setInputFiles(fileOf('slide.gdviz-lesson.json', lessonJson(3)));
  await expect(page.getByTestId('scene')).toHaveText('1 / 3');
  await page.keyboard.press('PageDown');
  await expect(page.getByTestId('scene')).toHaveText('2 / 3');
  // Export ▾ is in the settings column's toolbar: Settings brings it back on the stage.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.locator('#export-menu > summary').click();
  await page.getByRole('button', { name: 'Copy embed code' }).click();
  await expect(page.locator('#embed-feedback')).toContainText('Embed code copied');
  const code = await page.evaluate(() => navigator.clipboard.readText());
  const src = await page.evaluate((text) => new DOMParser().parseFromString(text, 'text/html').querySelector('iframe').getAttribute('src'), code);
  expect(src).toMatch(/#embed=1&lessonCode=[A-Za-z0-9_-]+&lesson=linked&scene=2$/);

  const hosts = {
    '/frame-host.html': `<!doctype html><title>A course page</title><p>Scene 2:</p><iframe src="${src}" width="800" height="450" style="border:0" title="gdviz"></iframe>`,
    // reveal.js puts a slide's data-background-iframe into .slide-background as an iframe of 100 %.
    '/reveal-host.html': `<!doctype html><title>Slides</title><style>html,body{margin:0;height:100%}.reveal,.backgrounds,.slide-background{position:absolute;inset:0}
      .slide-background-content{width:100%;height:100%}.slide-background-content iframe{width:100%;height:100%;border:0}</style>
      <div class="reveal"><div class="backgrounds"><div class="slide-background present" data-background-interactive><div class="slide-background-content">
      <iframe src="${src}" allow="clipboard-write" data-preload></iframe></div></div></div><div class="slides"><section data-background-iframe="${src.replace(/&/g, '&amp;')}" data-background-interactive></section></div></div>`,
  };
  for (const [path, html] of Object.entries(hosts)) {
    const host = await context.newPage();
    const problems = collectProblems(host);
    await host.setViewportSize({ width: 960, height: 540 });
    await host.route(`**${path}`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
    await host.goto(path);
    const frame = host.frameLocator('iframe');
    await expect(frame.locator('body')).toHaveAttribute('data-ready', 'true');
    await expect(frame.locator('#lesson-title')).toHaveText('Scene number 2');
    await expect(frame.locator('#lesson-narration')).toHaveText('Narration of scene 2.');
    await expect(frame.locator('#lesson-narration')).toBeInViewport();
    // Its controls (the learning rate, at the scene's value); nothing leads to the other scenes.
    await expect(frame.getByLabel('Learning rate', { exact: true })).toHaveValue('0.7');
    await expect(frame.locator('.lesson-nav')).toBeHidden();
    await frame.getByLabel('diverge', { exact: true }).check();
    await frame.getByRole('button', { name: 'Reveal' }).click();
    await expect(frame.locator('.lesson-choice[data-choice="2"]')).toHaveClass(/lesson-right/);
    await expect(frame.locator('.lesson-choice[data-choice="2"] .lesson-mark')).toHaveText('✓ the right answer');
    await expect(frame.getByTestId('status')).toHaveAttribute('data-value', 'diverged', { timeout: 15_000 });
    await host.screenshot({ path: `artifacts/lesson/embed-${path.slice(1, -5)}.png` });
    expect(problems).toEqual([]);
    await host.close();
  }
});

test('bad lesson files and links are refused with their scene and field; the lesson being written stays', async ({ gdviz, page }) => {
  await gdviz.open();
  await openMenu(page);
  await page.getByRole('button', { name: 'New lesson', exact: true }).click();
  await page.getByLabel('Lesson title').fill('Work in progress');
  await page.locator('#lesson-editor').getByRole('button', { name: 'Add this view as a scene' }).click();
  await page.locator('#lesson-editor').getByLabel('Narration').fill('Half written.');
  const notice = page.locator('#lesson-notice');
  const longText = 'x'.repeat(4001);
  const maxRows = await page.evaluate(() => window.gdviz.catalog.import.max_rows);
  const tooMany = lessonJson(2);
  tooMany.scenes[1].state = { x: Array.from({ length: maxRows + 1 }, (_, i) => i).join(','), y: '1,2' };
  const cases = [
    ['{"version": 1,\n  "title": {"en": "x"},\n  "scenes": [}', 'This lesson cannot be opened: file: it is not JSON: it goes wrong at line 3, column 14.'],
    [lessonJson(3, { version: 2 }), 'This lesson cannot be opened: version: this page reads lessons of version 1, not 2.'],
    [{ ...lessonJson(3), scenes: lessonJson(3).scenes.map((s, i) => (i === 1 ? { ...s, narration: { en: longText } } : s)) }, 'This lesson cannot be opened: scene 2, narration.en: longer than 4000 characters.'],
    [lessonJson(101), 'This lesson cannot be opened: scenes: at most 100 scenes, not 101.'],
    [tooMany, `This lesson cannot be opened: scene 2, state.x: at most ${maxRows.toLocaleString('en-US')} values (the CSV import’s limit), not ${(maxRows + 1).toLocaleString('en-US')}.`],
    [{ ...lessonJson(2), scenes: [lessonJson(2).scenes[0], { ...lessonJson(2).scenes[1], question: { kind: 'goal', prompt: { en: '?' }, goal: { kind: 'zero', coefficient: 11, within: 5 } } }] }, 'This lesson cannot be opened: scene 2, question.goal.coefficient: the number j of a coefficient θⱼ, 0 to 10.'],
  ];
  for (const [value, message] of cases) {
    await openMenu(page);
    await page.locator('#import-lesson-file').setInputFiles(fileOf('bad.json', value));
    await expect(notice).toContainText(message);
    await expect(page.locator('body')).not.toHaveAttribute('data-lesson', '');
  }
  // A file over 16 MiB is refused before it is read.
  await page.evaluate(() => window.gdviz.features.lesson.importFile(new File([new Uint8Array(16 * 2 ** 20 + 1)], 'huge.json')));
  await expect(notice).toContainText('This lesson cannot be opened: file: it is larger than 16 MiB.');
  // A file dropped on the page is read the same way.
  const dropped = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['{"version": 1, "title": {"en": "t"}, "scenes": [{"title": {"en": "a"}}]}'], 'dropped.gdviz-lesson.json', { type: 'application/json' }));
    return dt;
  });
  await page.locator('#plots').dispatchEvent('drop', { dataTransfer: dropped });
  await expect(notice).toContainText('This lesson cannot be opened: scene 1, narration: it is missing.');
  // A damaged link: said, and nothing else changes.
  await page.evaluate(() => { window.location.hash = 'lessonCode=q1YqSy0qzszPU7Iy1FEqySz&lesson=linked&scene=1'; });
  await expect(page.locator('#url-notice')).toContainText('the link’s lesson is damaged');
  // The lesson being written is as it was, and the page still steps.
  await expect(page.locator('#lesson-editor')).toBeVisible();
  await expect(page.getByLabel('Lesson title')).toHaveValue('Work in progress');
  await expect(page.locator('#lesson-editor').getByLabel('Narration')).toHaveValue('Half written.');
  await gdviz.button('Step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '1');
  // A good file dropped opens on the stage; the written lesson stays kept.
  const good = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'good.gdviz-lesson.json', { type: 'application/json' }));
    return dt;
  }, JSON.stringify(lessonJson(3)));
  await page.locator('#plots').dispatchEvent('drop', { dataTransfer: good });
  await expect(page.getByTestId('scene')).toHaveText('1 / 3');
  await page.getByRole('button', { name: 'Leave' }).click();
  await openMenu(page);
  await expect(page.locator('#kept-lessons')).toContainText('Work in progress');
});

test('the editor and its messages in Chinese', async ({ page }) => {
  await page.goto('/index.html#lang=zh');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await openMenu(page);
  await page.getByRole('button', { name: '新建课程', exact: true }).click();
  const editor = page.locator('#lesson-editor');
  await expect(editor.locator('#editor-heading')).toHaveText('课程编辑器');
  await expect(editor.getByLabel('编写语言')).toHaveValue('zh');
  await expect(page.getByLabel('课程标题')).toHaveValue('我的课程');
  await editor.getByRole('button', { name: '将当前视图添加为一幕' }).click();
  await expect(page.locator('#editor-scene-heading')).toHaveText('第 1 幕，共 1 幕');
  await expect(page.locator('#editor-status')).toHaveText('尚未完成：第 1 幕，narration：缺少此项。');
  await editor.getByLabel('讲解').fill('默认视图。');
  await expect(page.locator('#editor-status')).toHaveText('可以演示：每一幕都符合课程格式。');
  await expect(page.locator('#editor-saved')).toHaveText('已保存在此浏览器中。');
  await editor.getByRole('button', { name: '删除课程' }).click();
  await expect(page.locator('#editor-confirm')).toContainText('从此浏览器中删除“我的课程”？');
  const text = await editor.innerText();
  // No English word of the editor's own left (the settings' keys in "已记录" are the format's).
  for (const word of ['Lesson', 'Scene', 'Narration', 'Delete', 'Add this view']) expect(text).not.toContain(word);
  await page.screenshot({ path: 'artifacts/lesson/editor-zh.png' });
});

test('a lesson whose link would pass 8,000 characters is offered as a file instead', async ({ gdviz, page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await gdviz.open();
  // 1,500 measured points of the class's own (noisy digits that do not compress away): far more
  // than a link holds, all of them in the scene.
  const noise = (i) => Math.abs(Math.sin(i * 12.9898) * 43758.5453) % 1;
  const rows = Array.from({ length: 1500 }, (_, i) => `${(i / 500).toFixed(3)},${(1 + (2 * i) / 500 + noise(i)).toFixed(6)}`);
  await page.locator('#data-menu > summary').click();
  await gdviz.control('Import CSV').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(`x,y\n${rows.join('\n')}\n`) });
  await expect(page.locator('#import-status')).toContainText('Loaded 1,500 points');
  await openMenu(page);
  await page.getByRole('button', { name: 'New lesson', exact: true }).click();
  const editor = page.locator('#lesson-editor');
  await editor.getByRole('button', { name: 'Add this view as a scene' }).click();
  await editor.getByLabel('Narration').fill('All our points.');
  await expect(page.locator('#editor-state')).toContainText('your 1500 points');
  await editor.getByRole('button', { name: 'Copy lesson link' }).click();
  await expect(page.locator('#editor-feedback')).toContainText(/This lesson’s link would be [\d,]+ characters, more than the 8,000 a link may have/);
  const downloading = page.waitForEvent('download');
  await page.locator('#editor-feedback').getByRole('button', { name: 'Export this lesson' }).click();
  const file = JSON.parse(fs.readFileSync(await (await downloading).path(), 'utf8'));
  expect(file.scenes[0].state.y.split(',')).toHaveLength(1500);
  expect(file.scenes[0].state.x.split(',').slice(0, 3)).toEqual(['0', '0.002', '0.004']);
  expect(file.scenes[0].state.y.split(',').slice(0, 2).map(Number)).toEqual([Number((1 + noise(0)).toFixed(6)), Number((1.004 + noise(1)).toFixed(6))]);
});

test('a goal of a coefficient exactly 0: met by the lasso, never by ridge', async ({ gdviz, page }) => {
  // Two features, y = 2x₁ + 3x₂ + ε: with L1 at λ = 2, θ* = (0.116, 0, 0.909) (the command line's
  // `gdviz solve`), and plain descent's proximal step sets θ₁ to exactly 0; ridge only shrinks it.
  const goal = (regularization) => ({
    title: { en: regularization }, state: { dataset: 'two-features', regularization, lambda: '2' }, narration: { en: 'Watch θ₁.' },
    question: { kind: 'goal', prompt: { en: 'Make θ₁ exactly 0 within 500 steps.' }, goal: { kind: 'zero', coefficient: 1, within: 500 } },
  });
  await gdviz.open();
  await openMenu(page);
  await page.locator('#import-lesson-file').setInputFiles(fileOf('zero.json', { version: 1, title: { en: 'Zeros' }, scenes: [goal('l1'), goal('l2')] }));
  await expect(page.getByTestId('goal')).toHaveText('Not met yet.');
  const stepTo = (k) => page.evaluate((n) => {
    window.gdviz.vis.step(n - window.gdviz.vis.reports()[0].iteration);
    window.gdviz.refresh();
    return Array.from(window.gdviz.vis.reports()[0].theta.theta);
  }, k);
  // Step one at a time until θ₁ is 0: the goal says the step at which it first was.
  let first = 0;
  for (let k = 1; k <= 500 && first === 0; k += 1) if ((await stepTo(k))[1] === 0) first = k;
  expect(first).toBeGreaterThan(0);
  await expect(page.getByTestId('goal')).toHaveText(`Goal met, at step ${first}.`);
  await expect(page.getByTestId('goal')).toHaveAttribute('data-state', 'met');
  await page.keyboard.press('PageDown');
  const theta = await stepTo(501);
  expect(Math.abs(theta[1])).toBeGreaterThan(0.1);
  const { iteration, status } = await page.evaluate(() => window.gdviz.vis.reports()[0]);
  await expect(page.getByTestId('goal')).toHaveText(iteration > 500
    ? 'Not met within 500 steps. Press R to start the scene again and try another setting.'
    : `Not met: the run ${status} at step ${iteration}. Press R to start the scene again and try another setting.`);
  await expect(page.getByTestId('goal')).toHaveAttribute('data-state', 'missed');
});
