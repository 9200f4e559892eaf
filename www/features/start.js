// The start point θ_start of every run: a click or a drag on the loss surface (its top canvas,
// mapped by the core's surface_point_to_theta to the two coefficients the surface shows; clicks
// outside the plotting area do nothing), or one number field per coefficient ("Start θ₀",
// "Start θ₁", …) for keyboard users. The start is the store's `start`, a vector of d + 1
// values: setting it restarts every run from there (a link sets it the same way).

import { h } from '../shell/dom.js';
import { describeError, pageError } from '../shell/errors.js';
import { parseNumberList, subscript } from '../shell/format.js';
import { onLanguageChange, t } from '../shell/i18n.js';

/** Least time between two restarts while the pointer drags (ms). */
const DRAG_INTERVAL = 50;
/** Most coefficients a start has (θ0 and ten slopes); the core checks the exact count. */
const MAX_COEFFICIENTS = 11;

/** "θ0,θ1,…" → 2 to 11 finite numbers, or the error naming the start. */
function parseStart(text) {
  const numbers = parseNumberList(String(text), MAX_COEFFICIENTS);
  if (!numbers || numbers.length < 2) throw pageError('url.bad-start');
  return numbers;
}

export function install(app) {
  const surface = app.plots.layers('surface');
  const canvas = surface[surface.length - 1]; // the top layer takes the pointer
  const row = document.querySelector('.start-row');
  const hint = document.getElementById('start-hint');
  const fields = [document.getElementById('start-theta0'), document.getElementById('start-theta1')];
  const error = document.getElementById('start-error');

  /** One field per coefficient: θ0 and θ1 are in the markup, the others are made here. */
  const fitFields = (count) => {
    while (fields.length < count) {
      const k = fields.length;
      const id = `start-theta${k}`;
      const field = h('input', { id, type: 'number', inputmode: 'decimal', step: 'any', 'aria-describedby': 'start-error start-hint' });
      field.addEventListener('change', fromFields);
      row.insertBefore(h('div', { class: 'field field-stacked start-extra' },
        h('label', { for: id }, t('label.start-theta-k', { k: subscript(k) })), field), hint);
      fields.push(field);
    }
    while (fields.length > Math.max(2, count)) fields.pop().parentElement.remove();
  };

  const showFields = () => {
    const start = app.vis.theta_start();
    fitFields(start.length);
    fields.forEach((field, i) => {
      if (document.activeElement !== field || field.value === '') field.value = String(start[i]);
    });
  };

  app.store.define({
    key: 'start', group: 'runs', url: true,
    initial: (ctx) => Array.from(ctx.vis.theta_start()),
    parse: parseStart,
    toText: (start) => start.join(','),
    omit: (start) => start.every((v) => v === 0),
    apply: (ctx, state) => {
      app.player.pause();
      ctx.vis.reset(state.start);
    },
    read: (ctx) => Array.from(ctx.vis.theta_start()),
  });
  app.store.subscribe(({ keys }) => { if (keys.has('start')) app.restarted(); });

  /**
   * Restarts every run from `theta` (d + 1 values; `texts`, what was typed, for the message);
   * returns '' or the reason it was refused.
   */
  const setStart = (theta, texts = theta.map(String)) => {
    if (!theta.every(Number.isFinite)) {
      const got = texts.map((text) => (text.trim() === '' ? t('error.value.empty') : text)).join(', ');
      return t('start.bad', { last: subscript(theta.length - 1), got });
    }
    try {
      app.store.set('start', theta, { source: 'start' });
    } catch (e) {
      return t('start.refused', { message: describeError(e) });
    }
    return '';
  };

  function fromFields() {
    const theta = fields.map((field) => Number(field.value.trim() === '' ? NaN : field.value));
    const message = setStart(theta, fields.map((field) => field.value));
    error.textContent = message;
    for (const field of fields) {
      if (message) field.setAttribute('aria-invalid', 'true');
      else field.removeAttribute('aria-invalid');
    }
    if (!message) showFields();
  }
  for (const field of fields) field.addEventListener('change', fromFields);

  // ---- the surface: click or drag ----------------------------------------------------------
  canvas.classList.add('start-target');
  canvas.removeAttribute('aria-hidden');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', t('aria.surface-start'));
  // Each restart refits the surface's view around the new start, so a drag keeps the mapping
  // of pixels to θ it began with (linear; sampled at the drag's start) instead of chasing it.
  let drag = null; // {x, y, theta, scale: [dθ0/dx, dθ1/dy], last, moved}
  const position = (event) => {
    const box = canvas.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top];
  };
  /** The start with the surface's two coefficients set to `pair`, the others as they are. */
  const apply = (pair) => {
    const theta = Array.from(app.vis.theta_start());
    const [a, b] = app.vis.surface_axes();
    theta[a] = pair[0];
    theta[b] = pair[1];
    const message = setStart(theta);
    error.textContent = message;
    if (!message) {
      for (const field of fields) field.removeAttribute('aria-invalid');
      showFields();
    }
  };
  const frozenMap = (x, y, theta) => {
    for (const d of [12, -12]) {
      const other = app.vis.surface_point_to_theta(x + d, y + d);
      if (other.length === 2) return [(other[0] - theta[0]) / d, (other[1] - theta[1]) / d];
    }
    return null;
  };
  const dragTo = (event, force) => {
    const [x, y] = position(event);
    if (app.vis.surface_point_to_theta(x, y).length !== 2) return; // outside the plotting area
    const now = performance.now();
    if (!force && now - drag.last < DRAG_INTERVAL) return;
    drag.last = now;
    drag.moved = false;
    apply([drag.theta[0] + drag.scale[0] * (x - drag.x), drag.theta[1] + drag.scale[1] * (y - drag.y)]);
  };
  canvas.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    const [x, y] = position(event);
    const theta = app.vis.surface_point_to_theta(x, y);
    if (theta.length !== 2) return; // outside the plotting area: nothing happens
    const scale = frozenMap(x, y, theta);
    apply(theta);
    if (!scale) return;
    drag = { x, y, theta, scale, last: performance.now(), moved: false };
    canvas.setPointerCapture?.(event.pointerId);
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!drag) return;
    drag.moved = true;
    dragTo(event, false);
  });
  const end = (event) => {
    if (!drag) return;
    if (event.type === 'pointerup' && drag.moved) dragTo(event, true);
    drag = null;
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  app.on('reset', showFields);
  app.store.subscribe(showFields);
  onLanguageChange(() => {
    fields.forEach((field, k) => {
      if (k > 1) field.previousElementSibling.textContent = t('label.start-theta-k', { k: subscript(k) });
    });
    canvas.setAttribute('aria-label', t('aria.surface-start'));
    error.textContent = '';
  });
  showFields();
  return { setStart };
}
