// "How this step works": the update rule of run 1's optimizer written out as MathML (built with
// createElementNS and text nodes only), with the current numbers filled in: the effective rate
// ηₜ, the gradient g at θ (the core's gradient_at: full batch; with a mini-batch the step will
// use a random batch's gradient instead, and the last one is shown beside it), the optimizer's
// buffers (optimizer_state) and the θ the next full-batch step gives. Below, the stability bands
// of this quadratic as numbers: 1/λmax, 2/(λmin + λmax), 2/λmax and κ.
// It is redrawn only while its section is open, at most every REFRESH_MS while playing.

import { formatNumber } from './format.js';
import { byId, h, throttle } from './dom.js';
import { onLanguageChange, register, t } from './i18n.js';

const MATHML = 'http://www.w3.org/1998/Math/MathML';
const REFRESH_MS = 100;

register({
  en: {
    'explain.title': 'How this step works',
    'explain.intro': 'Run 1 ({optimizer}), step {t} → {next}. Rule, then the numbers now:',
    'explain.rate': 'effective learning rate (schedule: {schedule})',
    'explain.gradient': 'g: gradient of J at θ on the full data',
    'explain.gradient.l1': 'g: gradient of J at θ on the full data, with the L1 subgradient λ₁·sign(θ₁), sign(0) = 0',
    'explain.minibatch': 'This run uses mini-batches of {b}: its next step uses a random batch’s gradient, not g, so it lands near, not on, the θ shown.',
    'explain.last-batch': 'last batch gradient',
    'explain.prox': 'then the L1 part by the proximal step (soft-threshold θ₁ by ηₜ·λ₁)',
    'explain.bands': 'Stability of full-batch gradient descent on this quadratic (eigenvalues of the Hessian λmin = {min}, λmax = {max}):',
    'explain.band.monotone': 'no overshoot below 1/λmax = {v}',
    'explain.band.optimal': 'optimal constant rate 2/(λmin + λmax) = {v}',
    'explain.band.critical': 'diverges above the critical rate 2/λmax = {v}',
    'explain.band.kappa': 'condition number κ = λmax/λmin = {v}',
    'explain.where.monotone': 'η = {lr}: below 1/λmax, the error shrinks without overshooting.',
    'explain.where.oscillate': 'η = {lr}: between 1/λmax and 2/λmax, θ zig-zags across the valley but converges.',
    'explain.where.diverge': 'η = {lr}: above 2/λmax, plain full-batch descent diverges.',
    'explain.momentum-critical': 'With momentum μ = {mu}, full-batch heavy-ball descent diverges above 2(1 + μ)/λmax = {v} instead.',
    'explain.bands-other': 'These bands are plain gradient descent\'s: this optimizer accelerates or rescales each step, so they do not apply to it directly.',
  },
  zh: {
    'explain.title': '这一步如何计算',
    'explain.intro': '运行 1（{optimizer}），第 {t} 步 → 第 {next} 步。先是规则，然后是当前数值：',
    'explain.rate': '有效学习率（计划：{schedule}）',
    'explain.gradient': 'g：全部数据上 J 在 θ 处的梯度',
    'explain.gradient.l1': 'g：全部数据上 J 在 θ 处的梯度，加上 L1 次梯度 λ₁·sign(θ₁)，sign(0) = 0',
    'explain.minibatch': '该运行使用大小为 {b} 的小批量：下一步使用随机批次的梯度而不是 g，因此会落在所示 θ 附近而非正好落在其上。',
    'explain.last-batch': '上一批次的梯度',
    'explain.prox': '然后用近端步处理 L1 部分（把 θ₁ 按 ηₜ·λ₁ 软阈值）',
    'explain.bands': '此二次函数上全批量梯度下降的稳定性（Hessian 的特征值 λmin = {min}，λmax = {max}）：',
    'explain.band.monotone': '低于 1/λmax = {v} 时不越过',
    'explain.band.optimal': '最优恒定学习率 2/(λmin + λmax) = {v}',
    'explain.band.critical': '高于临界学习率 2/λmax = {v} 时发散',
    'explain.band.kappa': '条件数 κ = λmax/λmin = {v}',
    'explain.where.monotone': 'η = {lr}：低于 1/λmax，误差单调减小，不越过。',
    'explain.where.oscillate': 'η = {lr}：介于 1/λmax 与 2/λmax 之间，θ 在山谷两侧之字形前进，但会收敛。',
    'explain.where.diverge': 'η = {lr}：高于 2/λmax，普通全批量梯度下降发散。',
    'explain.momentum-critical': '使用动量 μ = {mu} 时，全批量重球法的发散界改为 2(1 + μ)/λmax = {v}。',
    'explain.bands-other': '以上区间针对普通梯度下降：当前优化器会加速或按坐标缩放每一步，因此不能直接套用。',
  },
});

