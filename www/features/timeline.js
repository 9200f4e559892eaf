// The timeline: a range input from step 0 to the current iteration. Moving it back shows the
// runs as they were at that step (vis.set_scrub; nothing is recomputed) and the readouts show
// the values recorded then (vis.history(0)), marked "viewing step k". The end of the range,
// Step, Play, Reset or a change of the data go back to live. When the core has thinned a long
// history, the page says which steps are kept.

import { h, throttle } from '../shell/dom.js';
import { formatCount, formatInteger, formatNumber } from '../shell/format.js';
import { onLanguageChange, ordinal, t } from '../shell/i18n.js';


/** Index of the last row (of `width` values, the iteration first) whose iteration is ≤ k
 * (rows sorted by iteration), or -1. */
export function rowAtOrBefore(rows, k, width) {
  let lo = 0;
  let hi = rows.length / width - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid * width] <= k) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Least time between two moves of the range's end while playing live (ms). */
const RANGE_MS = 250;

export function install(app) {
  const toolbar = document.getElementById('toolbar');
  const range = h('input', { type: 'range', id: 'timeline', min: '0', max: '0', step: '1', value: '0' });
  range.setAttribute('aria-valuetext', t('timeline.live'));
  const label = h('label', { for: 'timeline', 'data-i18n': 'timeline.label' }, t('timeline.label'));
  const text = h('output', { id: 'timeline-text', for: 'timeline', class: 'timeline-text' }, t('timeline.live'));
  const thinned = h('span', { class: 'hint timeline-thinned', id: 'timeline-thinned' });
  toolbar.prepend(h('div', { class: 'timeline' }, label, range, text, thinned));
  const readoutBox = document.querySelector('.topbar .readouts');

  let live = 0; // the live iteration of run 0
  let scrub = null; // {step, liveAt} while looking at an earlier step
  let rows = null; // cached history of run 0 while scrubbing
  let stride = 1;

  const showLiveText = () => {
    text.textContent = t('timeline.live');
    range.setAttribute('aria-valuetext', t('timeline.live'));
  };

  const showThinned = () => {
    const words = stride > 1 ? t('timeline.thinned', { k: ordinal(stride) }) : '';
    if (thinned.textContent !== words) thinned.textContent = words; // written on change only: a frame writes no DOM it need not
  };

  /** Readouts from the recorded row (the live ones are written by app.show first). */
  const showRecorded = () => {
    const width = app.vis.history_width(); // [iteration, epoch, θ0 … θd, loss, grad_norm]
    const i = rowAtOrBefore(rows, scrub.step, width);
    if (i < 0) return;
    const r = rows.subarray ? rows.subarray(i * width, (i + 1) * width) : rows.slice(i * width, (i + 1) * width);
    const readouts = app.readouts;
    readouts.set('iteration', r[0], formatCount(r[0]));
    readouts.set('epoch', r[1], formatCount(r[1]));
    readouts.set('theta0', r[2], formatNumber(r[2], 6));
    readouts.set('theta1', r[3], formatNumber(r[3], 6));
    readouts.set('loss', r[width - 2], formatNumber(r[width - 2], 6));
    readouts.set('grad-norm', r[width - 1], formatNumber(r[width - 1], 3));
    const words = t('timeline.viewing', { step: formatInteger(r[0]), last: formatInteger(live) });
    text.textContent = words;
    range.setAttribute('aria-valuetext', words);
    readoutBox?.classList.add('scrubbed');
    readoutBox?.setAttribute('data-scrub', String(r[0]));
  };

  const goLive = () => {
    if (scrub === null) return;
    scrub = null;
    rows = null;
    app.vis.set_scrub(-1);
    readoutBox?.classList.remove('scrubbed');
    readoutBox?.removeAttribute('data-scrub');
    showLiveText();
    app.refresh(); // live readouts and plots
  };

  const scrubTo = (k) => {
    if (!rows) rows = app.vis.history(0);
    const width = app.vis.history_width();
    const i = rowAtOrBefore(rows, k, width);
    if (i < 0) return;
    const step = rows[i * width];
    scrub = { step, liveAt: live };
    app.vis.set_scrub(step);
    app.plots.draw();
    showRecorded();
  };

  range.addEventListener('input', () => {
    if (app.player.playing) app.player.pause();
    const k = Number(range.value);
    if (!(k < live)) goLive();
    else scrubTo(k);
  });

  // While playing live the thumb stays at the end of the range: its end moves at most every
  // RANGE_MS (each move costs the slider a layout and a paint), and at once when stopped.
  const moveEnd = () => {
    const max = String(live);
    if (range.max !== max) range.max = max;
    if (scrub === null && range.value !== max) range.value = max;
  };
  const moveEndLater = throttle(() => { if (scrub === null) moveEnd(); }, RANGE_MS);
  app.on('show', (reports) => {
    const report = reports[0];
    live = report.iteration;
    stride = app.vis.history_stride(0);
    showThinned();
    if (scrub !== null && (app.player.playing || live !== scrub.liveAt)) {
      goLive();
      return;
    }
    if (scrub === null) {
      if (app.player.playing) moveEndLater();
      else moveEnd();
    } else {
      moveEnd();
      // Something redrew the live state (a setting changed): keep showing the recorded step.
      app.vis.set_scrub(scrub.step);
      app.plots.draw();
      showRecorded();
    }
  });
  // Stepping, playing or resetting acts on the live run: back to live first.
  for (const button of Object.values(app.buttons)) button.addEventListener('click', goLive, true);
  app.on('reset', goLive);
  app.on('analysis', goLive); // the data or the objective changed: the recorded losses are stale
  onLanguageChange(() => {
    showThinned();
    if (scrub === null) showLiveText();
    else showRecorded();
  });

  return { goLive, scrubTo, isScrubbing: () => scrub !== null };
}
