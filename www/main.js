// Bootstrap: loads the wasm core, builds the page's parts and connects them.
//   state.js     the settings table (defaults, parsing, how each reaches the core)
//   controls.js  the settings column
//   readouts.js  numbers, status, messages
//   loop.js      Play / Pause / Step on requestAnimationFrame
//   plots.js     canvas sizes and drawing

import init, { Visualizer } from './pkg/gdviz.js';
import { Controls } from './controls.js';
import { errorMessage } from './format.js';
import { Player } from './loop.js';
import { Plots } from './plots.js';
import { Readouts } from './readouts.js';
import { applyAll, initialState } from './state.js';
import { t } from './i18n.js';
import { buildTeachingMarkup, installTeaching } from './teaching.js';
import { installTools } from './tools.js';

const byId = (id) => document.getElementById(id);

class App {
  constructor(vis) {
    this.vis = vis;
    const analysis = vis.analysis();
    this.ctx = {
      presets: Visualizer.presets(),
      n: analysis.n,
      learningRate: vis.run_config(0).learning_rate,
    };
    this.state = initialState(this.ctx);
    /** True while the data are the user's own points (edited or imported), not a preset. */
    this.customData = false;
    this.listeners = {};
    applyAll(vis, this.state);
    this.ctx.n = vis.analysis().n;

    this.buttons = { step: byId('step'), play: byId('play'), reset: byId('reset') };
    this.readouts = new Readouts();
    this.readouts.tolerance = vis.run_config(0).tol;
    this.controls = new Controls(this);
    this.player = new Player({
      step: (updates) => this.vis.step(updates),
      show: (reports) => this.show(reports),
      speed: () => this.state.speed,
      changed: () => this.refresh(),
    });
    this.plots = new Plots(vis, {
      plots: byId('plots'),
      surfaceStatic: byId('surface-static'),
      surfaceMoving: byId('surface-moving'),
      fitStatic: byId('fit-static'),
      fitMoving: byId('fit-moving'),
      loss: byId('loss'),
    }, (error) => console.error('gdviz: drawing failed:', errorMessage(error)));
  }

  start() {
    this.controls.build();
    this.buttons.step.addEventListener('click', () => this.player.stepOnce());
    this.buttons.play.addEventListener('click', () => this.player.toggle());
    this.buttons.reset.addEventListener('click', () => this.reset());
    this.refreshAnalysis();
    this.plots.resize();
    this.refresh();
    document.body.dataset.ready = 'true';
  }

  /** Calls `listener(detail)` on `event`: 'settings' ({group, key}), 'reset', 'analysis', 'show' (reports). */
  on(event, listener) {
    (this.listeners[event] ??= []).push(listener);
  }

  emit(event, detail) {
    for (const listener of this.listeners[event] ?? []) listener(detail);
  }

  /**
   * Restarts every run from (theta0, theta1), by default the start θ (θ = (0, 0) unless a start
   * was chosen). Throws the core's exception on a bad start (after pausing).
   */
  reset(theta0 = this.vis.theta_start()[0], theta1 = this.vis.theta_start()[1]) {
    this.player.pause();
    this.vis.reset(theta0, theta1);
    this.emit('reset');
    this.refresh();
  }

  /**
   * A setting changed (already applied to the core). Key 'custom': the user's own points
   * replaced the data (editing.js, io.js); any other data setting goes back to a preset.
   */
  settingsChanged(group, key) {
    if (group === 'data') this.customData = key === 'custom';
    if (group === 'data' || group === 'regularization' || key === 'standardize') {
      this.refreshAnalysis();
    }
    if (key === 'standardize') this.emit('reset'); // the core restarted the runs
    if (group === 'data') {
      // The core keeps full batch at full batch and clamps a batch larger than the new n.
      this.ctx.n = this.vis.analysis().n;
      this.state = { ...this.state, batchSize: this.vis.run_config(0).batch_size };
      this.controls.syncInputs();
    }
    if (!this.player.playing) this.refresh();
    this.emit('settings', { group, key });
  }

  refreshAnalysis() {
    const analysis = this.vis.analysis();
    this.analysis = analysis;
    this.readouts.showAnalysis(analysis);
    this.controls.showAnalysis(analysis);
    this.emit('analysis', analysis);
  }

  /** Shows the current state without stepping. */
  refresh() {
    this.show(this.vis.reports());
  }

  /** Readouts (of run 1), buttons (while any run goes on) and plots for the given reports. */
  show(reports) {
    this.readouts.showReport(reports[0], this.player.playing);
    const finished = reports.every((r) => r.status !== 'running');
    const play = this.buttons.play;
    const label = this.player.playing ? t('button.pause') : t('button.play');
    if (play.textContent !== label) play.textContent = label;
    play.disabled = finished;
    this.buttons.step.disabled = finished;
    this.plots.draw();
    this.emit('show', reports);
  }
}

function fatal(error) {
  const message = byId('message') ?? document.querySelector('[data-testid="message"]');
  const text = `gdviz could not start: ${errorMessage(error)}. Build the page with "make serve".`;
  if (message) message.textContent = text;
  console.error(text);
}

async function main() {
  await init();
  const app = new App(new Visualizer());
  buildTeachingMarkup(); // fields that the settings table wires in app.start()
  app.start();
  installTeaching(app); // optimizers, schedules, comparison runs, start point, geometry, explanation
  installTools(app); // editing, import/export, URL state, timeline, keyboard, languages
  window.gdviz = app; // for debugging in the console
}

main().catch(fatal);
