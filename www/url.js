// Shareable state in the URL hash: every entry of the SETTINGS table (by its key), the user's
// own points (x and y lists, at most MAX_LINK_POINTS), the start point, the comparison runs, the
// language and presenter mode. The hash follows every change (history.replaceState, debounced);
// on load (and when the hash is changed by hand) it is applied field by field through the same
// paths as the controls: a malformed or hostile field is ignored and listed in a notice
// (role="status", text only), the rest still applies. "Copy link" copies the URL.

import { errorMessage } from './format.js';
import { LANGUAGES, language, onLanguageChange, t } from './i18n.js';
import { byId, flash, h } from './dom.js';
import { dataReplaced } from './editing.js';
import { SETTINGS } from './state.js';
import { localizeMessage } from './strings.js';

/** Most points a link carries; beyond, the link keeps only the preset's parameters. */
export const MAX_LINK_POINTS = 300;
/** How long the hash waits after the last change before it is rewritten (ms). */
const WRITE_DELAY = 200;
/** Longest quoted piece of a refused field in the notice. */
const MAX_QUOTED = 40;

/** Fields of the hash besides the SETTINGS keys. */
const EXTRA_FIELDS = ['x', 'y', 'start', 'runs', 'lang', 'presenter'];

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i;

/** Shortest round-trip text of a number (JavaScript's own number → string). */
const num = (v) => String(v);

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

/** Cuts text for the notice. */
function clip(text) {
  const s = String(text);
  return s.length > MAX_QUOTED ? `${s.slice(0, MAX_QUOTED)}…` : s;
}

/** The app's state as the hash's fields, in a fixed order. */
export function stateFields(app) {
  const fields = [];
  for (const setting of SETTINGS) {
    const value = app.state[setting.key];
    if (value !== undefined) fields.push([setting.key, setting.toText(value)]);
  }
  if (app.customData && app.ctx.n <= MAX_LINK_POINTS) {
    fields.push(['x', Array.from(app.vis.xs(), num).join(',')]);
    fields.push(['y', Array.from(app.vis.ys(), num).join(',')]);
  }
  if (typeof app.vis.theta_start === 'function') {
    const [a, b] = app.vis.theta_start();
    if (a !== 0 || b !== 0) fields.push(['start', `${num(a)},${num(b)}`]);
  }
  if (Array.isArray(app.comparisons) && app.comparisons.length > 0) {
    fields.push(['runs', JSON.stringify(app.comparisons)]);
  }
  if (app.languageChosen) fields.push(['lang', language()]);
  fields.push(['presenter', app.presenter ? '1' : '0']);
  return fields;
}

export function stateHash(app) {
  return `#${stateFields(app).map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}`;
}

/**
 * Applies a hash to the app field by field. Returns the ignored fields as [name, reason].
 * `hooks.setPresenter(on)` switches presenter mode, `hooks.chooseLanguage(lang)` the language.
 */
