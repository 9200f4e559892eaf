// Find a rate: the learning-rate range test (fastai's lr_find) on the page's data, in a dialog.
// The core runs it a few updates per animation frame with run 1's settings from the start θ;
// the runs, their histories and the link do not change. The dialog draws the smoothed loss
// against η, offers each suggestion as a button that sets the learning rate, and says where the
// suggestion falls against the critical rate 2/λmax.

import { flash, h } from '../shell/dom.js';
import { t, onLanguageChange } from '../shell/i18n.js';
import { formatNumber } from '../shell/format.js';
import { canvasPoint, frameWork, sizeCanvas, tuningDialog } from './tuning-dialog.js';

/** fastai's defaults: start 1e-7, end 10, 100 updates, β = 0.98, stop past 4 × the best. */
const SETTINGS = { start: 1e-7, end: 10, numIt: 100, beta: 0.98, stopFactor: 4 };
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
  const buttons = h('div', { class: 'quick tuning-choices', role: 'group', 'aria-label': t('lr-find.suggestions.aria') });
  const verdict = h('p', { class: 'tuning-verdict', id: 'range-test-verdict', 'aria-live': 'polite' });
  const status = h('p', { class: 'hint', id: 'range-test-status' });
  const { dialog, open, canvas, progress } = tuningDialog({ id: 'range-test', button: 'find-rate', prefix: 'lr-find', body: [buttons, verdict, status] });

  let result = null;

  const setRate = (rate) => {
    const value = rounded(rate);
    if (app.controls.commit('learningRate', String(value))) {
      flash(status, t('lr-find.set', { rate: formatNumber(value, DIGITS) }));
      draw();
    }
  };

  const draw = () => {
    sizeCanvas(canvas, 0.56);
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
    const colors = app.catalog.run_colors;
    for (const [k, rule] of RULES.entries()) {
      const rate = result.suggestions[rule];
      if (rate === null || rate === undefined) continue;
      const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.background = colors[k % colors.length];
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

  frameWork(dialog, open, {
    begin: () => {
      verdict.textContent = '';
      buttons.replaceChildren();
      app.vis.range_test_start(SETTINGS.start, SETTINGS.end, SETTINGS.numIt, SETTINGS.beta, SETTINGS.stopFactor);
    },
    work: (count) => app.vis.range_test_advance(count),
    draw,
    fail: (error) => { status.textContent = String(error?.message ?? error); },
    end: () => app.vis.range_test_clear(),
  });

  canvas.addEventListener('click', (event) => {
    const rate = app.vis.range_test_rate_at(...canvasPoint(canvas, event));
    if (Number.isFinite(rate)) setRate(rate);
  });

  onLanguageChange(() => {
    buttons.setAttribute('aria-label', t('lr-find.suggestions.aria'));
    if (dialog.open && result) draw();
  });

  return { dialog, open: () => open.click(), result: () => result };
}
