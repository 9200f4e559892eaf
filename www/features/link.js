// The link: the URL hash holds every setting of the store that belongs in a link (its entries
// with `url`, by key: the data set, descent, optimizer and schedule with their hyperparameters,
// regularization, view, speed, the start point, the comparison runs, the language, presenter
// mode) and the user's own points (x and y lists, at most MAX_LINK_POINTS). The hash follows
// every change of the store (history.replaceState, debounced). On load, and when the hash is
// changed by hand, it is applied field by field through the store (validation included): a
// malformed or hostile field is ignored and listed in a notice (role="status", text only), the
// rest still applies. "Copy link" copies the URL.

import { flash, h } from '../shell/dom.js';
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
/** The fields of the user's own points. */
const POINT_FIELDS = ['x', 'y'];

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i;

/** "a,b,c" → finite numbers, or null when anything is off. */
function parseNumbers(text, max) {
  if (typeof text !== 'string' || text === '') return null;
  const parts = text.split(',');
  if (parts.length > max) return null;
  const out = new Array(parts.length);
  for (let i = 0; i < parts.length; i += 1) {
    if (!NUMBER.test(parts[i])) return null;
    const v = Number(parts[i]);
    if (!Number.isFinite(v)) return null;
    out[i] = v;
  }
  return out;
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

/** The entries of the store that a link holds, in the order a link applies them. */
function linkEntries(store) {
  // Language and presenter mode first, so that a notice speaks the link's language.
  const first = ['lang', 'presenter'];
  const entries = store.entries.filter((e) => e.url);
  return [...first.map((k) => store.entry(k)).filter(Boolean), ...entries.filter((e) => !first.includes(e.key))];
}

/** The store (and the user's own points) as the hash's fields, in a fixed order. */
export function linkFields(app) {
  const { store } = app;
  const fields = [];
  const entries = store.entries.filter((e) => e.url);
  const ordered = [...entries.filter((e) => !['start', 'runs', 'lang', 'presenter'].includes(e.key)),
    ...['start', 'runs', 'lang', 'presenter'].map((k) => store.entry(k)).filter(Boolean)];
  for (const entry of ordered) {
    const value = store.get(entry.key);
    if (entry.omit?.(value)) continue;
    fields.push([entry.key, entry.toText(value)]);
  }
  if (store.get('data') === 'custom' && app.n <= MAX_LINK_POINTS) {
    const at = fields.findIndex(([k]) => k === 'start' || k === 'runs' || k === 'lang' || k === 'presenter');
    const points = [['x', Array.from(app.vis.xs(), String).join(',')], ['y', Array.from(app.vis.ys(), String).join(',')]];
    fields.splice(at < 0 ? fields.length : at, 0, ...points);
  }
  return fields;
}

export function linkHash(app) {
  return `#${linkFields(app).map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}`;
}

/** Applies a hash to the store field by field. Returns {ignored: [[name, reason]], applied}. */
export function applyHash(app, hash) {
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
    if (fields.has(key)) ignored.push([clip(key), clip(value)]); // a repeated field: the first one counts
    else fields.set(key, value);
  }
  let applied = false;
  const refuse = (key, reason) => ignored.push([clip(key), clip(reason, MAX_REASON)]);

  const entries = linkEntries(store);
  const pointsAfter = entries.findIndex((e) => e.key === 'start');
  const applyPoints = () => {
    if (!POINT_FIELDS.some((k) => fields.has(k))) return;
    const xs = parseNumbers(fields.get('x'), MAX_LINK_POINTS);
    const ys = parseNumbers(fields.get('y'), MAX_LINK_POINTS);
    if (!xs || !ys || xs.length !== ys.length || xs.length < 2) {
      refuse('x, y', t('url.bad-points', { max: MAX_LINK_POINTS }));
      return;
    }
    try {
      app.replaceData(() => app.vis.set_points(Float64Array.from(xs), Float64Array.from(ys)));
      applied = true;
    } catch (error) {
      refuse('x, y', describeError(error));
    }
  };
  entries.forEach((entry, i) => {
    if (i === pointsAfter) applyPoints(); // the points before the start and the runs (they restart on them)
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
  });
  if (pointsAfter < 0) applyPoints();

  const known = new Set([...entries.map((e) => e.key), ...POINT_FIELDS]);
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

  const ignoredText = h('span', { class: 'notice-text' });
  const dismiss = h('button', { type: 'button', class: 'btn btn-tiny', 'data-i18n': 'notice.dismiss' }, t('notice.dismiss'));
  const notice = h('div', { class: 'notice', id: 'url-notice', role: 'status', hidden: true }, ignoredText, dismiss);
  dismiss.addEventListener('click', () => { notice.hidden = true; });
  const tooMany = h('p', { class: 'notice', id: 'link-note', role: 'status', hidden: true });
  notices.append(notice, tooMany);

  const showIgnored = (ignored) => {
    if (ignored.length === 0) {
      notice.hidden = true;
      ignoredText.textContent = '';
      return;
    }
    const list = ignored.map(([key, reason]) => `${key} (${reason})`).join('; ');
    ignoredText.textContent = t('url.ignored', { list });
    notice.hidden = false;
  };

  const write = () => {
    clearTimeout(timer);
    timer = 0;
    if (applying) return;
    const tooManyPoints = app.store.get('data') === 'custom' && app.n > MAX_LINK_POINTS;
    tooMany.hidden = !tooManyPoints;
    tooMany.textContent = tooManyPoints ? t('link.too-many', { n: app.n, max: MAX_LINK_POINTS }) : '';
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
  copy.addEventListener('click', async () => {
    write();
    const url = window.location.href;
    field.value = url;
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(url);
      field.hidden = true;
      flash(feedback, t('link.copied'));
    } catch {
      field.hidden = false;
      field.focus();
      field.select();
      flash(feedback, t('link.select'), 15_000);
    }
  });
  toolbar.append(h('div', { class: 'link-box' }, copy, field, feedback));

  apply(window.location.hash);
  return { schedule, write, apply };
}
