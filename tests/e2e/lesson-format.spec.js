// The lesson format, read in Node (no page): the built-in lesson follows it, every kind of bad
// file is refused with the scene and the field it names, and the narration's markup is read into
// text and inline elements (never HTML).
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import {
  LessonError, lessonFile, MAX_SCENES, MAX_TEXT, parseLesson, parseNarration, readLessonText, textIn,
} from '../../www/lessons/format.js';

const builtIn = () => JSON.parse(fs.readFileSync(new URL('../../www/lessons/least-squares.json', import.meta.url), 'utf8'));

/** What the page has: written out here, so that the table below is independent of the page. */
const KNOWN = {
  settings: new Set(['dataset', 'points', 'noise', 'seed', 'model', 'degree', 'learningRate', 'batchSize',
    'regularization', 'lambda', 'l1Ratio', 'loss', 'optimizer', 'momentum', 'schedule', 'rateRule', 'lineSearch',
    'standardize', 'runs', 'start', 'x', 'y', 'x1', 'x2', 'names']),
  groups: new Set(['rate', 'batch', 'optimizer', 'schedule', 'method', 'speed', 'regularization', 'data', 'model', 'view', 'start', 'explain']),
};

/** What the page has, with the settings the built-in lesson leaves at their defaults. */
const KNOWN_PAGE = { ...KNOWN, settings: new Set([...KNOWN.settings, 'axes', 'features', 'eigenDirections', 'theoryRate', 'logIterations', 'speed']) };

const text = (en, zh) => ({ en, ...(zh === undefined ? {} : { zh }) });
const scene = (extra = {}) => ({ title: text('A scene', '一幕'), narration: text('Words.', '文字。'), ...extra });
const lesson = (scenes, extra = {}) => ({ version: 1, title: text('A lesson', '课程'), scenes, ...extra });

test('the built-in lesson follows the format, in both languages', () => {
  const parsed = parseLesson(builtIn(), KNOWN_PAGE);
  expect(parsed.scenes.length).toBeGreaterThanOrEqual(12);
  for (const [i, s] of parsed.scenes.entries()) {
    for (const field of ['title', 'narration']) {
      expect(s[field].en, `scene ${i + 1} ${field} en`).toBeTruthy();
      expect(s[field].zh, `scene ${i + 1} ${field} zh`).toBeTruthy();
    }
  }
  expect(parsed.scenes.some((s) => s.question?.kind === 'prediction')).toBe(true);
  expect(parsed.scenes.some((s) => s.question?.kind === 'goal')).toBe(true);
});

// [what is wrong, the file, the scene it names (0: the lesson), the field, the problem]
const BAD = [
  ['not an object', [], 0, 'lesson', 'type'],
  ['another version', lesson([scene()], { version: 2 }), 0, 'version', 'version'],
  ['no title', { version: 1, scenes: [scene()] }, 0, 'title', 'missing'],
  ['a title that is a string', lesson([scene()], { title: 'A lesson' }), 0, 'title', 'type'],
  ['no scenes', { version: 1, title: text('t') }, 0, 'scenes', 'missing'],
  ['no scene at all', lesson([]), 0, 'scenes', 'empty'],
  ['too many scenes', lesson(Array.from({ length: MAX_SCENES + 1 }, () => scene())), 0, 'scenes', 'too-many'],
  ['an unknown field of the lesson', lesson([scene()], { author: 'me' }), 0, 'author', 'unknown-field'],
  ['a scene without narration', lesson([scene(), { title: text('t') }]), 2, 'narration', 'missing'],
  ['a narration with neither language', lesson([scene({ narration: {} })]), 1, 'narration', 'missing'],
  ['a text in an unknown language', lesson([scene({ narration: { en: 'a', fr: 'b' } })]), 1, 'narration.fr', 'unknown-field'],
  ['a narration that is a number', lesson([scene({ narration: { en: 7 } })]), 1, 'narration.en', 'type'],
  ['a narration too long', lesson([scene(), scene(), scene({ narration: text('x'.repeat(MAX_TEXT + 1)) })]), 3, 'narration.en', 'too-long'],
  ['an unknown setting', lesson([scene({ state: { learningRate: '0.1', colour: 'red' } })]), 1, 'state.colour', 'unknown-setting'],
  ['a setting that is an object', lesson([scene({ state: { learningRate: { v: 1 } } })]), 1, 'state.learningRate', 'type'],
  ['a state that is a list', lesson([scene({ state: [] })]), 1, 'state', 'type'],
  ['an unknown control group', lesson([scene({ show: ['rate', 'colours'] })]), 1, 'show', 'unknown-group'],
  ['an unknown plot', lesson([scene({ plots: ['surface', 'pie'] })]), 1, 'plots', 'unknown-plot'],
  ['an unknown field of a scene', lesson([scene({ picture: 'x.png' })]), 1, 'picture', 'unknown-field'],
  ['an unknown kind of question', lesson([scene({ question: { kind: 'essay', prompt: text('?') } })]), 1, 'question.kind', 'unknown-question'],
  ['a prediction of one choice', lesson([scene({ question: { kind: 'prediction', prompt: text('?'), choices: [text('a')], answer: 1, reveal: 10 } })]), 1, 'question.choices', 'choices'],
  ['a prediction of five choices', lesson([scene({ question: { kind: 'prediction', prompt: text('?'), choices: ['a', 'b', 'c', 'd', 'e'].map((c) => text(c)), answer: 1, reveal: 10 } })]), 1, 'question.choices', 'choices'],
  ['an answer that is no choice', lesson([scene({ question: { kind: 'prediction', prompt: text('?'), choices: [text('a'), text('b')], answer: 3, reveal: 10 } })]), 1, 'question.answer', 'answer'],
  ['a reveal of no steps', lesson([scene({ question: { kind: 'prediction', prompt: text('?'), choices: [text('a'), text('b')], answer: 1, reveal: 0 } })]), 1, 'question.reveal', 'steps'],
  ['an unknown goal', lesson([scene({ question: { kind: 'goal', prompt: text('?'), goal: { kind: 'fastest' } } })]), 1, 'question.goal.kind', 'unknown-goal'],
  ['a goal threshold of 0', lesson([scene({ question: { kind: 'goal', prompt: text('?'), goal: { kind: 'excess', below: 0, within: 10 } } })]), 1, 'question.goal.below', 'positive'],
  ['a goal without its step count', lesson([scene({ question: { kind: 'goal', prompt: text('?'), goal: { kind: 'converged' } } })]), 1, 'question.goal.within', 'steps'],
  ['a question without a prompt', lesson([scene({ question: { kind: 'goal', goal: { kind: 'diverged' } } })]), 1, 'question.prompt', 'missing'],
];

