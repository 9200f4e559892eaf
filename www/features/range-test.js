// Find a rate: the learning-rate range test (fastai's lr_find) on the page's data, in a dialog.
// The core runs it a few updates per animation frame with run 1's settings from the start θ;
// the runs, their histories and the link do not change. The dialog draws the smoothed loss
// against η, offers each suggestion as a button that sets the learning rate, and says where the
// suggestion falls against the critical rate 2/λmax.

import { flash, h } from '../shell/dom.js';
import { t, onLanguageChange } from '../shell/i18n.js';
import { formatNumber } from '../shell/format.js';

/** fastai's defaults: start 1e-7, end 10, 100 updates, β = 0.98, stop past 4 × the best. */
const SETTINGS = { start: 1e-7, end: 10, numIt: 100, beta: 0.98, stopFactor: 4 };
/** Time the test may take in one frame, so that the page keeps its frame rate. */
const FRAME_BUDGET_MS = 8;
/** The suggestions, in the order the core reports them; their marks have the runs' first
 * three colours, in this order. */
const RULES = ['valley', 'steep', 'minimum'];
/** Significant digits of a suggested rate, on its button and in the field. */
const DIGITS = 3;

/** The rate as a person reads it and as the field takes it. */
function rounded(rate) {
  return Number(rate.toPrecision(DIGITS));
}

