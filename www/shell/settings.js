// The entries of the page store, built from the core's catalogue (Visualizer.catalog()): the
// data set, the descent settings, the regularization, the optimizer and the schedule with every
// hyperparameter, the view flags and the speed; then the comparison runs, the start point, the
// language and presenter mode. JavaScript keeps no copy of a default, a range or a list of
// names: they come from the catalogue, and the core checks every value (check_value, or the
// setter that applies it). Each entry says how text from a control or a link becomes a value
// (parse), how a value is written (toText), and how it reaches the core (apply).

import { notANumber, unknownChoice } from './errors.js';

/** Groups in the order a link applies them. */
export const GROUPS = ['data', 'regularization', 'run', 'optimizer', 'schedule', 'view', 'page'];

const asText = (value) => String(value);

/** Text → finite number, or the error of `name` with its range. */
function parseNumber(name, range) {
  return (text) => {
    const trimmed = String(text).trim();
    const value = Number(trimmed);
    if (trimmed === '' || !Number.isFinite(value)) throw notANumber(name, range, text);
    return value;
  };
}

/** A number the core checks by its catalogue key (the same check it applies when stepping). */
function checkedNumber(check, key, name, range) {
  const parse = parseNumber(name, range);
  return (text) => check(key, parse(text));
}

/** A choice among `names` (with old spellings in `aliases`: alias → name). */
function choice(name, names, aliases = {}) {
  return (text) => {
    const value = aliases[text] ?? text;
    if (!names.includes(value)) throw unknownChoice(name, names, text);
    return value;
  };
}

/** An on/off setting's reading and writing: '1' / '0' in a link, true / false in the store. */
export function onOff(key) {
  return {
    parse: (text) => choice(key, ['0', '1'])(String(text)) === '1',
    toText: (value) => (value ? '1' : '0'),
  };
}

/** A checkbox (an on/off setting). */
function flag(key, id, initial, apply) {
  return {
    key, id, group: 'view', live: true, checkbox: true, url: true,
    initial: () => initial,
    ...onOff(key),
    apply,
  };
}

/** The core's object for a kind of `list` (optimizers or schedules) from store values. */
export function coreObject(list, name, values) {
  const kind = list.find((k) => k.name === name) ?? list[0];
  const object = { kind: kind.name };
  for (const p of kind.params) object[p.field] = values[p.key];
  return object;
}

/** The defaults of kind `name` of `list`, as store values. */
export function kindDefaults(list, name) {
  const kind = list.find((k) => k.name === name);
  return kind ? Object.fromEntries(kind.params.map((p) => [p.key, p.default])) : {};
}

/** alias → name for a list of kinds. */
function aliasesOf(list) {
  return Object.fromEntries(list.flatMap((k) => (k.aliases ?? []).map((a) => [a, k.name])));
}

/**
 * The parameters of a list of kinds, one per store key (momentum serves Momentum and Nesterov;
 * ε serves Adagrad, RMSprop and Adam): the entry's initial value is the default of the last kind
 * that has it.
 */
function sharedParams(list) {
  const params = new Map();
  for (const kind of list) for (const p of kind.params) params.set(p.key, p);
  return [...params.values()];
}

/** The id of a parameter's input element: its key in kebab case (stepSize → step-size). */
export const paramId = (key) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);


/**
 * The store's entries. `ctx` is {vis, catalog, check(key, value), n()}: check the core's
 * check of a catalogue value, n() the current number of points.
 * Fields besides the store's own (see store.js): id (the control's element id), live (applies
 * on every `input` event rather than on `change`), checkbox, url (part of a link).
 */
