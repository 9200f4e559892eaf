// Each plot's text alternative follows the run: the canvases (role="img") are named by what they
// show now, not only by what kind of plot they are: the surface by where θ is and how far from
// θ*, the data plot by the fitted line, the loss curve by J and J*, the coefficient plot by θ.
// The names follow the readouts, at most once a second while playing (DESCRIBE_MS: a name is not
// announced by a screen reader as it changes, only the live region of table.js announces; it is
// read when the plot is reached), at once when stopped, and only when their text changes.

import { byId, throttle } from '../shell/dom.js';
import { formatInteger, formatNumber, subscript } from '../shell/format.js';
import { onLanguageChange, t } from '../shell/i18n.js';

/** Significant digits of the numbers in a description. */
const DIGITS = 4;
/** Most coefficients a description lists (then "…"). */
const MAX_LISTED = 6;
/** Least time between two writes of the names while playing (ms). */
const DESCRIBE_MS = 1000;

/** θ as "(a, b, c)", at most MAX_LISTED of them. */
function vector(values) {
  const shown = values.slice(0, MAX_LISTED).map((v) => formatNumber(v, DIGITS));
  return `(${shown.join(', ')}${values.length > MAX_LISTED ? ', …' : ''})`;
}

/** The descriptions of the four plots for run 1's `report` and the page's `analysis`. */
export function describe(report, analysis) {
  const theta = Array.from(report.theta.theta);
  const optimum = analysis?.optimum ? Array.from(analysis.optimum.theta.theta) : null;
  const steps = formatInteger(report.iteration);
  const distance = optimum && optimum.length === theta.length
    ? Math.hypot(...theta.map((v, i) => v - optimum[i])) : null;
  const where = distance === null
    ? t('describe.surface.no-optimum', { theta: vector(theta), steps })
    : t('describe.surface', { theta: vector(theta), steps, distance: formatNumber(distance, 3) });
  const line = theta.length === 2
    ? t('describe.fit.line', { a: formatNumber(theta[0], DIGITS), b: formatNumber(theta[1], DIGITS) })
    : t('describe.fit.model', { theta: vector(theta) });
  const loss = optimum
    ? t('describe.loss', { steps, loss: formatNumber(report.loss, DIGITS), optimum: formatNumber(analysis.optimum.loss, DIGITS) })
    : t('describe.loss.no-optimum', { steps, loss: formatNumber(report.loss, DIGITS) });
  const coefficients = t('describe.coefficients', {
    steps,
    list: theta.slice(0, MAX_LISTED).map((v, k) => `θ${subscript(k)} = ${formatNumber(v, DIGITS)}`).join(', ')
      + (theta.length > MAX_LISTED ? ', …' : ''),
  });
  return { surface: `${t('aria.surface')}. ${where}`, fit: `${t('aria.fit')}. ${line}`, loss: `${t('aria.loss')}. ${loss}`, coefficients: `${t('aria.coefficients')}. ${coefficients}` };
}

export function install(app) {
  const canvases = { surface: byId('surface-static'), fit: byId('fit-static'), loss: byId('loss'), coefficients: byId('coefficients') };
  // The names are written here from now on, not by the static translation of the markup.
  for (const canvas of Object.values(canvases)) canvas?.removeAttribute('data-i18n-attr');
  const write = (reports) => {
    const texts = describe(reports[0], app.analysis);
    for (const [plot, canvas] of Object.entries(canvases)) {
      if (canvas && canvas.getAttribute('aria-label') !== texts[plot]) canvas.setAttribute('aria-label', texts[plot]);
    }
  };
  let latest = null;
  const later = throttle(() => { if (latest) write(latest); }, DESCRIBE_MS);
  app.on('show', (reports) => {
    latest = reports; // a pending write then names these, not older ones
    if (app.player.playing) later();
    else write(reports);
  });
  app.on('reset', () => write(app.vis.reports()));
  onLanguageChange(() => write(app.vis.reports()));
  write(app.vis.reports());
  return { describe: () => describe(app.vis.reports()[0], app.analysis) };
}