export function install(app) {
  const canvas = h('canvas', { id: 'range-test-canvas', class: 'tuning-canvas', role: 'img', 'aria-label': t('lr-find.canvas.aria') });
  const progress = h('progress', { id: 'range-test-progress', max: String(SETTINGS.numIt), value: '0', 'aria-label': t('lr-find.progress.aria') });
  const buttons = h('div', { class: 'quick tuning-choices', role: 'group', 'aria-label': t('lr-find.suggestions.aria') });
  const verdict = h('p', { class: 'tuning-verdict', id: 'range-test-verdict', 'aria-live': 'polite' });
  const status = h('p', { class: 'hint', id: 'range-test-status' });
  const title = h('h2', { id: 'range-test-title' }, t('lr-find.title'));
  const intro = h('p', { class: 'hint' }, t('lr-find.intro'));
  const dialog = h('dialog', { id: 'range-test-dialog', class: 'dialog dialog-wide', 'aria-labelledby': 'range-test-title' },
    title, intro, progress, canvas, buttons, verdict, status,
    h('form', { method: 'dialog' }, h('button', { class: 'btn btn-small', value: 'close' }, t('lr-find.close'))));
  document.body.append(dialog);
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });

  const open = h('button', { type: 'button', class: 'btn btn-small', id: 'find-rate', 'aria-haspopup': 'dialog' }, t('lr-find.open'));
  const readouts = document.querySelector('[data-settings-group="run"] .readouts-inline');
  readouts?.after(h('div', { class: 'quick tuning-open' }, open));

  let frame = 0;
  /** The measured cost of one update: the first frame takes one, to measure it. */
  let perUpdateMs = FRAME_BUDGET_MS;
  let result = null;

  const setRate = (rate) => {
    const value = rounded(rate);
    if (app.controls.commit('learningRate', String(value))) {
      flash(status, t('lr-find.set', { rate: formatNumber(value, DIGITS) }));
      draw();
    }
  };

  const size = () => {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(280, Math.round(canvas.clientWidth || 640));
    const height = Math.round(Math.min(width * 0.56, Math.max(220, window.innerHeight * 0.5)));
    if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
    if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
  };

  const draw = () => {
    size();
    app.vis.draw_range_test(canvas);
    result = app.vis.range_test_result();
    if (!result) return;
    progress.value = result.taken;
    progress.max = result.num_it;
    showSuggestions();
  };

  const showSuggestions = () => {
    buttons.replaceChildren();
    if (!result.done) {
      status.textContent = t('lr-find.running', { taken: result.taken, total: result.num_it });
      return;
    }
    status.textContent = t(result.stopped === 'diverged' ? 'lr-find.stopped.diverged' : 'lr-find.stopped.num-it', { taken: result.taken });
    for (const rule of RULES) {
      const rate = result.suggestions[rule];
      if (rate === null || rate === undefined) continue;
      const colors = app.catalog.run_colors;
      const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.background = colors[RULES.indexOf(rule) % colors.length];
      const button = h('button', { type: 'button', class: 'btn btn-small suggestion', 'data-rule': rule, 'data-rate': String(rate) },
        swatch, t(`lr-find.rule.${rule}`, { rate: formatNumber(rounded(rate), DIGITS) }));
      button.addEventListener('click', () => setRate(rate));
      buttons.append(button);
    }
    verdict.textContent = sentenceFor(result);
  };

  /** Where the valley suggestion falls against the critical rate of full-batch plain descent. */
  const sentenceFor = (r) => {
    const valley = r.suggestions.valley;
    if (valley === null || valley === undefined) return t('lr-find.verdict.none');
    const critical = r.lr_critical;
    if (critical === null || critical === undefined) return '';
    const vars = { rate: formatNumber(rounded(valley), DIGITS), critical: formatNumber(critical, DIGITS), ratio: formatNumber(valley / critical, 2) };
    const key = valley < critical / 2 ? 'lr-find.verdict.below' : valley <= critical ? 'lr-find.verdict.near' : 'lr-find.verdict.above';
    return `${t(key, vars)}${r.theory ? '' : ` ${t('lr-find.verdict.not-plain')}`}`;
  };

  /** A few updates per frame, as many as fit in the budget (measured as it goes). The first
   * frame only draws the empty plot: the dialog's layout and the first update (which builds a
   * mini-batch run's epoch order) fall in different frames. */
  let drawn = false;
  const tick = () => {
    frame = 0;
    if (!dialog.open) return;
    if (!drawn) {
      drawn = true;
      draw();
      frame = requestAnimationFrame(tick);
      return;
    }
    const updates = Math.max(1, Math.min(SETTINGS.numIt, Math.floor(FRAME_BUDGET_MS / perUpdateMs)));
    const began = performance.now();
    let done;
    try {
      done = app.vis.range_test_advance(updates);
    } catch (error) {
      status.textContent = String(error?.message ?? error);
      return;
    }
    const spent = performance.now() - began;
    perUpdateMs = Math.max(0.001, spent / updates);
    draw();
    if (!done) frame = requestAnimationFrame(tick);
  };

  const start = () => {
    cancelAnimationFrame(frame);
    perUpdateMs = FRAME_BUDGET_MS;
    drawn = false;
    verdict.textContent = '';
    try {
      app.vis.range_test_start(SETTINGS.start, SETTINGS.end, SETTINGS.numIt, SETTINGS.beta, SETTINGS.stopFactor);
    } catch (error) {
      status.textContent = String(error?.message ?? error);
      buttons.replaceChildren();
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
    app.vis.range_test_clear();
  });

  canvas.addEventListener('click', (event) => {
    const box = canvas.getBoundingClientRect();
    const ratio = canvas.width / box.width;
    const rate = app.vis.range_test_rate_at((event.clientX - box.left) * ratio, (event.clientY - box.top) * ratio);
    if (Number.isFinite(rate)) setRate(rate);
  });

  const relabel = () => {
    title.textContent = t('lr-find.title');
    intro.textContent = t('lr-find.intro');
    open.textContent = t('lr-find.open');
    canvas.setAttribute('aria-label', t('lr-find.canvas.aria'));
    progress.setAttribute('aria-label', t('lr-find.progress.aria'));
    buttons.setAttribute('aria-label', t('lr-find.suggestions.aria'));
    dialog.querySelector('form button').textContent = t('lr-find.close');
    if (dialog.open && result) draw();
  };
  onLanguageChange(relabel);

  return { dialog, open: () => open.click(), result: () => result };
}
