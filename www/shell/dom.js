// Small DOM helpers. Text only ever goes in through textContent and setAttribute, never as HTML.

import { t } from './i18n.js';

/**
 * Creates an element: `h('button', {type: 'button', class: 'btn', 'data-i18n': 'key'}, 'text', child)`.
 * Attribute values are set with setAttribute; `on: {click: fn}` adds listeners; `hidden: true`
 * and boolean attributes go through the property when it exists.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'on') {
      for (const [event, listener] of Object.entries(value)) el.addEventListener(event, listener);
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

export const byId = (id) => document.getElementById(id);

/** Offers `blob` as a download named `name` (an object URL on a temporary <a download>). */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke later: the browser reads the URL after the click handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Calls `fn` at most once per `ms` (the last call always runs). */
export function throttle(fn, ms) {
  let timer = 0;
  let last = 0;
  return () => {
    const wait = last + ms - performance.now();
    if (wait <= 0) {
      last = performance.now();
      fn();
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = 0;
        last = performance.now();
        fn();
      }, wait);
    }
  };
}

/** Keeps a transient message in `el` for `ms`, then clears it. */
export function flash(el, text, ms = 5000) {
  el.textContent = text;
  clearTimeout(el._flashTimer);
  if (text) el._flashTimer = setTimeout(() => { el.textContent = ''; }, ms);
}

/**
 * Copies `text` to the clipboard; when the browser does not allow it, shows the text selected in
 * `field` (an input or textarea) to copy by hand. Says which in `feedback` (`copied` or `select`,
 * shown for `ms`). Resolves true when the clipboard took it.
 */
export async function copyText(text, field, feedback, { copied, select, ms = 5000 }) {
  field.value = text;
  try {
    if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
    await navigator.clipboard.writeText(text);
    field.hidden = true;
    flash(feedback, copied, ms);
    return true;
  } catch {
    field.hidden = false;
    field.focus();
    field.select();
    flash(feedback, select, 15_000);
    return false;
  }
}

/** A notice (role="status") of the notices line, with its text and a Dismiss button, hidden
 * until it says something; `say('')` hides it again. */
export function dismissibleNotice(id) {
  const text = h('span', { class: 'notice-text' });
  const dismiss = h('button', { type: 'button', class: 'btn btn-tiny', 'data-i18n': 'notice.dismiss' }, t('notice.dismiss'));
  const notice = h('div', { class: 'notice', id, role: 'status', hidden: true }, text, dismiss);
  dismiss.addEventListener('click', () => { notice.hidden = true; });
  const say = (message) => {
    text.textContent = message;
    notice.hidden = message === '';
  };
  return { notice, say };
}

/**
 * A drop-down panel: <details class="menu"><summary>label</summary><div class="menu-panel">…</div>.
 * Escape or a click elsewhere closes it; opening one closes the others.
 */
export function menu(id, labelKey, label, ...children) {
  closeMenusOnOutsideClick();
  const summary = h('summary', { class: 'btn btn-small menu-button', 'data-i18n': labelKey }, label);
  const panel = h('div', { class: 'menu-panel', id: `${id}-panel` }, ...children);
  const details = h('details', { class: 'menu', id }, summary, panel);
  details.addEventListener('toggle', () => {
    if (!details.open) return;
    for (const other of document.querySelectorAll('details.menu[open]')) {
      if (other !== details) other.open = false;
    }
  });
  details.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && details.open) {
      event.stopPropagation();
      details.open = false;
      summary.focus();
    }
  });
  return details;
}

let outsideClicks = false;

/** Closes open menus when a click lands outside them (installed with the first menu). */
function closeMenusOnOutsideClick() {
  if (outsideClicks) return;
  outsideClicks = true;
  document.addEventListener('pointerdown', (event) => {
    for (const details of document.querySelectorAll('details.menu[open]')) {
      if (!details.contains(event.target)) details.open = false;
    }
  });
}

const csvBlob = (text) => new Blob([text], { type: 'text/csv;charset=utf-8' });

/** A button (text: string `key`) that downloads `csv()` as `file` and says so in `feedback`. */
export function csvButton(id, key, csv, file, feedback) {
  const button = h('button', { type: 'button', class: 'btn btn-small', id, 'data-i18n': key }, t(key));
  button.addEventListener('click', () => {
    download(csvBlob(csv()), file);
    flash(feedback, t('export.saved', { file }));
  });
  return button;
}

