// The lesson editor: a teacher's own lessons, written from the page. Lesson ▾ → New lesson, or
// Edit this lesson (a built-in, imported or linked lesson is edited as a copy kept in this
// browser), opens the editor beside the stage: the settings column stays, so the teacher sets up
// a view and records it. **Add this view as a scene** takes everything the link carries, the
// user's own points included (as many as the CSV import takes); the control groups it shows start
// as those whose settings differ from the page's defaults. Each scene has a title, a narration, a
// teacher's note (in English and 简体中文: "Writing in" switches the fields' language) and an
// optional question: a prediction (choices, the right one, the steps the reveal plays) or a goal
// the page checks. Scenes move up and down (or by dragging), are duplicated and deleted (Undo
// brings the last deleted one back); **Update scene from view** records the page again;
// **Preview** plays the lesson on the stage from the scene being edited.
//
// Nothing is lost: the lesson is saved in IndexedDB (www/lessons/kept.js) shortly after each
// change, and at once when the editor closes or the page is hidden; a reload while a save is
// still pending asks first. A lesson that does not yet follow the format (a scene without its
// narration) is kept as it is and said so, with the scene and the field. Delete lesson asks first.

import { byId, download, flash, h } from '../shell/dom.js';
import { language, onLanguageChange, t } from '../shell/i18n.js';
import {
  FILE_SUFFIX, GOALS, lessonFile, LESSON_VERSION, MAX_CHOICES, MIN_CHOICES, parseLesson, PLOTS, TEXT_LANGUAGES, textIn,
} from '../lessons/format.js';
import { deleteKept, isKeptId, newKeptId, putKept } from '../lessons/kept.js';
import { groupNodes, SHOWABLE } from './embed.js';
import { linkFields } from './link.js';

/** How long the editor waits after the last change before it saves (ms). */
const SAVE_DELAY = 400;
/** The session's note of the lesson open in the editor, so that a reload reopens it. */
const EDITING_KEY = 'gdviz-editing';
/** Steps a new prediction's reveal plays, and a new goal allows. */
const NEW_STEPS = 100;

/** The session's note (sessionStorage may be refused, in a sandboxed frame: then nothing). */
function note(value) {
  try {
    if (value === undefined) return sessionStorage.getItem(EDITING_KEY);
    if (value === null) sessionStorage.removeItem(EDITING_KEY);
    else sessionStorage.setItem(EDITING_KEY, value);
  } catch {
    // nothing kept: a reload does not reopen the editor
  }
  return null;
}

/** A deep copy of plain JSON data. */
const copy = (value) => JSON.parse(JSON.stringify(value));

