// The Geometry group's readouts: which x scale θ₀, θ₁ are in, and, while x is standardized,
// θ of run 1 in the original scale (the core's to_original_scale). The checkboxes themselves
// (Standardize x, Eigen-directions, Theory rate) are entries of state.js's table.

import { formatNumber } from './format.js';
import { onLanguageChange, register, t } from './i18n.js';

register({
  en: {
    'legend.geometry': 'Geometry and start',
    'label.standardize': 'Standardize x',
    'label.overlay-eigen': 'Eigen-directions',
    'label.overlay-theory': 'Theory rate',
    'readout.theta0-original': 'θ₀, original x',
    'readout.theta1-original': 'θ₁, original x',
    'scale.original': 'θ₀, θ₁ are in the original x scale.',
    'scale.standardized': 'θ₀, θ₁ above are for standardized x′ = (x − {mean})/{std}; in the original scale:',
    'scale.title.standardized': 'for standardized x',
  },
  zh: {
    'legend.geometry': '几何与起点',
    'label.standardize': '标准化 x',
    'label.overlay-eigen': '特征方向',
    'label.overlay-theory': '理论速率',
    'readout.theta0-original': 'θ₀（原始 x）',
    'readout.theta1-original': 'θ₁（原始 x）',
    'scale.original': 'θ₀、θ₁ 以原始 x 为尺度。',
    'scale.standardized': '上方的 θ₀、θ₁ 对应标准化的 x′ = (x − {mean})/{std}；换算到原始尺度：',
    'scale.title.standardized': '对应标准化的 x',
  },
});

export function installGeometry(app) {
  const note = document.getElementById('scale-note');
  const box = document.getElementById('original-readouts');
  const headerThetas = ['theta0', 'theta1'].map((id) => document.querySelector(`[data-testid="${id}"]`));
  for (const id of ['theta0-original', 'theta1-original']) {
    app.readouts.el[id] = document.querySelector(`[data-testid="${id}"]`);
  }

  const showScale = () => {
    const s = app.analysis?.standardization ?? app.vis.analysis().standardization;
    const text = s
      ? t('scale.standardized', { mean: formatNumber(s.mean, 4), std: formatNumber(s.scale, 4) })
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
    const { theta0, theta1 } = reports[0].theta;
    const [a, b] = app.vis.to_original_scale(theta0, theta1);
    app.readouts.set('theta0-original', a, formatNumber(a, 6));
    app.readouts.set('theta1-original', b, formatNumber(b, 6));
  };

  app.on('analysis', showScale);
  app.on('show', showOriginal);
  onLanguageChange(showScale);
  showScale();
  showOriginal(app.vis.reports());
}
