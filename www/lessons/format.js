// The lesson format: a lesson is a JSON object {version, title, scenes}; a scene holds a title,
// the page's state (link fields, the data as a preset or inline points), the control groups it
// shows (embed's `show=` names), the plots it shows, a narration, and optionally a teacher's note
// and a question. Every text is {en, zh}; one language may be missing (the other stands in).
// parseLesson checks a file against the format and returns the lesson, or throws a LessonError
// naming the scene and the field; it never touches the page. parseNarration reads the narration's
// small markup (paragraphs, "- " lists, *emphasis*, **strong**, `code`) into plain data that the
// stage turns into elements: a lesson's text is never HTML.

/** The version this page reads. */
export const LESSON_VERSION = 1;
/** Longest text (title, narration, note, question, choice), in characters. */
export const MAX_TEXT = 4000;
/** Most scenes in a lesson. */
export const MAX_SCENES = 100;
/** The languages of a text. */
export const TEXT_LANGUAGES = ['en', 'zh'];
/** The plots a scene may show, in the page's order. */
export const PLOTS = ['surface', 'fit', 'loss', 'coefficients'];
/** Choices of a prediction. */
export const MIN_CHOICES = 2;
export const MAX_CHOICES = 4;
/** The goals the page can check: what each needs. */
export const GOALS = {
  // J − J* below `below` within `within` steps of run 1
  excess: ['below', 'within'],
  // run 1 converged within `within` steps
  converged: ['within'],
  // run 1 diverged
  diverged: [],
  // run 1's coefficient θ_coefficient exactly 0 within `within` steps (the lasso's proximal step)
  zero: ['coefficient', 'within'],
};
/** The largest coefficient index a goal may name (θ₀ … θ₁₀: degree 10, or ten x columns). */
export const MAX_COEFFICIENT = 10;
/** Most steps a reveal plays or a goal allows. */
export const MAX_STEPS = 1_000_000;
/** The largest lesson file read, in bytes. */
export const MAX_FILE_BYTES = 16 * 2 ** 20;
/** The ending of a lesson file's name. */
export const FILE_SUFFIX = '.gdviz-lesson.json';

/** A lesson file that does not follow the format: which scene (0: the lesson itself), which field,
 * what is wrong (`problem`, a key of the strings `lesson.problem.*`, with its `detail`). */
