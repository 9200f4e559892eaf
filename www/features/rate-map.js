// The stability map of heavy-ball momentum (Distill's (α, β) figure, on the page's data), in a
// dialog: the rate of full-batch heavy-ball descent over (η, μ) from the Hessian's spectrum,
// divergence in hatched grey, Polyak's optimum and plain descent's best rate marked, and the
// rates of 16 × 16 real runs measured a few per frame and drawn as dots on the same scale.
// A click on the map chooses Momentum with that η and μ.

import { flash, h } from '../shell/dom.js';
import { t, onLanguageChange } from '../shell/i18n.js';
import { formatNumber } from '../shell/format.js';

/** Time the real runs may take in one frame. */
const FRAME_BUDGET_MS = 8;
/** Significant digits of a rate or a momentum set from the map. */
const DIGITS = 3;

const rounded = (v) => Number(v.toPrecision(DIGITS));

export function install(app) {
  const canvas = h('canvas', { id: 'rate-map-canvas', class: 'tuning-canvas', role: 'img', 'aria-label': t('rate-map.canvas.aria') });
  const progress = h('progress', { id: 'rate-map-progress', max: '256', value: '0', 'aria-label': t('rate-map.progress.aria') });
  const title = h('h2', { id: 'rate-map-title' }, t('rate-map.title'));
  const intro = h('p', { class: 'hint' }, t('rate-map.intro'));
  const marks = h('p', { class: 'tuning-verdict', id: 'rate-map-marks' });
  const check = h('p', { class: 'tuning-verdict', id: 'rate-map-check', 'aria-live': 'polite' });
  const caveats = h('ul', { class: 'tuning-caveats', id: 'rate-map-caveats' });
  const status = h('p', { class: 'hint', id: 'rate-map-status' });
  const dialog = h('dialog', { id: 'rate-map-dialog', class: 'dialog dialog-wide', 'aria-labelledby': 'rate-map-title' },
    title, intro, progress, canvas, marks, check, caveats, status,
    h('form', { method: 'dialog' }, h('button', { class: 'btn btn-small', value: 'close' }, t('rate-map.close'))));
  document.body.append(dialog);
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });

  const open = h('button', { type: 'button', class: 'btn btn-small', id: 'stability-map', 'aria-haspopup': 'dialog' }, t('rate-map.open'));
  const row = document.querySelector('.tuning-open');
  if (row) row.append(open);
  else document.querySelector('[data-settings-group="run"] .readouts-inline')?.after(h('div', { class: 'quick tuning-open' }, open));

  let frame = 0;
  let perRunMs = FRAME_BUDGET_MS;
  let drawn = false;
  let report = null;

  const size = () => {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(280, Math.round(canvas.clientWidth || 640));
    const height = Math.round(Math.min(width * 0.6, Math.max(220, window.innerHeight * 0.5)));
    if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
    if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
  };

  const draw = () => {
    size();
    app.vis.draw_rate_map(canvas);
    report = app.vis.rate_map_result();
    if (!report) return;
    progress.value = report.measured;
    progress.max = report.total;
    describe();
  };

  const describe = () => {
    const r = report;
    const parts = [];
    if (r.optimum) {
      parts.push(t('rate-map.marks.optimum', {
        lr: formatNumber(r.optimum.lr, DIGITS), momentum: formatNumber(r.optimum.momentum, DIGITS), rate: formatNumber(r.optimum.rate, 4),
      }));
    }
    if (r.plain_best) parts.push(t('rate-map.marks.plain', { lr: formatNumber(r.plain_best.lr, DIGITS), rate: formatNumber(r.plain_best.rate, 4) }));
    if (!r.optimum) parts.push(t('rate-map.marks.none'));
    marks.textContent = parts.join(' ');
    const a = r.agreement;
    if (!r.done) {
      check.textContent = t('rate-map.check.running', { measured: r.measured, total: r.total });
    } else if (a.compared > 0) {
      check.textContent = t('rate-map.check.done', {
        total: r.total, compared: a.compared, median: formatNumber(a.median_gap, 2), max: formatNumber(a.max_gap, 2),
        diverged: a.diverged, predicted: a.predicted_divergent,
      });
    } else {
      check.textContent = t('rate-map.check.none');
    }
    caveats.replaceChildren(...r.caveats.map((c) => h('li', {}, t(`rate-map.caveat.${c.kind}`, { optimizer: c.optimizer ? t(app.catalog.optimizers.find((o) => o.name === c.optimizer)?.label ?? c.optimizer) : '' }))));
  };

  const tick = () => {
    frame = 0;
    if (!dialog.open) return;
    if (!drawn) {
      drawn = true;
      draw();
      frame = requestAnimationFrame(tick);
      return;
    }
    const count = Math.max(1, Math.floor(FRAME_BUDGET_MS / perRunMs));
    const began = performance.now();
    let done;
    try {
      done = app.vis.rate_map_measure(count);
    } catch (error) {
      status.textContent = String(error?.message ?? error);
      return;
    }
    perRunMs = Math.max(0.01, (performance.now() - began) / count);
    draw();
    if (!done) frame = requestAnimationFrame(tick);
  };

  const start = () => {
    cancelAnimationFrame(frame);
    perRunMs = FRAME_BUDGET_MS;
    drawn = false;
    status.textContent = '';
    try {
      app.vis.rate_map_start();
    } catch (error) {
      status.textContent = String(error?.message ?? error);
      return;
    }
    frame = requestAnimationFrame(tick);
  };

  open.addEventListener('click', () => {
    if (!dialog.open) dialog.showModal();
    start();
  });
  dialog.addEventListener('close', () => {
    cancelAnimationFrame(frame);
    frame = 0;
    app.vis.rate_map_clear();
  });

  canvas.addEventListener('click', (event) => {
    const box = canvas.getBoundingClientRect();
    const ratio = canvas.width / box.width;
    const point = app.vis.rate_map_point_at((event.clientX - box.left) * ratio, (event.clientY - box.top) * ratio);
    if (point.length !== 2) return;
    const [lr, momentum] = [rounded(point[0]), Math.min(0.999, Number(point[1].toFixed(3)))];
    const ok = app.controls.commit('optimizer', 'momentum') && app.controls.commit('momentum', String(momentum))
      && app.controls.commit('learningRate', String(lr));
    if (ok) {
      flash(status, t('rate-map.set', { lr: formatNumber(lr, DIGITS), momentum: formatNumber(momentum, DIGITS) }));
      draw();
    }
  });

  const relabel = () => {
    title.textContent = t('rate-map.title');
    intro.textContent = t('rate-map.intro');
    open.textContent = t('rate-map.open');
    canvas.setAttribute('aria-label', t('rate-map.canvas.aria'));
    progress.setAttribute('aria-label', t('rate-map.progress.aria'));
    dialog.querySelector('form button').textContent = t('rate-map.close');
    if (dialog.open && report) draw();
  };
  onLanguageChange(relabel);

  return { dialog, open: () => open.click(), result: () => report };
}