export function settingEntries(ctx) {
  const { vis, catalog } = ctx;
  const presets = catalog.presets;
  const optimizers = catalog.optimizers;
  const schedules = catalog.schedules;
  const run0 = () => vis.run_config(0);
  // A line search is for plain descent: choosing another optimizer turns it off first.
  const optimizerApply = (c, state) => {
    if (state.optimizer !== optimizers[0].name && state.lineSearch !== catalog.line_searches[0].name) {
      c.vis.set_line_search(0, { kind: catalog.line_searches[0].name });
      state.lineSearch = catalog.line_searches[0].name;
    }
    c.vis.set_optimizer(0, coreObject(optimizers, state.optimizer, state));
  };
  const scheduleApply = (c, state) => c.vis.set_schedule(0, coreObject(schedules, state.schedule, state));
  const rateRules = catalog.rate_rules;
  const lineSearches = catalog.line_searches;
  const rateRuleApply = (c, state) => c.vis.set_rate_rule(0, coreObject(rateRules, state.rateRule, state));
  const lineSearchApply = (c, state) => c.vis.set_line_search(0, coreObject(lineSearches, state.lineSearch, state));
  const dataApply = (c, state) => c.vis.load_preset(state.dataset, state.points, state.noise, state.seed);
  const regularizationApply = (c, state) => c.vis.set_regularization(state.regularization, state.lambda, state.l1Ratio);
  // The model and its degree go to the core together; the core reports the model it fits
  // (the data decides between one x column and several).
  const modelApply = (c, state) => c.vis.set_model(state.model, state.degree);
  const overlays = (c, state) => c.vis.set_overlays(state.eigenDirections, state.theoryRate);
  const param = (p, group, apply) => ({
    key: p.key, id: paramId(p.key), group, url: true, param: p,
    initial: () => p.default,
    parse: checkedNumber(ctx.check, p.key, p.name, p.range),
    toText: asText,
    apply,
  });
  // A step-size rule (rate rule, line search): its choice (left out of a link when none, its
  // parameters taking their defaults when it is chosen) and its parameters (in a link only while
  // the chosen rule has them).
  const ruleEntries = (key, id, list, apply) => {
    const chosenHas = (store, p) => list.find((r) => r.name === store.get(key))?.params.some((q) => q.key === p.key);
    return [
      {
        key, id, group: 'schedule', live: true, url: true,
        initial: () => list[0].name,
        parse: choice(id, list.map((r) => r.name)),
        toText: asText,
        apply,
        omit: (value) => value === list[0].name,
        companions: (value) => kindDefaults(list, value),
      },
      ...sharedParams(list).map((p) => ({ ...param(p, 'schedule', apply), omit: (value, store) => !chosenHas(store, p) })),
    ];
  };
  const dataEntry = (key, initial, parse) => ({
    key, id: key, group: 'data', url: true, initial, parse, toText: asText, apply: dataApply,
    companions: () => ({ data: 'preset' }),
  });

  return [
    {
      key: 'dataset', id: 'dataset', group: 'data', live: true, url: true,
      initial: () => presets[0].name,
      parse: choice('dataset', presets.map((p) => p.name)),
      toText: asText,
      apply: dataApply,
      // Choosing a data set also takes that preset's number of points and noise (the seed stays).
      companions: (value) => {
        const preset = presets.find((p) => p.name === value);
        return { data: 'preset', ...(preset ? { points: preset.points, noise: preset.noise } : {}) };
      },
    },
    dataEntry('points', () => presets[0].points, checkedNumber(ctx.check, 'points', 'points', catalog.points.range)),
    dataEntry('noise', () => presets[0].noise, checkedNumber(ctx.check, 'noise', 'noise', catalog.noise.range)),
    dataEntry('seed', () => catalog.seed.default, checkedNumber(ctx.check, 'seed', 'seed', catalog.seed.range)),
    {
      key: 'model', id: 'model', group: 'data', live: true, url: true,
      initial: () => catalog.models[0],
      parse: choice('model', catalog.models),
      toText: asText,
      apply: modelApply,
      read: () => vis.model(),
      // Data of several columns says its model itself: a link names only the line's or the
      // polynomial's.
      omit: (value) => value !== 'polynomial',
    },
    {
      key: 'degree', id: 'degree', group: 'data', url: true,
      initial: () => catalog.degree.default,
      parse: checkedNumber(ctx.check, 'degree', 'degree', catalog.degree.range),
      toText: asText,
      apply: modelApply,
      omit: (value, store) => store.get('model') !== 'polynomial',
    },
    {
      key: 'learningRate', id: 'learning-rate', group: 'run', url: true,
      initial: () => catalog.learning_rate.default,
      parse: parseNumber('learning-rate', catalog.learning_rate.range),
      toText: asText,
      apply: (c, state) => c.vis.set_learning_rate(0, state.learningRate),
      read: () => run0().learning_rate,
    },
    {
      key: 'batchSize', id: 'batch-size', group: 'run', url: true,
      initial: (c) => c.n(),
      parse: (text) => parseNumber('batch-size', { kind: 'integer-in', lo: catalog.batch_size.min, hi: ctx.n() })(text),
      toText: asText,
      apply: (c, state) => c.vis.set_batch_size(0, state.batchSize),
      read: () => run0().batch_size,
    },
    {
      key: 'regularization', id: 'regularization', group: 'regularization', live: true, url: true,
      initial: () => catalog.regularizations[0].name,
      parse: choice('regularization', catalog.regularizations.map((r) => r.name)),
      toText: asText,
      apply: regularizationApply,
    },
    ...catalog.regularization_params.map((p) => param(p, 'regularization', regularizationApply)),
    {
      key: 'loss', id: 'loss-convention', group: 'regularization', live: true, url: true,
      initial: () => catalog.loss_conventions[0].name,
      parse: choice('loss', catalog.loss_conventions.map((l) => l.name)),
      toText: asText,
      apply: (c, state) => c.vis.set_loss_convention(state.loss),
    },
    {
      key: 'optimizer', id: 'optimizer', group: 'optimizer', live: true, url: true,
      initial: () => optimizers[0].name,
      parse: choice('optimizer', optimizers.map((o) => o.name), aliasesOf(optimizers)),
      toText: asText,
      apply: optimizerApply,
      // Choosing an optimizer takes its defaults (torch.optim's).
      companions: (value) => kindDefaults(optimizers, value),
    },
    ...sharedParams(optimizers).map((p) => param(p, 'optimizer', optimizerApply)),
    {
      key: 'schedule', id: 'schedule', group: 'schedule', live: true, url: true,
      initial: () => schedules[0].name,
      parse: choice('schedule', schedules.map((s) => s.name), aliasesOf(schedules)),
      toText: asText,
      apply: scheduleApply,
    },
    ...sharedParams(schedules).map((p) => param(p, 'schedule', scheduleApply)),
    ...ruleEntries('rateRule', 'rate-rule', rateRules, rateRuleApply),
    ...ruleEntries('lineSearch', 'line-search', lineSearches, lineSearchApply),
    flag('standardize', 'standardize', false, (c, state) => c.vis.set_standardize(state.standardize)),
    flag('eigenDirections', 'overlay-eigen', true, overlays),
    flag('theoryRate', 'overlay-theory', true, overlays),
    flag('logIterations', 'log-iterations', false, (c, state) => c.vis.set_log_iterations(state.logIterations)),
    {
      key: 'speed', id: 'speed', group: 'page', url: true,
      initial: () => catalog.speed.default,
      parse: checkedNumber(ctx.check, 'speed', 'speed', catalog.speed.range),
      toText: asText,
      // read by the loop on every frame
    },
    // Whether the points are a preset's or the user's own (edited, imported, from a link).
    { key: 'data', group: 'data', initial: () => 'preset', toText: asText },
  ];
}

/** The settings that a control of the settings column shows (those with an element id). */
export function controlEntries(entries) {
  return entries.filter((e) => e.id);
}
