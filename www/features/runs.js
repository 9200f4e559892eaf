// Comparison runs: up to catalog.max_runs runs on the same data, stepping together, each drawn
// by the core in its own colour (catalog.run_colors, in that order) and named in its legend.
// The "Comparison runs" section lists every run (swatch, legend name, status, loss; a remove
// button from run 2 on), adds a run from a small form (defaults copied from run 1), and offers
// three one-click ladders. Run 1 is always the page's own run (the settings column); a ladder
// keeps it and replaces the comparisons by the other rungs:
//   η ladder:       run 1 at η, run 2 at η/2, run 3 at 2η
//   batch ladder:   run 1 at its batch size, then 1, 32 and full (n) except run 1's own size
//   methods ladder: the core's (Session::methods_ladder): GD at the best constant rate, momentum
//                   at its best tuning, the exact line search, CG and Newton, all full batch
// The comparisons are the store's `runs` (the settings of runs 2…, part of a link); setting them
// restarts every run from the start point, so that all of them step together from iteration 0.

import { byId, h, throttle } from '../shell/dom.js';
import { describeError, invalidValue, notANumber, pageError } from '../shell/errors.js';
import { formatNumber } from '../shell/format.js';
import { onLanguageChange, t } from '../shell/i18n.js';
import { coreObject, kindDefaults } from '../shell/settings.js';

/** The fields of a run's settings that a link carries. */
const FIELDS = ['learning_rate', 'batch_size', 'optimizer', 'schedule', 'rate_rule', 'line_search', 'seed', 'tol'];

/** How often the list follows the runs while playing (ms). */
const REFRESH_MS = 100;

/** Most comparison runs a link may list (more is refused as a whole). */
const MAX_LINK_RUNS = 16;

/** A config's own copy of the link fields (nothing else from a link's object is used). */
function pick(entry, base) {
  const config = { ...base };
  for (const field of FIELDS) {
    if (Object.hasOwn(entry, field)) config[field] = entry[field];
  }
  return config;
}

/** The settings of runs 2… as the core holds them (the link's fields only). */
function comparisons(vis) {
  const list = [];
  for (let i = 1; i < vis.run_count(); i += 1) {
    const config = vis.run_config(i);
    list.push(Object.fromEntries(FIELDS.map((f) => [f, config[f]])));
  }
  return list;
}

