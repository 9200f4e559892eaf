// The readouts of the header and the settings column: elements with a data-testid, rounded text
// for people and the full-precision value in data-value. Also the page status, the divergence
// message (written from the report's numbers in the page's language) and the convergence note.

import { h } from './dom.js';
import { dataValue, formatCount, formatInteger, formatNumber, MISSING, subscript } from './format.js';
import { t } from './i18n.js';

/**
 * The divergence message in the current language, from the report's numbers: which cause
 * (above the critical rate; the loss grew although the rate is below it, by mini-batch noise or
 * the optimizer's adaptation), at which step, at which rate.
 */
export function divergenceMessage(divergence, iteration) {
  if (!divergence) return t('message.diverged.plain', { iteration });
  return t(`divergence.${divergence.cause}`, {
    step: formatInteger(divergence.iteration ?? iteration),
    lr: formatNumber(divergence.learning_rate, 3),
    critical: formatNumber(divergence.lr_critical, 3),
    factor: formatNumber(divergence.factor, 3),
  });
}

/**
 * The page's status from the core's status of run 0 and whether the loop is playing:
 * ready (iteration 0, not playing), running (playing), paused (stopped, iteration > 0, the core
 * still running), converged, diverged.
 */
export function pageStatus(report, playing) {
  if (report.status === 'converged' || report.status === 'diverged') return report.status;
  if (playing) return 'running';
  return report.iteration === 0 ? 'ready' : 'paused';
}

/** Longest text of a coefficient's readout (its width holds "−0.373737"). */
const THETA_CHARS = 9;

/** A coefficient as its readout shows it: 6 significant digits, fewer when that is too long. */
export function coefficientText(value) {
  let text = formatNumber(value, 6);
  for (let digits = 5; digits >= 3 && text.length > THETA_CHARS; digits -= 1) text = formatNumber(value, digits);
  return text;
}

export class Readouts {
  constructor(root = document) {
    this.root = root;
    this.el = {};
    for (const el of root.querySelectorAll('[data-testid]')) this.el[el.dataset.testid] = el;
    this.nonFinite = new Set();
    /** The convergence tolerance on the gradient norm, for the convergence note. */
    this.tolerance = null;
    /** Number of coefficients shown (θ0 … θd). */
    this.coefficients = 2;
  }

  /** Sets a readout's text and data-value; a non-finite number shows a dash and is reported once. */
  set(id, value, text) {
    const el = this.el[id];
    if (typeof value === 'number' && !Number.isFinite(value) && !this.nonFinite.has(id)) {
      // The core promises finite reports: a non-finite number here is a bug upstream.
      this.nonFinite.add(id);
      console.warn(`gdviz: readout ${id} received a non-finite value`);
    }
    const shown = typeof value === 'number' && !Number.isFinite(value) ? MISSING : text;
    if (el.textContent !== shown) el.textContent = shown;
    const attr = dataValue(value);
    if (el.getAttribute('data-value') !== attr) el.setAttribute('data-value', attr);
  }

  /** Shows the report of run 0 and the page status. */
  showReport(report, playing) {
    this.set('iteration', report.iteration, formatCount(report.iteration));
    this.set('epoch', report.epoch, formatCount(report.epoch));
    this.set('samples-seen', report.samples_seen, formatCount(report.samples_seen));
    this.set('lr-effective', report.lr_effective, formatNumber(report.lr_effective, 4));
    this.set('theta0', report.theta.theta0, coefficientText(report.theta.theta0));
    this.set('theta1', report.theta.theta1, coefficientText(report.theta.theta1));
    const theta = report.theta.theta;
    for (let k = 2; k < this.coefficients; k += 1) this.set(`theta${k}`, theta[k], coefficientText(theta[k]));
    this.set('loss', report.loss, formatNumber(report.loss, 6));
    this.set('grad-norm', report.grad_norm, formatNumber(report.grad_norm, 3));
    const status = pageStatus(report, playing);
    this.set('status', status, t(`status.${status}`));
    this.showOutcome(report);
    return status;
  }

  /** The divergence message (role=alert) and the convergence note. */
  showOutcome(report) {
    if (document.body.dataset.failed) return; // the failure's message stays (features/failure.js)
    let message = '';
    let note = '';
    if (report.status === 'diverged') {
      const base = divergenceMessage(report.divergence, report.iteration);
      message = t('message.diverged.suffix', { message: base });
    } else if (report.status === 'converged') {
      const tol = Number.isFinite(this.tolerance) ? ` ${formatNumber(this.tolerance, 3)}` : '';
      note = t('note.converged', {
        steps: formatInteger(report.iteration), norm: formatNumber(report.grad_norm, 3), tol,
      });
    }
    if (this.el.message.textContent !== message) this.el.message.textContent = message;
    if (this.el.note.textContent !== note) this.el.note.textContent = note;
  }

  /**
   * The coefficients' readouts for the features `names` (one per slope): θ₁ in the header is
   * labelled "slope" for a line and by its feature otherwise; θ₂ … θ_d get readouts of their
   * own (data-testid theta2 …), labelled by their features, in the strip above the plots.
   */
  setCoefficients(names) {
    const key = `${names.join(',')}|${t('readout.theta1')}`;
    if (key === this.coefficientsKey) return;
    this.coefficientsKey = key;
    this.coefficients = names.length + 1;
    const label = (k) => t('readout.theta-k', { k: subscript(k), name: names[k - 1] });
    const first = document.getElementById('theta1-label');
    first.textContent = names.length === 1 ? t('readout.theta1') : label(1);
    const strip = document.getElementById('coefficient-readouts');
    for (const el of strip.querySelectorAll('dd')) delete this.el[el.dataset.testid];
    strip.replaceChildren();
    for (let k = 2; k <= names.length; k += 1) {
      const dd = h('dd', { 'data-testid': `theta${k}`, 'data-value': '' }, MISSING);
      strip.append(h('div', { class: 'readout readout-theta' }, h('dt', {}, label(k)), dd));
      this.el[`theta${k}`] = dd;
    }
    strip.hidden = names.length < 2;
  }

  /** Critical rate and condition number from the core's analysis. */
  showAnalysis(analysis) {
    const c = analysis.curvature;
    this.set('lr-critical', c.lr_critical, formatNumber(c.lr_critical, 4));
    if (c.condition_number === null || c.condition_number === undefined) {
      // λ_min = 0: the valley is flat in one direction.
      this.set('condition-number', '∞', '∞');
    } else {
      this.set('condition-number', c.condition_number, formatNumber(c.condition_number, 4));
    }
  }
}
