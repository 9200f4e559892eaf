// Lessons on a projector stage. A lesson (www/lessons/format.js) is a sequence of scenes; opening
// one switches the page to the stage: the plots take the room, a narrow panel holds the scene's
// title, narration, teacher's note (presenter mode only) and question, and only the scene's
// control groups are shown (embed's `show=` names, moved into the panel); **Settings** brings the
// full column back. Next / Previous, PgDn / PgUp (a presenter's clicker), Home / End move through
// it; R restarts the scene from its saved state; Esc leaves, keeping the scene's state on the
// normal page. The store's `lesson` and `scene` are in the link, so a reload keeps the place.
//
// A scene's state is applied as a link is, field by field: every link setting the scene does
// not name goes back to its default first, so each scene starts from what it says. The built-in
// lessons are JSON files of www/lessons/, loaded like any other lesson; the lessons kept in this
// browser (www/lessons/kept.js) and a lesson carried whole by the link (www/lessons/link-code.js)
// are read with them, before the features are installed (loadLessons). Copy lesson link puts the
// open lesson into a link; in embed mode a lesson shows one scene (Export ▾ → Copy embed code).

import { byId, copyText, dismissibleNotice, download, flash, h, menu } from '../shell/dom.js';
import { describeError, invalidValue, unknownChoice } from '../shell/errors.js';
import { formatInteger } from '../shell/format.js';
import { language, onLanguageChange, t } from '../shell/i18n.js';
import { sameValue } from '../shell/store.js';
import {
  FILE_SUFFIX, LessonError, lessonFile, MAX_FILE_BYTES, MAX_SCENES, parseLesson, parseNarration, readLessonText, textIn,
} from '../lessons/format.js';
import { isKeptId, readKept } from '../lessons/kept.js';
import {
  CODE_FIELD, codeOf, decodeLesson, encodeLesson, LINKED, MAX_LINK_LENGTH,
} from '../lessons/link-code.js';
import { controlGroups, pageAddress, SHOWABLE } from './embed.js';
import { typing } from './keyboard.js';
import { applyHash, hashOf, ignoredText, POINT_FIELDS } from './link.js';
import { applyZoom } from './presenter.js';

/** The built-in lessons: id → their file (written out, so that `make dist` sees the reference). */
export const BUILT_IN = { 'least-squares': new URL('../lessons/least-squares.json', import.meta.url) };
/** The lessons read from their files (id → raw JSON), before the features are installed. */
const loaded = {};
/** The lessons kept in this browser ({id, file, saved} records), read before the features. */
let keptRecords = [];
/** The lesson of the link's `lessonCode`: its code, and its file's text or why it is refused. */
const linked = { code: '', text: null, error: null };
/** The key of a lesson imported from a file (not in the link: a reload leaves the stage). */
const IMPORTED = 'imported';
/** Whether a lesson's id belongs in the link: a built-in lesson, one kept in this browser, or
 * the link's own lesson (an imported one does not: a reload leaves the stage). */
const inLink = (id) => Object.hasOwn(BUILT_IN, id) || isKeptId(id) || id === LINKED;

/** Decodes the lesson of a link's code (once per code). */
async function decodeLinked(code) {
  if (!code || code === linked.code) return;
  Object.assign(linked, { code, text: null, error: null });
  try {
    linked.text = await decodeLesson(code);
  } catch (error) {
    linked.error = error;
  }
}

/** Reads the built-in lessons' files, the lessons kept in this browser and the link's lesson;
 * a built-in file that cannot be read leaves its lesson out. */