export function applyHash(app, hash, hooks) {
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
    if (fields.has(key)) {
      ignored.push([clip(key), clip(value)]); // a repeated field: the first one counts
    } else {
      fields.set(key, value);
    }
  }
  let applied = false;
  const refuse = (key, reason) => {
    const text = String(reason);
    ignored.push([clip(key), text.length > 160 ? `${text.slice(0, 160)}…` : text]);
  };

  // Language and presenter mode first: the notice then speaks the link's language.
  if (fields.has('lang')) {
    const lang = fields.get('lang');
    if (Object.hasOwn(LANGUAGES, lang)) {
      hooks.chooseLanguage(lang);
    } else {
      refuse('lang', t('url.bad-lang', { known: Object.keys(LANGUAGES).join(', ') }));
    }
  }
  if (fields.has('presenter')) {
    const flag = fields.get('presenter');
    if (flag === '0' || flag === '1') hooks.setPresenter(flag === '1');
    else refuse('presenter', t('url.bad-flag'));
  }

  // The settings, in the table's order, through the controls' own path (validation included).
  for (const setting of SETTINGS) {
    if (!fields.has(setting.key)) continue;
    const value = fields.get(setting.key);
    const current = app.state[setting.key];
    if (current !== undefined && value === setting.toText(current) && !(setting.key === 'dataset' && app.customData)) {
      continue;
    }
    if (app.controls.commit(setting.key, value)) {
      applied = true;
    } else {
      const error = app.controls.errors[setting.key];
      refuse(setting.key, error?.textContent || clip(value));
      app.controls.clearError(setting.key);
    }
  }

  // The user's own points.
  if (fields.has('x') || fields.has('y')) {
    const xs = parseNumbers(fields.get('x'), MAX_LINK_POINTS);
    const ys = parseNumbers(fields.get('y'), MAX_LINK_POINTS);
    if (!xs || !ys || xs.length !== ys.length || xs.length < 2) {
      refuse('x, y', t('url.bad-points', { max: MAX_LINK_POINTS }));
    } else {
      try {
        app.vis.set_points(Float64Array.from(xs), Float64Array.from(ys));
        dataReplaced(app);
        applied = true;
      } catch (error) {
        refuse('x, y', localizeMessage(errorMessage(error)));
      }
    }
  }

  if (fields.has('start')) {
    const start = parseNumbers(fields.get('start'), 2);
    if (typeof app.setStart !== 'function') {
      refuse('start', t('url.unavailable'));
    } else if (!start || start.length !== 2) {
      refuse('start', t('url.bad-start'));
    } else {
      try {
        const result = app.setStart(start[0], start[1]);
        if (typeof result === 'string' && result) refuse('start', result);
        else applied = true;
      } catch (error) {
        refuse('start', localizeMessage(errorMessage(error)));
      }
    }
  }

  if (fields.has('runs')) {
    let list = null;
    try {
      list = JSON.parse(fields.get('runs'));
    } catch {
      list = null;
    }
    if (typeof app.setComparisons !== 'function') {
      refuse('runs', t('url.unavailable'));
    } else if (!Array.isArray(list) || list.length > 16 || list.some((r) => r === null || typeof r !== 'object')) {
      refuse('runs', t('url.bad-runs'));
    } else {
      try {
        const errors = app.setComparisons(list) ?? [];
        for (const message of [].concat(errors)) {
          if (message) refuse('runs', localizeMessage(typeof message === 'string' ? message : errorMessage(message)));
        }
        applied = true;
      } catch (error) {
        refuse('runs', localizeMessage(errorMessage(error)));
      }
    }
  }

  const known = new Set([...SETTINGS.map((s) => s.key), ...EXTRA_FIELDS]);
  for (const key of fields.keys()) {
    if (!known.has(key)) refuse(key, t('url.unknown'));
  }
  return { ignored, applied };
}

export function installUrl(app, toolbar, notices, hooks) {
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
    const tooManyPoints = app.customData && app.ctx.n > MAX_LINK_POINTS;
    tooMany.hidden = !tooManyPoints;
    tooMany.textContent = tooManyPoints ? t('link.too-many', { n: app.ctx.n, max: MAX_LINK_POINTS }) : '';
    const hash = stateHash(app);
    if (hash !== window.location.hash) {
      window.history.replaceState(window.history.state, '', hash);
    }
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
      result = applyHash(app, hash, hooks);
    } finally {
      applying = false;
    }
    if (result.applied) app.reset(); // the run starts afresh from the link's start point
    showIgnored(result.ignored);
    // A page opened without a hash keeps a clean URL until something changes.
    if (String(hash ?? '').replace(/^#/, '') !== '') write();
    return result;
  };

  // Changes: the app's own events, the language, presenter mode, and (for controls this module
  // does not know) any input, change or click on the page.
  app.on('settings', schedule);
  app.on('reset', schedule);
  onLanguageChange(() => {
    schedule();
    if (!notice.hidden) notice.hidden = true; // its text was in the other language
  });
  for (const type of ['input', 'change', 'click', 'pointerup', 'keyup']) {
    document.addEventListener(type, schedule);
  }
  for (const name of ['setComparisons', 'setStart']) {
    if (typeof app[name] === 'function') {
      const original = app[name].bind(app);
      app[name] = (...args) => {
        const result = original(...args);
        schedule();
        return result;
      };
    }
  }
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
