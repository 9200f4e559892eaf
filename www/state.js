// The one table of page settings. Each entry says where its control is, its default, how text
// from the control (or, later, from the URL) becomes a value, and how the value reaches the wasm
// core. Controls, readouts and the URL all go through this table; nothing else knows the list.
//
// Groups: settings of one group are applied together by the group's `apply`, because the core
// takes them together (a data set from its generator settings, a regularization from kind, λ
// and ρ; an optimizer from its kind and hyperparameters; a schedule from its kind and
// parameters). `apply` throws the core's exception on a bad value; the caller keeps the last good
// value and shows the message at the control.

import { OPTIMIZERS, SCHEDULES, optimizerDefaults, optimizerObject, scheduleObject } from './optimizer.js';

/** Largest seed the core accepts (2^53 − 1: every integer up to it is exact in a double). */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/** Learning-rate slider range (log scale). */
export const LR_MIN = 1e-5;
export const LR_MAX = 10;

/** Speed: updates per animation frame. */
export const SPEED_MIN = 1;
export const SPEED_MAX = 1000;

export const REGULARIZATIONS = [
  { value: 'none', label: 'None' },
  { value: 'l1', label: 'L1 (lasso)' },
  { value: 'l2', label: 'L2 (ridge)' },
  { value: 'elastic-net', label: 'Elastic net' },
];

/** Thrown by a parser: `message` is shown at the control, phrased like the core's errors. */
export class SettingError extends Error {}

function describeText(text) {
  return text.trim() === '' ? 'an empty field' : `"${text.trim()}"`;
}

/** Text → finite number, or a SettingError naming the setting and its range. */
function number(name, range) {
  return (text) => {
    const value = Number(String(text).trim());
    if (String(text).trim() === '' || !Number.isFinite(value)) {
      throw new SettingError(`${name} must be ${range}, got ${describeText(String(text))}`);
    }
    return value;
  };
}

/** Text → integer in [lo, hi] (used for settings the core does not see). */
function integerIn(name, lo, hi) {
  const range = `an integer in [${lo}, ${hi}]`;
  const parse = number(name, range);
  return (text) => {
    const value = parse(text);
    if (!Number.isInteger(value) || value < lo || value > hi) {
      throw new SettingError(`${name} must be ${range}, got ${value}`);
    }
    return value;
  };
}

/** Text → number satisfying `ok`, checked here too (the core ignores λ and ρ while unused). */
function numberWhere(name, range, ok) {
  const parse = number(name, range);
  return (text) => {
    const value = parse(text);
    if (!ok(value)) throw new SettingError(`${name} must be ${range}, got ${value}`);
    return value;
  };
}

function choice(name, values) {
  return (text) => {
    if (!values.includes(text)) {
      throw new SettingError(`${name} must be one of ${values.join(', ')}, got "${text}"`);
    }
    return text;
  };
}

const asText = (value) => String(value);

/** A checkbox: '1' / '0' in the URL, true / false in the state. */
function flag(key, id, initial, apply) {
  return {
    key, id, group: 'view', live: true, checkbox: true,
    initial: () => initial,
    parse: (text) => choice(key, ['1', '0'])(String(text)) === '1',
    toText: (value) => (value ? '1' : '0'),
    apply,
  };
}

/** A number setting of the optimizer or the schedule (checked here: the core sees only the
 * current kind's parameters). */
function parameter(key, id, group, name, range, ok, initial) {
  return { key, id, group, initial: () => initial, parse: numberWhere(name, range, ok), toText: asText };
}

const overlays = (vis, state) => vis.set_overlays(state.eigenDirections, state.theoryRate);

/**
 * The settings. Fields:
 * - key: name in the state object (and, later, in the URL)
 * - id: the id of the control's input element (its <label for> points at it)
 * - group: settings applied together ('data', 'regularization', 'run', 'page')
 * - initial(ctx): the default value (ctx: {presets, n})
 * - parse(text, ctx): text → value, throws SettingError
 * - toText(value): value → text for the control and the URL
 * - live: true when the control applies on every `input` event (selects and sliders);
 *   number fields apply on `change` (Enter, leaving the field, the spinner arrows)
 */
