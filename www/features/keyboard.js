// Keyboard shortcuts: Space plays and pauses, → steps, R resets, [ and ] halve and double the
// learning rate (through the control's own path, so validation and the URL apply), ? opens a
// dialog listing them (Esc closes it). Nothing fires while typing in a field, and with Ctrl, Alt
// or ⌘ held. When a button has the focus, Space and Enter press that button as usual.

import { h } from '../shell/dom.js';
import { t } from '../shell/i18n.js';

/** [keys shown, description key]. */
const SHORTCUTS = [
  ['key.space', 'shortcuts.space'],
  ['key.right', 'shortcuts.right'],
  ['R', 'shortcuts.reset'],
  ['[', 'shortcuts.halve'],
  [']', 'shortcuts.double'],
  ['?', 'shortcuts.help'],
  ['Esc', 'shortcuts.escape'],
  ['PgDn / PgUp', 'shortcuts.scenes'],
  ['Home / End', 'shortcuts.scene-ends'],
  ['Esc', 'shortcuts.lesson-escape'],
];

/** True when the key goes to a field (typing) rather than to the page. */
export function typing(target) {
  if (!(target instanceof Element)) return false;
  if (target.isContentEditable) return true;
  return target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') !== null;
}

/** Elements where Space and Enter keep their own meaning. */
function pressable(target) {
  return target instanceof Element && target.closest('button, summary, a[href], [role="button"]') !== null;
}

/** Multiplies the learning rate through the control's path; the result keeps 15 digits. */
function scaleRate(app, factor) {
  const rate = Number((app.store.get('learningRate') * factor).toPrecision(15));
  app.controls.commit('learningRate', String(rate));
}

export function install(app) {
  const headerTools = document.getElementById('header-tools');
  const list = h('dl', { class: 'shortcuts' });
  for (const [keys, description] of SHORTCUTS) {
    const label = keys.startsWith('key.') ? t(keys) : keys;
    list.append(
      h('dt', {}, h('kbd', keys.startsWith('key.') ? { 'data-i18n': keys } : {}, label)),
      h('dd', { 'data-i18n': description }, t(description)),
    );
  }
  const dialog = h('dialog', { id: 'shortcuts-dialog', 'aria-labelledby': 'shortcuts-title', class: 'dialog' },
    h('h2', { id: 'shortcuts-title', 'data-i18n': 'shortcuts.title' }, t('shortcuts.title')),
    list,
    h('p', { class: 'hint', 'data-i18n': 'shortcuts.note' }, t('shortcuts.note')),
    h('form', { method: 'dialog' },
      h('button', { class: 'btn btn-small', 'data-i18n': 'shortcuts.close', value: 'close' }, t('shortcuts.close'))));
  document.body.append(dialog);
  // A click on the backdrop closes the dialog too.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });

  const open = () => {
    if (!dialog.open) dialog.showModal();
  };
  const button = h('button', {
    type: 'button', class: 'btn btn-small btn-icon', id: 'shortcuts-button',
    'aria-label': t('shortcuts.button.aria'), title: t('shortcuts.button.aria'),
    'aria-keyshortcuts': '?', 'aria-haspopup': 'dialog',
    'data-i18n-attr': 'aria-label:shortcuts.button.aria;title:shortcuts.button.aria',
  }, '?');
  button.addEventListener('click', open);
  headerTools.append(button);

  const click = (el) => {
    if (el && !el.disabled) el.click();
  };

  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (dialog.open) return; // the dialog handles Esc itself
    if (typing(event.target)) return;
    const key = event.key;
    if ((key === ' ' || key === 'Enter') && pressable(event.target)) return;
    let handled = true;
    switch (key) {
      case ' ':
      case 'Spacebar':
        click(app.buttons.play);
        break;
      case 'ArrowRight':
        click(app.buttons.step);
        break;
      case 'r':
      case 'R':
        click(app.buttons.reset);
        break;
      case '[':
        scaleRate(app, 0.5);
        break;
      case ']':
        scaleRate(app, 2);
        break;
      case '?':
        open();
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  });
  return { dialog, open };
}
