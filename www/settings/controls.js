// The settings column: a control for each entry of the store that has an element id (data set,
// descent, optimizer and schedule with their hyperparameters, regularization, view flags,
// speed). It fills the selects and builds the hyperparameter fields from the catalogue, writes
// what a person types into the store (which validates it and applies it to the core), shows a
// refused value at its control with the reason and the value still in use, follows the store,
// keeps the learning-rate slider and its number field together, and draws the stability bands
// and marks on the slider.

import { describeError } from '../shell/errors.js';
import { formatShort } from '../shell/format.js';
import { onLanguageChange, t } from '../shell/i18n.js';
import { controlEntries } from '../shell/settings.js';
import { buildParameterFields, parameterKeys } from './parameters.js';

/** A control's text: a checkbox reads '1' or '0' (the store's text for a flag). */
const fieldText = (input) => (input.type === 'checkbox' ? (input.checked ? '1' : '0') : input.value);

function writeField(input, text) {
  if (input.type === 'checkbox') {
    if (input.checked !== (text === '1')) input.checked = text === '1';
  } else if (input.value !== text) {
    input.value = text;
  }
}

const byId = (id) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`gdviz: the page has no element #${id}`);
  return el;
};

/** A select's options from a list of {name, label key}; relabelled on every call. */
function fillSelect(select, items, label) {
  for (const item of items) {
    let option = [...select.options].find((o) => o.value === item.name);
    if (!option) {
      option = new Option('', item.name);
      select.append(option);
    }
    option.textContent = label(item);
  }
}

export class Controls {
  /** @param {object} app {vis, catalog, store, n, player} */
  constructor(app) {
    this.app = app;
    this.store = app.store;
    this.inputs = {};
    this.errors = {};
    this.invalid = new Set();
    const range = app.catalog.learning_rate.slider;
    this.logMin = Math.log10(range[0]);
    this.logMax = Math.log10(range[1]);
    this.slider = byId('learning-rate-slider');
    this.batchButtons = [...document.querySelectorAll('[data-batch]')];
    this.marks = {
      critical: byId('lr-mark-critical'),
      optimal: byId('lr-mark-optimal'),
      monotone: byId('lr-band-monotone'),
      oscillate: byId('lr-band-oscillate'),
      diverge: byId('lr-band-diverge'),
      optimalText: byId('lr-optimal-text'),
    };
    this.parameterRows = buildParameterFields(app.catalog);
  }

  /** Position of a learning rate on the log slider, as a fraction in [0, 1]. */
  sliderFraction(rate) {
    if (!(rate > 0) || !Number.isFinite(rate)) return 0;
    return Math.min(1, Math.max(0, (Math.log10(rate) - this.logMin) / (this.logMax - this.logMin)));
  }

  fillSelects() {
    const { catalog } = this.app;
    fillSelect(byId('dataset'), [...catalog.presets, { name: 'custom' }],
      (p) => (p.name === 'custom' ? t('dataset.custom') : t(`preset.${p.name}.label`)));
    fillSelect(byId('model'), catalog.models.map((name) => ({ name })), (m) => t(`model.${m.name}`));
    fillSelect(byId('regularization'), catalog.regularizations, (r) => t(r.label));
    fillSelect(byId('loss-convention'), catalog.loss_conventions, (l) => t(l.label));
    fillSelect(byId('optimizer'), catalog.optimizers, (o) => t(o.label));
    fillSelect(byId('schedule'), catalog.schedules, (s) => t(s.label));
    fillSelect(byId('rate-rule'), catalog.rate_rules, (r) => t(r.label));
    fillSelect(byId('line-search'), catalog.line_searches, (r) => t(r.label));
  }

  /** Fills the selects and listens to every control. */
  build() {
    this.fillSelects();
    for (const entry of controlEntries(this.store.entries)) {
      const input = document.getElementById(entry.id) ?? this.generateField(entry);
      this.inputs[entry.key] = input;
      this.errors[entry.key] = byId(`${entry.id}-error`);
      input.addEventListener(entry.live ? 'input' : 'change', () => {
        this.commit(entry.key, fieldText(input), input);
      });
    }

    this.slider.min = String(this.logMin);
    this.slider.max = String(this.logMax);
    this.slider.addEventListener('input', () => {
      // A slider position (log10 of the rate) → a rate rounded to 3 significant digits.
      const rate = Number((10 ** Number(this.slider.value)).toPrecision(3));
      if (this.commit('learningRate', String(rate))) {
        this.slider.setAttribute('aria-valuetext', String(rate));
      }
    });

    for (const button of this.batchButtons) {
      button.addEventListener('click', () => {
        const size = button.dataset.batch === 'full' ? this.app.n : Number(button.dataset.batch);
        this.commit('batchSize', String(size));
      });
    }
    this.store.subscribe(() => this.syncInputs());
    onLanguageChange(() => {
      this.fillSelects();
      this.syncInputs();
      if (this.app.analysis) this.showAnalysis(this.app.analysis); // the marks' titles
    });
    this.syncInputs();
  }