export async function loadLessons() {
  // An embedded page shows its link's lesson only (and its frame may have no storage at all).
  const embedded = /(^|[#&])embed=(1|true)(&|$)/.test(window.location.hash);
  const kept = embedded ? null : readKept().then((records) => { keptRecords = records; });
  await Promise.all([kept, decodeLinked(codeOf(window.location.hash)), ...Object.entries(BUILT_IN).map(async ([id, file]) => {
    try {
      const response = await fetch(file);
      if (response.ok) loaded[id] = await response.json();
      else console.error(`gdviz: the lesson "${id}" could not be read (${response.status})`);
    } catch (error) {
      console.error(`gdviz: the lesson "${id}" could not be read: ${error?.message ?? error}`);
    }
  })]);
}

/** The problem of a lesson's error, its large counts with separators (1,000,001). */
function problemText(error) {
  const detail = Object.fromEntries(Object.entries(error.detail)
    .map(([key, value]) => [key, typeof value === 'number' && Math.abs(value) >= 10_000 ? formatInteger(value) : value]));
  return t(`lesson.problem.${error.problem}`, detail);
}

/** A lesson's error as a person's sentence: the scene, the field and what is wrong. */
export function lessonErrorText(error) {
  return error instanceof LessonError ? t('lesson.refused', { place: lessonErrorPlace(error) }) : describeError(error);
}

/** Where a lesson's error is and what it is, without "cannot be opened" (for the editor). */
export function lessonErrorPlace(error) {
  if (!(error instanceof LessonError)) return describeError(error);
  const problem = problemText(error);
  return error.scene > 0
    ? t('lesson.at.scene', { scene: error.scene, field: error.field, problem })
    : t('lesson.at', { field: error.field, problem });
}

/** The store's entries a scene's state may set: the link's settings and the user's points. */
function sceneSettings(app) {
  const page = new Set(['lang', 'presenter', 'embed', 'show', 'lesson', 'scene', CODE_FIELD]);
  return new Set([...app.store.entries.filter((e) => e.url && !page.has(e.key)).map((e) => e.key), ...POINT_FIELDS]);
}

export function install(app) {
  const { store } = app;
  const body = document.body;
  const known = () => ({
    settings: sceneSettings(app),
    groups: new Set(Object.keys(SHOWABLE).filter((n) => !SHOWABLE[n].plot)),
    points: new Set(POINT_FIELDS),
    maxRows: app.catalog.import.max_rows,
  });

  // The lessons this page can open: id → parsed lesson (a built-in one that fails the format is
  // left out, and said in the console: it is a bug of the repository).
  const lessons = {};
  for (const [id, raw] of Object.entries(loaded)) {
    try {
      lessons[id] = parseLesson(raw, known());
    } catch (error) {
      console.error(`gdviz: the built-in lesson "${id}" is refused: ${error.message}`);
    }
  }
  // The kept lessons that follow the format (a draft still being written may not: the editor
  // lists it, the stage cannot show it yet).
  for (const record of keptRecords) {
    try {
      lessons[record.id] = parseLesson(record.file, known());
    } catch {
      // a draft: opened in the editor only
    }
  }
  /** Takes the link's lesson into the table when it reads; otherwise keeps why it does not. */
  const adoptLinked = () => {
    delete lessons[LINKED];
    if (linked.text === null) return;
    try {
      lessons[LINKED] = readLessonText(linked.text, known());
    } catch (error) {
      linked.error = error;
    }
  };
  adoptLinked();

  // ---- the panel
  const { notice, say } = dismissibleNotice('lesson-notice');
  byId('notices').append(notice);
  const lessonTitle = h('p', { class: 'lesson-name', id: 'lesson-name' });
  const counter = h('span', { class: 'lesson-counter', 'data-testid': 'scene', 'aria-live': 'polite' });
  const sceneTitle = h('h2', { class: 'lesson-title', id: 'lesson-title', tabindex: '-1' });
  const fallback = h('p', { class: 'hint lesson-fallback', id: 'lesson-fallback', hidden: true });
  const narration = h('div', { class: 'lesson-narration', id: 'lesson-narration' });
  const note = h('aside', { class: 'lesson-note', id: 'lesson-note', hidden: true });
  const question = h('div', { class: 'lesson-question', id: 'lesson-question', hidden: true });
  const controls = h('div', { class: 'lesson-controls', id: 'lesson-controls' });
  const button = (id, key, onClick, extra = {}) => {
    const b = h('button', { type: 'button', class: 'btn', id, 'data-i18n': key, ...extra }, t(key));
    b.addEventListener('click', onClick);
    return b;
  };
  const previous = button('lesson-previous', 'lesson.previous', () => go(store.get('scene') - 1), { 'aria-keyshortcuts': 'PageUp' });
  const next = button('lesson-next', 'lesson.next', () => go(store.get('scene') + 1), { 'aria-keyshortcuts': 'PageDown' });
  const settings = button('lesson-settings', 'lesson.settings', () => toggleSettings(), { 'aria-pressed': 'false', 'aria-controls': 'settings-column' });
  const leave = button('lesson-leave', 'lesson.leave', () => close(), { 'aria-keyshortcuts': 'Escape' });
  const panel = h('aside', {
    class: 'lesson-panel', id: 'lesson-panel', hidden: true, 'aria-labelledby': 'lesson-title',
  },
  h('div', { class: 'lesson-head' }, lessonTitle, counter),
  h('div', { class: 'lesson-body' }, sceneTitle, fallback, narration, question, note, controls),
  h('nav', { class: 'lesson-nav', 'aria-label': t('lesson.nav'), 'data-i18n-attr': 'aria-label:lesson.nav' }, previous, next, settings, leave));
  document.querySelector('main.layout').append(panel);

  // ---- the Lesson ▾ menu: the lessons, then Import lesson and Export this lesson
  const list = h('div', { class: 'lesson-list' });
  const labelItems = () => {
    list.replaceChildren(...Object.entries(lessons).filter(([id]) => !isKeptId(id)).map(([id, lesson]) => {
      const item = h('button', { type: 'button', class: 'btn btn-small menu-item', 'data-lesson': id }, textIn(lesson.title, language()).text);
      item.addEventListener('click', () => {
        lessonMenu.open = false;
        open(id, 1);
      });
      return item;
    }));
  };
  labelItems();
  const feedback = h('span', { class: 'hint', role: 'status', id: 'lesson-file-feedback' });
  const fileInput = h('input', { type: 'file', id: 'import-lesson-file', accept: `${FILE_SUFFIX},.json,application/json`, hidden: true });
  fileInput.addEventListener('change', () => {
    const chosen = fileInput.files?.[0];
    fileInput.value = '';
    if (chosen) importFile(chosen);
  });
  const importButton = h('button', { type: 'button', class: 'btn btn-small', id: 'import-lesson', 'data-i18n': 'lesson.import' }, t('lesson.import'));
  importButton.addEventListener('click', () => fileInput.click());
  const exportButton = h('button', { type: 'button', class: 'btn btn-small', id: 'export-lesson', 'data-i18n': 'lesson.export' }, t('lesson.export'));
  exportButton.addEventListener('click', () => exportLesson());
  const linkButton = h('button', { type: 'button', class: 'btn btn-small', id: 'copy-lesson-link', 'data-i18n': 'lesson.copy-link' }, t('lesson.copy-link'));
  linkButton.addEventListener('click', () => copyLessonLink());
  const linkField = h('input', {
    type: 'text', readonly: true, id: 'lesson-link', class: 'share-url', hidden: true,
    'aria-label': t('lesson.link-field'), 'data-i18n-attr': 'aria-label:lesson.link-field',
  });
  const lessonMenu = menu('lesson-menu', 'menu.lesson', t('menu.lesson'),
    h('p', { class: 'hint', 'data-i18n': 'lesson.menu.hint' }, t('lesson.menu.hint')),
    list,
    h('div', { class: 'menu-row', id: 'lesson-file-row' }, importButton, exportButton, linkButton, fileInput),
    linkField,
    feedback);
  byId('toolbar-tools').prepend(lessonMenu);

  /** Reads a lesson file and opens it; a refused file changes nothing and says why. */
  const importFile = async (file) => {
    let parsed;
    try {
      if (file.size > MAX_FILE_BYTES) throw new LessonError(0, 'file', 'too-large', { max: MAX_FILE_BYTES / 2 ** 20 });
      parsed = readLessonText(await file.text(), known());
    } catch (error) {
      say(lessonErrorText(error));
      return false;
    }
    lessons[IMPORTED] = parsed;
    labelItems();
    say('');
    open(IMPORTED, 1);
    return true;
  };

  /** Downloads a lesson (by default the one open on the stage, or the first built-in one) as its
   * file, named after its id or its title. */
  const exportLesson = (lesson = lessons[store.get('lesson') || Object.keys(lessons)[0]], where = feedback) => {
    if (!lesson) return;
    const name = `${lesson.id || fileName(textIn(lesson.title, language()).text)}${FILE_SUFFIX}`;
    download(new Blob([`${JSON.stringify(lessonFile(lesson), null, 1)}\n`], { type: 'application/json' }), name);
    flash(where, t('export.saved', { file: name }));
  };

  /**
   * The address of a lesson at scene `number` (by default the open one, at its scene): a built-in
   * lesson by its id, any other carried whole (its code). With `embed`, embedded. Resolves
   * {url, tooLong, max}: tooLong when it exceeds MAX_LINK_LENGTH.
   */
  const sceneAddress = async ({ embed = false, id = store.get('lesson'), lesson = lessons[id], number = store.get('scene') } = {}) => {
    const fields = Object.hasOwn(BUILT_IN, id)
      ? [['lesson', id]]
      : [[CODE_FIELD, await encodeLesson(lessonFile(lesson))], ['lesson', LINKED]];
    const url = `${pageAddress()}${hashOf([...(embed ? [['embed', '1']] : []), ...fields, ['scene', String(number)]])}`;
    return { url, tooLong: url.length > MAX_LINK_LENGTH, max: MAX_LINK_LENGTH };
  };

  /** Copy lesson link: the lesson whole in a link, or, past MAX_LINK_LENGTH, its file offered. */
  const copyLessonLink = async (options = {}, where = feedback, field = linkField) => {
    const lesson = options.lesson ?? current();
    if (!lesson) {
      flash(where, t('lesson.none-open'));
      return null;
    }
    const address = await sceneAddress(options);
    if (address.tooLong) {
      field.hidden = true;
      const offer = h('button', { type: 'button', class: 'btn btn-tiny', 'data-i18n': 'lesson.export' }, t('lesson.export'));
      offer.addEventListener('click', () => exportLesson(lesson, where));
      where.replaceChildren(t('lesson.link-too-long', { length: formatInteger(address.url.length), max: formatInteger(MAX_LINK_LENGTH) }), ' ', offer);
      return address;
    }
    await copyText(address.url, field, where, { copied: t('lesson.link-copied'), select: t('link.select') });
    return address;
  };

  // ---- the scene's control groups, moved into the panel and back
  const groups = controlGroups(controls, 'lesson', 'lesson-group');
  const showGroups = (names) => {
    groups.show(names);
    // A scene that shows How this step works shows it open.
    if (names.includes('explain')) byId('explain-section').open = true;
    controls.hidden = !names.some((name) => groups.has(name));
  };

  // ---- opening, moving, leaving
  let settingsOpen = false;
  const current = () => lessons[store.get('lesson')] ?? null;

  // The page's settings as they are before any link or kept data applies: what a scene that
  // does not name a setting goes back to.
  const defaults = Object.fromEntries(store.entries.filter((e) => e.url).map((e) => [e.key, store.get(e.key)]));
  /** The data set's own settings: always applied through the link's path, named or default. */
  const DATA = ['dataset', 'points', 'noise', 'seed'];

  /**
   * Applies a scene's state: its data (a preset's settings, or its own points), then every
   * setting it does not name back to its default (the batch: the new data's full batch), then
   * the settings it names, field by field as a link applies them. Returns what was ignored,
   * as [name, reason].
   */
  const applyScene = (scene) => {
    const named = (key) => Object.hasOwn(scene.state, key);
    const keys = sceneSettings(app);
    const entries = store.entries.filter((e) => keys.has(e.key));
    const ignored = [];
    const viaLink = (fields) => {
      if (fields.length) ignored.push(...applyHash(app, hashOf(fields), { maxPoints: app.catalog.import.max_rows }).ignored);
    };
    // A named data set brings its own points and noise (the preset's), unless the scene names them.
    const presetBrings = (key) => named('dataset') && !named(key) && (key === 'points' || key === 'noise');
    viaLink([
      ...DATA.filter((key) => !presetBrings(key))
        .map((key) => [key, named(key) ? scene.state[key] : store.entry(key).toText(defaults[key])]),
      ...POINT_FIELDS.filter(named).map((key) => [key, scene.state[key]]),
    ]);
    for (const entry of entries) {
      if (named(entry.key) || DATA.includes(entry.key) || entry.key === 'data') continue;
      const value = entry.key === 'batchSize' ? app.n : defaults[entry.key];
      const current = store.get(entry.key);
      // Left as it is when it holds its default, or a value the link leaves out (no comparison
      // runs, the start at 0, every x column, the model the data says).
      if (sameValue(current, value) || entry.omit?.(current, store)) continue;
      try {
        store.set(entry.key, value, { source: 'lesson' });
      } catch (error) {
        ignored.push([entry.key, describeError(error)]);
      }
    }
    viaLink(entries.filter((e) => named(e.key) && !DATA.includes(e.key)).map((e) => [e.key, scene.state[e.key]]));
    app.reset();
    return ignored;
  };

  const render = () => {
    const lesson = current();
    const number = store.get('scene');
    const on = lesson !== null;
    body.toggleAttribute('data-lesson', on);
    panel.hidden = !on;
    if (!on) {
      showGroups([]);
      app.features.embed?.yieldControls(false);
      for (const figure of document.querySelectorAll('#plots [data-plot]')) figure.removeAttribute('data-lesson-hidden');
      body.removeAttribute('data-lesson-plots');
      body.removeAttribute('data-lesson-settings');
      resize();
      return;
    }
    const scene = lesson.scenes[number - 1];
    const lang = language();
    const fallbacks = [];
    const textOf = (value) => {
      const { text, fallback: fell } = textIn(value, lang);
      if (fell) fallbacks.push(text);
      return text;
    };
    lessonTitle.textContent = textOf(lesson.title);
    counter.textContent = `${number} / ${lesson.scenes.length}`;
    counter.setAttribute('aria-label', t('lesson.counter', { n: number, total: lesson.scenes.length }));
    sceneTitle.textContent = textOf(scene.title);
    narration.replaceChildren(...narrationNodes(textOf(scene.narration)));
    note.hidden = scene.note === null;
    if (scene.note) {
      note.replaceChildren(h('strong', { class: 'lesson-note-label' }, t('lesson.note')), ' ', ...narrationNodes(textOf(scene.note)));
    }
    renderQuestion(scene, textOf);
    fallback.hidden = fallbacks.length === 0;
    fallback.textContent = fallbacks.length ? t('lesson.fallback') : '';
    previous.disabled = number <= 1;
    next.disabled = number >= lesson.scenes.length;
    for (const figure of document.querySelectorAll('#plots [data-plot]')) {
      figure.toggleAttribute('data-lesson-hidden', !scene.plots.includes(figure.dataset.plot));
    }
    body.dataset.lessonPlots = scene.plots.join(' ');
    layout(scene);
  };

  /** Where the scene's control groups are: in the panel, or in the settings column when open. */
  const layout = (scene) => {
    app.features.embed?.yieldControls(true);
    showGroups(settingsOpen ? [] : scene.show);
    body.toggleAttribute('data-lesson-settings', settingsOpen);
    settings.setAttribute('aria-pressed', String(settingsOpen));
    resize();
  };

  const resize = () => requestAnimationFrame(() => {
    applyZoom(app.vis, store.get('presenter'), current() !== null);
    app.plots.resize();
    app.refresh();
  });

  /** Opens lesson `id` at scene `number`, its state applied. */
  const open = (id, number) => {
    settingsOpen = false;
    store.set('scene', number, { source: 'lesson' });
    store.set('lesson', id, { source: 'lesson', always: true });
  };

  const go = (number) => {
    const lesson = current();
    if (!lesson) return;
    const clamped = Math.min(Math.max(1, number), lesson.scenes.length);
    if (clamped !== store.get('scene')) store.set('scene', clamped, { source: 'lesson' });
  };

  const close = () => {
    settingsOpen = false;
    store.set('lesson', '', { source: 'lesson' });
  };

  /** Settings: the whole column, and the scene's groups back in it; the question stays as it is. */
  const toggleSettings = () => {
    const lesson = current();
    if (!lesson) return;
    settingsOpen = !settingsOpen;
    layout(lesson.scenes[store.get('scene') - 1]);
  };

  // ---- the question
  let reveal = null; // {until} while a reveal plays
  let goal = null; // {goal, met} of the scene's goal question
  const renderQuestion = (scene, textOf) => {
    reveal = null;
    goal = null;
    const q = scene.question;
    question.hidden = q === null;
    if (!q) {
      question.replaceChildren();
      return;
    }
    const prompt = h('legend', { class: 'lesson-prompt' }, ...inlineNodes(textOf(q.prompt)));
    if (q.kind === 'prediction') {
      const choices = q.choices.map((choice, i) => {
        const input = h('input', { type: 'radio', name: 'lesson-choice', value: String(i + 1), id: `lesson-choice-${i + 1}` });
        const mark = h('span', { class: 'lesson-mark', 'aria-live': 'polite' });
        return h('div', { class: 'lesson-choice', 'data-choice': String(i + 1) },
          input, h('label', { for: `lesson-choice-${i + 1}` }, ...inlineNodes(textOf(choice))), mark);
      });
      const revealButton = h('button', { type: 'button', class: 'btn btn-primary', id: 'lesson-reveal', 'data-i18n': 'lesson.reveal' }, t('lesson.reveal'));
      revealButton.addEventListener('click', () => {
        revealButton.disabled = true;
        for (const row of choices) {
          const i = Number(row.dataset.choice);
          const chosen = row.querySelector('input').checked;
          const right = i === q.answer;
          row.classList.toggle('lesson-right', right);
          row.classList.toggle('lesson-wrong', chosen && !right);
          row.querySelector('.lesson-mark').textContent = right ? t('lesson.answer.right') : chosen ? t('lesson.answer.wrong') : '';
        }
        // Play the run that shows the answer, up to the scene's number of steps.
        reveal = { until: q.reveal };
        if (!app.player.playing) app.player.toggle();
      });
      question.replaceChildren(h('fieldset', { class: 'lesson-choices' }, prompt, ...choices), revealButton);
      return;
    }
    const status = h('p', { class: 'lesson-goal', id: 'lesson-goal', 'data-testid': 'goal', role: 'status' });
    goal = { goal: q.goal, met: null, status };
    question.replaceChildren(h('fieldset', { class: 'lesson-choices' }, prompt), status);
    checkGoal(app.vis.reports());
  };

  const checkGoal = (reports) => {
    if (!goal) return;
    const report = reports[0];
    const { kind, below, within } = goal.goal;
    const optimum = app.analysis?.optimum?.loss;
    let met = null;
    if (kind === 'excess' && Number.isFinite(optimum) && report.loss - optimum < below && report.iteration <= within) met = report.iteration;
    if (kind === 'converged' && report.status === 'converged' && report.iteration <= within) met = report.iteration;
    if (kind === 'diverged' && report.status === 'diverged') met = report.iteration;
    if (kind === 'zero' && report.iteration >= 1 && report.iteration <= within && report.theta?.theta?.[goal.goal.coefficient] === 0) met = report.iteration;
    if (goal.met === null && met !== null) goal.met = met;
    // Missed: past the steps it allows, or the run stopped (converged or diverged) without it.
    const late = within !== undefined && report.iteration > within;
    const stopped = report.status !== 'running';
    const missed = goal.met === null && (late || stopped);
    let text = t('lesson.goal.open');
    if (goal.met !== null) text = t('lesson.goal.met', { steps: formatInteger(goal.met) });
    else if (late) text = t('lesson.goal.missed', { within: formatInteger(within) });
    else if (stopped) text = t('lesson.goal.stopped', { steps: formatInteger(report.iteration), status: t(`status.${report.status}`) });
    goal.status.dataset.state = goal.met !== null ? 'met' : missed ? 'missed' : 'open';
    if (goal.status.textContent !== text) goal.status.textContent = text;
  };

  app.on('show', (reports) => {
    if (reveal && (reports[0].iteration >= reveal.until || reports.every((r) => r.status !== 'running'))) {
      reveal = null;
      if (app.player.playing) app.player.toggle();
    }
    checkGoal(reports);
  });
  app.on('reset', () => {
    if (goal) {
      goal.met = null;
      checkGoal(app.vis.reports());
    }
  });

  // ---- the store: which lesson, which scene (both in the link)
  store.define({
    key: 'lesson', group: 'page', url: true,
    initial: () => '',
    parse: (text) => {
      if (text !== '' && !Object.hasOwn(lessons, text)) {
        if (text === LINKED && linked.error) throw new Error(t('lesson.linked-unread'));
        throw unknownChoice('lesson', Object.keys(lessons).filter(inLink), text);
      }
      return text;
    },
    toText: String,
    omit: (id) => !inLink(id),
    apply: (ctx, state) => {
      if (state.lesson === '') {
        settingsOpen = false;
        return;
      }
      const scenes = lessons[state.lesson].scenes.length;
      if (!(state.scene >= 1 && state.scene <= scenes)) state.scene = 1;
    },
  });
  store.define({
    key: 'scene', group: 'page', url: true,
    initial: () => 1,
    // Checked against the lesson when the lesson opens (a link names the scene first).
    parse: (text) => {
      const n = Number(text);
      if (!Number.isInteger(n) || n < 1 || n > MAX_SCENES) throw invalidValue('scene', { kind: 'integer-in', lo: 1, hi: MAX_SCENES }, text);
      return n;
    },
    toText: String,
    omit: (n, s) => !inLink(s.get('lesson')),
  });
  // The link's own lesson, whole: its code (read when the page opens, or when the hash changes).
  store.define({
    key: CODE_FIELD, group: 'page', url: true,
    initial: () => '',
    parse: (text) => {
      if (text !== '' && text !== linked.code) throw new Error(lessonErrorText(new LessonError(0, CODE_FIELD, 'code')));
      if (text !== '' && linked.error) throw new Error(lessonErrorText(linked.error));
      return text;
    },
    toText: String,
    omit: (code, s) => s.get('lesson') !== LINKED || code === '',
  });
  // A hash changed by hand to another lesson's code: decoded first, then applied as a link.
  let reading = Promise.resolve(); // the last such hash, until it is applied
  window.addEventListener('hashchange', (event) => {
    const code = codeOf(window.location.hash);
    if (!code || code === linked.code) return;
    event.stopImmediatePropagation();
    reading = decodeLinked(code).then(() => {
      adoptLinked();
      labelItems();
      app.features.link?.apply(window.location.hash);
    });
  });
  store.subscribe(({ keys }) => {
    if (!keys.has('lesson') && !keys.has('scene')) return;
    const lesson = current();
    if (lesson) say(ignoredText('lesson.ignored', applyScene(lesson.scenes[store.get('scene') - 1])));
    render();
    if (lesson) sceneTitle.focus({ preventScroll: true });
  });

  // ---- keys: PgDn / PgUp, Home / End, R (the scene again), Esc (leave); before the page's own
  document.addEventListener('keydown', (event) => {
    const lesson = current();
    if (!lesson || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    // The question's choices take arrows, not pages: PgDn goes on from a chosen answer.
    const choosing = event.target instanceof HTMLInputElement && event.target.type === 'radio';
    if (document.querySelector('dialog[open]') || (typing(event.target) && !choosing)) return;
    const number = store.get('scene');
    const keys = {
      PageDown: () => go(number + 1),
      PageUp: () => go(number - 1),
      Home: () => go(1),
      End: () => go(lesson.scenes.length),
      r: () => restart(),
      R: () => restart(),
      Escape: () => close(),
    };
    const action = keys[event.key];
    if (!action) return;
    // One scene embedded in a slide: the slide is the scene (R still starts it again).
    if (store.get('embed') && action !== keys.r) return;
    if (event.key === 'Escape' && document.querySelector('details.menu[open]')) return;
    event.preventDefault();
    action();
  }, true);

  /** The scene again, from its saved state. */
  const restart = () => {
    if (app.player.playing) app.player.toggle();
    const lesson = current();
    if (!lesson) return;
    say(ignoredText('lesson.ignored', applyScene(lesson.scenes[store.get('scene') - 1])));
    render();
  };

  onLanguageChange(() => {
    labelItems();
    if (current()) render();
  });

  return {
    lessons,
    open,
    go,
    close,
    restart,
    /** Parses a lesson read from JSON; throws a LessonError. */
    parse: (value) => parseLesson(value, known()),
    importFile,
    exportLesson,
    errorText: lessonErrorText,
    errorPlace: lessonErrorPlace,
    /** Resolves once a lesson link typed into the address bar is decoded and applied. */
    linkRead: () => reading,
    copyLessonLink,
    sceneAddress,
    relist: labelItems,
    known,
    say,
    /** The kept lessons' records, as read when the page opened. */
    keptRecords: () => keptRecords,
    /** The page's settings before any link applied: what a scene that does not name one gets. */
    defaults,
    sceneSettings: () => sceneSettings(app),
  };
}

/** A file name's stem from a title: letters and digits, hyphens between words. */
function fileName(title) {
  const stem = String(title).toLowerCase().normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '');
  return stem.slice(0, 60) || 'lesson';
}

/** The narration's blocks as elements: paragraphs and lists of text and inline elements. */
export function narrationNodes(source) {
  return parseNarration(source).map((block) => (block.kind === 'list'
    ? h('ul', {}, ...block.items.map((item) => h('li', {}, ...spanNodes(item))))
    : h('p', {}, ...spanNodes(block.spans))));
}

/** One line of inline markup as nodes. */
function inlineNodes(text) {
  return parseNarration(text).flatMap((block) => (block.kind === 'list'
    ? block.items.flatMap((item) => spanNodes(item))
    : spanNodes(block.spans)));
}

function spanNodes(spans) {
  return spans.map(({ text, style }) => {
    if (style === 'plain') return document.createTextNode(text);
    return h(style === 'strong' ? 'strong' : style === 'em' ? 'em' : 'code', {}, text);
  });
}