export function install(app) {
  const { store } = app;
  const lessonApi = app.features.lesson;
  const body = document.body;
  const groupNames = Object.keys(SHOWABLE).filter((name) => !SHOWABLE[name].plot && groupNodes(name).length > 0);

  // ---- the kept lessons: id → {id, file, created, saved}
  const kept = new Map(lessonApi.keptRecords().map((record) => [record.id, record]));
  let draft = null; // the record being edited
  let selected = -1; // the scene being edited (0-based)
  let writing = language(); // the language the text fields write
  let deleted = null; // {scene, index}: Undo brings it back
  let previewing = false;
  let saveTimer = 0;
  let saving = null; // the save in flight

  // ---- elements
  const field = (id, key, control) => h('label', { class: 'editor-field', for: id },
    h('span', { class: 'editor-label', 'data-i18n': key }, t(key)), control);
  const button = (id, key, onClick, extra = {}) => {
    const b = h('button', { type: 'button', class: 'btn btn-small', id, 'data-i18n': key, ...extra }, t(key));
    b.addEventListener('click', onClick);
    return b;
  };
  const languageSelect = h('select', { id: 'editor-language' },
    ...TEXT_LANGUAGES.map((lang) => h('option', { value: lang }, t(`editor.language.${lang}`))));
  const lessonTitle = h('input', { type: 'text', id: 'editor-lesson-title', autocomplete: 'off' });
  const sceneList = h('ol', { class: 'editor-scenes', id: 'editor-scenes', 'aria-label': t('editor.scenes'), 'data-i18n-attr': 'aria-label:editor.scenes' });
  const undoButton = button('editor-undo', 'editor.undo', () => undoDelete(), { hidden: true });
  const sceneHeading = h('h3', { class: 'editor-heading', id: 'editor-scene-heading', tabindex: '-1' });
  const sceneTitle = h('input', { type: 'text', id: 'editor-title', autocomplete: 'off' });
  const narration = h('textarea', { id: 'editor-narration', rows: 6 });
  const teacherNote = h('textarea', { id: 'editor-note', rows: 2 });
  const groupBoxes = groupNames.map((name) => h('input', { type: 'checkbox', value: name, id: `editor-group-${name}`, name: 'editor-group' }));
  const plotBoxes = PLOTS.map((name) => h('input', { type: 'checkbox', value: name, id: `editor-plot-${name}`, name: 'editor-plot' }));
  // Each box named with its list ("Shows: Learning rate"), not as the page's own control is.
  const labelBoxes = () => {
    for (const [boxes, prefix] of [[groupBoxes, 'editor.group'], [plotBoxes, 'editor.plot']]) {
      for (const box of boxes) box.setAttribute('aria-label', t(`${prefix}.shows`, { name: t(`${prefix}.${box.value}`) }));
    }
  };
  labelBoxes();
  const checkList = (boxes, prefix) => h('div', { class: 'editor-checks' }, ...boxes.map((box) => h('label', { class: 'editor-check', for: box.id },
    box, h('span', { 'data-i18n': `${prefix}.${box.value}`, 'aria-hidden': 'true' }, t(`${prefix}.${box.value}`)))));
  const kindSelect = h('select', { id: 'editor-question-kind' },
    ...['none', 'prediction', 'goal'].map((kind) => h('option', { value: kind, 'data-i18n': `editor.question.${kind}` }, t(`editor.question.${kind}`))));
  const prompt = h('input', { type: 'text', id: 'editor-prompt', autocomplete: 'off' });
  const choices = h('div', { class: 'editor-choices', id: 'editor-choices' });
  const addChoice = button('editor-add-choice', 'editor.add-choice', () => changeQuestion((q) => {
    q.choices.push({});
  }, true));
  const reveal = h('input', { type: 'number', id: 'editor-reveal', min: 1, step: 1, inputmode: 'numeric' });
  const goalKind = h('select', { id: 'editor-goal-kind' },
    ...Object.keys(GOALS).map((kind) => h('option', { value: kind, 'data-i18n': `editor.goal.${kind}` }, t(`editor.goal.${kind}`))));
  const goalBelow = h('input', { type: 'text', id: 'editor-goal-below', inputmode: 'decimal', autocomplete: 'off' });
  const goalWithin = h('input', { type: 'number', id: 'editor-goal-within', min: 1, step: 1, inputmode: 'numeric' });
  const goalCoefficient = h('input', { type: 'number', id: 'editor-goal-coefficient', min: 0, step: 1, inputmode: 'numeric' });
  const belowRow = field('editor-goal-below', 'editor.goal-below', goalBelow);
  const withinRow = field('editor-goal-within', 'editor.goal-within', goalWithin);
  const coefficientRow = field('editor-goal-coefficient', 'editor.goal-coefficient', goalCoefficient);
  const prediction = h('div', { class: 'editor-prediction' }, choices, addChoice, field('editor-reveal', 'editor.reveal', reveal));
  const goalPart = h('div', { class: 'editor-goal' }, field('editor-goal-kind', 'editor.goal', goalKind), belowRow, withinRow, coefficientRow);
  const promptRow = field('editor-prompt', 'editor.prompt', prompt);
  const stateSummary = h('p', { class: 'hint editor-state', id: 'editor-state' });
  const sceneSection = h('section', { class: 'editor-scene', id: 'editor-scene', 'aria-labelledby': 'editor-scene-heading', hidden: true },
    sceneHeading,
    field('editor-title', 'editor.title', sceneTitle),
    field('editor-narration', 'editor.narration', narration),
    h('p', { class: 'hint', 'data-i18n': 'editor.narration.hint' }, t('editor.narration.hint')),
    field('editor-note', 'editor.note', teacherNote),
    h('fieldset', { class: 'editor-set' }, h('legend', { 'data-i18n': 'editor.groups' }, t('editor.groups')), checkList(groupBoxes, 'editor.group')),
    h('fieldset', { class: 'editor-set' }, h('legend', { 'data-i18n': 'editor.plots' }, t('editor.plots')), checkList(plotBoxes, 'editor.plot')),
    h('fieldset', { class: 'editor-set' }, h('legend', { 'data-i18n': 'editor.question' }, t('editor.question')),
      field('editor-question-kind', 'editor.question-kind', kindSelect), promptRow, prediction, goalPart),
    stateSummary,
    h('div', { class: 'menu-row' },
      button('editor-update', 'editor.update', () => updateFromView()),
      button('editor-preview', 'editor.preview', () => preview())));
  const status = h('p', { class: 'editor-status', id: 'editor-status', role: 'status' });
  const saved = h('span', { class: 'hint', id: 'editor-saved', 'aria-live': 'polite' });
  const feedback = h('span', { class: 'hint', role: 'status', id: 'editor-feedback' });
  const linkField = h('input', {
    type: 'text', readonly: true, id: 'editor-link', class: 'share-url', hidden: true,
    'aria-label': t('lesson.link-field'), 'data-i18n-attr': 'aria-label:lesson.link-field',
  });
  const confirmDelete = h('p', { class: 'editor-confirm', id: 'editor-confirm', role: 'alert', hidden: true });
  const editor = h('aside', { class: 'lesson-editor', id: 'lesson-editor', hidden: true, 'aria-labelledby': 'editor-heading' },
    h('div', { class: 'editor-head' },
      h('h2', { id: 'editor-heading', 'data-i18n': 'editor.heading' }, t('editor.heading')),
      button('editor-close', 'editor.close', () => closeEditor())),
    h('div', { class: 'editor-body' },
      field('editor-language', 'editor.writing', languageSelect),
      field('editor-lesson-title', 'editor.lesson-title', lessonTitle),
      h('h3', { class: 'editor-heading', 'data-i18n': 'editor.scenes' }, t('editor.scenes')),
      sceneList,
      h('div', { class: 'menu-row' }, button('editor-add', 'editor.add', () => addScene()), undoButton),
      sceneSection,
      status,
      h('div', { class: 'menu-row' },
        button('editor-export', 'editor.export', () => exportDraft()),
        button('editor-link-button', 'lesson.copy-link', () => copyLink()),
        button('editor-delete', 'editor.delete', () => askDelete())),
      linkField, confirmDelete, h('p', { class: 'editor-foot' }, saved, ' ', feedback)));
  document.querySelector('main.layout').append(editor);

  // ---- Lesson ▾: New lesson, Edit this lesson, and the lessons kept in this browser
  const keptList = h('div', { class: 'lesson-list', id: 'kept-lessons' });
  const keptHeading = h('p', { class: 'hint', 'data-i18n': 'editor.kept' }, t('editor.kept'));
  const newButton = button('new-lesson', 'editor.new', () => { closeMenu(); newLesson(); });
  const editButton = button('edit-lesson', 'editor.edit-this', () => { closeMenu(); editCurrent(); });
  const menuPanel = byId('lesson-menu-panel');
  menuPanel.insertBefore(h('div', { class: 'menu-row' }, newButton, editButton), byId('lesson-file-row'));
  menuPanel.insertBefore(keptHeading, byId('lesson-file-row'));
  menuPanel.insertBefore(keptList, byId('lesson-file-row'));
  const closeMenu = () => { byId('lesson-menu').open = false; };
  const listKept = () => {
    keptHeading.hidden = kept.size === 0;
    keptList.replaceChildren(...[...kept.values()].map((record) => {
      const title = textIn(record.file.title ?? {}, language()).text || t('editor.untitled');
      const ready = Object.hasOwn(lessonApi.lessons, record.id);
      const openButton = h('button', { type: 'button', class: 'btn btn-small menu-item', 'data-lesson': record.id, disabled: !ready }, title);
      openButton.addEventListener('click', () => {
        closeMenu();
        closeEditor();
        lessonApi.open(record.id, 1);
      });
      const edit = h('button', {
        type: 'button', class: 'btn btn-small', 'data-edit': record.id,
        'aria-label': t('editor.edit-named', { title }),
      }, t('editor.edit'));
      edit.addEventListener('click', () => {
        closeMenu();
        openEditor(record, 0);
      });
      return h('div', { class: 'menu-row kept-lesson' }, openButton, edit,
        ready ? null : h('span', { class: 'hint', 'data-i18n': 'editor.draft' }, t('editor.draft')));
    }));
  };

  // ---- the stage's way back to the editor (a kept lesson on the stage)
  const backButton = h('button', { type: 'button', class: 'btn btn-small', id: 'lesson-edit', 'data-i18n': 'editor.edit', hidden: true }, t('editor.edit'));
  backButton.addEventListener('click', () => editCurrent());
  document.querySelector('#lesson-panel .lesson-head')?.append(backButton);

  // ---- the texts of the draft
  const textOf = (value) => value?.[writing] ?? '';
  const setText = (holder, key, value) => {
    const text = { ...(holder[key] ?? {}) };
    if (value === '') delete text[writing];
    else text[writing] = value;
    holder[key] = text;
  };

  // ---- what the page holds now, as a scene's state
  const defaults = lessonApi.defaults;
  /** The page's state as a scene's: every link field a scene may set, less those at their default
   * (a scene sets every setting it does not name back to its default; the batch: the full one). */
  const recordState = () => {
    const keys = lessonApi.sceneSettings();
    const fields = linkFields(app, { maxPoints: app.catalog.import.max_rows }).filter(([key]) => keys.has(key));
    return Object.fromEntries(fields.filter(([key, value]) => {
      if (key === 'batchSize') return value !== String(app.n);
      const entry = store.entry(key);
      return !entry || entry.toText(defaults[key]) !== value;
    }));
  };
  /** The control groups whose settings a state changes from the defaults. */
  const changedGroups = (state) => {
    const names = new Set();
    for (const key of Object.keys(state)) {
      const entry = store.entry(key);
      const element = entry && byId(entry.id ?? key);
      const name = element && groupNames.find((g) => groupNodes(g).some((node) => node.contains(element)));
      if (name) names.add(name);
    }
    return groupNames.filter((name) => names.has(name));
  };
  const summary = (state) => {
    const parts = Object.entries(state).filter(([key]) => !/^(x\d*|y|names)$/.test(key)).map(([key, value]) => `${key} = ${value}`);
    if (state.y !== undefined) parts.unshift(t('editor.own-data', { n: String(state.y).split(',').length }));
    return parts.length ? t('editor.state', { list: parts.join(' · ') }) : t('editor.state-default');
  };

  // ---- rendering
  const render = () => {
    if (!draft) return;
    const file = draft.file;
    languageSelect.value = writing;
    lessonTitle.value = textOf(file.title);
    renderList();
    undoButton.hidden = deleted === null;
    sceneSection.hidden = selected < 0;
    if (selected >= 0) renderScene(file.scenes[selected]);
    check();
  };
  const renderList = () => {
    const scenes = draft.file.scenes;
    sceneList.replaceChildren(...scenes.map((scene, i) => {
      const title = textIn(scene.title ?? {}, writing).text || t('editor.untitled');
      const label = `${i + 1}. ${title}`;
      const small = (key, action, disabled = false) => {
        const b = h('button', {
          type: 'button', class: 'btn btn-tiny', 'data-action': key, disabled,
          'aria-label': t(`editor.scene.${key}`, { n: i + 1 }), title: t(`editor.scene.${key}`, { n: i + 1 }),
        }, t(`editor.scene.${key}.mark`));
        b.addEventListener('click', action);
        return b;
      };
      const pick = h('button', { type: 'button', class: 'btn btn-small editor-pick', 'aria-current': i === selected ? 'true' : null }, label);
      pick.addEventListener('click', () => select(i));
      const item = h('li', { class: 'editor-item', draggable: 'true', 'data-index': String(i) },
        pick,
        small('up', () => move(i, i - 1), i === 0),
        small('down', () => move(i, i + 1), i === scenes.length - 1),
        small('duplicate', () => duplicate(i)),
        small('delete', () => remove(i)));
      item.addEventListener('dragstart', (event) => {
        event.dataTransfer.setData('application/x-gdviz-scene', String(i));
        event.dataTransfer.effectAllowed = 'move';
      });
      item.addEventListener('dragover', (event) => {
        if (event.dataTransfer.types.includes('application/x-gdviz-scene')) event.preventDefault();
      });
      item.addEventListener('drop', (event) => {
        const from = Number(event.dataTransfer.getData('application/x-gdviz-scene'));
        if (!Number.isInteger(from)) return;
        event.preventDefault();
        move(from, i);
      });
      return item;
    }));
  };
  const renderScene = (scene) => {
    sceneHeading.textContent = t('editor.scene-heading', { n: selected + 1, total: draft.file.scenes.length });
    sceneTitle.value = textOf(scene.title);
    narration.value = textOf(scene.narration);
    teacherNote.value = textOf(scene.note);
    for (const box of groupBoxes) box.checked = (scene.show ?? []).includes(box.value);
    for (const box of plotBoxes) box.checked = (scene.plots ?? PLOTS.slice(0, 3)).includes(box.value);
    const q = scene.question;
    kindSelect.value = q?.kind ?? 'none';
    promptRow.hidden = !q;
    prediction.hidden = q?.kind !== 'prediction';
    goalPart.hidden = q?.kind !== 'goal';
    prompt.value = q ? textOf(q.prompt) : '';
    if (q?.kind === 'prediction') {
      choices.replaceChildren(...q.choices.map((choice, i) => {
        const n = i + 1;
        const right = h('input', { type: 'radio', name: 'editor-answer', value: String(n), id: `editor-answer-${n}`, checked: q.answer === n });
        right.addEventListener('change', () => changeQuestion((question) => { question.answer = n; }));
        const text = h('input', {
          type: 'text', id: `editor-choice-${n}`, autocomplete: 'off', value: textOf(choice),
          'aria-label': t('editor.choice', { n }),
        });
        text.addEventListener('input', () => changeQuestion((question) => {
          const texts = { ...(question.choices[i] ?? {}) };
          if (text.value === '') delete texts[writing];
          else texts[writing] = text.value;
          question.choices[i] = texts;
        }));
        const drop = h('button', {
          type: 'button', class: 'btn btn-tiny', disabled: q.choices.length <= MIN_CHOICES,
          'aria-label': t('editor.remove-choice', { n }), title: t('editor.remove-choice', { n }),
        }, '✕');
        drop.addEventListener('click', () => changeQuestion((question) => {
          question.choices.splice(i, 1);
          if (question.answer > question.choices.length) question.answer = question.choices.length;
          else if (question.answer > n) question.answer -= 1;
        }, true));
        return h('div', { class: 'editor-choice' },
          h('label', { class: 'editor-right', for: `editor-answer-${n}`, title: t('editor.right') }, right, h('span', { class: 'sr-only' }, t('editor.right-n', { n }))),
          h('span', { class: 'editor-choice-n', 'aria-hidden': 'true' }, `${n}.`), text, drop);
      }));
      addChoice.disabled = q.choices.length >= MAX_CHOICES;
      reveal.value = q.reveal ?? '';
    }
    if (q?.kind === 'goal') {
      goalKind.value = q.goal.kind;
      const needs = GOALS[q.goal.kind] ?? [];
      belowRow.hidden = !needs.includes('below');
      withinRow.hidden = !needs.includes('within');
      coefficientRow.hidden = !needs.includes('coefficient');
      goalBelow.value = q.goal.below ?? '';
      goalWithin.value = q.goal.within ?? '';
      goalCoefficient.value = q.goal.coefficient ?? '';
    }
    stateSummary.textContent = summary(scene.state ?? {});
  };

  /** Checks the draft against the format: the lesson on the stage follows it, and the status
   * says what is missing (scene and field) until it does. */
  const check = () => {
    try {
      const parsed = parseLesson(draft.file, lessonApi.known());
      lessonApi.lessons[draft.id] = parsed;
      status.dataset.state = 'ready';
      status.textContent = t('editor.ready', { n: parsed.scenes.length });
      return parsed;
    } catch (error) {
      delete lessonApi.lessons[draft.id];
      status.dataset.state = 'draft';
      status.textContent = t('editor.not-ready', { problem: lessonApi.errorPlace(error) });
      return null;
    } finally {
      listKept();
    }
  };

  // ---- saving
  const save = async () => {
    clearTimeout(saveTimer);
    saveTimer = 0;
    if (!draft) return;
    const record = { ...draft, file: copy(draft.file), saved: Date.now() };
    saving = putKept(record);
    const ok = await saving;
    saving = null;
    if (saveTimer === 0) saved.textContent = ok ? t('editor.saved') : t('editor.not-saved');
  };
  const changed = () => {
    kept.set(draft.id, draft);
    check();
    saved.textContent = t('editor.saving');
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, SAVE_DELAY);
  };
  const flush = () => {
    if (saveTimer) save();
  };
  // A reload or a closed tab while a save is pending: saved at once, and the browser asks first.
  window.addEventListener('beforeunload', (event) => {
    if (!saveTimer && !saving) return;
    flush();
    event.preventDefault();
    event.returnValue = '';
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush();
  });

  // ---- the editor's actions
  const showEditor = (on) => {
    editor.hidden = !on;
    body.toggleAttribute('data-editing', on);
    note(on ? draft.id : null);
    requestAnimationFrame(() => {
      app.plots.resize();
      app.refresh();
    });
  };
  const openEditor = (record, scene = 0) => {
    if (draft && draft !== record) flush();
    draft = record;
    writing = language();
    selected = Math.min(scene, record.file.scenes.length - 1);
    deleted = null;
    previewing = false;
    if (store.get('lesson')) lessonApi.close(); // the page, with its settings, beside the editor
    showEditor(true);
    render();
    lessonTitle.focus();
  };
  const closeEditor = () => {
    if (!draft || editor.hidden) return;
    flush();
    showEditor(false);
  };
  const newLesson = () => {
    writing = language();
    const now = Date.now();
    const record = {
      id: newKeptId(), created: now, saved: now,
      file: { version: LESSON_VERSION, title: { [writing]: t('editor.new-title') }, scenes: [] },
    };
    openEditor(record, -1);
    changed();
    lessonTitle.select();
  };
  /** Edits the lesson on the stage: a kept one itself, any other as a kept copy. */
  const editCurrent = () => {
    const id = store.get('lesson');
    const number = store.get('scene') - 1;
    if (isKeptId(id) && kept.has(id)) {
      openEditor(kept.get(id), number);
      return;
    }
    const lesson = lessonApi.lessons[id];
    if (!lesson) {
      if (draft) openEditor(draft, selected);
      else newLesson();
      return;
    }
    const now = Date.now();
    const file = lessonFile(lesson);
    delete file.id;
    const record = { id: newKeptId(), created: now, saved: now, file };
    openEditor(record, number);
    changed();
    flash(feedback, t('editor.copy-made'), 8000);
  };
  const select = (i) => {
    selected = i;
    render();
    sceneHeading.focus({ preventScroll: true });
    sceneSection.scrollIntoView({ block: 'nearest' });
  };
  const addScene = () => {
    const state = recordState();
    const n = draft.file.scenes.length + 1;
    const scene = {
      title: { [writing]: t('editor.scene-title', { n }) },
      state,
      show: changedGroups(state),
      plots: PLOTS.slice(0, 3),
      narration: {},
    };
    const at = selected >= 0 ? selected + 1 : draft.file.scenes.length;
    draft.file.scenes.splice(at, 0, scene);
    selected = at;
    changed();
    render();
    sceneTitle.focus();
    sceneTitle.select();
  };
  const updateFromView = () => {
    if (selected < 0) return;
    draft.file.scenes[selected].state = recordState();
    changed();
    render();
    flash(feedback, t('editor.updated', { n: selected + 1 }));
  };
  const move = (from, to) => {
    const scenes = draft.file.scenes;
    if (to < 0 || to >= scenes.length || from === to) return;
    const [scene] = scenes.splice(from, 1);
    scenes.splice(to, 0, scene);
    if (selected === from) selected = to;
    else if (selected > from && selected <= to) selected -= 1;
    else if (selected < from && selected >= to) selected += 1;
    changed();
    render();
    sceneList.querySelector(`[data-index="${to}"] .editor-pick`)?.focus();
  };
  const duplicate = (i) => {
    draft.file.scenes.splice(i + 1, 0, copy(draft.file.scenes[i]));
    selected = i + 1;
    changed();
    render();
  };
  const remove = (i) => {
    const [scene] = draft.file.scenes.splice(i, 1);
    deleted = { scene, index: i };
    if (selected >= draft.file.scenes.length) selected = draft.file.scenes.length - 1;
    changed();
    render();
    flash(feedback, t('editor.deleted', { n: i + 1 }), 8000);
    undoButton.focus();
  };
  const undoDelete = () => {
    if (!deleted) return;
    const at = Math.min(deleted.index, draft.file.scenes.length);
    draft.file.scenes.splice(at, 0, deleted.scene);
    selected = at;
    deleted = null;
    changed();
    render();
  };
  /** Changes the selected scene's question (`rerender`: its fields change shape). */
  const changeQuestion = (edit, rerender = false) => {
    const scene = draft.file.scenes[selected];
    edit(scene.question);
    changed();
    if (rerender) render();
  };
  /** The lesson as the format reads it, or null after saying that it must be finished first. */
  const finished = () => {
    const parsed = check();
    if (!parsed) flash(feedback, t('editor.finish-first'), 8000);
    return parsed;
  };
  const preview = () => {
    if (!finished()) return;
    flush();
    previewing = true;
    showEditor(false);
    lessonApi.open(draft.id, Math.max(selected, 0) + 1);
  };
  const exportDraft = () => {
    const parsed = finished();
    if (parsed) lessonApi.exportLesson(parsed, feedback);
  };
  const copyLink = () => {
    const parsed = finished();
    if (parsed) lessonApi.copyLessonLink({ id: draft.id, lesson: parsed, number: Math.max(selected, 0) + 1 }, feedback, linkField);
  };
  const askDelete = () => {
    const title = textIn(draft.file.title ?? {}, language()).text || t('editor.untitled');
    const yes = h('button', { type: 'button', class: 'btn btn-small editor-danger', id: 'editor-delete-yes' }, t('editor.delete-yes'));
    const no = h('button', { type: 'button', class: 'btn btn-small', id: 'editor-delete-no' }, t('editor.delete-no'));
    yes.addEventListener('click', () => deleteDraft());
    no.addEventListener('click', () => { confirmDelete.hidden = true; });
    confirmDelete.replaceChildren(t('editor.delete-ask', { title }), ' ', yes, ' ', no);
    confirmDelete.hidden = false;
    no.focus();
  };
  const deleteDraft = async () => {
    const id = draft.id;
    clearTimeout(saveTimer);
    saveTimer = 0;
    await saving;
    await deleteKept(id);
    kept.delete(id);
    delete lessonApi.lessons[id];
    confirmDelete.hidden = true;
    showEditor(false);
    draft = null;
    listKept();
    lessonApi.say(t('editor.deleted-lesson'));
  };

  // ---- the fields
  languageSelect.addEventListener('change', () => {
    writing = languageSelect.value;
    render();
  });
  lessonTitle.addEventListener('input', () => {
    setText(draft.file, 'title', lessonTitle.value);
    changed();
  });
  const sceneText = (input, key) => input.addEventListener('input', () => {
    setText(draft.file.scenes[selected], key, input.value);
    if (key === 'note' && Object.keys(draft.file.scenes[selected].note).length === 0) delete draft.file.scenes[selected].note;
    changed();
    if (key === 'title') renderList();
  });
  sceneText(sceneTitle, 'title');
  sceneText(narration, 'narration');
  sceneText(teacherNote, 'note');
  for (const box of groupBoxes) {
    box.addEventListener('change', () => {
      draft.file.scenes[selected].show = groupBoxes.filter((b) => b.checked).map((b) => b.value);
      changed();
    });
  }
  for (const box of plotBoxes) {
    box.addEventListener('change', () => {
      draft.file.scenes[selected].plots = plotBoxes.filter((b) => b.checked).map((b) => b.value);
      changed();
    });
  }
  kindSelect.addEventListener('change', () => {
    const scene = draft.file.scenes[selected];
    const kind = kindSelect.value;
    const promptText = scene.question?.prompt ?? {};
    if (kind === 'none') delete scene.question;
    else if (kind === 'prediction') scene.question = { kind, prompt: promptText, choices: [{}, {}], answer: 1, reveal: NEW_STEPS };
    else scene.question = { kind, prompt: promptText, goal: { kind: 'converged', within: NEW_STEPS } };
    changed();
    render();
  });
  prompt.addEventListener('input', () => changeQuestion((q) => {
    const texts = { ...(q.prompt ?? {}) };
    if (prompt.value === '') delete texts[writing];
    else texts[writing] = prompt.value;
    q.prompt = texts;
  }));
  /** A number field's value: a number when it reads as one (the format checks its range), else the text. */
  const numberOf = (input) => (input.value.trim() === '' ? undefined : Number.isFinite(Number(input.value)) ? Number(input.value) : input.value);
  reveal.addEventListener('input', () => changeQuestion((q) => { q.reveal = numberOf(reveal); }));
  goalKind.addEventListener('change', () => changeQuestion((q) => {
    const kind = goalKind.value;
    const goal = { kind };
    if (GOALS[kind].includes('below')) goal.below = q.goal.below ?? 1e-6;
    if (GOALS[kind].includes('within')) goal.within = q.goal.within ?? NEW_STEPS;
    if (GOALS[kind].includes('coefficient')) goal.coefficient = q.goal.coefficient ?? 1;
    q.goal = goal;
  }, true));
  const goalField = (input, key) => input.addEventListener('input', () => changeQuestion((q) => { q.goal[key] = numberOf(input); }));
  goalField(goalBelow, 'below');
  goalField(goalWithin, 'within');
  goalField(goalCoefficient, 'coefficient');

  // ---- the stage: back to the editor after a preview; the Edit button for a kept lesson
  store.subscribe(({ keys }) => {
    if (!keys.has('lesson')) return;
    const id = store.get('lesson');
    backButton.hidden = !(isKeptId(id) && kept.has(id)) || Boolean(store.get('embed'));
    if (id === '' && previewing && draft) {
      previewing = false;
      showEditor(true);
      render();
    } else if (id !== '') {
      if (id !== draft?.id) previewing = false;
      if (!editor.hidden) closeEditor(); // a lesson opened on the stage: the editor's work is saved
    }
  });

  onLanguageChange(() => {
    labelBoxes();
    listKept();
    if (draft && !editor.hidden) render();
  });

  listKept();
  // A reload while editing: the editor opens again on its lesson.
  // (Not when the link opens a lesson on the stage, or an embedded page.)
  const reopen = note();
  const linkOpensLesson = /(^|[#&])(lesson|embed)=/.test(window.location.hash);
  if (reopen && kept.has(reopen) && !linkOpensLesson) openEditor(kept.get(reopen), 0);

  return {
    newLesson,
    editCurrent,
    open: (id, scene = 0) => kept.has(id) && openEditor(kept.get(id), scene),
    close: closeEditor,
    addScene,
    preview,
    save: () => save(),
    draft: () => draft && copy(draft),
    kept: () => [...kept.keys()],
  };
}
