// What the tuning tools' dialogs share: the dialog with its title, introduction, progress bar and
// canvas; the button that opens it, in the Descent group's row of tuning tools; the canvas sized
// to the dialog; and the work spread over animation frames, as much a frame as fits a budget.

import { h } from '../shell/dom.js';
import { t, onLanguageChange } from '../shell/i18n.js';

/** Time the tools' work may take in one frame, so that the page keeps its frame rate. */
const FRAME_BUDGET_MS = 8;

/**
 * A modal dialog `${id}-dialog` with its parts (`${id}-title`, `${id}-canvas`, `${id}-progress`),
 * each text named by its string key under `prefix` (`${prefix}.title`, `.intro`, `.canvas.aria`,
 * `.progress.aria`, `.close`), and `body` (elements) between the canvas and the Close button; its
 * open button is the page's element of id `button`, in the Descent group's row of tuning tools
 * (index.html, its text by `${prefix}.open`). The texts follow the page's language.
 */
export function tuningDialog({ id, button, prefix, body }) {
  const canvas = h('canvas', { id: `${id}-canvas`, class: 'tuning-canvas', role: 'img', 'aria-label': t(`${prefix}.canvas.aria`) });
  const progress = h('progress', { id: `${id}-progress`, max: '1', value: '0', 'aria-label': t(`${prefix}.progress.aria`) });
  const title = h('h2', { id: `${id}-title` }, t(`${prefix}.title`));
  const intro = h('p', { class: 'hint' }, t(`${prefix}.intro`));
  const close = h('button', { class: 'btn btn-small', value: 'close' }, t(`${prefix}.close`));
  const dialog = h('dialog', { id: `${id}-dialog`, class: 'dialog dialog-wide', 'aria-labelledby': `${id}-title` },
    title, intro, progress, canvas, ...body, h('form', { method: 'dialog' }, close));
  document.body.append(dialog);
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
  // The open button is in the page from the start (index.html), so that the column does not move.
  const open = document.getElementById(button);
  onLanguageChange(() => {
    title.textContent = t(`${prefix}.title`);
    intro.textContent = t(`${prefix}.intro`);
    close.textContent = t(`${prefix}.close`);
    canvas.setAttribute('aria-label', t(`${prefix}.canvas.aria`));
    progress.setAttribute('aria-label', t(`${prefix}.progress.aria`));
  });
  return { dialog, open, canvas, progress };
}

/** Gives `canvas` the dialog's width and `aspect` × that height (at most half the window's),
 * in device pixels. */
export function sizeCanvas(canvas, aspect) {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(280, Math.round(canvas.clientWidth || 640));
  const height = Math.round(Math.min(width * aspect, Math.max(220, window.innerHeight * 0.5)));
  if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
  if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
}

/** The position of a pointer event on `canvas`, in the canvas's device pixels. */
export function canvasPoint(canvas, event) {
  const box = canvas.getBoundingClientRect();
  const ratio = canvas.width / box.width;
  return [(event.clientX - box.left) * ratio, (event.clientY - box.top) * ratio];
}

/**
 * The dialog's work, spread over animation frames: a click on `open` shows `dialog` and calls
 * `begin()` (which starts the work in the core, or throws), then frame after frame
 * `work(count)` does `count` items and returns whether all are done, and `draw()` shows the state
 * after each frame's work. The first frame only draws (so that opening the dialog and the first,
 * costliest item fall in different frames) and the second does one item, to measure it; later
 * frames do as many as fit the budget. `fail(error)` is told of an error, which stops the work;
 * closing the dialog stops it too and calls `end()`.
 */
export function frameWork(dialog, open, { begin, work, draw, fail, end }) {
  let frame = 0;
  let perItemMs = FRAME_BUDGET_MS;
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
    const count = Math.max(1, Math.floor(FRAME_BUDGET_MS / perItemMs));
    const began = performance.now();
    let done;
    try {
      done = work(count);
    } catch (error) {
      fail(error);
      return;
    }
    perItemMs = Math.max(0.001, (performance.now() - began) / count);
    draw();
    if (!done) frame = requestAnimationFrame(tick);
  };
  open.addEventListener('click', () => {
    if (!dialog.open) dialog.showModal();
    cancelAnimationFrame(frame);
    try {
      begin();
    } catch (error) {
      fail(error);
      return;
    }
    perItemMs = FRAME_BUDGET_MS;
    drawn = false;
    frame = requestAnimationFrame(tick);
  });
  dialog.addEventListener('close', () => {
    cancelAnimationFrame(frame);
    frame = 0;
    end();
  });
}
