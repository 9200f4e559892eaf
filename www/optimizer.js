// The optimizer and the learning-rate schedule of run 1: their kinds and parameters (torch.optim's
// defaults), the core's objects built from the page's state, and the Descent group's part of the
// page: the hyperparameter rows that belong to the chosen kind, the note on the L1 part as a
// subgradient, and the effective-rate readout. The settings themselves are entries of state.js's
// table (so they reach the URL); this module only shows and hides their rows.

import { byId, h } from './dom.js';
import { onLanguageChange, register, t } from './i18n.js';

/** Optimizers: value (the core's kind), the state keys of their hyperparameters. */
export const OPTIMIZERS = [
  { value: 'sgd', params: [] },
  { value: 'momentum', params: ['momentum'] },
  { value: 'nesterov', params: ['momentum'] },
  { value: 'adagrad', params: ['eps'] },
  { value: 'rms-prop', params: ['alpha', 'eps'] },
  { value: 'adam', params: ['beta1', 'beta2', 'eps'] },
];

/** Schedules: value (the core's kind), the state keys of their parameters. */
export const SCHEDULES = [
  { value: 'constant', params: [] },
  { value: 'step-decay', params: ['gamma', 'stepSize'] },
  { value: 'exponential', params: ['gamma'] },
  { value: 'inverse-time', params: ['decay'] },
  { value: 'cosine', params: ['totalSteps'] },
];

/** torch.optim's defaults (ε differs: Adagrad 1e-10, RMSprop and Adam 1e-8). */
const DEFAULTS = { momentum: 0.9, beta1: 0.9, beta2: 0.999, alpha: 0.99 };

/** The default hyperparameters of optimizer `kind`, as state keys. */
export function optimizerDefaults(kind) {
  return { ...DEFAULTS, eps: kind === 'adagrad' ? 1e-10 : 1e-8 };
}

/** The core's optimizer object for a state's optimizer settings. */
export function optimizerObject(state) {
  switch (state.optimizer) {
    case 'momentum':
    case 'nesterov':
      return { kind: state.optimizer, momentum: state.momentum };
    case 'adagrad':
      return { kind: 'adagrad', eps: state.eps };
    case 'rms-prop':
      return { kind: 'rms-prop', alpha: state.alpha, eps: state.eps };
    case 'adam':
      return { kind: 'adam', beta1: state.beta1, beta2: state.beta2, eps: state.eps };
    default:
      return { kind: 'sgd' };
  }
}

/** The core's schedule object for a state's schedule settings. */
export function scheduleObject(state) {
  switch (state.schedule) {
    case 'step-decay':
      return { kind: 'step-decay', gamma: state.gamma, step_size: state.stepSize };
    case 'exponential':
      return { kind: 'exponential', gamma: state.gamma };
    case 'inverse-time':
      return { kind: 'inverse-time', decay: state.decay };
    case 'cosine':
      return { kind: 'cosine', total_steps: state.totalSteps };
    default:
      return { kind: 'constant' };
  }
}

register({
  en: {
    'legend.optimizer': 'Optimizer and schedule',
    'label.optimizer': 'Optimizer',
    'label.momentum': 'Momentum μ',
    'label.beta1': 'β₁',
    'label.beta2': 'β₂',
    'label.alpha': 'α',
    'label.eps': 'ε',
    'label.schedule': 'Schedule',
    'label.gamma': 'Decay γ',
    'label.step-size': 'Step size',
    'label.decay': 'Decay d',
    'label.total-steps': 'Total steps T',
    'optimizer.sgd': 'Plain GD / SGD',
    'optimizer.momentum': 'Momentum',
    'optimizer.nesterov': 'Nesterov',
    'optimizer.adagrad': 'Adagrad',
    'optimizer.rms-prop': 'RMSprop',
    'optimizer.adam': 'Adam',
    'schedule.constant': 'Constant',
    'schedule.step-decay': 'Step decay',
    'schedule.exponential': 'Exponential',
    'schedule.inverse-time': 'Inverse time',
    'schedule.cosine': 'Cosine',
    'schedule.formula.constant': 'ηₜ = η',
    'schedule.formula.step-decay': 'ηₜ = η·γ^⌊t/step size⌋',
    'schedule.formula.exponential': 'ηₜ = η·γᵗ',
    'schedule.formula.inverse-time': 'ηₜ = η/(1 + d·t)',
    'schedule.formula.cosine': 'ηₜ = η·(1 + cos(π·min(t,T)/T))/2',
    'readout.lr-effective': 'Effective rate ηₜ',
    'note.l1-subgradient': 'With {optimizer} the L1 part enters as a subgradient λ₁·sign(θ₁), sign(0) = 0, instead of the proximal (soft-threshold) step of plain gradient descent: θ₁ jitters around 0 rather than landing on it.',
  },
  zh: {
    'legend.optimizer': '优化器与学习率计划',
    'label.optimizer': '优化器',
    'label.momentum': '动量 μ',
    'label.beta1': 'β₁',
    'label.beta2': 'β₂',
    'label.alpha': 'α',
    'label.eps': 'ε',
    'label.schedule': '学习率计划',
    'label.gamma': '衰减 γ',
    'label.step-size': '步长间隔',
    'label.decay': '衰减 d',
    'label.total-steps': '总步数 T',
    'optimizer.sgd': '梯度下降 / SGD',
    'optimizer.momentum': '动量法',
    'optimizer.nesterov': 'Nesterov',
    'optimizer.adagrad': 'Adagrad',
    'optimizer.rms-prop': 'RMSprop',
    'optimizer.adam': 'Adam',
    'schedule.constant': '恒定',
    'schedule.step-decay': '阶梯衰减',
    'schedule.exponential': '指数衰减',
    'schedule.inverse-time': '反时间衰减',
    'schedule.cosine': '余弦退火',
    'schedule.formula.constant': 'ηₜ = η',
    'schedule.formula.step-decay': 'ηₜ = η·γ^⌊t/步长间隔⌋',
    'schedule.formula.exponential': 'ηₜ = η·γᵗ',
    'schedule.formula.inverse-time': 'ηₜ = η/(1 + d·t)',
    'schedule.formula.cosine': 'ηₜ = η·(1 + cos(π·min(t,T)/T))/2',
    'readout.lr-effective': '有效学习率 ηₜ',
    'note.l1-subgradient': '使用 {optimizer} 时，L1 部分以次梯度 λ₁·sign(θ₁)（sign(0) = 0）进入更新，而不是普通梯度下降的近端（软阈值）步：θ₁ 在 0 附近抖动，而不是正好落在 0 上。',
  },
});

