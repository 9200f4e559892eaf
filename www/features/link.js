// The link: the URL hash holds every setting of the store that belongs in a link (its entries
// with `url`, by key: the data set, descent, optimizer and schedule with their hyperparameters,
// regularization, view, speed, the start point, the comparison runs, the language, presenter
// mode, embed mode) and the user's own points (at most MAX_LINK_POINTS): x and y lists for one x column,
// x1 … xk and y for several, and the columns' names when they are not the default ones. The hash follows
// every change of the store (history.replaceState, debounced). On load, and when the hash is
// changed by hand, it is applied field by field through the store (validation included): a
// malformed or hostile field is ignored and listed in a notice (role="status", text only), the
// rest still applies. "Copy link" copies the URL.

import { copyText, csvButton, dismissibleNotice, h } from '../shell/dom.js';
import { parseNumberList } from '../shell/format.js';
import { describeError } from '../shell/errors.js';
import { onLanguageChange, t } from '../shell/i18n.js';

/** Most points a link carries; beyond, the link keeps only the preset's parameters. */
export const MAX_LINK_POINTS = 300;
/** How long the hash waits after the last change before it is rewritten (ms). */
const WRITE_DELAY = 200;
/** Longest quoted piece of a refused field in the notice. */
const MAX_QUOTED = 40;
/** Longest reason in the notice. */
const MAX_REASON = 160;
/** The fields of the user's own points: x, x1 … x10, y and the columns' names. */
export const POINT_FIELDS = ['x', 'y', 'names', ...Array.from({ length: 10 }, (_, j) => `x${j + 1}`)];

/** The default names of k x columns and y (the core's): x, y or x1 … xk, y. */
function defaultNames(k) {
  return [...(k === 1 ? ['x'] : Array.from({ length: k }, (_, j) => `x${j + 1}`)), 'y'];
}

/** The user's own points as the hash's fields. */
function pointFields(app) {
  const columns = app.vis.x_columns();
  const list = (values) => Array.from(values, String).join(',');
  const fields = columns.length === 1
    ? [['x', list(columns[0])]]
    : columns.map((column, j) => [`x${j + 1}`, list(column)]);
  fields.push(['y', list(app.vis.ys())]);
  const names = Array.from(app.vis.column_names());
  const plain = names.join(',') === defaultNames(columns.length).join(',');
  if (!plain && !names.some((name) => name.includes(','))) fields.push(['names', names.join(',')]);
  return fields;
}

/** Encodes a value for the hash, keeping commas and a few other safe characters readable. */
function encode(value) {
  return encodeURIComponent(value).replace(/%2C/gi, ',').replace(/%3A/gi, ':').replace(/%5B/gi, '[')
    .replace(/%5D/gi, ']');
}

const clip = (text, max = MAX_QUOTED) => {
  const s = String(text);
  return s.length > max ? `${s.slice(0, max)}…` : s;
};

/** Entries a link applies before the settings, so that its notice speaks its language (then
 * the page's modes: presenter, embed and what an embedded page shows; then the lesson and its
 * scene, whose state the link's own settings then adjust). */
const FIRST = ['lang', 'presenter', 'embed', 'show', 'lessonCode', 'scene', 'lesson'];
/** Entries that come after the user's points: they restart the runs on the data. */
const AFTER_POINTS = ['features', 'axes', 'start', 'runs'];

/**
 * The store's link entries in the one order a link is written and applied: language and
 * presenter mode, the settings, [the user's points], the start point, the comparison runs.
 */
function linkEntries(store) {
  const named = (keys) => keys.map((k) => store.entry(k)).filter(Boolean);
  const settings = store.entries.filter((e) => e.url && !FIRST.includes(e.key) && !AFTER_POINTS.includes(e.key));
  return { before: [...named(FIRST), ...settings], after: named(AFTER_POINTS) };
}

/** The store (and the user's own points, up to `maxPoints` of them) as the hash's fields. */
export function linkFields(app, { maxPoints = MAX_LINK_POINTS } = {}) {
  const { store } = app;
  const { before, after } = linkEntries(store);
  const fields = (entries) => entries.filter((e) => !e.omit?.(store.get(e.key), store))
    .map((e) => [e.key, e.toText(store.get(e.key))]);
  const points = store.get('data') === 'custom' && app.n <= maxPoints ? pointFields(app) : [];
  return [...fields(before), ...points, ...fields(after)];
}

/** A hash of [key, value] fields, written as a link writes them. */
export function hashOf(fields) {
  return `#${fields.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}`;
}

export function linkHash(app) {
  return hashOf(linkFields(app));
}

/** The sentence (string `key`) listing what was ignored, [[name, reason]]; '' for nothing. */
export function ignoredText(key, ignored) {
  return ignored.length === 0 ? '' : t(key, { list: ignored.map(([name, reason]) => `${name} (${reason})`).join('; ') });
}

/** Applies a hash to the store field by field. Returns {ignored: [[name, reason]], applied}.
 * The user's points are read up to `maxPoints` (a link's MAX_LINK_POINTS; a lesson's scene
 * carries as many as the CSV import takes). */
