// The lesson reader fuzzed with fast-check: arbitrary text, arbitrary JSON, and mutations of
// valid lessons (a value anywhere replaced by an odd one or by markup meant to run a script, a
// field dropped or added, scenes repeated) are opened as files (Lesson ▾ → Import lesson) and as
// links (a `lessonCode` of the compressed text, sometimes damaged). Nothing may throw or trap, no
// script may run and no element may come from a lesson's text, every refusal names its field, and
// the page still steps afterwards. 150 lessons here; `make fuzz` runs 2,000
// (GDVIZ_LESSON_FUZZ_RUNS). Every test also fails on a console error or a page error.
import fs from 'node:fs';
import fc from 'fast-check';
import { test, expect } from './fixtures.js';

const BUILT_IN = JSON.parse(fs.readFileSync(new URL('../../www/lessons/least-squares.json', import.meta.url), 'utf8'));
const SMALL = {
  version: 1,
  title: { en: 'Small', zh: '小' },
  scenes: [
    { title: { en: 'One' }, state: { learningRate: '0.3', x: '0,1,2', y: '1,3,5' }, show: ['rate'], narration: { en: 'A *short* `one`.' } },
    {
      title: { en: 'Two' }, state: { dataset: 'noisy', batchSize: '8' }, narration: { en: '- a\n- b' },
      question: { kind: 'prediction', prompt: { en: '?' }, choices: [{ en: 'a' }, { zh: 'b' }], answer: 2, reveal: 20 },
    },
    { title: { en: 'Three' }, narration: { en: 'Goal.' }, question: { kind: 'goal', prompt: { en: 'g' }, goal: { kind: 'zero', coefficient: 1, within: 50 } } },
  ],
};
const HOSTILE = [
  '<script>window.__pwned = 1</script>', '<img src=x onerror="window.__pwned = 1">', '**<b onmouseover="window.__pwned=1">x</b>**',
  '`</code><svg onload="window.__pwned = 1">`', '- <iframe src="javascript:window.__pwned=1">', 'javascript:window.__pwned=1',
  '*\u0000*', '\u202e', '{{lesson}}', '${window.__pwned = 1}', '"><script>window.__pwned=1</script>',
];
const ODD = [null, true, false, 0, -1, 1.5, 1e308, -0, '', ' ', 'NaN', 'Infinity', [], {}, [1, 2], { en: '' }, { en: 'x', fr: 'y' }, 'x'.repeat(4001)];
const oddValue = fc.oneof(fc.constantFrom(...ODD), fc.constantFrom(...HOSTILE), fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 30 }));

/** Every path of a JSON value: arrays of keys and indices. */
function paths(value, at = []) {
  const out = [at];
  if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) out.push(...paths(value[key], [...at, Array.isArray(value) ? Number(key) : key]));
  }
  return out;
}

/** A valid lesson mutated: values replaced, fields dropped or added, a scene repeated. */
const mutated = fc.tuple(fc.constantFrom(BUILT_IN, SMALL), fc.array(fc.tuple(fc.nat(4), fc.nat(100_000), oddValue), { minLength: 1, maxLength: 4 }))
  .map(([base, edits]) => {
    const lesson = JSON.parse(JSON.stringify(base));
    for (const [kind, pick, odd] of edits) {
      const all = paths(lesson).filter((p) => p.length > 0);
      if (all.length === 0) break;
      const path = all[pick % all.length];
      const parent = path.slice(0, -1).reduce((v, k) => v?.[k], lesson);
      const key = path[path.length - 1];
      if (!parent || typeof parent !== 'object') continue;
      if (kind === 0 || kind === 1) parent[key] = odd;
      else if (kind === 2) {
        if (Array.isArray(parent)) parent.splice(key, 1);
        else delete parent[key];
      } else if (kind === 3 && !Array.isArray(parent)) parent[`extra${pick % 7}`] = odd;
      else if (Array.isArray(lesson.scenes) && lesson.scenes.length) lesson.scenes.push(lesson.scenes[pick % lesson.scenes.length]);
    }
    return JSON.stringify(lesson);
  });