export function install(app) {
  const { vis, catalog } = app;
  const MAX_RUNS = catalog.max_runs;
  const body = byId('runs-body');
  const section = byId('runs-section');

  app.store.define({
    key: 'runs', group: 'runs', url: true,
    initial: (ctx) => comparisons(ctx.vis),
    parse: (text) => {
      let list = null;
      try {
        list = JSON.parse(text);
      } catch {
        list = null;
      }
      if (!Array.isArray(list) || list.length > MAX_LINK_RUNS || list.some((r) => r === null || typeof r !== 'object')) {
        throw pageError('url.bad-runs');
      }
      return list;
    },
    toText: (list) => JSON.stringify(list),
    omit: (list) => list.length === 0,
    // Replaces runs 2… by the list and restarts every run; returns the messages of refused entries.
    apply: (ctx, state) => {
      const problems = [];
      ctx.vis.clear_comparisons();
      const base = ctx.vis.run_config(0);
      [].concat(state.runs ?? []).forEach((entry, i) => {
        const n = i + 2;
        if (ctx.vis.run_count() >= MAX_RUNS) {
          problems.push(t('runs.refused', { n, message: t('runs.full', { max: MAX_RUNS }) }));
        } else if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
          problems.push(t('runs.bad-entry', { n }));
        } else {
          try {
            ctx.vis.add_run(pick(entry, base));
          } catch (error) {
            problems.push(t('runs.refused', { n, message: describeError(error) }));
          }
        }
      });
      app.player.pause();
      ctx.vis.reset(ctx.vis.theta_start());
      return problems;
    },
    read: (ctx) => comparisons(ctx.vis),
  });
  const setComparisons = (list) => app.store.set('runs', list, { source: 'runs', always: true });
  app.store.subscribe(({ keys, source }) => {
    if (!keys.has('runs')) return;
    if (source !== 'core') app.restarted();
    render();
  });

  // ---- the list of runs ----------------------------------------------------------------------
  const list = h('ol', { class: 'runs-list', id: 'runs-list', 'aria-live': 'off' });
  const rows = [];
  const render = () => {
    const count = vis.run_count();
    while (rows.length > count) rows.pop().row.remove();
    while (rows.length < count) {
      const i = rows.length;
      const swatch = h('span', { class: 'run-swatch', 'aria-hidden': 'true' });
      swatch.style.background = catalog.run_colors[i % catalog.run_colors.length];
      const name = h('span', { class: 'run-name', 'data-testid': `run-label-${i}` });
      const status = h('span', { class: 'run-status', 'data-testid': `run-status-${i}` });
      const loss = h('span', { class: 'run-loss', 'data-testid': `run-loss-${i}` });
      const row = h('li', { class: 'run-row', 'data-run': String(i) }, swatch, name, status, loss);
      if (i > 0) {
        const remove = h('button', { type: 'button', class: 'btn btn-tiny run-remove' }, t('runs.remove'));
        remove.addEventListener('click', () => {
          setComparisons(app.store.get('runs').filter((_, k) => k !== i - 1));
          (rows[i]?.remove ?? rows[i - 1]?.remove ?? ladderLr).focus();
        });
        row.append(remove);
        rows.push({ row, name, status, loss, remove });
      } else {
        rows.push({ row, name, status, loss, remove: null });
      }
      list.append(row);
    }
    update(vis.reports());
    addButton.disabled = count >= MAX_RUNS;
    clear.disabled = count <= 1;
  };
  const update = (reports) => {
    const labels = vis.run_labels();
    rows.forEach((r, i) => {
      const report = reports[i];
      if (!report) return;
      const text = [`${t('runs.run', { n: i + 1 })}: ${labels[i] ?? ''}`,
        t(`runs.status.${report.status}`), t('runs.loss', { loss: formatNumber(report.loss, 4) })];
      if (r.name.textContent !== text[0]) r.name.textContent = text[0];
      if (r.status.textContent !== text[1]) r.status.textContent = text[1];
      r.status.dataset.value = report.status;
      if (r.loss.textContent !== text[2]) r.loss.textContent = text[2];
      r.loss.dataset.value = String(report.loss);
      if (r.remove) r.remove.setAttribute('aria-label', t('runs.remove.aria', { n: i + 1 }));
    });
  };
  let latest = null;
  const later = throttle(() => { if (latest) update(latest); }, REFRESH_MS);
  app.on('show', (reports) => {
    latest = reports; // a pending throttled update then shows these, not older ones
    if (reports.length !== rows.length) render();
    else if (app.player.playing) later();
    else update(reports);
  });

  // ---- ladders -------------------------------------------------------------------------------
  const ladderLr = h('button', { type: 'button', class: 'btn btn-small', id: 'ladder-lr', 'data-i18n': 'runs.ladder.lr' }, t('runs.ladder.lr'));
  const ladderBatch = h('button', { type: 'button', class: 'btn btn-small', id: 'ladder-batch', 'data-i18n': 'runs.ladder.batch' }, t('runs.ladder.batch'));
  const clear = h('button', { type: 'button', class: 'btn btn-small', id: 'runs-clear', 'data-i18n': 'runs.clear' }, t('runs.clear'));
  ladderLr.addEventListener('click', () => {
    const base = vis.run_config(0);
    setComparisons([0.5, 2].map((k) => ({ ...base, learning_rate: base.learning_rate * k })));
  });
  ladderBatch.addEventListener('click', () => {
    const base = vis.run_config(0);
    const n = app.n;
    const sizes = [...new Set([1, Math.min(32, n), n])].filter((b) => b !== base.batch_size);
    // A line search takes the full batch: the mini-batch rungs step at the learning rate.
    const none = { kind: catalog.line_searches[0].name };
    setComparisons(sizes.map((b) => ({ ...base, batch_size: b, ...(b < n ? { line_search: none } : {}) })));
  });
  const ladderMethods = h('button', { type: 'button', class: 'btn btn-small', id: 'ladder-methods', 'data-i18n': 'runs.ladder.methods' }, t('runs.ladder.methods'));
  ladderMethods.addEventListener('click', () => setComparisons(Array.from(vis.methods_ladder())));
  clear.addEventListener('click', () => setComparisons([]));

  // ---- the form that adds a run ----------------------------------------------------------------
  const field = (id, key, control) => h('div', { class: 'field field-stacked' },
    h('label', { for: id, 'data-i18n': key }, t(key)), control);
  const optimizer = h('select', { id: 'new-run-optimizer' });
  const schedule = h('select', { id: 'new-run-schedule' });
  const rateRule = h('select', { id: 'new-run-rate-rule' });
  const lineSearch = h('select', { id: 'new-run-line-search' });
  const fillSelects = () => {
    for (const [select, items] of [[optimizer, catalog.optimizers], [schedule, catalog.schedules],
      [rateRule, catalog.rate_rules], [lineSearch, catalog.line_searches]]) {
      if (select.options.length === 0) for (const item of items) select.append(new Option('', item.name));
      items.forEach((item, i) => { select.options[i].textContent = t(item.label); });
    }
  };
  fillSelects();
  const rate = h('input', { id: 'new-run-learning-rate', type: 'number', inputmode: 'decimal', min: '0', step: 'any' });
  const batch = h('input', { id: 'new-run-batch-size', type: 'number', inputmode: 'numeric', min: '1', step: '1' });
  const seed = h('input', { id: 'new-run-seed', type: 'number', inputmode: 'numeric', min: '0', step: '1' });
  const addButton = h('button', { type: 'button', class: 'btn btn-small btn-primary', id: 'add-run', 'data-i18n': 'runs.add' }, t('runs.add'));
  const copy = h('button', { type: 'button', class: 'btn btn-small', id: 'copy-run', 'data-i18n': 'runs.add.copy' }, t('runs.add.copy'));
  const message = h('p', { class: 'error', id: 'add-run-error', role: 'alert' });
  const done = h('p', { class: 'hint', id: 'add-run-done', role: 'status' });
  const copyRun0 = () => {
    const base = vis.run_config(0);
    optimizer.value = app.store.get('optimizer');
    schedule.value = app.store.get('schedule');
    rateRule.value = app.store.get('rateRule');
    lineSearch.value = app.store.get('lineSearch');
    rate.value = String(base.learning_rate);
    batch.value = String(base.batch_size);
    batch.max = String(app.n);
    seed.value = String(base.seed);
    message.textContent = '';
  };
  /** A number of the form, or the error of `name` with its range. */
  const formNumber = (input, name, range) => {
    const v = Number(input.value);
    if (input.value.trim() === '' || !Number.isFinite(v)) throw notANumber(name, range, input.value);
    return v;
  };
  const add = () => {
    done.textContent = '';
    const n = app.n;
    let lr;
    let b;
    let s;
    try {
      // The core's checks of the rate and the seed; the batch size against this data's n.
      lr = app.store.ctx.check('learningRate', formNumber(rate, 'learning-rate', catalog.learning_rate.range));
      const batchRange = { kind: 'integer-in', lo: catalog.batch_size.min, hi: n };
      b = formNumber(batch, 'batch-size', batchRange);
      if (!Number.isInteger(b) || b < batchRange.lo || b > n) throw invalidValue('batch-size', batchRange, batch.value);
      s = app.store.ctx.check('seed', formNumber(seed, 'seed', catalog.seed.range));
    } catch (error) {
      message.textContent = describeError(error);
      return;
    }
    const kind = optimizer.value;
    const values = app.store.snapshot();
    const config = {
      ...vis.run_config(0),
      learning_rate: lr,
      batch_size: b,
      seed: s,
      optimizer: kind === values.optimizer ? coreObject(catalog.optimizers, kind, values)
        : coreObject(catalog.optimizers, kind, kindDefaults(catalog.optimizers, kind)),
      schedule: coreObject(catalog.schedules, schedule.value, values),
      rate_rule: rateRule.value === values.rateRule ? coreObject(catalog.rate_rules, rateRule.value, values)
        : coreObject(catalog.rate_rules, rateRule.value, kindDefaults(catalog.rate_rules, rateRule.value)),
      line_search: lineSearch.value === values.lineSearch ? coreObject(catalog.line_searches, lineSearch.value, values)
        : coreObject(catalog.line_searches, lineSearch.value, kindDefaults(catalog.line_searches, lineSearch.value)),
    };
    const errors = setComparisons([...app.store.get('runs'), config]);
    message.textContent = errors.join(' ');
    if (errors.length === 0) done.textContent = t('runs.added', { n: vis.run_count() });
  };
  addButton.addEventListener('click', add);
  copy.addEventListener('click', copyRun0);
  section.addEventListener('toggle', () => { if (section.open) copyRun0(); });

  body.append(
    h('p', { class: 'runs-caption', 'data-i18n': 'runs.caption' }, t('runs.caption')),
    list,
    h('div', { class: 'runs-actions' }, ladderLr, ladderBatch, ladderMethods, clear),
    h('p', { class: 'hint', 'data-i18n': 'runs.ladder.note' }, t('runs.ladder.note')),
    h('div', { class: 'add-run', role: 'group', 'aria-label': t('runs.add.title'), 'data-i18n-attr': 'aria-label:runs.add.title' },
      h('p', { class: 'runs-caption', 'data-i18n': 'runs.add.title' }, t('runs.add.title')),
      h('div', { class: 'add-run-grid' },
        field('new-run-optimizer', 'runs.add.optimizer', optimizer),
        field('new-run-schedule', 'runs.add.schedule', schedule),
        field('new-run-rate-rule', 'runs.add.rate-rule', rateRule),
        field('new-run-line-search', 'runs.add.line-search', lineSearch),
        field('new-run-learning-rate', 'runs.add.learning-rate', rate),
        field('new-run-batch-size', 'runs.add.batch-size', batch),
        field('new-run-seed', 'runs.add.seed', seed)),
      h('div', { class: 'runs-actions' }, addButton, copy),
      message, done),
  );
  copyRun0();
  render();
  onLanguageChange(() => {
    fillSelects();
    update(vis.reports());
    message.textContent = '';
    done.textContent = '';
  });
  return { setComparisons };
}
