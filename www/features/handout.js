// The handout's settings line: on paper (www/styles/print.css) the settings column is left out,
// so a line under the header says what the run is — the data, the model, the loss, the
// regularization, the optimizer, the learning rate and the batch size, as their controls show
// them, and the critical rate and κ of the data. Hidden on the screen; written from the
// controls' own labels and values (so in the page's language), whenever a setting or the
// analysis changes and just before printing.

import { h } from '../shell/dom.js';
import { onLanguageChange } from '../shell/i18n.js';

/** The controls the line names, in its order (a control that is hidden or disabled is left out). */
const CONTROLS = ['dataset', 'points', 'model', 'degree', 'loss-convention', 'regularization', 'lambda', 'optimizer',
  'learning-rate', 'batch-size'];
/** The analysis readouts it names. */
const READOUTS = ['lr-critical', 'condition-number'];

/** What a control shows: a select's chosen option, an input's value. */
function shownValue(control) {
  if (control instanceof HTMLSelectElement) return control.selectedOptions[0]?.textContent.trim() ?? '';
  return control.value.trim();
}

/** Whether the control is on screen in the settings column (not hidden, not disabled). */
function inUse(control) {
  return !control.disabled && !control.closest('[hidden]');
}

/** The line's items: [label, value] of each control in use and each readout. */
export function summaryItems() {
  const items = [];
  for (const id of CONTROLS) {
    const control = document.getElementById(id);
    const label = document.querySelector(`label[for="${id}"]`);
    if (!control || !label || !inUse(control)) continue;
    const value = shownValue(control);
    if (value !== '') items.push([label.textContent.trim(), value]);
  }
  for (const id of READOUTS) {
    const value = document.querySelector(`[data-testid="${id}"]`);
    const label = value?.previousElementSibling;
    if (value && label && value.textContent.trim() !== '—') items.push([label.textContent.trim(), value.textContent.trim()]);
  }
  return items;
}

export function install(app) {
  const line = h('p', { class: 'print-summary', id: 'print-summary' });
  document.querySelector('header.topbar').after(line);
  const write = () => {
    const parts = summaryItems().flatMap(([label, value], i) => [
      ...(i > 0 ? [' · '] : []), h('span', { class: 'print-summary-label' }, `${label} `), value,
    ]);
    line.replaceChildren(...parts);
  };
  let pending = 0;
  const later = () => {
    if (!pending) pending = requestAnimationFrame(() => { pending = 0; write(); });
  };
  app.store.subscribe(later);
  app.on('analysis', later);
  onLanguageChange(later);
  window.addEventListener('beforeprint', write);
  write();
  return { write };
}
