// The app: the wasm Visualizer, its catalogue, the page store, the animation loop, the
// readouts, the settings column and the plots, and the events features listen to:
//   'reset'    every run restarted (Reset, a new start point, new comparison runs)
//   'analysis' the data or the objective changed: the critical rate, κ, θ* (the analysis)
//   'show'     the runs were shown (reports of every run), after a step or a refresh
// Settings change through app.store; the app reacts to the changes that touch the data, the
// objective or the runs, so that features need not.

import { Player } from './loop.js';
import { Readouts } from './readouts.js';
import { settingEntries, GROUPS } from './settings.js';
import { Store } from './store.js';
import { onLanguageChange, t } from './i18n.js';
import { formatInteger } from './format.js';
import { Plots } from '../plots/plots.js';
import { Controls } from '../settings/controls.js';

const byId = (id) => document.getElementById(id);


export class App {
  /**
   * @param {object} vis the wasm Visualizer
   * @param {object} catalog Visualizer.catalog()
   * @param {(key: string, value: number) => number} check the core's check of a catalogue value
   */
  constructor(vis, catalog, check) {
    this.vis = vis;
    this.catalog = catalog;
    this.listeners = {};
    this.features = {};
    const ctx = { vis, catalog, check, app: this, n: () => this.n };
    this.store = new Store(settingEntries(ctx), ctx);
    this.applyAll();

    this.buttons = { step: byId('step'), play: byId('play'), reset: byId('reset') };
    this.readouts = new Readouts();
    this.readouts.tolerance = catalog.tolerance;
    this.player = new Player({
      step: (updates) => this.vis.step(updates),
      show: (reports) => this.show(reports),
      speed: () => this.store.get('speed'),
      changed: () => this.refresh(),
    });
    this.plots = new Plots(vis, byId('plots'), (error) => console.error('gdviz: drawing failed:', error?.message ?? error));
    this.controls = new Controls(this);
    this.store.subscribe((change) => this.changed(change));
  }

  /** Number of data points. */
  get n() {
    return this.analysis?.n ?? this.vis.analysis().n;
  }

  /** Applies every setting of the store once (start-up): the core then holds exactly them. */
  applyAll() {
    const state = this.store.snapshot();
    const done = new Set();
    for (const group of GROUPS) {
      for (const entry of this.store.entries) {
        if (entry.group !== group || !entry.apply) continue;
        // Entries of one group that share an apply (data, regularization, optimizer, schedule) go once.
        if (done.has(entry.apply)) continue;
        done.add(entry.apply);
        entry.apply(this.store.ctx, state, entry.key);
      }
    }
    this.analysis = this.vis.analysis();
    this.store.refresh('batchSize', 'model');
  }

  /** Builds the settings column and lays out the plots (drawn by drawFirst). */
  start() {
    this.controls.build();
    this.buttons.step.addEventListener('click', () => this.player.stepOnce());
    this.buttons.play.addEventListener('click', () => this.player.toggle());
    this.buttons.reset.addEventListener('click', () => this.reset());
    this.refreshAnalysis();
    onLanguageChange(() => this.readouts.setCoefficients(Array.from(this.vis.feature_names())));
    this.plots.resize({ draw: false });
  }

  /** Draws the first picture one plot a task (`between` starts the next task), then the
   * readouts. */
  async drawFirst(between) {
    await this.plots.drawEach(between);
    this.refresh();
  }

  /** Calls `listener(detail)` on `event` ('reset', 'analysis', 'show'). */
  on(event, listener) {
    (this.listeners[event] ??= []).push(listener);
  }

  emit(event, detail) {
    for (const listener of this.listeners[event] ?? []) listener(detail);
  }

  /** Restarts every run from the start point. */
  reset() {
    this.player.pause();
    this.vis.reset(this.vis.theta_start());
    this.restarted();
  }

  /** The core restarted the runs (after a reset, a new start, new runs, standardizing). */
  restarted() {
    this.emit('reset');
    this.refresh();
  }

  /**
   * Replaces the data by the user's own points: `action` changes the core's data (an edit, an
   * import, the points of a link) and throws the core's error, in which case nothing changed.
   */
  replaceData(action) {
    action();
    this.store.set('data', 'custom', { always: true, source: 'data' });
  }

  /** Reacts to a change of the store that touches the data, the objective or the runs. */
  changed({ keys }) {
    const groups = new Set([...keys].map((k) => this.store.entry(k)?.group));
    const data = groups.has('data');
    if (data || groups.has('regularization') || keys.has('standardize')) {
      this.refreshAnalysis();
    }
    if (data) {
      // The core keeps a full batch full and clamps a batch larger than the new n.
      this.store.refresh('batchSize', 'model', ...(this.store.entry('runs') ? ['runs'] : []));
    }
    if (keys.has('standardize')) this.emit('reset'); // the core restarted the runs
    if (!this.player.playing) this.refresh();
  }

  refreshAnalysis() {
    const analysis = this.vis.analysis();
    this.analysis = analysis;
    this.readouts.showAnalysis(analysis);
    this.readouts.setCoefficients(Array.from(this.vis.feature_names()));
    this.controls.showAnalysis(analysis);
    this.emit('analysis', analysis);
  }

  /** Shows the current state without stepping. */
  refresh() {
    this.show(this.vis.reports());
  }

  /** Says when the frame's time budget holds the loop below the speed asked for. */
  showSpeedLimit() {
    const limit = this.player.playing ? this.player.limit : null;
    const text = limit === null ? '' : t('hint.speed-limited', { k: formatInteger(limit) });
    const box = byId('speed-limit');
    if (box.textContent !== text) box.textContent = text;
  }

  /** Readouts (of run 1), buttons (while any run goes on) and plots for the given reports;
   * the readouts and what the 'show' listeners write only when `text` (the loop leaves them
   * out of most frames while playing: see TEXT_INTERVAL_MS in shell/loop.js). */
  show(reports, text = true) {
    if (text) {
      this.readouts.showReport(reports[0], this.player.playing);
      this.showSpeedLimit();
    }
    const finished = reports.every((r) => r.status !== 'running');
    const play = this.buttons.play;
    const label = this.player.playing ? t('button.pause') : t('button.play');
    if (play.textContent !== label) play.textContent = label;
    play.disabled = finished;
    this.buttons.step.disabled = finished;
    this.plots.draw();
    if (text) this.emit('show', reports);
  }
}