  /**
   * A field for a setting that the page's markup does not lay out by hand: a labelled number
   * field (a checkbox for a flag) with its error line, at the end of its group's fieldset
   * (`data-settings-group`). So a new setting needs only its store entry and its strings
   * (`label.<id>`).
   */
  generateField(entry) {
    const group = document.querySelector(`[data-settings-group="${entry.group}"]`)
      ?? document.querySelector('[data-settings-group]:last-of-type');
    const input = document.createElement('input');
    input.id = entry.id;
    input.setAttribute('aria-describedby', `${entry.id}-error`);
    const label = document.createElement('label');
    label.htmlFor = entry.id;
    label.dataset.i18n = `label.${entry.id}`;
    label.textContent = t(`label.${entry.id}`);
    const field = document.createElement(entry.checkbox ? 'label' : 'div');
    if (entry.checkbox) {
      input.type = 'checkbox';
      field.className = 'check';
      const text = document.createElement('span');
      text.dataset.i18n = `label.${entry.id}`;
      text.textContent = t(`label.${entry.id}`);
      field.append(input, text);
    } else {
      input.type = 'number';
      input.step = 'any';
      field.className = 'field';
      field.append(label, input);
    }
    const error = document.createElement('p');
    error.className = 'error';
    error.id = `${entry.id}-error`;
    group.append(field, error);
    return input;
  }

  /**
   * Writes `key = text` into the store. On success the core follows; on failure the message
   * shows at the control and the last good value stays in force. Returns whether it was taken.
   */
  commit(key, text, input = null) {
    try {
      this.store.setText(key, text, { source: 'control' });
    } catch (error) {
      this.showError(key, error, input);
      return false;
    }
    this.clearError(key);
    this.syncInputs();
    return true;
  }

  showError(key, error, input) {
    const entry = this.store.entry(key);
    const last = entry.toText(this.store.get(key));
    const message = t('error.still-using', { message: describeError(error), last });
    const field = this.inputs[key];
    this.errors[key].textContent = message;
    field.setAttribute('aria-invalid', 'true');
    this.invalid.add(key);
    // A change that did not come from the field itself (slider, quick buttons, a link): show the
    // good value in the field again, the message says what was refused.
    if (input !== field || field.type === 'checkbox') writeField(field, last);
  }

  clearError(key) {
    if (!this.invalid.has(key)) return;
    this.invalid.delete(key);
    this.errors[key].textContent = '';
    this.inputs[key].removeAttribute('aria-invalid');
  }

  /** Writes the store into the controls (fields showing a refused value keep it). */
  syncInputs() {
    const { store } = this;
    const n = this.app.n;
    const custom = store.get('data') === 'custom';
    for (const [key, input] of Object.entries(this.inputs)) {
      if (this.invalid.has(key)) continue;
      const text = key === 'dataset' && custom ? 'custom' : store.entry(key).toText(store.get(key));
      writeField(input, text);
    }
    const customOption = [...byId('dataset').options].find((o) => o.value === 'custom');
    if (customOption) {
      customOption.hidden = !custom;
      customOption.disabled = !custom;
    }
    const rate = store.get('learningRate');
    const position = Math.log10(rate);
    if (Number.isFinite(position)) {
      this.slider.value = String(Math.min(this.logMax, Math.max(this.logMin, position)));
      this.slider.setAttribute('aria-valuetext', String(rate));
    }

    const batchSize = store.get('batchSize');
    this.inputs.batchSize.max = String(n);
    const sizes = { full: n, 32: 32, 1: 1 };
    for (const button of this.batchButtons) {
      const size = sizes[button.dataset.batch];
      button.disabled = size > n;
      button.setAttribute('aria-pressed', String(batchSize === size));
    }
    const mode = t(batchSize >= n ? 'batch.mode.full' : batchSize === 1 ? 'batch.mode.sgd' : 'batch.mode.mini');
    byId('batch-size-hint').textContent = t('batch.hint', { n, mode });

    // One x column fits the line or its powers; several fit every column.
    const several = this.app.vis.column_count() > 1;
    for (const option of byId('model').options) {
      option.disabled = (option.value === 'columns') !== several;
    }
    this.inputs.degree.disabled = store.get('model') !== 'polynomial';

    const kind = store.get('regularization');
    this.inputs.lambda.disabled = kind === 'none';
    byId('l1-ratio-row').hidden = kind !== 'elastic-net';
    if (kind !== 'elastic-net') this.clearError('l1Ratio');

    byId('dataset-description').textContent = custom
      ? t('dataset.custom.description', { n })
      : t(`preset.${store.get('dataset')}.description`);
    this.syncDescent();
  }

