// Comparison runs: up to 6 runs on the same data, stepping together, each drawn by the core in
// its own colour (RUN_COLORS of src/render/mod.rs, in that order) and named in its legend.
// The "Comparison runs" section lists every run (swatch, legend name, status, loss; a remove
// button from run 2 on), adds a run from a small form (defaults copied from run 1), and offers
// two one-click ladders. Run 1 is always the page's own run (the settings column); a ladder keeps
// it as the middle rung and replaces the comparisons by the other two rungs:
//   η ladder:     run 1 at η, run 2 at η/2, run 3 at 2η
//   batch ladder: run 1 at its batch size, then 1, 32 and full (n) except run 1's own size
// Adding runs (one or a ladder, or from a link) restarts every run from the start point, so that
// all of them step together from iteration 0.
//
// For url.js: `app.comparisons` (the configs of runs 2…6, JSON) and `app.setComparisons(list)`
// (replaces them; returns the messages of refused entries).

import { errorMessage, formatNumber } from './format.js';
import { byId, h, throttle } from './dom.js';
import { onLanguageChange, register, t } from './i18n.js';
import { OPTIMIZERS, SCHEDULES, optimizerDefaults, optimizerObject, scheduleObject } from './optimizer.js';
import { MAX_SEED } from './state.js';
import { localizeMessage } from './strings.js';

/** Most runs the core keeps (run 1 and five comparisons). */
export const MAX_RUNS = 6;

/** The core's run colours (src/render/mod.rs RUN_COLORS), Okabe–Ito. */
export const RUN_COLORS = ['#d55e00', '#0072b2', '#009e73', '#cc79a7', '#e69f00', '#56b4e9'];

/** The fields of a run's settings that a link carries. */
const FIELDS = ['learning_rate', 'batch_size', 'optimizer', 'schedule', 'seed', 'tol'];

/** How often the list follows the runs while playing (ms). */
const REFRESH_MS = 100;

register({
  en: {
    'runs.title': 'Comparison runs',
    'runs.caption': 'Runs (each steps with Step and Play)',
    'runs.run': 'Run {n}',
    'runs.remove': 'Remove',
    'runs.remove.aria': 'Remove run {n}',
    'runs.status.running': 'going on',
    'runs.status.converged': 'converged',
    'runs.status.diverged': 'diverged',
    'runs.loss': 'J = {loss}',
    'runs.ladder.lr': 'Ladder: η/2, η, 2η',
    'runs.ladder.batch': 'Ladder: batch 1, 32, full',
    'runs.ladder.note': 'A ladder keeps run 1 and replaces the other runs by the remaining rungs.',
    'runs.clear': 'Remove comparisons',
    'runs.add.title': 'Add a run (starts from run 1’s settings)',
    'runs.add.optimizer': 'New run optimizer',
    'runs.add.learning-rate': 'New run learning rate',
    'runs.add.batch-size': 'New run batch size',
    'runs.add.schedule': 'New run schedule',
    'runs.add.seed': 'New run seed',
    'runs.add': 'Add run',
    'runs.add.copy': 'Copy run 1',
    'runs.full': 'The page holds at most {max} runs.',
    'runs.added': 'Added run {n}; every run restarted from the start point.',
    'runs.refused': 'run {n}: {message}',
    'runs.bad-entry': 'run {n}: expected an object with the run’s settings',
    'runs.bad-batch': 'batch size must be an integer in [1, {n}], got {got}',
    'runs.bad-seed': 'seed must be an integer in [0, {max}], got {got}',
    'runs.bad-rate': 'learning rate must be a finite number > 0, got {got}',
  },
  zh: {
    'runs.title': '对比运行',
    'runs.caption': '运行（单步和播放时一起前进）',
    'runs.run': '运行 {n}',
    'runs.remove': '移除',
    'runs.remove.aria': '移除运行 {n}',
    'runs.status.running': '进行中',
    'runs.status.converged': '已收敛',
    'runs.status.diverged': '已发散',
    'runs.loss': 'J = {loss}',
    'runs.ladder.lr': '阶梯：η/2、η、2η',
    'runs.ladder.batch': '阶梯：批大小 1、32、全量',
    'runs.ladder.note': '阶梯保留运行 1，并用其余各档替换其他运行。',
    'runs.clear': '移除对比运行',
    'runs.add.title': '添加运行（以运行 1 的设置为初值）',
    'runs.add.optimizer': '新运行的优化器',
    'runs.add.learning-rate': '新运行的学习率',
    'runs.add.batch-size': '新运行的批大小',
    'runs.add.schedule': '新运行的学习率计划',
    'runs.add.seed': '新运行的随机种子',
    'runs.add': '添加运行',
    'runs.add.copy': '复制运行 1',
    'runs.full': '页面最多容纳 {max} 个运行。',
    'runs.added': '已添加运行 {n}；所有运行都从起点重新开始。',
    'runs.refused': '运行 {n}：{message}',
    'runs.bad-entry': '运行 {n}：应为包含运行设置的对象',
    'runs.bad-batch': 'batch size must be an integer in [1, {n}], got {got}',
    'runs.bad-seed': 'seed must be an integer in [0, {max}], got {got}',
    'runs.bad-rate': 'learning rate must be a finite number > 0, got {got}',
  },
});

