// The Geometry group's readouts: which x scale θ is in, and, while the features are
// standardized, θ of run 1 in the original scale (the core's to_original_scale), one readout per
// coefficient. The checkboxes themselves (Standardize x, Eigen-directions, Theory rate) are
// entries of the store.

import { h } from '../shell/dom.js';
import { formatNumber, MISSING, subscript } from '../shell/format.js';
import { onLanguageChange, t } from '../shell/i18n.js';
import { coefficientText } from '../shell/readouts.js';

export function install(app) {
  const note = document.getElementById('scale-note');
  const box = document.getElementById('original-readouts');
  const headerThetas = ['theta0', 'theta1'].map((id) => document.querySelector(`[data-testid="${id}"]`));

  const showScale = () => {
    const s = app.analysis?.standardization ?? app.vis.analysis().standardization;
    const d = s ? s.mean.length : 1;
    const several = d > 1;
    const text = !s ? t('scale.original')
      : several ? t('scale.standardized.features', { d })
        : t('scale.standardized', { mean: formatNumber(s.mean[0], 4), std: formatNumber(s.scale[0], 4) });
    if (note.textContent !== text) note.textContent = text;
    box.hidden = !s;
    fitOriginals(s ? d + 1 : 2);
    for (const el of headerThetas) {
      el.dataset.scale = s ? 'standardized' : 'original';
      if (s) el.title = t('scale.title.standardized');
      else el.removeAttribute('title');
    }
  };

  /** Readouts θ₂, θ₃, … in the original scale (θ₀ and θ₁ are in the markup). */
  const extras = [];
  const fitOriginals = (count) => {
    while (extras.length + 2 < count) {
      const k = extras.length + 2;
      const dd = h('dd', { 'data-testid': `theta${k}-original`, 'data-value': '' }, MISSING);
      const row = h('div', { class: 'readout' }, h('dt', {}, t('readout.theta-k-original', { k: subscript(k) })), dd);
      box.append(row);
      app.readouts.el[`theta${k}-original`] = dd;
      extras.push(row);
    }
    while (extras.length + 2 > Math.max(2, count)) {
      const row = extras.pop();
      delete app.readouts.el[`theta${extras.length + 2}-original`];
      row.remove();
    }
  };

  const showOriginal = (reports) => {
    if (box.hidden) return;
    const original = app.vis.to_original_scale(reports[0].theta.theta);
    original.forEach((v, k) => {
      if (app.readouts.el[`theta${k}-original`]) app.readouts.set(`theta${k}-original`, v, coefficientText(v));
    });
  };

  app.on('analysis', showScale);
  app.on('show', showOriginal);
  onLanguageChange(() => {
    extras.forEach((row, i) => { row.firstChild.textContent = t('readout.theta-k-original', { k: subscript(i + 2) }); });
    showScale();
  });
  showScale();
  showOriginal(app.vis.reports());
  return { showScale };
}
