// The hyperparameter fields of the settings column, built from the catalogue: one number field
// per parameter of the optimizers, the schedules, the rate rules and the line searches
// (momentum μ, β₁, β₂, α, ε; γ, step size, d, T; up, down, factor, patience, …; β, c), each
// with its label and its error line, hidden until a kind that has it is chosen.

import { h } from '../shell/dom.js';
import { t } from '../shell/i18n.js';
import { paramId } from '../shell/settings.js';

/** The boxes the fields go into, by the catalogue list they come from. */
const BOXES = {
  optimizers: 'optimizer-params', schedules: 'schedule-params', rate_rules: 'rate-rule-params', line_searches: 'line-search-params',
};

/** Input attributes of a parameter from its range. */
function attributes(p) {
  const r = p.range ?? {};
  return {
    min: r.lo ?? r.min, // h() leaves out an undefined attribute
    max: r.hi ?? r.max,
    step: p.integer ? '1' : (p.step ?? 'any'),
    inputmode: p.integer ? 'numeric' : 'decimal',
  };
}

/**
 * Builds the fields of every parameter of the catalogue's optimizers, schedules, rate rules and
 * line searches into their boxes (once per store key). Returns {key: {row, box}}.
 */
export function buildParameterFields(catalog) {
  const rows = {};
  for (const [list, boxId] of Object.entries(BOXES)) {
    const box = document.getElementById(boxId);
    let lastError = null;
    for (const kind of catalog[list]) {
      for (const p of kind.params) {
        if (rows[p.key]) continue;
        const id = paramId(p.key);
        const input = h('input', { id, type: 'number', ...attributes(p), 'aria-describedby': `${id}-error` });
        const row = h('div', { class: 'field field-stacked', hidden: true },
          h('label', { for: id, 'data-i18n': p.label }, t(p.label)), input);
        box.append(row);
        const error = h('p', { class: 'error', id: `${id}-error` });
        (lastError ?? box).after(error);
        lastError = error;
        rows[p.key] = { row, box };
      }
    }
  }
  return rows;
}

/** The store keys of the parameters of kind `name` in `list`. */
export function parameterKeys(list, name) {
  return (list.find((k) => k.name === name)?.params ?? []).map((p) => p.key);
}