for (const [what, file, sceneNumber, field, problem] of BAD) {
  test(`refused: ${what}`, () => {
    let error = null;
    try {
      parseLesson(file, KNOWN);
    } catch (e) {
      error = e;
    }
    expect(error, 'the file is refused').toBeInstanceOf(LessonError);
    expect({ scene: error.scene, field: error.field, problem: error.problem }).toEqual({ scene: sceneNumber, field, problem });
  });
}

test('a good file keeps its parts; a missing language falls back to the other', () => {
  const parsed = parseLesson(lesson([
    scene({ state: { learningRate: 0.6, standardize: true }, show: ['rate', 'rate'], plots: ['loss', 'surface'], note: text('Ask first.') }),
    scene({ title: { zh: '只有中文' }, question: { kind: 'goal', prompt: text('Reach it'), goal: { kind: 'excess', below: 1e-6, within: 100 } } }),
  ]), KNOWN);
  expect(parsed.scenes[0].state).toEqual({ learningRate: '0.6', standardize: 'true' });
  expect(parsed.scenes[0].show).toEqual(['rate']);
  expect(parsed.scenes[0].plots).toEqual(['surface', 'loss']);
  expect(parsed.scenes[0].note).toEqual({ en: 'Ask first.' });
  expect(parsed.scenes[1].question.goal).toEqual({ kind: 'excess', below: 1e-6, within: 100 });
  expect(textIn(parsed.scenes[1].title, 'en')).toEqual({ text: '只有中文', fallback: true });
  expect(textIn(parsed.scenes[1].title, 'zh')).toEqual({ text: '只有中文', fallback: false });
});

test('a star after a letter is text: θ*, J − J* and (0.116, **0**, 0.909); strong between Chinese characters', () => {
  expect(parseNarration('左边的**损失曲面**，最低点 θ* 已标出')).toEqual([{ kind: 'paragraph', spans: [
    { text: '左边的', style: 'plain' }, { text: '损失曲面', style: 'strong' }, { text: '，最低点 θ* 已标出', style: 'plain' },
  ] }]);
  expect(parseNarration('Here θ* = (0.116, **0**, 0.909), J − J* < 1, 2 * 3 and *yes*.')).toEqual([{ kind: 'paragraph', spans: [
    { text: 'Here θ* = (0.116, ', style: 'plain' }, { text: '0', style: 'strong' }, { text: ', 0.909), J − J* < 1, 2 * 3 and ', style: 'plain' },
    { text: 'yes', style: 'em' }, { text: '.', style: 'plain' },
  ] }]);
});

test('the narration: paragraphs, lists, emphasis, strong and code; an open mark stays text', () => {
  const blocks = parseNarration('The loss *J* is **a bowl**: `J(θ)` ≤ J(0).\n\n- one\n- two with\n  more\n\nA <b>tag</b> and a lone * star.');
  expect(blocks).toEqual([
    { kind: 'paragraph', spans: [
      { text: 'The loss ', style: 'plain' }, { text: 'J', style: 'em' }, { text: ' is ', style: 'plain' },
      { text: 'a bowl', style: 'strong' }, { text: ': ', style: 'plain' }, { text: 'J(θ)', style: 'code' },
      { text: ' ≤ J(0).', style: 'plain' },
    ] },
    { kind: 'list', items: [[{ text: 'one', style: 'plain' }], [{ text: 'two with more', style: 'plain' }]] },
    { kind: 'paragraph', spans: [{ text: 'A <b>tag</b> and a lone * star.', style: 'plain' }] },
  ]);
});

test('a lesson written to its file reads back as the same lesson', () => {
  const parsed = parseLesson(builtIn(), KNOWN_PAGE);
  expect(readLessonText(JSON.stringify(lessonFile(parsed)), KNOWN_PAGE)).toEqual(parsed);
});

test('a file that is not JSON is refused with the line and column where it goes wrong', () => {
  let error = null;
  try {
    readLessonText('{\n  "version": 1,\n  "title": {"en": "x"},\n  "scenes": [,]\n}', KNOWN);
  } catch (e) {
    error = e;
  }
  expect({ problem: error.problem, line: error.detail.line, column: error.detail.column }).toEqual({ problem: 'json', line: 4, column: 14 });
});
