// The page in a Jupyter notebook, as the widget gdviz.Explorer (python/gdviz/explorer.py). The
// widget's ESM (scripts/widget-host.js, built by scripts/widget.mjs from dist/) shows this page
// in an <iframe srcdoc> in embed mode and puts its host on the frame element
// (frameElement.gdvizNotebook): the widget's model, reached through get / set / on / off /
// send. This feature keeps the model and the page in step:
//   - each setting of the notebook's table (notebookSettings: the descent, the optimizer, the
//     schedule, the rate rule, the line search, the objective, the degree, standardize and the
//     speed) is a traitlet: the model's value comes in as a person's input does (the store,
//     validated, the refusal shown at its control), and the page's own changes (a slider
//     dragged, a field typed, an optimizer's defaults) go out to the model;
//   - the run's state (iteration, θ in the original scale, loss, status, critical rate, κ, the
//     number of points) goes out at most every REPORT_INTERVAL_MS;
//   - the model's data (float64 columns, as binary buffers) or preset replaces the page's;
//   - Python's commands (step n, play, pause, reset) act as the buttons do; the trajectory (the
//     Export menu's CSV) is sent after each of them, when Python asks, and when a run ends.
// The header also shows the number of points; "Open in gdviz" and the link's notice go (a
// frame's page has no address to open or share). Outside a notebook (no host: a page of its own, a frame of another site)
// nothing here runs.

import { h } from '../shell/dom.js';
import { formatInteger } from '../shell/format.js';
import { t } from '../shell/i18n.js';
import { pageStatus } from '../shell/readouts.js';
import { sameValue } from '../shell/store.js';
import { parseShow } from './embed.js';

/** Least time between two reports of the page's state to the model (ms): 10 a second. */
export const REPORT_INTERVAL_MS = 100;
/** Most updates one call of the core's step takes (MAX_UPDATES_PER_CALL in src/wasm/mod.rs). */
const UPDATES_PER_CALL = 1_000_000;

/** The store's choices and the catalogue's list of each. */
const CHOICES = {
  optimizer: 'optimizers', schedule: 'schedules', rateRule: 'rate_rules', lineSearch: 'line_searches',
  regularization: 'regularizations', loss: 'loss_conventions',
};
/** The store's groups whose every setting is a traitlet, and the settings of other groups that are. */
const GROUPS = new Set(['run', 'regularization', 'optimizer', 'schedule']);
const ALSO = ['degree', 'standardize', 'speed'];

/** A store key's traitlet: snake case (learningRate → learning_rate); λ is `lam`, as gdviz.fit
 * names it (`lambda` is Python's keyword). */
export const traitName = (key) => (key === 'lambda' ? 'lam' : key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));

/**
 * The notebook's settings, one per traitlet, from the store's entries and the catalogue: the
 * one table of them (scripts/widget.mjs writes it, with each one's default, range and the core's
 * message, for Python). Each is {trait, key, group, kind, …}: kind 'number' (with the
 * catalogue's range and whether it is an integer), 'batch' (an integer from the catalogue's
 * least to the number of points), 'degree' (the polynomial's degree, or null for the line or
 * the model of every column), 'choice' (choices and aliases) or 'flag'.
 */
export function notebookSettings(entries, catalog) {
  return entries.filter((e) => e.id && (GROUPS.has(e.group) || ALSO.includes(e.key))).map((e) => {
    const base = { trait: traitName(e.key), key: e.key, group: e.group };
    if (e.checkbox) return { ...base, kind: 'flag' };
    if (CHOICES[e.key]) {
      const list = catalog[CHOICES[e.key]];
      const aliases = Object.fromEntries(list.flatMap((k) => (k.aliases ?? []).map((a) => [a, k.name])));
      return { ...base, kind: 'choice', choices: list.map((k) => k.name), aliases };
    }
    if (e.key === 'batchSize') return { ...base, kind: 'batch', integer: true, min: catalog.batch_size.min };
    if (e.key === 'degree') return { ...base, kind: 'degree', integer: true, range: catalog.degree.range };
    const p = e.param ?? { learningRate: catalog.learning_rate, speed: catalog.speed }[e.key];
    if (!p) throw new Error(`gdviz: the notebook has no range for the setting "${e.key}"`);
    return { ...base, kind: 'number', integer: p.integer, range: p.range };
  });
}

/** The host of this page when it is a notebook's widget, else null. */
export function notebookHost(win = window) {
  try {
    return win.frameElement?.gdvizNotebook ?? null;
  } catch {
    return null; // a frame of another origin
  }
}