export const SETTINGS = [
  {
    key: 'dataset', id: 'dataset', group: 'data', live: true,
    initial: (ctx) => ctx.presets[0].name,
    parse: (text, ctx) => choice('dataset', ctx.presets.map((p) => p.name))(text),
    toText: asText,
  },
  {
    key: 'points', id: 'points', group: 'data',
    initial: (ctx) => ctx.presets[0].points,
    parse: number('points', 'an integer in [2, 1000000]'),
    toText: asText,
  },
  {
    key: 'noise', id: 'noise', group: 'data',
    initial: (ctx) => ctx.presets[0].noise,
    parse: number('noise', 'a finite number ≥ 0'),
    toText: asText,
  },
  {
    key: 'seed', id: 'seed', group: 'data',
    initial: () => 1,
    parse: number('seed', `an integer in [0, ${MAX_SEED}]`),
    toText: asText,
  },
  {
    key: 'learningRate', id: 'learning-rate', group: 'run',
    initial: (ctx) => ctx.learningRate,
    parse: number('learning rate', 'a finite number > 0'),
    toText: asText,
    apply: (vis, state) => vis.set_learning_rate(0, state.learningRate),
  },
  {
    key: 'batchSize', id: 'batch-size', group: 'run',
    initial: (ctx) => ctx.n,
    parse: (text, ctx) => number('batch size', `an integer in [1, ${ctx.n}]`)(text),
    toText: asText,
    apply: (vis, state) => vis.set_batch_size(0, state.batchSize),
  },
  {
    key: 'regularization', id: 'regularization', group: 'regularization', live: true,
    initial: () => 'none',
    parse: choice('regularization', REGULARIZATIONS.map((r) => r.value)),
    toText: asText,
  },
  {
    key: 'lambda', id: 'reg-strength', group: 'regularization',
    initial: () => 0.1,
    parse: numberWhere('regularization strength λ', 'a finite number ≥ 0', (v) => v >= 0),
    toText: asText,
  },
  {
    key: 'l1Ratio', id: 'l1-ratio', group: 'regularization',
    initial: () => 0.5,
    parse: numberWhere('L1 ratio ρ', 'in [0, 1]', (v) => v >= 0 && v <= 1),
    toText: asText,
  },
  {
    key: 'optimizer', id: 'optimizer', group: 'optimizer', live: true,
    initial: () => 'sgd',
    parse: choice('optimizer', OPTIMIZERS.map((o) => o.value)),
    toText: asText,
  },
  parameter('momentum', 'momentum', 'optimizer', 'momentum μ', 'in [0, 1)', (v) => v >= 0 && v < 1, 0.9),
  parameter('beta1', 'beta1', 'optimizer', 'beta1 β1', 'in [0, 1)', (v) => v >= 0 && v < 1, 0.9),
  parameter('beta2', 'beta2', 'optimizer', 'beta2 β2', 'in [0, 1)', (v) => v >= 0 && v < 1, 0.999),
  parameter('alpha', 'alpha', 'optimizer', 'alpha α', 'in [0, 1)', (v) => v >= 0 && v < 1, 0.99),
  parameter('eps', 'eps', 'optimizer', 'epsilon ε', 'a finite number > 0', (v) => v > 0, 1e-8),
  {
    key: 'schedule', id: 'schedule', group: 'schedule', live: true,
    initial: () => 'constant',
    parse: choice('schedule', SCHEDULES.map((o) => o.value)),
    toText: asText,
  },
  parameter('gamma', 'gamma', 'schedule', 'decay γ', 'in (0, 1]', (v) => v > 0 && v <= 1, 0.5),
  parameter('stepSize', 'step-size', 'schedule', 'step size', 'an integer ≥ 1',
    (v) => Number.isInteger(v) && v >= 1 && v <= MAX_SEED, 10),
  parameter('decay', 'decay', 'schedule', 'decay d', 'a finite number ≥ 0', (v) => v >= 0, 0.1),
  parameter('totalSteps', 'total-steps', 'schedule', 'total steps', 'an integer ≥ 1',
    (v) => Number.isInteger(v) && v >= 1 && v <= MAX_SEED, 100),
  flag('standardize', 'standardize', false, (vis, state) => vis.set_standardize(state.standardize)),
  flag('eigenDirections', 'overlay-eigen', true, overlays),
  flag('theoryRate', 'overlay-theory', true, overlays),
  {
    key: 'speed', id: 'speed', group: 'page',
    initial: () => 2,
    parse: integerIn('speed', SPEED_MIN, SPEED_MAX),
    toText: asText,
    apply: () => {}, // read by the loop on every frame
  },
];

/** Settings by key. */
export const SETTING = Object.fromEntries(SETTINGS.map((s) => [s.key, s]));

/** How each group reaches the core; `state` is the candidate state with the new value in it. */
export const GROUPS = {
  data: (vis, state) => vis.load_preset(state.dataset, state.points, state.noise, state.seed),
  regularization: (vis, state) =>
    vis.set_regularization(state.regularization, state.lambda, state.l1Ratio),
  run: (vis, state, setting) => setting.apply(vis, state),
  optimizer: (vis, state) => vis.set_optimizer(0, optimizerObject(state)),
  schedule: (vis, state) => vis.set_schedule(0, scheduleObject(state)),
  view: (vis, state, setting) => setting.apply(vis, state),
  page: () => {},
};

/** The default state for the given context ({presets, n, learningRate}). */
export function initialState(ctx) {
  return Object.fromEntries(SETTINGS.map((s) => [s.key, s.initial(ctx)]));
}

/**
 * Changes to make together with `key = value`: choosing a data set also takes that preset's
 * number of points and noise (the seed stays); choosing an optimizer takes its torch defaults.
 */
export function companions(key, value, ctx) {
  if (key === 'dataset') {
    const preset = ctx.presets.find((p) => p.name === value);
    if (preset) return { points: preset.points, noise: preset.noise };
  }
  if (key === 'optimizer') return optimizerDefaults(value);
  return {};
}

/**
 * Applies `key = text` to the core. Returns the new state; throws SettingError (from parsing)
 * or the core's exception (a bad value), in which case neither the state nor the core changed.
 */
export function applySetting(vis, state, key, text, ctx) {
  const setting = SETTING[key];
  const value = setting.parse(text, ctx);
  const candidate = { ...state, ...companions(key, value, ctx), [key]: value };
  GROUPS[setting.group](vis, candidate, setting);
  return candidate;
}

/** Applies every group once (start-up): the core then holds exactly `state`. */
export function applyAll(vis, state) {
  GROUPS.data(vis, state);
  GROUPS.regularization(vis, state);
  for (const s of SETTINGS) {
    if (s.group === 'run' || s.group === 'view') s.apply(vis, state);
  }
  GROUPS.optimizer(vis, state);
  GROUPS.schedule(vis, state);
}