export class LessonError extends Error {
  constructor(scene, field, problem, detail = {}) {
    super(`lesson: ${scene > 0 ? `scene ${scene}, ` : ''}${field}: ${problem} ${JSON.stringify(detail)}`);
    this.kind = 'lesson';
    this.scene = scene;
    this.field = field;
    this.problem = problem;
    this.detail = detail;
  }
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Checks a lesson read from JSON. `known` says what the page has: `settings` (the link's keys a
 * scene's state may set), `groups` (the control groups a scene may show), and optionally `points`
 * (the settings that hold the data's own values as comma lists, bounded by `maxRows` values each
 * rather than by MAX_TEXT). Returns the lesson with every optional part filled in; throws a
 * LessonError.
 */
export function parseLesson(value, known) {
  const fail = (scene, field, problem, detail) => {
    throw new LessonError(scene, field, problem, detail);
  };
  if (!isObject(value)) fail(0, 'lesson', 'type', { expected: 'object' });
  if (value.version !== LESSON_VERSION) fail(0, 'version', 'version', { expected: LESSON_VERSION, found: String(value.version) });
  const title = text(value.title, 0, 'title', fail);
  if (!Array.isArray(value.scenes)) fail(0, 'scenes', value.scenes === undefined ? 'missing' : 'type', { expected: 'list' });
  if (value.scenes.length === 0) fail(0, 'scenes', 'empty', {});
  if (value.scenes.length > MAX_SCENES) fail(0, 'scenes', 'too-many', { max: MAX_SCENES, found: value.scenes.length });
  unknownFields(value, ['version', 'title', 'scenes', 'id'], 0, '', fail);
  const id = value.id === undefined ? '' : value.id;
  if (typeof id !== 'string' || !/^[a-z0-9-]{0,60}$/.test(id)) fail(0, 'id', 'id', {});
  const scenes = value.scenes.map((scene, i) => parseScene(scene, i + 1, known, fail));
  return { version: LESSON_VERSION, id, title, scenes };
}

function parseScene(scene, number, known, fail) {
  if (!isObject(scene)) fail(number, 'scene', 'type', { expected: 'object' });
  unknownFields(scene, ['title', 'state', 'show', 'plots', 'narration', 'note', 'question'], number, '', fail);
  const title = text(scene.title, number, 'title', fail);
  const narration = text(scene.narration, number, 'narration', fail);
  const note = scene.note === undefined ? null : text(scene.note, number, 'note', fail);

  const state = scene.state ?? {};
  if (!isObject(state)) fail(number, 'state', 'type', { expected: 'object' });
  for (const [key, v] of Object.entries(state)) {
    if (!known.settings.has(key)) fail(number, `state.${fieldName(key)}`, 'unknown-setting', {});
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      fail(number, `state.${key}`, 'type', { expected: 'text' });
    }
    if (known.points?.has(key)) {
      const rows = String(v).split(',').length;
      if (rows > known.maxRows) fail(number, `state.${key}`, 'too-many-rows', { max: known.maxRows, found: rows });
    } else if (String(v).length > MAX_TEXT) {
      fail(number, `state.${key}`, 'too-long', { max: MAX_TEXT });
    }
  }

  const show = scene.show ?? [];
  if (!Array.isArray(show)) fail(number, 'show', 'type', { expected: 'list' });
  for (const name of show) {
    if (typeof name !== 'string' || !known.groups.has(name)) fail(number, 'show', 'unknown-group', { name: String(name) });
  }
  const plots = scene.plots ?? PLOTS.slice(0, 3);
  if (!Array.isArray(plots) || plots.length === 0) fail(number, 'plots', 'type', { expected: 'list' });
  for (const name of plots) {
    if (!PLOTS.includes(name)) fail(number, 'plots', 'unknown-plot', { name: String(name) });
  }

  const question = scene.question === undefined ? null : parseQuestion(scene.question, number, fail);
  return {
    title,
    narration,
    note,
    state: Object.fromEntries(Object.entries(state).map(([k, v]) => [k, String(v)])),
    show: [...new Set(show)],
    plots: PLOTS.filter((p) => plots.includes(p)),
    question,
  };
}

function parseQuestion(q, number, fail) {
  if (!isObject(q)) fail(number, 'question', 'type', { expected: 'object' });
  const prompt = text(q.prompt, number, 'question.prompt', fail);
  if (q.kind === 'prediction') {
    unknownFields(q, ['kind', 'prompt', 'choices', 'answer', 'reveal'], number, 'question.', fail);
    if (!Array.isArray(q.choices)) fail(number, 'question.choices', 'type', { expected: 'list' });
    if (q.choices.length < MIN_CHOICES || q.choices.length > MAX_CHOICES) {
      fail(number, 'question.choices', 'choices', { min: MIN_CHOICES, max: MAX_CHOICES, found: q.choices.length });
    }
    const choices = q.choices.map((c, i) => text(c, number, `question.choices.${i + 1}`, fail));
    if (!Number.isInteger(q.answer) || q.answer < 1 || q.answer > choices.length) {
      fail(number, 'question.answer', 'answer', { max: choices.length });
    }
    const reveal = steps(q.reveal, number, 'question.reveal', fail);
    return { kind: 'prediction', prompt, choices, answer: q.answer, reveal };
  }
  if (q.kind === 'goal') {
    unknownFields(q, ['kind', 'prompt', 'goal'], number, 'question.', fail);
    const goal = q.goal;
    if (!isObject(goal)) fail(number, 'question.goal', goal === undefined ? 'missing' : 'type', { expected: 'object' });
    if (!Object.hasOwn(GOALS, goal.kind)) fail(number, 'question.goal.kind', 'unknown-goal', { known: Object.keys(GOALS).join(', ') });
    unknownFields(goal, ['kind', ...GOALS[goal.kind]], number, 'question.goal.', fail);
    const out = { kind: goal.kind };
    if (GOALS[goal.kind].includes('below')) {
      if (typeof goal.below !== 'number' || !(goal.below > 0) || !Number.isFinite(goal.below)) {
        fail(number, 'question.goal.below', 'positive', {});
      }
      out.below = goal.below;
    }
    if (GOALS[goal.kind].includes('coefficient')) {
      const j = goal.coefficient;
      if (!Number.isInteger(j) || j < 0 || j > MAX_COEFFICIENT) fail(number, 'question.goal.coefficient', 'coefficient', { max: MAX_COEFFICIENT });
      out.coefficient = j;
    }
    if (GOALS[goal.kind].includes('within')) out.within = steps(goal.within, number, 'question.goal.within', fail);
    return { kind: 'goal', prompt, goal: out };
  }
  return fail(number, 'question.kind', 'unknown-question', { known: 'prediction, goal' });
}

function steps(v, number, field, fail) {
  if (!Number.isInteger(v) || v < 1 || v > MAX_STEPS) fail(number, field, 'steps', { max: MAX_STEPS });
  return v;
}

/** A text: {en, zh}, at least one of them a non-empty string of at most MAX_TEXT characters. */
function text(v, number, field, fail) {
  if (v === undefined) fail(number, field, 'missing', {});
  if (!isObject(v)) fail(number, field, 'type', { expected: 'text' });
  unknownFields(v, TEXT_LANGUAGES, number, `${field}.`, fail);
  const out = {};
  for (const lang of TEXT_LANGUAGES) {
    if (v[lang] === undefined) continue;
    if (typeof v[lang] !== 'string') fail(number, `${field}.${lang}`, 'type', { expected: 'text' });
    if (v[lang].length > MAX_TEXT) fail(number, `${field}.${lang}`, 'too-long', { max: MAX_TEXT });
    if (v[lang].trim() !== '') out[lang] = v[lang];
  }
  if (Object.keys(out).length === 0) fail(number, field, 'missing', {});
  return out;
}

function unknownFields(object, allowed, number, prefix, fail) {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) fail(number, `${prefix}${fieldName(key)}`, 'unknown-field', { known: allowed.join(', ') });
  }
}

