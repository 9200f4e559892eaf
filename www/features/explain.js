// "How this step works": the coming update of run 1, as the core works it out with the same code
// that steps (Visualizer.explain_step): the effective rate ηₜ, θ, the gradient the update will
// use (the full data's, or the next mini-batch's, known in advance), each intermediate quantity
// of the optimizer's rule with its value, the proximal step of an L1 part, and the next θ. This
// module only lays it out in MathML (createElementNS and text nodes only). Below, the stability
// bands of this quadratic as numbers. Redrawn only while its section is open, at most every
// REFRESH_MS while playing.

import { byId, h, throttle } from '../shell/dom.js';
import { formatNumber } from '../shell/format.js';
import { onLanguageChange, t } from '../shell/i18n.js';

const MATHML = 'http://www.w3.org/1998/Math/MathML';
const REFRESH_MS = 100;

// ---- MathML from the core's small nested arrays --------------------------------------------------
// A string is a token: a number → <mn>, a letter (with primes or subscripts) → <mi>, else <mo>.
// ['row', ...] a group, ['frac', a, b], ['sqrt', a], ['sub', x, s], ['sup', x, s], ['hat', x],
// ['vec', a, b, ...] a column vector, ['var', symbol, value] an operand: its symbol in the rule,
// its value in the line with numbers. A number is written with 4 significant digits.

function math(tag, ...children) {
  const el = document.createElementNS(MATHML, tag);
  for (const child of children) el.append(child);
  return el;
}