/** A number as JSON carries it: a non-finite one as text ("NaN", "Infinity", "-Infinity"). */
const wire = (v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);

/** The model's data ({rows, x: bytes of the columns one after the other, y, names}) as the
 * core's set_columns takes it; null when the model has none. */
function modelData(host) {
  const rows = host.get('_rows');
  if (!rows) return null;
  const floats = (value, count) => {
    // A DataView (ipywidgets' binary buffers), another view or an ArrayBuffer, of another realm.
    const view = ArrayBuffer.isView(value) ? value : new DataView(value);
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    const out = new Float64Array(count);
    new Uint8Array(out.buffer).set(bytes.subarray(0, count * 8));
    return out;
  };
  const names = Array.from(host.get('_names') ?? [], String);
  const k = Math.max(1, names.length - 1);
  const x = floats(host.get('_x'), rows * k);
  const columns = Array.from({ length: k }, (_, j) => x.subarray(j * rows, (j + 1) * rows));
  return { columns, ys: floats(host.get('_y'), rows), names };
}

export function install(app) {
  const host = notebookHost();
  if (!host) return { active: false };
  const { store } = app;
  const settings = notebookSettings(store.entries, app.catalog);

  // The header: the number of points beside the iteration and the loss. A frame's page has no
  // address to open or to share: no "Open in gdviz", no notice that a link cannot carry the data.
  const points = h('dd', { 'data-testid': 'points-count', 'data-value': '' }, '');
  document.querySelector('.topbar .readouts')?.append(h('div', { class: 'readout readout-samples', 'data-embed-keep': '' },
    h('dt', { 'data-i18n': 'label.points' }, t('label.points')), points));
  for (const id of ['embed-open', 'link-note']) document.getElementById(id)?.remove();
  const showPoints = () => {
    const n = app.n;
    points.textContent = formatInteger(n);
    points.dataset.value = String(n);
  };
  showPoints();
  app.on('analysis', showPoints);

  /** A person's input at the control of `key` (Controls.commit, with the refusal returned). */
  const commit = (key, text) => {
    try {
      store.setText(key, text, { source: 'notebook' });
    } catch (error) {
      app.controls.showError(key, error, null);
      return error;
    }
    app.controls.clearError(key);
    app.controls.syncInputs();
    return null;
  };
  const pageValue = (s) => {
    if (s.kind === 'degree') return store.get('model') === 'polynomial' ? store.get('degree') : null;
    return store.get(s.key);
  };
  /** Sets the page's setting `s` to the model's `value`; returns the refusal, if any. */
  const applySetting = (s, value) => {
    if (sameValue(pageValue(s), value)) return null;
    if (s.kind === 'degree') {
      if (value === null) return commit('model', app.vis.column_count() > 1 ? 'columns' : 'line');
      return commit('degree', String(value)) ?? commit('model', 'polynomial');
    }
    if (s.kind === 'flag') return commit(s.key, value ? '1' : '0');
    return commit(s.key, String(value));
  };
  const presetNow = () => (store.get('data') === 'preset' ? store.get('dataset') : null);

  // ---- the page → the model ------------------------------------------------------------------
  let timer = 0;
  let lastReport = -Infinity;
  let applying = 0; // applying the model's values: the page reports once, after
  let reporting = false; // setting the model: its change events are the page's own
  let refusal = '';
  let restarts = 0;
  let historyWanted = false;
  let endedSent = '';
  let connected = true; // until the widget's view goes

  /** The page's values of every traitlet it reports. */
  const current = () => {
    const report = app.vis.reports()[0];
    const curvature = app.analysis?.curvature ?? {};
    const values = {
      n: app.n,
      preset: presetNow(),
      show: [...store.get('show')],
      iteration: report.iteration,
      theta: Array.from(app.vis.to_original_scale(report.theta.theta), wire),
      loss_value: wire(report.loss),
      status: pageStatus(report, app.player.playing),
      lr_critical: wire(curvature.lr_critical ?? NaN),
      // No condition number: λ_min = 0, the valley is flat in one direction.
      condition_number: wire(curvature.condition_number ?? Infinity),
      error: refusal,
    };
    for (const s of settings) values[s.trait] = pageValue(s);
    return { values, report };
  };

  /** Sends what differs from the model; the trajectory after a command, on request, and once
   * when a run ends. */
  const flush = () => {
    clearTimeout(timer);
    timer = 0;
    if (applying || !connected) return;
    lastReport = performance.now();
    const { values, report } = current();
    const changes = {};
    for (const [key, value] of Object.entries(values)) {
      if (!sameValue(host.get(key), value)) changes[key] = value;
    }
    if (Object.keys(changes).length > 0) {
      reporting = true;
      try {
        host.set(changes);
      } finally {
        reporting = false;
      }
    }
    const ended = report.status === 'converged' || report.status === 'diverged' ? `${restarts}|${report.iteration}` : '';
    if (historyWanted || (ended && ended !== endedSent)) {
      historyWanted = false;
      if (ended) endedSent = ended;
      host.send({ reply: 'history', iteration: report.iteration, csv: app.vis.trajectory_csv() });
    }
  };
  /** A report soon: at most one every REPORT_INTERVAL_MS, the last change always reported. */
  const schedule = () => {
    if (timer || applying) return;
    timer = setTimeout(flush, Math.max(0, lastReport + REPORT_INTERVAL_MS - performance.now()));
  };
  app.on('reset', () => {
    restarts += 1;
    schedule();
  });
  app.on('show', schedule);
  app.on('analysis', schedule);
  const unsubscribe = store.subscribe(schedule);

  // ---- the model → the page ------------------------------------------------------------------
  /** Runs `action` with the page's reports held, then reports once. */
  const applyingModel = (action) => {
    applying += 1;
    try {
      action();
    } finally {
      applying -= 1;
    }
    flush();
  };
  const applyData = () => {
    const data = modelData(host);
    const preset = host.get('preset');
    if (data) {
      try {
        app.replaceData(() => app.vis.set_columns(data.columns, data.ys, data.names));
        app.reset();
      } catch (error) {
        refusal = error?.message ?? String(error);
      }
    } else if (preset && (preset !== presetNow())) {
      const error = commit('dataset', preset);
      if (error) refusal = error.message;
    }
  };
  const applyShow = () => {
    try {
      store.set('show', parseShow([].concat(host.get('show') ?? []).join(',')));
    } catch (error) {
      refusal = error.message;
    }
  };
  /** The model's value of setting `s` into the page; a refusal is reported (the model then
   * takes the page's value back). */
  const applyModelSetting = (s) => {
    const error = applySetting(s, host.get(s.trait));
    if (error) refusal = error.message;
  };

  const listeners = [];
  const listen = (event, fn) => {
    const listener = (...args) => {
      if (!reporting) fn(...args);
    };
    host.on(event, listener);
    listeners.push([event, listener]);
  };
  // The model's changes, taken together once the model has set them all (Python may change
  // several at once: an optimizer and its parameters), the data first, then the settings in the
  // table's order (an optimizer before its parameters, which it resets to its defaults).
  const pending = new Set();
  const applyPending = () => {
    if (pending.size === 0 || !connected) return;
    const due = new Set(pending);
    pending.clear();
    applyingModel(() => {
      refusal = '';
      if (due.has('data') || (due.has('preset') && !host.get('_rows'))) applyData();
      for (const s of settings) if (due.has(s)) applyModelSetting(s);
      if (due.has('show')) applyShow();
    });
  };
  const changed = (what) => () => {
    if (pending.size === 0) queueMicrotask(applyPending);
    pending.add(what);
  };
  for (const s of settings) listen(`change:${s.trait}`, changed(s));
  listen('change:_data_id', changed('data'));
  listen('change:preset', changed('preset'));
  listen('change:show', changed('show'));

  /** Python's commands: what the buttons do, and the trajectory on request. */
  const command = ({ command: name, n }) => {
    applyPending(); // the settings Python changed before this command
    if (name === 'step') {
      app.player.pause();
      let reports = app.vis.reports();
      for (let left = Math.max(1, Math.floor(Number(n) || 1)); left > 0;) {
        const k = Math.min(left, UPDATES_PER_CALL);
        reports = app.vis.step(k);
        left -= k;
        if (reports.every((r) => r.status !== 'running')) break;
      }
      app.show(reports);
    } else if (name === 'play') {
      app.player.play();
    } else if (name === 'pause') {
      app.player.pause();
    } else if (name === 'reset') {
      app.reset();
    } else if (name !== 'history') {
      console.warn(`gdviz: the notebook's command "${name}" is unknown`);
      return;
    }
    historyWanted = name !== 'play';
    flush();
  };

  // The model's state, all at once: the data first, then every setting in the store's order
  // (an optimizer before its parameters, which it resets to its defaults), then what to show.
  applyingModel(() => {
    applyData();
    for (const s of settings) applyModelSetting(s);
    applyShow();
  });
  host.connect({
    command,
    disconnect() {
      connected = false;
      pending.clear();
      for (const [event, fn] of listeners) host.off(event, fn);
      unsubscribe();
      clearTimeout(timer);
      app.player.pause();
    },
  });
  return { active: true, settings, flush };
}