/** A field's name as a message shows it: as it is when it is a plain name, else quoted (an empty
 * name, spaces, markup), and at most 40 characters. */
function fieldName(key) {
  if (/^[A-Za-z0-9_-]{1,40}$/.test(key)) return key;
  const quoted = JSON.stringify(key);
  return quoted.length > 42 ? `${quoted.slice(0, 40)}…"` : quoted;
}

/**
 * A lesson file's text read: JSON (a syntax error is refused with its line and column), then the
 * format (parseLesson). Throws a LessonError.
 */
export function readLessonText(text, known) {
  if (text.length > MAX_FILE_BYTES) throw new LessonError(0, 'file', 'too-large', { max: MAX_FILE_BYTES / 2 ** 20 });
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LessonError(0, 'file', 'json', { ...jsonPlace(text, error), reason: String(error?.message ?? error) });
  }
  return parseLesson(value, known);
}

/** Where JSON.parse stopped, as {line, column} (1-based): its message's line and column when it
 * gives them (Firefox), else the offset of the first character that breaks JSON's grammar. */
function jsonPlace(text, error) {
  const lineColumn = /line (\d+) column (\d+)/i.exec(String(error?.message ?? ''));
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const before = text.slice(0, jsonErrorOffset(text)).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** The offset of the first character of `text` that JSON's grammar does not allow (its length
 * when the text ends too soon). Only called on text that JSON.parse refused. */
export function jsonErrorOffset(text) {
  let i = 0;
  const fail = () => {
    throw i;
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i += 1;
  };
  const literal = (word) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i += 1;
    }
  };
  const string = () => {
    i += 1; // the opening quote
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i += 1;
        if (text[i] === 'u') {
          for (let k = 1; k <= 4; k += 1) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) { i += k; fail(); }
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i += 1;
    }
    if (i >= text.length) fail();
    i += 1;
  };
  const number = () => {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (!match || match[0] === '' || match[0] === '-') fail();
    i += match[0].length;
  };
  const value = () => {
    space();
    const ch = text[i];
    if (ch === '{') {
      i += 1;
      space();
      if (text[i] === '}') { i += 1; return; }
      for (;;) {
        space();
        if (text[i] !== '"') fail();
        string();
        space();
        if (text[i] !== ':') fail();
        i += 1;
        value();
        space();
        if (text[i] === ',') { i += 1; continue; }
        if (text[i] === '}') { i += 1; return; }
        fail();
      }
    } else if (ch === '[') {
      i += 1;
      space();
      if (text[i] === ']') { i += 1; return; }
      for (;;) {
        value();
        space();
        if (text[i] === ',') { i += 1; continue; }
        if (text[i] === ']') { i += 1; return; }
        fail();
      }
    } else if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else number();
  };
  try {
    value();
    space();
    if (i < text.length) fail();
  } catch (offset) {
    if (typeof offset === 'number') return Math.min(offset, text.length);
    throw offset;
  }
  return text.length;
}

