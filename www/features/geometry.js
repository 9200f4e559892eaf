// The Geometry group's readouts: which x scale θ₀, θ₁ are in, and, while x is standardized,
// θ of run 1 in the original scale (the core's to_original_scale). The checkboxes themselves
// (Standardize x, Eigen-directions, Theory rate) are entries of the store.

import { formatNumber } from '../shell/format.js';
import { onLanguageChange, t } from '../shell/i18n.js';

export function install(app) {
  const note = document.getElementById('scale-note');
  const box = document.getElementById('original-readouts');
  const headerThetas = ['theta0', 'theta1'].map((id) => document.querySelector(`[data-testid="${id}"]`));

  const showScale = () => {
    const s = app.analysis?.standardization ?? app.vis.analysis().standardization;
    const text = s
      ? t('scale.standardized', { mean: formatNumber(s.mean[0], 4), std: formatNumber(s.scale[0], 4) })
      : t('scale.original');
    if (note.textContent !== text) note.textContent = text;
    box.hidden = !s;
    for (const el of headerThetas) {
      el.dataset.scale = s ? 'standardized' : 'original';
      if (s) el.title = t('scale.title.standardized');
      else el.removeAttribute('title');
    }
  };

  const showOriginal = (reports) => {
    if (box.hidden) return;
    const [a, b] = app.vis.to_original_scale(reports[0].theta.theta);
    app.readouts.set('theta0-original', a, formatNumber(a, 6));
    app.readouts.set('theta1-original', b, formatNumber(b, 6));
  };

  app.on('analysis', showScale);
  app.on('show', showOriginal);
  onLanguageChange(showScale);
  showScale();
  showOriginal(app.vis.reports());
  return { showScale };
}