  /** The rows of the chosen kinds' hyperparameters, the L1 note and the schedule's formula. */
  syncDescent() {
    const { store } = this;
    const { catalog } = this.app;
    const optimizer = store.get('optimizer');
    const schedule = store.get('schedule');
    const rateRule = store.get('rateRule');
    const lineSearch = store.get('lineSearch');
    const shown = new Set([
      ...parameterKeys(catalog.optimizers, optimizer), ...parameterKeys(catalog.schedules, schedule),
      ...parameterKeys(catalog.rate_rules, rateRule), ...parameterKeys(catalog.line_searches, lineSearch),
    ]);
    for (const [key, { row }] of Object.entries(this.parameterRows)) {
      const visible = shown.has(key);
      if (row.hidden === visible) row.hidden = !visible;
      if (!visible) this.clearError(key);
    }
    byId('optimizer-params').hidden = parameterKeys(catalog.optimizers, optimizer).length === 0;
    byId('schedule-params').hidden = parameterKeys(catalog.schedules, schedule).length === 0;
    byId('rate-rule-params').hidden = parameterKeys(catalog.rate_rules, rateRule).length === 0;
    byId('line-search-params').hidden = parameterKeys(catalog.line_searches, lineSearch).length === 0;
    const kind = catalog.optimizers.find((o) => o.name === optimizer);
    const plain = kind === catalog.optimizers[0];
    const reg = store.get('regularization');
    const l1 = !plain && (reg === 'l1' || reg === 'elastic-net');
    const note = byId('l1-note');
    const text = l1 ? t('note.l1-subgradient', { optimizer: t(kind.label) }) : '';
    if (note.textContent !== text) note.textContent = text;
    const formula = catalog.schedules.find((s) => s.name === schedule)?.formula;
    byId('schedule-formula').textContent = formula ? t(formula) : '';
    const ruleFormula = catalog.rate_rules.find((r) => r.name === rateRule)?.formula;
    byId('rate-rule-formula').textContent = ruleFormula ? t(ruleFormula) : '';
    const searchFormula = catalog.line_searches.find((r) => r.name === lineSearch)?.formula;
    byId('line-search-formula').textContent = searchFormula ? t(searchFormula) : '';
    this.syncMethods(kind, reg);
  }

  /**
   * What goes with what, said at the controls: Newton and CG are off while there is an L1 part
   * (they need a smooth objective), a line search is for plain descent on the full batch, CG
   * does not use the learning rate.
   */
  syncMethods(kind, reg) {
    const { store } = this;
    const l1 = reg === 'l1' || reg === 'elastic-net';
    for (const option of byId('optimizer').options) {
      if (option.value === 'newton' || option.value === 'cg') option.disabled = l1;
    }
    const plain = store.get('optimizer') === this.app.catalog.optimizers[0].name;
    const full = store.get('batchSize') >= this.app.n;
    for (const option of byId('line-search').options) {
      if (option.value !== this.app.catalog.line_searches[0].name) option.disabled = !plain || !full;
    }
    let note = '';
    if (kind?.name === 'cg') note = t('note.cg-rate');
    else if (l1) note = t('note.second-order-l1');
    else if (!plain || !full) note = t('note.line-search-plain');
    const box = byId('method-note');
    if (box.textContent !== note) box.textContent = note;
  }

  /** Stability bands and marks on the slider, from the core's analysis. */
  showAnalysis(analysis) {
    const c = analysis.curvature;
    const [lo, hi] = this.app.catalog.learning_rate.slider;
    const place = (el, from, to) => {
      const a = this.sliderFraction(from);
      const b = to === null ? 1 : this.sliderFraction(to);
      el.hidden = !(b > a);
      el.style.left = `${a * 100}%`;
      el.style.width = `${Math.max(0, b - a) * 100}%`;
    };
    place(this.marks.monotone, lo, c.lr_monotone);
    place(this.marks.oscillate, c.lr_monotone, c.lr_critical);
    place(this.marks.diverge, c.lr_critical, null);
    for (const [el, rate, name] of [
      [this.marks.critical, c.lr_critical, 'mark.critical'],
      [this.marks.optimal, c.lr_optimal, 'mark.optimal'],
    ]) {
      const ok = Number.isFinite(rate) && rate > 0;
      el.hidden = !ok || rate < lo || rate > hi;
      el.style.left = `${this.sliderFraction(rate) * 100}%`;
      el.title = ok ? t(name, { rate: formatShort(rate) }) : '';
    }
    this.marks.optimalText.textContent = Number.isFinite(c.lr_optimal) ? formatShort(c.lr_optimal) : '';
  }
}
