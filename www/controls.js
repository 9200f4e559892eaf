// The settings column: wires each control of the state table to the core, shows bad input at
// the control (keeping the last good value), keeps the learning-rate slider and the number field
// in sync, and draws the stability marks on the slider.

import { errorMessage, formatShort } from './format.js';
import { t } from './i18n.js';
import { applySetting, LR_MAX, LR_MIN, REGULARIZATIONS, SETTING, SETTINGS } from './state.js';
import { localizeMessage, presetText } from './strings.js';

const LOG_MIN = Math.log10(LR_MIN);
const LOG_MAX = Math.log10(LR_MAX);

/** Position of a learning rate on the log slider, as a fraction in [0, 1]. */
export function sliderFraction(rate) {
  if (!(rate > 0) || !Number.isFinite(rate)) return 0;
  return Math.min(1, Math.max(0, (Math.log10(rate) - LOG_MIN) / (LOG_MAX - LOG_MIN)));
}

/** A slider position (log10 of the rate) → a rate rounded to 3 significant digits. */
function rateFromSlider(position) {
  return Number((10 ** Number(position)).toPrecision(3));
}

/** A control's text: a checkbox reads '1' or '0' (the state table's text for a flag). */
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

export class Controls {
  /**
   * @param {object} app  {vis, state, ctx, settingsChanged(group, key)}
   */
  constructor(app) {
    this.app = app;
    this.inputs = {};
    this.errors = {};
    this.invalid = new Set();
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
  }

  /** Fills the selects and listens to every control. */
  build() {
    const { ctx } = this.app;
    const dataset = byId('dataset');
    for (const preset of ctx.presets) {
      dataset.append(new Option(presetText(preset, 'label'), preset.name));
    }
    const regularization = byId('regularization');
    for (const r of REGULARIZATIONS) regularization.append(new Option(t(`reg.${r.value}`), r.value));

    for (const setting of SETTINGS) {
      const input = byId(setting.id);
      this.inputs[setting.key] = input;
      this.errors[setting.key] = byId(`${setting.id}-error`);
      input.addEventListener(setting.live ? 'input' : 'change', () => {
        this.commit(setting.key, fieldText(input), input);
      });
    }

    this.slider.addEventListener('input', () => {
      const rate = rateFromSlider(this.slider.value);
      if (this.commit('learningRate', String(rate))) {
        this.slider.setAttribute('aria-valuetext', String(rate));
      }
    });

    for (const button of this.batchButtons) {
      button.addEventListener('click', () => {
        const size = button.dataset.batch === 'full' ? this.app.ctx.n : Number(button.dataset.batch);
        this.commit('batchSize', String(size));
      });
    }
    this.syncInputs();
  }

  /**
   * Applies `key = text`. On success the state and the core change and the app is told; on
   * failure the message shows at the control and the last good value stays in force.
   */
  commit(key, text, input = null) {
    const app = this.app;
    let next;
    try {
      next = applySetting(app.vis, app.state, key, text, app.ctx);
    } catch (error) {
      this.showError(key, error, input);
      return false;
    }
    app.state = next;
    this.clearError(key);
    this.syncInputs();
    app.settingsChanged(SETTING[key].group, key);
    return true;
  }

  showError(key, error, input) {
    const setting = SETTING[key];
    const last = setting.toText(this.app.state[key]);
    const message = t('error.still-using', { message: localizeMessage(errorMessage(error)), last });
    const field = this.inputs[key];
    this.errors[key].textContent = message;
    field.setAttribute('aria-invalid', 'true');
    this.invalid.add(key);
    // A change that did not come from the field itself (slider, quick buttons): show the good
    // value in the field again, the message says what was refused.
    if (input !== field || field.type === 'checkbox') writeField(field, last);
  }

  clearError(key) {
    if (!this.invalid.has(key)) return;
    this.invalid.delete(key);
    this.errors[key].textContent = '';
    this.inputs[key].removeAttribute('aria-invalid');
  }

  /** Writes the state into the controls (fields showing a refused value keep it). */
  syncInputs() {
    const { state, ctx } = this.app;
    for (const setting of SETTINGS) {
      if (this.invalid.has(setting.key)) continue;
      // The user's own points (editing.js, io.js) show as the select's "custom" option.
      const text = setting.key === 'dataset' && this.app.customData ? 'custom' : setting.toText(state[setting.key]);
      writeField(this.inputs[setting.key], text);
    }
    const position = Math.log10(state.learningRate);
    if (Number.isFinite(position)) {
      this.slider.value = String(Math.min(LOG_MAX, Math.max(LOG_MIN, position)));
      this.slider.setAttribute('aria-valuetext', String(state.learningRate));
    }

    const batch = this.inputs.batchSize;
    batch.max = String(ctx.n);
    const current = { full: ctx.n, 32: 32, 1: 1 };
    for (const button of this.batchButtons) {
      const size = current[button.dataset.batch];
      button.disabled = size > ctx.n;
      button.setAttribute('aria-pressed', String(state.batchSize === size));
    }
    const mode = t(state.batchSize >= ctx.n ? 'batch.mode.full' : state.batchSize === 1 ? 'batch.mode.sgd' : 'batch.mode.mini');
    byId('batch-size-hint').textContent = t('batch.hint', { n: ctx.n, mode });

    const kind = state.regularization;
    this.inputs.lambda.disabled = kind === 'none';
    byId('l1-ratio-row').hidden = kind !== 'elastic-net';
    if (kind !== 'elastic-net') this.clearError('l1Ratio');

    const preset = ctx.presets.find((p) => p.name === state.dataset);
    byId('dataset-description').textContent = this.app.customData
      ? t('dataset.custom.description', { n: ctx.n })
      : preset ? presetText(preset, 'description') : '';
  }

  /** Stability bands and marks on the slider, from the core's analysis. */
  showAnalysis(analysis) {
    const c = analysis.curvature;
    const place = (el, from, to) => {
      const a = sliderFraction(from);
      const b = to === null ? 1 : sliderFraction(to);
      el.hidden = !(b > a);
      el.style.left = `${a * 100}%`;
      el.style.width = `${Math.max(0, b - a) * 100}%`;
    };
    place(this.marks.monotone, LR_MIN, c.lr_monotone);
    place(this.marks.oscillate, c.lr_monotone, c.lr_critical);
    place(this.marks.diverge, c.lr_critical, null);
    for (const [el, rate, name] of [
      [this.marks.critical, c.lr_critical, 'mark.critical'],
      [this.marks.optimal, c.lr_optimal, 'mark.optimal'],
    ]) {
      const ok = Number.isFinite(rate) && rate > 0;
      el.hidden = !ok || rate < LR_MIN || rate > LR_MAX;
      el.style.left = `${sliderFraction(rate) * 100}%`;
      el.title = ok ? t(name, { rate: formatShort(rate) }) : '';
    }
    this.marks.optimalText.textContent = Number.isFinite(c.lr_optimal)
      ? formatShort(c.lr_optimal) : '';
  }
}
