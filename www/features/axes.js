// The loss surface's two coefficients (Surface across / Surface up): which pair of θ the
// surface shows when the model has more than two coefficients, and the captions that follow
// the model: the surface's says how the other coefficients are set (at their best for each
// point, the profile, or held at θ*), the data plot's what it draws (line, curve, plane, or
// predicted against observed). The pair is the store's `axes` ([across, up], or null for the core's default:
// (θ0, θ1) for a line or a polynomial, (θ1, θ2) for several columns); a link carries it.

import { describeError, pageError } from '../shell/errors.js';
import { parseNumberList, subscript } from '../shell/format.js';
import { onLanguageChange, t } from '../shell/i18n.js';

const byId = (id) => document.getElementById(id);

/** "a,b" → two coefficient indices (the core checks them against the model). */
function parseAxes(text) {
  const numbers = parseNumberList(String(text), 2);
  if (!numbers || numbers.length !== 2 || !numbers.every(Number.isInteger)) throw pageError('url.bad-axes');
  return numbers;
}

/** θₖ with its feature's name: θ₀ (intercept), θ₂ (x²). */
export function coefficientName(k, names) {
  if (k === 0) return t('readout.theta0');
  return t('readout.theta-k', { k: subscript(k), name: names[k - 1] });
}

export function install(app) {
  const row = byId('axes-row');
  const across = byId('surface-across');
  const up = byId('surface-up');
  const error = byId('surface-axes-error');
  const caption = byId('surface-caption');
  const fitCaption = byId('fit-caption');

  app.store.define({
    key: 'axes', group: 'view', url: true,
    initial: () => null,
    parse: parseAxes,
    toText: (axes) => (axes ? axes.join(',') : ''),
    // Only a pair the core uses now (a pair the model lacks is set aside by the core).
    omit: (axes) => axes === null || axes.join(',') !== Array.from(app.vis.surface_axes()).join(','),
    apply: (ctx, state) => {
      if (state.axes) ctx.vis.set_surface_axes(state.axes[0], state.axes[1]);
    },
  });

  /** The selects, the row's visibility and the caption, from the core. */
  const show = () => {
    const names = Array.from(app.vis.feature_names());
    const count = names.length + 1;
    const [a, b] = app.vis.surface_axes();
    for (const [select, chosen] of [[across, a], [up, b]]) {
      while (select.options.length > count) select.remove(select.options.length - 1);
      for (let k = 0; k < count; k += 1) {
        const text = `θ${subscript(k)}${k === 0 ? '' : ` (${names[k - 1]})`}`;
        if (k < select.options.length) select.options[k].textContent = text;
        else select.append(new Option(text, String(k)));
      }
      select.value = String(chosen);
    }
    row.hidden = count <= 2;
    const others = app.vis.surface_others();
    const pair = { a: `θ${subscript(a)}`, b: `θ${subscript(b)}` };
    const text = others === 'none' ? t('caption.surface') : t(`caption.surface.${others}`, pair);
    if (caption.textContent !== text) caption.textContent = text;
    const model = app.vis.model();
    const fit = model === 'line' ? 'caption.fit'
      : model === 'polynomial' ? 'caption.fit.curve'
        : app.vis.fit_is_3d() ? 'caption.fit.plane' : 'caption.fit.predicted';
    if (fitCaption.textContent !== t(fit)) fitCaption.textContent = t(fit);
  };

  /** Sets the pair from the selects; choosing the other select's coefficient swaps them. */
  const choose = (changed) => {
    let a = Number(across.value);
    let b = Number(up.value);
    if (a === b) {
      const [oldA, oldB] = app.vis.surface_axes();
      if (changed === across) b = oldA;
      else a = oldB;
    }
    try {
      app.store.set('axes', [a, b], { source: 'control' });
      error.textContent = '';
    } catch (e) {
      error.textContent = t('error.still-using', { message: describeError(e), last: app.vis.surface_axes().join(', ') });
    }
    show();
    app.plots.draw();
  };
  across.addEventListener('change', () => choose(across));
  up.addEventListener('change', () => choose(up));

  app.on('analysis', show);
  app.store.subscribe(({ keys }) => {
    if (keys.has('axes') || keys.has('regularization') || keys.has('lambda')) show();
  });
  onLanguageChange(show);
  show();
  return { show };
}