const anyText = fc.oneof(
  { weight: 6, arbitrary: mutated },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE) },
);
/** How a lesson reaches the page: a file, a link, or a link whose code is damaged (cut, changed). */
const route = fc.oneof(fc.constant({ via: 'file' }), fc.constant({ via: 'link' }),
  fc.record({ via: fc.constant('damaged'), at: fc.nat(10_000), with: fc.constantFrom('', 'A', '-', '_', '%', '=', '!!') }));

test('arbitrary and mutated lessons, as files and as links, never break the page', async ({ gdviz, page }) => {
  const runs = Number(process.env.GDVIZ_LESSON_FUZZ_RUNS ?? 150);
  const limit = runs * 700;
  test.setTimeout(60_000 + limit + 30_000);
  await gdviz.open();
  let opened = 0;
  let refused = 0;
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(anyText, route, async (text, how) => {
      const result = await page.evaluate(async ({ text, how }) => {
        const app = window.gdviz;
        const lesson = app.features.lesson;
        let thrown = null;
        let ok = null;
        try {
          if (how.via === 'file') {
            ok = await lesson.importFile(new File([text], 'fuzz.gdviz-lesson.json', { type: 'application/json' }));
          } else {
            let code = await (await import('/www/lessons/link-code.js')).encodeText(text);
            if (how.via === 'damaged') {
              const at = how.at % Math.max(1, code.length);
              code = code.slice(0, at) + how.with + code.slice(at + 1);
            }
            window.location.hash = `lessonCode=${code}&lesson=linked&scene=1`;
            await new Promise((resolve) => { setTimeout(resolve, 0); });
            await lesson.linkRead();
            ok = app.store.get('lesson') === 'linked';
          }
          // Each scene of an opened lesson shown once (up to three).
          if (ok) for (let n = 2; n <= 3; n += 1) lesson.go(n);
        } catch (error) {
          thrown = String(error?.stack ?? error);
        }
        const panel = document.getElementById('lesson-panel');
        const notices = ['lesson-notice', 'url-notice'].map((id) => document.getElementById(id))
          .filter((n) => !n.hidden).map((n) => n.querySelector('.notice-text').textContent);
        const result = {
          thrown,
          ok,
          pwned: window.__pwned !== undefined,
          failed: document.body.dataset.failed === 'true',
          // Elements a lesson's text could bring: none but those the stage makes.
          foreign: [...panel.querySelectorAll('*')].filter((el) => ['SCRIPT', 'IMG', 'SVG', 'IFRAME', 'B', 'svg'].includes(el.tagName)
            || [...el.attributes].some((a) => a.name.startsWith('on'))).map((el) => el.outerHTML.slice(0, 80)),
          notices,
          reportsFinite: app.vis.reports().every((r) => r.status === 'diverged' || [r.loss, ...r.theta.theta].every(Number.isFinite)),
        };
        lesson.close();
        lesson.say('');
        app.features.link.apply('#');
        return result;
      }, { text, how });
      const label = `${how.via}: ${text.slice(0, 200)}`;
      expect(result.thrown, label).toBeNull();
      expect(result.pwned, label).toBe(false);
      expect(result.failed, label).toBe(false);
      expect(result.foreign, label).toEqual([]);
      expect(result.reportsFinite, label).toBe(true);
      if (result.ok) opened += 1;
      else {
        refused += 1;
        // A refusal names what is wrong: "cannot be opened: [scene N, ]field: problem".
        expect(result.notices.join(' '), label).toMatch(/cannot be opened: (scene \d+, )?[^\s:]\S*: \S/);
      }
    }),
    { numRuns: runs, seed: 20261207, interruptAfterTimeLimit: limit, markInterruptAsFailure: false },
  );
  expect(opened + refused, `lessons read within ${limit / 1000} s`).toBe(runs);
  expect(opened, 'some mutated lessons still open').toBeGreaterThan(0);
  console.log(`lesson fuzz: ${runs} lessons (${opened} opened, ${refused} refused) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // The page still steps afterwards.
  await page.evaluate(() => window.gdviz.features.link.apply('#dataset=clean&learningRate=0.05'));
  await page.locator('#step').click();
  await expect(gdviz.readout('iteration')).toHaveAttribute('data-value', '1');
});
