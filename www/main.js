// Bootstrap: loads the wasm core and its catalogue, builds the app (store, settings column,
// readouts, loop, plots; www/shell/) and installs the features, each from its own module in
// www/features/. Each feature's install(app) adds its part of the page and returns its small
// API (app.features[name]); the list below is the page's table of contents.

import init, { Visualizer } from './pkg/gdviz.js';
import { App } from './shell/app.js';
import { addCoreEnglish } from './shell/i18n.js';
import { fitSurface } from './plots/plots.js';
import * as presenter from './features/presenter.js';
import * as language from './features/language.js';
import * as keyboard from './features/keyboard.js';
import * as geometry from './features/geometry.js';
import * as columns from './features/columns.js';
import * as axes from './features/axes.js';
import * as start from './features/start.js';
import * as runs from './features/runs.js';
import * as explain from './features/explain.js';
import * as rangeTest from './features/range-test.js';
import * as rateMap from './features/rate-map.js';
import * as editing from './features/editing.js';
import * as timeline from './features/timeline.js';
import * as data from './features/data.js';
import * as drop from './features/drop.js';
import * as exporting from './features/export.js';
import * as table from './features/table.js';
import * as descriptions from './features/descriptions.js';
import * as embed from './features/embed.js';
import * as lesson from './features/lesson.js';
import * as lessonEditor from './features/lesson-editor.js';
import * as handout from './features/handout.js';
import * as link from './features/link.js';
import * as keep from './features/keep.js';
import * as failure from './features/failure.js';
import * as notebook from './features/notebook.js';

/** The features, in the order they are installed (the link after the others: it applies every
 * setting; then the data kept in this browser, restored unless the link brought its own). */
const FEATURES = {
  failure,    // a trap of the wasm module: the loop stops, the page says so, the data stays
  language,   // English / 简体中文, the plots' words included
  presenter,  // Presenter mode: larger text and lines for a projector
  keyboard,   // shortcuts and their "?" dialog
  geometry,   // which x scale θ is in; θ in the original scale
  columns,    // which x columns a model of several fits
  axes,       // which two coefficients the loss surface shows
  start,      // the start point: click or drag on the surface, or two fields
  runs,       // comparison runs and ladders
  explain,    // "How this step works"
  rangeTest,  // Find a rate: the learning-rate range test (fastai's lr_find) on the page's data
  rateMap,    // the stability map of (η, μ) for heavy-ball momentum, checked against real runs
  editing,    // add, move, delete points on the data plot
  timeline,   // look back at any earlier step
  data,       // Data ▾: import CSV (file, paste), export the points
  drop,       // a CSV file dropped on the page: the same import, a drop target while dragging
  exporting,  // Export ▾: PNG of each plot and of the dashboard, trajectory CSV
  table,      // trajectory table and the live region, for screen readers
  descriptions, // each plot's text alternative, following the run
  embed,      // embed mode for slides (embed=1, show=…) and Export ▾ → Copy embed code
  lesson,     // lessons: scenes on a projector stage, Lesson ▾, PgDn / PgUp, a lesson in a link
  lessonEditor, // a teacher's own lessons: written from the page, kept in this browser
  handout,    // the settings line of the printed page
  link,       // every setting in the URL, Copy link
  keep,       // the user's own data kept in this browser, restored on load
  notebook,   // in a Jupyter notebook (gdviz.Explorer): the widget's settings, state and commands
};

function fatal(error) {
  const message = document.querySelector('[data-testid="message"]');
  const text = `gdviz could not start: ${error?.message ?? error}. Build the page with "make serve".`;
  if (message) message.textContent = text;
  console.error(text);
}

/** How long one task of the start-up may run before it lets the browser paint and answer input
 * (a task past 50 ms counts as blocking). */
const SLICE_MS = 10;

/** Resolves in a new task: scheduler.yield where the browser has it, else a message to itself
 * (not throttled in a background tab, as timers are). */
function nextTask() {
  if (globalThis.scheduler?.yield) return globalThis.scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

async function main() {
  const plots = document.getElementById('plots');
  if (plots) fitSurface(plots); // the plots where they stay, before the module loads
  // The start-up's phases, as performance marks (the page benchmark reports them).
  const mark = (phase) => performance.mark(`gdviz:${phase}`);
  // The lessons' files and this browser's kept lessons are read while the module compiles.
  const lessonsRead = lesson.loadLessons();
  await init();
  mark('module');
  const catalog = Visualizer.catalog();
  addCoreEnglish(Object.fromEntries([
    ...catalog.presets.flatMap((p) => [[`preset.${p.name}.label`, p.label], [`preset.${p.name}.description`, p.description]]),
    ...catalog.value_names.map((v) => [`name.${v.key}`, v.english]),
  ]));
  await nextTask();
  const app = new App(new Visualizer(), catalog, (key, value) => Visualizer.check_value(key, value));
  await nextTask();
  app.start();
  // The first picture, one plot a task; the browser may show it, and answer a key or a click,
  // before the features are installed. Their installation is cut into tasks of about SLICE_MS.
  await app.drawFirst(nextTask);
  mark('app');
  await lessonsRead; // the built-in lessons, the kept ones and the link's, before the link may open one
  mark('lessons');
  let slice = performance.now();
  for (const [name, feature] of Object.entries(FEATURES)) {
    app.features[name] = feature.install(app);
    if (performance.now() - slice > SLICE_MS) {
      await nextTask();
      slice = performance.now();
    }
  }
  mark('features');
  await app.features.keep.restored; // the page is ready once the data kept in this browser is back
  mark('ready');
  document.body.dataset.ready = 'true';
  window.gdviz = app; // for debugging in the console
}

main().catch(fatal);