export function applyHash(app, hash, { maxPoints = MAX_LINK_POINTS } = {}) {
  const { store } = app;
  const text = String(hash ?? '').replace(/^#/, '');
  if (!text) return { ignored: [], applied: false };
  let params;
  try {
    params = new URLSearchParams(text);
  } catch {
    return { ignored: [['#', clip(text)]], applied: false };
  }
  const fields = new Map();
  const ignored = [];
  for (const [key, value] of params) {
    // A repeated field: the first one counts, the others are listed with why.
    if (fields.has(key)) ignored.push([clip(key), t('url.repeated', { value: clip(value) })]);
    else fields.set(key, value);
  }
  let applied = false;
  const refuse = (key, reason) => ignored.push([clip(key), clip(reason, MAX_REASON)]);

  const { before, after } = linkEntries(store);
  const applyPoints = () => {
    if (!POINT_FIELDS.some((k) => fields.has(k))) return;
    // x for one column, or x1, x2, … (consecutive) for several.
    const keys = fields.has('x') ? ['x'] : [];
    while (!fields.has('x') && fields.has(`x${keys.length + 1}`)) keys.push(`x${keys.length + 1}`);
    const label = [...keys, 'y'].join(', ');
    const columns = keys.map((k) => parseNumberList(fields.get(k), maxPoints));
    const ys = parseNumberList(fields.get('y'), maxPoints);
    if (columns.length === 0 || !ys || ys.length < 2 || columns.some((c) => !c || c.length !== ys.length)) {
      refuse(label || 'x, y', t('url.bad-points', { max: maxPoints }));
      return;
    }
    const names = fields.has('names') ? fields.get('names').split(',') : [];
    try {
      app.replaceData(() => app.vis.set_columns(columns, Float64Array.from(ys), names));
      applied = true;
    } catch (error) {
      refuse(fields.has('names') ? `${label}, names` : label, describeError(error));
    }
  };
  const applyEntry = (entry) => {
    if (!fields.has(entry.key)) return;
    const value = fields.get(entry.key);
    const current = store.get(entry.key);
    const unchanged = value === entry.toText(current) && !(entry.key === 'dataset' && store.get('data') === 'custom');
    if (unchanged) return;
    try {
      const parsed = entry.parse(value, store.ctx);
      app.controls.clearError(entry.key); // the control shows the link's value
      const problems = store.set(entry.key, parsed, { source: 'link', always: true });
      for (const message of Array.isArray(problems) ? problems : []) refuse(entry.key, message);
      applied = true;
    } catch (error) {
      refuse(entry.key, describeError(error));
    }
  };
  before.forEach(applyEntry);
  applyPoints();
  after.forEach(applyEntry);

  const known = new Set([...before, ...after].map((e) => e.key).concat(POINT_FIELDS));
  for (const key of fields.keys()) {
    if (!known.has(key)) refuse(key, t('url.unknown'));
  }
  return { ignored, applied };
}

export function install(app) {
  const toolbar = document.getElementById('toolbar-tools');
  const notices = document.getElementById('notices');
  let applying = false;
  let timer = 0;

  const { notice, say: sayIgnored } = dismissibleNotice('url-notice');
  // When the link cannot carry the points: said where the link is copied, with Export data.
  const tooManyText = h('span', { class: 'notice-text' });
  const exportFeedback = h('span', { class: 'hint', role: 'status' });
  const exportHere = csvButton('export-data-link', 'export.data', () => app.vis.export_csv(), 'gdviz-data.csv', exportFeedback);
  const tooMany = h('p', { class: 'notice', id: 'link-note', role: 'status', hidden: true }, tooManyText, exportHere, exportFeedback);
  notices.append(notice, tooMany);

  const showIgnored = (ignored) => sayIgnored(ignoredText('url.ignored', ignored));

  const write = () => {
    clearTimeout(timer);
    timer = 0;
    if (applying) return;
    const tooManyPoints = app.store.get('data') === 'custom' && app.n > MAX_LINK_POINTS;
    tooMany.hidden = !tooManyPoints;
    tooManyText.textContent = tooManyPoints ? t('link.too-many', { n: app.n, max: MAX_LINK_POINTS }) : '';
    const hash = linkHash(app);
    if (hash !== window.location.hash) window.history.replaceState(window.history.state, '', hash);
  };
  const schedule = () => {
    if (applying) return;
    clearTimeout(timer);
    timer = setTimeout(write, WRITE_DELAY);
  };

  const apply = (hash) => {
    applying = true;
    let result;
    try {
      result = applyHash(app, hash);
    } finally {
      applying = false;
    }
    if (result.applied) app.reset(); // the run starts afresh from the link's start point
    showIgnored(result.ignored);
    // A page opened without a hash keeps a clean URL until something changes.
    if (String(hash ?? '').replace(/^#/, '') !== '') write();
    return result;
  };

  app.store.subscribe(schedule);
  onLanguageChange(() => {
    if (!notice.hidden) notice.hidden = true; // its text was in the other language
  });
  window.addEventListener('hashchange', () => apply(window.location.hash));

  // "Copy link": the clipboard when allowed, otherwise a selected text field to copy from.
  const feedback = h('span', { class: 'hint link-feedback', role: 'status', id: 'link-feedback' });
  const field = h('input', {
    type: 'text', readonly: true, id: 'share-url', class: 'share-url', hidden: true,
    'aria-label': t('link.field'), 'data-i18n-attr': 'aria-label:link.field',
  });
  const copy = h('button', { type: 'button', class: 'btn btn-small', id: 'copy-link', 'data-i18n': 'link.copy' }, t('link.copy'));
  copy.addEventListener('click', () => {
    write();
    copyText(window.location.href, field, feedback, { copied: t('link.copied'), select: t('link.select') });
  });
  toolbar.append(h('div', { class: 'link-box' }, copy, field, feedback));

  apply(window.location.hash);
  return { schedule, write, apply };
}
