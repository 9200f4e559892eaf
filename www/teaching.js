// The teaching tools of issue 4, installed after the page has started and before the tools of
// issue 5 (whose URL state calls app.setStart and app.setComparisons):
//   optimizer.js  optimizer and schedule rows of the Descent group
//   geometry.js   standardized / original scale of θ
//   start.js      the start point: click or drag on the surface, two number fields
//   runs.js       comparison runs, ladders, the runs list
//   explain.js    "How this step works": the update rule in MathML with the current numbers

import { installExplain } from './explain.js';
import { installGeometry } from './geometry.js';
import { register } from './i18n.js';
import { buildParameterFields, installOptimizer } from './optimizer.js';
import { installRuns } from './runs.js';
import { installStart } from './start.js';

register({
  en: { 'readout.samples-seen': 'Samples seen' },
  zh: { 'readout.samples-seen': '已用样本' },
});

/** Markup built from tables, needed before the controls are wired (before app.start()). */
export function buildTeachingMarkup() {
  buildParameterFields();
}

export function installTeaching(app) {
  installOptimizer(app);
  installGeometry(app);
  installStart(app);
  installRuns(app);
  installExplain(app);
}