function token(text) {
  if (/^[−-]?[\d.]+(×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?$/.test(text)) return math('mn', document.createTextNode(text));
  if (/^[A-Za-zα-ωθηλμεβ∇]/.test(text)) return math('mi', document.createTextNode(text));
  return math('mo', document.createTextNode(text));
}

/** A value: a number or a vector of numbers. */
function value(v) {
  if (Array.isArray(v)) return node(['vec', ...v]);
  return token(formatNumber(v, 4));
}

/** The tree `x` as MathML; `numbers` writes each operand's value instead of its symbol. */
function node(x, numbers = false) {
  if (typeof x === 'number') return token(formatNumber(x, 4));
  if (typeof x === 'string') return token(x);
  if (!Array.isArray(x)) return token(String(x));
  const [kind, ...args] = x;
  const sub = (a) => node(a, numbers);
  switch (kind) {
    case 'vec':
      return math('mrow', token('('), math('mtable', ...args.map((a) => math('mtr', math('mtd', sub(a))))), token(')'));
    case 'frac': return math('mfrac', sub(args[0]), sub(args[1]));
    case 'sqrt': return math('msqrt', sub(args[0]));
    case 'sub': return math('msub', sub(args[0]), sub(args[1]));
    case 'sup': return math('msup', sub(args[0]), sub(args[1]));
    case 'hat': return math('mover', sub(args[0]), token('^'));
    case 'var': return numbers ? value(args[1]) : sub(args[0]);
    default: return math('mrow', ...args.map(sub));
  }
}

/** One displayed equation: <math display="block"> of a row of parts (trees or MathML nodes). */
function equation(...parts) {
  const el = math('math', math('mrow', ...parts.map((p) => (p instanceof Node ? p : node(p)))));
  el.setAttribute('display', 'block');
  return el;
}

/** True when a tree holds a fraction (its line with numbers is too wide for one line). */
const tall = (x) => Array.isArray(x) && (x[0] === 'frac' || x.some(tall));

/**
 * The lines of one step of the rule: symbol ← rule, then = the rule with numbers = value (the
 * value on a line of its own after a fraction, so that each line fits the column).
 */
function stepLines(step) {
  const numbers = node(step.formula, true);
  return [
    equation(step.symbol, '←', node(step.formula)),
    ...(tall(step.formula)
      ? [equation('=', numbers), equation('=', value(step.value))]
      : [equation('=', numbers, '=', value(step.value))]),
  ];
}

export function install(app) {
  const section = byId('explain-section');
  const body = byId('explain-body');
  const { catalog } = app;
  const label = (list, name) => t(list.find((k) => k.name === name)?.label ?? name);
  /** Where this update's rate comes from: the schedule, a rate rule, a line search, CG's α. */
  const rateHint = () => {
    const { store } = app;
    if (store.get('optimizer') === 'cg') return t('explain.rate.cg');
    if (store.get('lineSearch') !== catalog.line_searches[0].name) {
      return t('explain.rate.search', { search: label(catalog.line_searches, store.get('lineSearch')) });
    }
    const schedule = label(catalog.schedules, store.get('schedule'));
    if (store.get('rateRule') !== catalog.rate_rules[0].name) {
      return t('explain.rate.rule', { rule: label(catalog.rate_rules, store.get('rateRule')), schedule });
    }
    return t('explain.rate', { schedule });
  };

  const render = () => {
    if (!section.open) return;
    const e = app.vis.explain_step(0);
    const g = e.gradient;
    const parts = [
      h('p', { class: 'explain-text' }, t('explain.intro', {
        optimizer: label(catalog.optimizers, e.optimizer), t: e.iteration, next: e.iteration + 1,
      })),
      equation(['sub', 'η', 't'], '=', e.lr),
      h('p', { class: 'explain-hint' }, rateHint()),
      equation('θ', '=', value(e.theta), ',', 'g', '=', value(g.value)),
    ];
    if (!g.batch) {
      parts.push(h('p', { class: 'explain-hint' }, t(g.l1_subgradient ? 'explain.gradient.l1' : 'explain.gradient')));
    } else {
      parts.push(h('p', { class: 'explain-hint' }, t('explain.minibatch', { b: g.batch.size })));
      parts.push(equation(['row', '∇', 'J'], '=', value(g.full)));
      parts.push(h('p', { class: 'explain-hint' }, t('explain.full-gradient')));
    }
    const lines = e.steps.flatMap(stepLines);
    if (e.prox) {
      lines.push(h('p', { class: 'explain-text' }, t('explain.prox')));
      lines.push(equation(['sub', 'θ', '1'], '←', 'sign', '(', ['sub', 'θ', '1'], ')', '·', 'max', '(', '|',
        ['sub', 'θ', '1'], '|', '−', 'η', ['sub', 'λ', '1'], ',', '0', ')', '=',
        value(e.prox.after.length === 1 ? e.prox.after[0] : e.prox.after)));
    }
    const rules = h('div', { class: 'explain-rules' }, ...lines);

    const s = e.stability;
    const [min, max] = s.eigenvalues;
    const kappa = s.condition_number ?? Infinity;
    const where = e.lr < s.lr_monotone ? 'monotone' : e.lr < s.lr_critical ? 'oscillate' : 'diverge';
    const band = (id, key, v) => h('li', { 'data-testid': id, 'data-value': String(v) }, t(key, { v: formatNumber(v, 4) }));
    const bands = h('div', { class: 'explain-bands' },
      h('p', { class: 'explain-text' }, t('explain.bands', { min: formatNumber(min, 4), max: formatNumber(max, 4) })),
      h('ul', {},
        band('explain-monotone', 'explain.band.monotone', s.lr_monotone),
        band('explain-optimal', 'explain.band.optimal', s.lr_optimal),
        band('explain-critical', 'explain.band.critical', s.lr_critical),
        h('li', { 'data-testid': 'explain-kappa', 'data-value': Number.isFinite(kappa) ? String(kappa) : '∞' },
          t('explain.band.kappa', { v: Number.isFinite(kappa) ? formatNumber(kappa, 4) : '∞' }))),
      // Where η lies among the bands: plain gradient descent's, so said only for it.
      ...(s.applies ? [h('p', { class: `explain-where explain-${where}` }, t(`explain.where.${where}`, { lr: formatNumber(e.lr, 4) }))] : []));
    if (s.momentum_critical !== null && s.momentum_critical !== undefined) {
      bands.append(h('p', { class: 'explain-text', 'data-testid': 'explain-momentum-critical', 'data-value': String(s.momentum_critical) },
        t('explain.momentum-critical', { mu: formatNumber(app.store.get('momentum'), 4), v: formatNumber(s.momentum_critical, 4) })));
    } else if (!s.applies) {
      bands.append(h('p', { class: 'explain-text' }, t('explain.bands-other')));
    }
    body.dataset.nextTheta0 = String(e.next[0]);
    body.dataset.nextTheta1 = String(e.next[1]);
    body.replaceChildren(...parts, rules, bands);
  };

  const later = throttle(render, REFRESH_MS);
  app.on('show', () => (app.player.playing ? later() : render()));
  app.on('analysis', later);
  section.addEventListener('toggle', render);
  onLanguageChange(render);
  return { render };
}