/** A lesson as its file holds it: what parseLesson reads back as the same lesson. */
export function lessonFile(lesson) {
  return {
    version: LESSON_VERSION,
    ...(lesson.id ? { id: lesson.id } : {}),
    title: lesson.title,
    scenes: lesson.scenes.map((s) => ({
      title: s.title,
      ...(Object.keys(s.state).length ? { state: s.state } : {}),
      ...(s.show.length ? { show: s.show } : {}),
      plots: s.plots,
      narration: s.narration,
      ...(s.note ? { note: s.note } : {}),
      ...(s.question ? { question: s.question } : {}),
    })),
  };
}

/** The text of `value` in `lang`, else in the other language: {text, fallback}. */
export function textIn(value, lang) {
  if (value[lang] !== undefined) return { text: value[lang], fallback: false };
  const other = TEXT_LANGUAGES.find((l) => value[l] !== undefined);
  return { text: value[other], fallback: true };
}

/**
 * The narration's markup as blocks: {kind: 'paragraph', spans} and {kind: 'list', items: [spans]},
 * each span {text, style: 'plain' | 'em' | 'strong' | 'code'}. Blank lines part paragraphs; lines
 * starting with "- " are list items.
 */
export function parseNarration(source) {
  // Blocks of raw lines first: {kind, lines} for a paragraph, {kind, items: [lines]} for a list.
  const raw = [];
  let open = null;
  for (const text of String(source).split('\n')) {
    const line = text.trim();
    if (line === '') {
      open = null;
    } else if (line.startsWith('- ')) {
      if (open?.kind !== 'list') raw.push(open = { kind: 'list', items: [] });
      open.items.push([line.slice(2).trim()]);
    } else if (open?.kind === 'list' && text.startsWith('  ')) {
      open.items[open.items.length - 1].push(line); // a list item's continuation
    } else {
      if (open?.kind !== 'paragraph') raw.push(open = { kind: 'paragraph', lines: [] });
      open.lines.push(line);
    }
  }
  return raw.map((block) => (block.kind === 'list'
    ? { kind: 'list', items: block.items.map((lines) => spans(lines.join(' '))) }
    : { kind: 'paragraph', spans: spans(block.lines.join(' ')) }));
}

/** Inline markup: `code`, **strong**, *emphasis*; an unmatched mark is plain text. A `*` opens
 * only before a character that is not a space, and not after a letter of a script that parts
 * words with spaces, or a digit; it closes only after a character that is not a space: θ*, J*
 * and 2 * 3 stay text, and **粗体** works between Chinese characters. */
// Letters of scripts that part words with spaces, and digits: a star after one is text (θ*, J*).
const WORD = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{N}]/u;

export function spans(line) {
  const out = [];
  const push = (text, style) => {
    if (text === '') return;
    const last = out[out.length - 1];
    if (last && last.style === style) last.text += text;
    else out.push({ text, style });
  };
  let i = 0;
  while (i < line.length) {
    const rest = line.slice(i);
    const mark = rest.startsWith('**') ? '**' : rest[0] === '*' || rest[0] === '`' ? rest[0] : null;
    const opens = mark === '`' || (mark && (mark === '**' || !WORD.test(line[i - 1] ?? ' ')) && !/\s/.test(line[i + mark.length] ?? ' '));
    if (opens) {
      let end = line.indexOf(mark, i + mark.length);
      // A closing star follows a character that is not a space (and is not the start of `**`
      // when it closes a single star).
      while (mark !== '`' && end > 0 && (/\s/.test(line[end - 1]) || (mark === '*' && line[end + 1] === '*'))) {
        end = line.indexOf(mark, end + (mark === '*' && line[end + 1] === '*' ? 2 : 1));
      }
      if (end > i + mark.length) {
        push(line.slice(i + mark.length, end), mark === '**' ? 'strong' : mark === '*' ? 'em' : 'code');
        i = end + mark.length;
        continue;
      }
    }
    push(line[i], 'plain');
    i += 1;
  }
  return out;
}