/** The parameter fields: state key, element id (label key `label.<id>`), box, input attributes. */
const PARAMETERS = [
  { key: 'momentum', id: 'momentum', box: 'optimizer-params', step: '0.01', max: '1' },
  { key: 'beta1', id: 'beta1', box: 'optimizer-params', step: '0.01', max: '1' },
  { key: 'beta2', id: 'beta2', box: 'optimizer-params', step: '0.001', max: '1' },
  { key: 'alpha', id: 'alpha', box: 'optimizer-params', step: '0.01', max: '1' },
  { key: 'eps', id: 'eps', box: 'optimizer-params', step: 'any' },
  { key: 'gamma', id: 'gamma', box: 'schedule-params', step: '0.05', max: '1' },
  { key: 'stepSize', id: 'step-size', box: 'schedule-params', step: '1', min: '1', integer: true },
  { key: 'decay', id: 'decay', box: 'schedule-params', step: 'any' },
  { key: 'totalSteps', id: 'total-steps', box: 'schedule-params', step: '1', min: '1', integer: true },
];

/**
 * Builds the parameter fields (hidden until their kind is chosen) with their error lines into
 * the Descent group's boxes; called before the controls are wired (main.js).
 */
export function buildParameterFields() {
  for (const p of PARAMETERS) {
    const box = byId(p.box);
    const input = h('input', {
      id: p.id, type: 'number', inputmode: p.integer ? 'numeric' : 'decimal', min: p.min ?? '0', max: p.max,
      step: p.step, 'aria-describedby': `${p.id}-error`,
    });
    box.append(h('div', { class: 'field field-stacked', hidden: true },
      h('label', { for: p.id, 'data-i18n': `label.${p.id}` }, t(`label.${p.id}`)), input));
    const errors = box.parentElement.querySelectorAll(`[data-errors-of="${p.box}"]`);
    const error = h('p', { class: 'error', id: `${p.id}-error`, 'data-errors-of': p.box });
    (errors.length ? errors[errors.length - 1] : box).after(error);
  }
}

/**
 * The Descent group's optimizer and schedule part: fills the selects, shows the rows of the
 * chosen kinds' parameters, the L1 note and the schedule's formula (the effective rate is a
 * readout of readouts.js).
 */
export function installOptimizer(app) {
  const optimizer = byId('optimizer');
  const schedule = byId('schedule');
  const note = byId('l1-note');
  const formula = byId('schedule-formula');
  const fill = () => {
    const fillSelect = (select, list, prefix) => {
      if (select.options.length === 0) for (const o of list) select.append(new Option('', o.value));
      for (const option of select.options) option.textContent = t(`${prefix}.${option.value}`);
    };
    fillSelect(optimizer, OPTIMIZERS, 'optimizer');
    fillSelect(schedule, SCHEDULES, 'schedule');
  };
  fill();

  const sync = () => {
    const { state } = app;
    const shown = new Set([
      ...OPTIMIZERS.find((o) => o.value === state.optimizer).params,
      ...SCHEDULES.find((s) => s.value === state.schedule).params,
    ]);
    for (const { key } of PARAMETERS) {
      const row = app.controls.inputs[key].closest('.field');
      const visible = shown.has(key);
      if (row.hidden === visible) row.hidden = !visible;
      if (!visible) app.controls.clearError(key);
    }
    byId('optimizer-params').hidden = state.optimizer === 'sgd';
    byId('schedule-params').hidden = state.schedule === 'constant';
    const l1 = state.optimizer !== 'sgd' && (state.regularization === 'l1' || state.regularization === 'elastic-net');
    const text = l1 ? t('note.l1-subgradient', { optimizer: t(`optimizer.${state.optimizer}`) }) : '';
    if (note.textContent !== text) note.textContent = text;
    formula.textContent = t(`schedule.formula.${state.schedule}`);
  };

  app.on('settings', sync);
  onLanguageChange(() => {
    fill();
    sync();
  });
  app.controls.syncInputs(); // the selects have their options now
  sync();
  return { fill, sync };
}