/** A config's own copy of the link fields (nothing else from a link's object is used). */
function pick(entry, base) {
  const config = { ...base };
  for (const field of FIELDS) {
    if (Object.hasOwn(entry, field)) config[field] = entry[field];
  }
  return config;
}

export function installRuns(app) {
  const vis = app.vis;
  const body = byId('runs-body');
  const section = byId('runs-section');

  // ---- the contract with url.js ----------------------------------------------------------------
  Object.defineProperty(app, 'comparisons', {
    configurable: true,
    get: () => {
      const list = [];
      for (let i = 1; i < vis.run_count(); i += 1) {
        const config = vis.run_config(i);
        list.push(Object.fromEntries(FIELDS.map((f) => [f, config[f]])));
      }
      return list;
    },
  });

  /** Replaces runs 2…6 by `list`, restarts every run; returns the messages of refused entries. */
  app.setComparisons = (list) => {
    const errors = [];
    vis.clear_comparisons();
    const base = vis.run_config(0);
    [].concat(list ?? []).forEach((entry, i) => {
      const n = i + 2;
      if (vis.run_count() >= MAX_RUNS) {
        errors.push(t('runs.refused', { n, message: t('runs.full', { max: MAX_RUNS }) }));
      } else if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
        errors.push(t('runs.bad-entry', { n }));
      } else {
        try {
          vis.add_run(pick(entry, base));
        } catch (error) {
          errors.push(t('runs.refused', { n, message: localizeMessage(errorMessage(error)) }));
        }
      }
    });
    app.reset();
    render();
    return errors;
  };

  // ---- the list of runs ----------------------------------------------------------------------
  const list = h('ol', { class: 'runs-list', id: 'runs-list', 'aria-live': 'off' });
  const rows = [];
  const render = () => {
    const count = vis.run_count();
    while (rows.length > count) rows.pop().row.remove();
    while (rows.length < count) {
      const i = rows.length;
      const swatch = h('span', { class: 'run-swatch', 'aria-hidden': 'true' });
      swatch.style.background = RUN_COLORS[i % RUN_COLORS.length];
      const name = h('span', { class: 'run-name', 'data-testid': `run-label-${i}` });
      const status = h('span', { class: 'run-status', 'data-testid': `run-status-${i}` });
      const loss = h('span', { class: 'run-loss', 'data-testid': `run-loss-${i}` });
      const row = h('li', { class: 'run-row', 'data-run': String(i) }, swatch, name, status, loss);
      if (i > 0) {
        const remove = h('button', { type: 'button', class: 'btn btn-tiny run-remove' }, t('runs.remove'));
        remove.addEventListener('click', () => {
          vis.remove_run(i);
          render();
          app.refresh();
          app.emit('settings', { group: 'runs', key: 'remove' });
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
    app.setComparisons([0.5, 2].map((k) => ({ ...base, learning_rate: base.learning_rate * k })));
  });
  ladderBatch.addEventListener('click', () => {
    const base = vis.run_config(0);
    const n = app.ctx.n;
    const sizes = [...new Set([1, Math.min(32, n), n])].filter((b) => b !== base.batch_size);
    app.setComparisons(sizes.map((b) => ({ ...base, batch_size: b })));
  });
  clear.addEventListener('click', () => app.setComparisons([]));

  // ---- the form that adds a run ----------------------------------------------------------------
  const field = (id, key, control) => h('div', { class: 'field field-stacked' },
    h('label', { for: id, 'data-i18n': key }, t(key)), control);
  const optimizer = h('select', { id: 'new-run-optimizer' });
  const schedule = h('select', { id: 'new-run-schedule' });
  const fillSelects = () => {
    for (const [select, items, prefix] of [[optimizer, OPTIMIZERS, 'optimizer'], [schedule, SCHEDULES, 'schedule']]) {
      if (select.options.length === 0) for (const item of items) select.append(new Option('', item.value));
      for (const option of select.options) option.textContent = t(`${prefix}.${option.value}`);
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
    optimizer.value = app.state.optimizer;
    schedule.value = app.state.schedule;
    rate.value = String(base.learning_rate);
    batch.value = String(base.batch_size);
    batch.max = String(app.ctx.n);
    seed.value = String(base.seed);
    message.textContent = '';
  };
  const add = () => {
    done.textContent = '';
    const n = app.ctx.n;
    const lr = Number(rate.value);
    const b = Number(batch.value);
    const s = Number(seed.value);
    let problem = '';
    if (rate.value.trim() === '' || !Number.isFinite(lr) || lr <= 0) problem = t('runs.bad-rate', { got: rate.value || '""' });
    else if (!Number.isInteger(b) || b < 1 || b > n) problem = t('runs.bad-batch', { n, got: batch.value || '""' });
    else if (!Number.isInteger(s) || s < 0 || s > MAX_SEED) problem = t('runs.bad-seed', { max: MAX_SEED, got: seed.value || '""' });
    if (problem) {
      message.textContent = localizeMessage(problem);
      return;
    }
    const kind = optimizer.value;
    const config = {
      ...vis.run_config(0),
      learning_rate: lr,
      batch_size: b,
      seed: s,
      optimizer: kind === app.state.optimizer ? optimizerObject(app.state)
        : optimizerObject({ optimizer: kind, ...optimizerDefaults(kind) }),
      schedule: scheduleObject({ ...app.state, schedule: schedule.value }),
    };
    const errors = app.setComparisons([...app.comparisons, config]);
    message.textContent = errors.join(' ');
    if (errors.length === 0) done.textContent = t('runs.added', { n: vis.run_count() });
  };
  addButton.addEventListener('click', add);
  copy.addEventListener('click', copyRun0);
  section.addEventListener('toggle', () => { if (section.open) copyRun0(); });

  body.append(
    h('p', { class: 'runs-caption', 'data-i18n': 'runs.caption' }, t('runs.caption')),
    list,
    h('div', { class: 'runs-actions' }, ladderLr, ladderBatch, clear),
    h('p', { class: 'hint', 'data-i18n': 'runs.ladder.note' }, t('runs.ladder.note')),
    h('div', { class: 'add-run', role: 'group', 'aria-label': t('runs.add.title'), 'data-i18n-attr': 'aria-label:runs.add.title' },
      h('p', { class: 'runs-caption', 'data-i18n': 'runs.add.title' }, t('runs.add.title')),
      h('div', { class: 'add-run-grid' },
        field('new-run-optimizer', 'runs.add.optimizer', optimizer),
        field('new-run-schedule', 'runs.add.schedule', schedule),
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
}