// ---- MathML from small nested arrays ------------------------------------------------------------
// A string is a token: a number → <mn>, a letter (with primes or subscripts) → <mi>, else <mo>.
// ['vec', a, b] a column vector, ['frac', a, b], ['sqrt', a], ['sub', x, s], ['sup', x, s],
// ['hat', x], ['row', ...] a group; a number is written with 4 significant digits.

function math(tag, ...children) {
  const el = document.createElementNS(MATHML, tag);
  for (const child of children) el.append(child);
  return el;
}

function token(text) {
  if (/^[−-]?[\d.]+(×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?$/.test(text)) return math('mn', document.createTextNode(text));
  if (/^[A-Za-zα-ωθηλμεβ]/.test(text)) return math('mi', document.createTextNode(text));
  return math('mo', document.createTextNode(text));
}

function node(x) {
  if (typeof x === 'number') return token(formatNumber(x, 4));
  if (typeof x === 'string') return token(x);
  const [kind, ...args] = x;
  switch (kind) {
    case 'vec':
      return math('mrow', token('('),
        math('mtable', ...args.map((a) => math('mtr', math('mtd', node(a))))), token(')'));
    case 'frac': return math('mfrac', node(args[0]), node(args[1]));
    case 'sqrt': return math('msqrt', node(args[0]));
    case 'sub': return math('msub', node(args[0]), node(args[1]));
    case 'sup': return math('msup', node(args[0]), node(args[1]));
    case 'hat': return math('mover', node(args[0]), token('^'));
    default: return math('mrow', ...args.map(node));
  }
}

/** One displayed equation: <math display="block"> of a row of parts. */
function equation(...parts) {
  const el = math('math', node(['row', ...parts]));
  el.setAttribute('display', 'block');
  return el;
}

const v2 = (a) => ['vec', a[0], a[1]];
const map2 = (f, ...vs) => [0, 1].map((i) => f(...vs.map((v) => v[i])));
const sign0 = (x) => (x > 0 ? 1 : x < 0 ? -1 : 0);
const soft = (z, k) => sign0(z) * Math.max(Math.abs(z) - k, 0);

/**
 * The next update of `kind` from θ with gradient g at rate η: [symbolic rule, numbers] lines
 * and the new θ. `s` is the optimizer state {first, second, steps}; `p` the hyperparameters.
 */
export function nextUpdate(kind, p, s, theta, g, eta) {
  const T = 'θ';
  const lines = [];
  let next;
  const step = (dir, name) => {
    next = map2((x, d) => x - eta * d, theta, dir);
    lines.push(equation(T, '←', T, '−', 'η', '·', name));
    lines.push(equation('=', v2(theta), '−', eta, '·', v2(dir), '=', v2(next)));
  };
  switch (kind) {
    case 'momentum':
    case 'nesterov': {
      const b = map2((bi, gi) => p.momentum * bi + gi, s.first, g);
      lines.push(equation('b', '←', 'μ', '·', 'b', '+', 'g'));
      lines.push(equation('=', p.momentum, '·', v2(s.first), '+', v2(g), '=', v2(b)));
      if (kind === 'momentum') step(b, 'b');
      else step(map2((gi, bi) => gi + p.momentum * bi, g, b), ['row', '(', 'g', '+', 'μ', '·', 'b', ')']);
      break;
    }
    case 'adagrad':
    case 'rms-prop': {
      const sum = kind === 'adagrad';
      const name = sum ? 's' : 'v';
      const acc = sum ? map2((si, gi) => si + gi * gi, s.second, g)
        : map2((vi, gi) => p.alpha * vi + (1 - p.alpha) * gi * gi, s.second, g);
      if (sum) {
        lines.push(equation('s', '←', 's', '+', ['sup', 'g', '2']));
        lines.push(equation('=', v2(s.second), '+', v2(map2((x) => x * x, g)), '=', v2(acc)));
      } else {
        lines.push(equation('v', '←', 'α', '·', 'v', '+', ['row', '(', '1', '−', 'α', ')'], '·', ['sup', 'g', '2']));
        lines.push(equation('=', p.alpha, '·', v2(s.second), '+', 1 - p.alpha, '·', v2(map2((x) => x * x, g))));
        lines.push(equation('=', v2(acc)));
      }
      step(map2((gi, a) => gi / (Math.sqrt(a) + p.eps), g, acc), ['frac', 'g', ['row', ['sqrt', name], '+', 'ε']]);
      break;
    }
    case 'adam': {
      const t = s.steps + 1;
      const m = map2((mi, gi) => p.beta1 * mi + (1 - p.beta1) * gi, s.first, g);
      const v = map2((vi, gi) => p.beta2 * vi + (1 - p.beta2) * gi * gi, s.second, g);
      const c1 = 1 - p.beta1 ** t;
      const c2 = 1 - p.beta2 ** t;
      const mHat = m.map((x) => x / c1);
      const vHat = v.map((x) => x / c2);
      lines.push(equation('m', '←', ['sub', 'β', '1'], '·', 'm', '+', ['row', '(', '1', '−', ['sub', 'β', '1'], ')'], '·', 'g'));
      lines.push(equation('=', p.beta1, '·', v2(s.first), '+', 1 - p.beta1, '·', v2(g)));
      lines.push(equation('=', v2(m)));
      lines.push(equation('v', '←', ['sub', 'β', '2'], '·', 'v', '+', ['row', '(', '1', '−', ['sub', 'β', '2'], ')'], '·', ['sup', 'g', '2']));
      lines.push(equation('=', p.beta2, '·', v2(s.second), '+', 1 - p.beta2, '·', v2(map2((x) => x * x, g))));
      lines.push(equation('=', v2(v)));
      lines.push(equation(['hat', 'm'], '=', ['frac', 'm', ['row', '1', '−', ['sup', ['sub', 'β', '1'], String(t)]]], '=', v2(mHat)));
      lines.push(equation(['hat', 'v'], '=', ['frac', 'v', ['row', '1', '−', ['sup', ['sub', 'β', '2'], String(t)]]], '=', v2(vHat)));
      step(map2((a, b) => a / (Math.sqrt(b) + p.eps), mHat, vHat), ['frac', ['hat', 'm'], ['row', ['sqrt', ['hat', 'v']], '+', 'ε']]);
      break;
    }
    default:
      step(g, 'g');
  }
  return { lines, next };
}

export function installExplain(app) {
  const section = byId('explain-section');
  const body = byId('explain-body');

  const render = () => {
    if (!section.open) return;
    const { state, vis } = app;
    const report = vis.reports()[0];
    const theta = [report.theta.theta0, report.theta.theta1];
    const eta = report.lr_effective;
    const grads = vis.gradient_at(theta[0], theta[1]);
    const plain = state.optimizer === 'sgd';
    const l1 = grads.l1_weight;
    const g = plain ? grads.smooth : grads.subgradient;
    const s = vis.optimizer_state(0);
    const { lines, next } = nextUpdate(state.optimizer, state, s, theta, g, eta);
    if (plain && l1 > 0) {
      next[1] = soft(next[1], eta * l1);
      lines.push(h('p', { class: 'explain-text' }, t('explain.prox')));
      lines.push(equation(['sub', 'θ', '1'], '←', 'sign', '(', ['sub', 'θ', '1'], ')', '·', 'max', '(', '|', ['sub', 'θ', '1'], '|', '−', 'η', ['sub', 'λ', '1'], ',', '0', ')', '=', next[1]));
    }
    const n = app.ctx.n;
    const batch = vis.run_config(0).batch_size;
    const parts = [
      h('p', { class: 'explain-text' }, t('explain.intro', {
        optimizer: t(`optimizer.${state.optimizer}`), t: report.iteration, next: report.iteration + 1,
      })),
      equation(['sub', 'η', 't'], '=', eta),
      h('p', { class: 'explain-hint' }, t('explain.rate', { schedule: t(`schedule.${state.schedule}`) })),
      equation('θ', '=', v2(theta), ',', 'g', '=', v2(g)),
      h('p', { class: 'explain-hint' }, t(!plain && l1 > 0 ? 'explain.gradient.l1' : 'explain.gradient')),
    ];
    if (batch < n) {
      parts.push(h('p', { class: 'explain-hint' }, t('explain.minibatch', { b: batch })));
      if (s.last) {
        parts.push(equation(['sub', 'g', 'B'], '=', v2([s.last.batch.theta0, s.last.batch.theta1])));
        parts.push(h('p', { class: 'explain-hint' }, t('explain.last-batch')));
      }
    }
    const rules = h('div', { class: 'explain-rules' }, ...lines);
    const c = app.analysis.curvature;
    const [min, max] = c.eigenvalues;
    const kappa = c.condition_number ?? Infinity;
    const where = eta < c.lr_monotone ? 'monotone' : eta < c.lr_critical ? 'oscillate' : 'diverge';
    const bands = h('div', { class: 'explain-bands' },
      h('p', { class: 'explain-text' }, t('explain.bands', { min: formatNumber(min, 4), max: formatNumber(max, 4) })),
      h('ul', {},
        h('li', { 'data-testid': 'explain-monotone', 'data-value': String(c.lr_monotone) }, t('explain.band.monotone', { v: formatNumber(c.lr_monotone, 4) })),
        h('li', { 'data-testid': 'explain-optimal', 'data-value': String(c.lr_optimal) }, t('explain.band.optimal', { v: formatNumber(c.lr_optimal, 4) })),
        h('li', { 'data-testid': 'explain-critical', 'data-value': String(c.lr_critical) }, t('explain.band.critical', { v: formatNumber(c.lr_critical, 4) })),
        h('li', { 'data-testid': 'explain-kappa', 'data-value': Number.isFinite(kappa) ? String(kappa) : '∞' },
          t('explain.band.kappa', { v: Number.isFinite(kappa) ? formatNumber(kappa, 4) : '∞' }))),
      h('p', { class: `explain-where explain-${where}` }, t(`explain.where.${where}`, { lr: formatNumber(eta, 4) })));
    // The bands above are plain gradient descent's. Heavy-ball momentum on a quadratic follows
    // θₖ₊₁ = θₖ − η·λ·θₖ + μ·(θₖ − θₖ₋₁) along each eigen-direction; its characteristic
    // polynomial z² − (1 + μ − ηλ)·z + μ has both roots inside the unit circle iff
    // 0 < ηλ < 2(1 + μ) (for 0 ≤ μ < 1), so its critical rate is 2(1 + μ)/λmax.
    if (state.optimizer === 'momentum') {
      const limit = (2 * (1 + state.momentum)) / max;
      bands.append(h('p', { class: 'explain-text', 'data-testid': 'explain-momentum-critical', 'data-value': String(limit) },
        t('explain.momentum-critical', { mu: formatNumber(state.momentum, 4), v: formatNumber(limit, 4) })));
    } else if (state.optimizer !== 'sgd') {
      bands.append(h('p', { class: 'explain-text' }, t('explain.bands-other')));
    }
    body.dataset.nextTheta0 = String(next[0]);
    body.dataset.nextTheta1 = String(next[1]);
    body.replaceChildren(...parts, rules, bands);
  };

  const later = throttle(render, REFRESH_MS);
  app.on('show', () => (app.player.playing ? later() : render()));
  app.on('analysis', later);
  section.addEventListener('toggle', render);
  onLanguageChange(render);
}
