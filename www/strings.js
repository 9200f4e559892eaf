// English and 简体中文 strings of the page as issue 3 built it (header, settings, readouts,
// plots, status words, messages made in JS) and of the tools of issue 5 (editing, import and
// export, link, timeline, keyboard, table). Registered through i18n.js; the markup of
// index.html is not edited: `annotatePage` marks its elements with data-i18n attributes, so
// that i18n.translate() relabels them on every language change.
//
// Messages of the core (and of state.js's parsers) are English sentences of a few fixed shapes
// ("learning rate must be a finite number > 0, got -1", "line 3, column 2: ..."); in Chinese
// `localizeMessage` rebuilds them from their parts. The divergence message is composed from
// the report's numbers (`divergenceMessage`).

import { language, register, t } from './i18n.js';

register({
  en: {
    'page.title': 'gdviz: gradient descent on linear regression',
    'brand.sub': 'gradient descent on least squares',
    'button.step': 'Step',
    'button.play': 'Play',
    'button.pause': 'Pause',
    'button.reset': 'Reset',
    'aria.transport': 'Run',
    'aria.readouts': 'Current state of the run',
    'aria.settings': 'Settings',
    'aria.plots': 'Plots',
    'readout.status': 'Status',
    'readout.iteration': 'Iteration',
    'readout.epoch': 'Epoch',
    'readout.theta0': 'θ₀ (intercept)',
    'readout.theta1': 'θ₁ (slope)',
    'readout.loss': 'Loss J(θ)',
    'readout.grad-norm': 'Gradient ‖∇J‖',
    'readout.lr-critical': 'Critical rate',
    'readout.condition-number': 'Condition number κ',
    'status.ready': 'ready',
    'status.running': 'running',
    'status.paused': 'paused',
    'status.converged': 'converged',
    'status.diverged': 'diverged',
    'legend.data': 'Data',
    'legend.descent': 'Descent',
    'legend.regularization': 'Regularization',
    'label.dataset': 'Dataset',
    'label.points': 'Points',
    'label.noise': 'Noise',
    'label.seed': 'Seed',
    'label.learning-rate': 'Learning rate',
    'label.batch-size': 'Batch size',
    'label.speed': 'Speed',
    'label.regularization': 'Regularization',
    'label.reg-strength': 'Regularization strength',
    'label.l1-ratio': 'L1 ratio',
    'unit.speed': 'steps / frame',
    'aria.lr-slider': 'Learning rate slider, log scale from 0.00001 to 10',
    'aria.lr-legend': 'Learning-rate bands and marks',
    'lr.monotone': 'no overshoot',
    'lr.monotone.title': 'below 1/λmax the error shrinks without overshooting',
    'lr.oscillate': 'zig-zags',
    'lr.oscillate.title': 'between 1/λmax and 2/λmax the path zig-zags across the valley but converges',
    'lr.diverge': 'diverges',
    'lr.diverge.title': 'above the critical rate 2/λmax full-batch descent diverges',
    'lr.optimal': 'optimal ',
    'lr.optimal.title': 'the optimal constant rate 2/(λmin + λmax)',
    'lr.critical': 'critical 2/λ',
    'lr.critical.title': 'the critical rate 2/λmax',
    'mark.critical': 'critical rate {rate}',
    'mark.optimal': 'optimal rate {rate}',
    'aria.batch-presets': 'Batch size presets',
    'batch.full': 'Full',
    'batch.full.aria': 'Full batch',
    'batch.32.aria': 'Batch size 32',
    'batch.1.aria': 'Batch size 1 (SGD)',
    'batch.hint': 'of {n}: {mode}',
    'batch.mode.full': 'full batch',
    'batch.mode.sgd': 'SGD',
    'batch.mode.mini': 'mini-batch',
    'reg.none': 'None',
    'reg.l1': 'L1 (lasso)',
    'reg.l2': 'L2 (ridge)',
    'reg.elastic-net': 'Elastic net',
    'caption.surface': 'Loss surface J(θ₀, θ₁) and the path of θ',
    'caption.fit': 'Data and fitted line',
    'caption.loss': 'Loss per iteration (log scale)',
    'aria.surface': 'Loss surface: heat map and contours of J over intercept and slope, with the optimum marked',
    'aria.fit': 'The data points with the optimal line drawn faint',
    'aria.loss': 'Loss curve: J per iteration on a log scale, with J at the optimum as a reference line',
    'error.still-using': '{message}. Still using {last}.',
    'message.diverged.suffix': '{message} Change the rate, then press Reset to start again.',
    'message.diverged.plain': 'Diverged at step {iteration}.',
    'note.converged': 'Converged after {steps} steps: the gradient norm {norm} is at most the tolerance{tol}.',

    // The tools of issue 5.
    'dataset.custom': 'Custom (edited)',
    'dataset.custom.description': 'Your own {n} points. Choosing a data set, or changing Points, Noise or Seed, makes data from the preset again.',
    'edit.hint': 'Click the data plot to add a point, drag a point to move it, Shift-click a point to delete it.',
    'edit.too-few': 'A line needs at least 2 points: this one stays.',
    'edit.refused': 'That edit was refused: {message}.',
    'tools.aria': 'Data, sharing and export',
    'menu.data': 'Data',
    'menu.export': 'Export',
    'menu.table': 'Trajectory table',
    'import.file': 'Import CSV',
    'import.paste': 'Paste CSV',
    'import.paste.placeholder': 'x,y\n0.5,2.1\n1.0,2.9',
    'import.load': 'Load pasted data',
    'import.loaded': 'Loaded {n} points from {source}.',
    'import.source.paste': 'the pasted text',
    'import.failed': 'Could not read {source}: {message}. The data already shown stays.',
    'import.rules': 'Two numeric columns x,y; an optional header row; blank lines are skipped.',
    'export.data': 'Export data',
    'export.dashboard': 'Dashboard PNG',
    'export.trajectory': 'Trajectory CSV',
    'export.png': 'PNG',
    'export.png.surface': 'Download the loss surface as PNG',
    'export.png.fit': 'Download the data plot as PNG',
    'export.png.loss': 'Download the loss curve as PNG',
    'export.saved': 'Saved {file}.',
    'export.failed': 'Could not export: {message}.',
    'dashboard.title': 'gdviz: gradient descent on least squares',
    'link.copy': 'Copy link',
    'link.copied': 'Link copied.',
    'link.select': 'Press Ctrl+C (⌘C) to copy the selected link.',
    'link.field': 'Link to this view',
    'link.too-many': 'The data has {n} points, more than the {max} a link holds: the link gives the preset data instead of your points.',
    'url.ignored': 'Ignored from the link: {list}.',
    'url.unknown': 'unknown field',
    'url.unavailable': 'not available on this page',
    'url.bad-points': 'expected the same number (2 to {max}) of finite numbers in x and y',
    'url.bad-runs': 'expected a list of comparison runs',
    'url.bad-start': 'expected two finite numbers θ₀,θ₁',
    'url.bad-flag': 'expected 0 or 1',
    'url.bad-lang': 'expected one of {known}',
    'notice.dismiss': 'Dismiss',
    'timeline.label': 'Timeline',
    'timeline.live': 'live',
    'timeline.viewing': 'viewing step {step} of {last}',
    'timeline.thinned': 'history thinned: every {k} step kept',
    'ordinal.1': '{n}st',
    'ordinal.2': '{n}nd',
    'ordinal.3': '{n}rd',
    'ordinal.other': '{n}th',
    'presenter': 'Presenter',
    'presenter.title': 'Presenter mode: larger text and lines for a projector',
    'language.label': 'Language',
    'shortcuts.button': '?',
    'shortcuts.button.aria': 'Keyboard shortcuts',
    'shortcuts.title': 'Keyboard shortcuts',
    'shortcuts.space': 'Play or pause',
    'shortcuts.right': 'One step',
    'shortcuts.reset': 'Reset',
    'shortcuts.halve': 'Halve the learning rate',
    'shortcuts.double': 'Double the learning rate',
    'shortcuts.help': 'This list',
    'shortcuts.escape': 'Close this list',
    'shortcuts.note': 'Shortcuts do not act while you type in a field. When a button has the focus, Space presses that button.',
    'shortcuts.close': 'Close',
    'key.space': 'Space',
    'key.right': '→',
    'announce.converged': 'Converged after {steps} steps.',
    'announce.diverged': 'Diverged at step {step}.',
    'table.caption': 'The last {count} recorded steps of run 1 (of {total} recorded)',
    'table.empty': 'No steps yet: press Step or Play.',
    'table.step': 'Step',
    'table.epoch': 'Epoch',
    'table.theta0': 'θ₀',
    'table.theta1': 'θ₁',
    'table.loss': 'Loss',
    'table.grad': '‖∇J‖',
  },
  zh: {
    'page.title': 'gdviz：线性回归上的梯度下降',
    'brand.sub': '最小二乘上的梯度下降',
    'button.step': '单步',
    'button.play': '播放',
    'button.pause': '暂停',
    'button.reset': '重置',
    'aria.transport': '运行',
    'aria.readouts': '当前运行状态',
    'aria.settings': '设置',
    'aria.plots': '图表',
    'readout.status': '状态',
    'readout.iteration': '迭代',
    'readout.epoch': '轮次',
    'readout.theta0': 'θ₀（截距）',
    'readout.theta1': 'θ₁（斜率）',
    'readout.loss': '损失 J(θ)',
    'readout.grad-norm': '梯度 ‖∇J‖',
    'readout.lr-critical': '临界学习率',
    'readout.condition-number': '条件数 κ',
    'status.ready': '就绪',
    'status.running': '运行中',
    'status.paused': '已暂停',
    'status.converged': '已收敛',
    'status.diverged': '已发散',
    'legend.data': '数据',
    'legend.descent': '下降',
    'legend.regularization': '正则化',
    'label.dataset': '数据集',
    'label.points': '点数',
    'label.noise': '噪声',
    'label.seed': '随机种子',
    'label.learning-rate': '学习率',
    'label.batch-size': '批大小',
    'label.speed': '速度',
    'label.regularization': '正则化',
    'label.reg-strength': '正则化强度',
    'label.l1-ratio': 'L1 比例',
    'unit.speed': '步 / 帧',
    'aria.lr-slider': '学习率滑块，对数刻度，从 0.00001 到 10',
    'aria.lr-legend': '学习率区间与标记',
    'lr.monotone': '无过冲',
    'lr.monotone.title': '低于 1/λmax 时误差单调减小，不会越过最优点',
    'lr.oscillate': '来回振荡',
    'lr.oscillate.title': '在 1/λmax 与 2/λmax 之间，路径在山谷两侧来回振荡，但仍会收敛',
    'lr.diverge': '发散',
    'lr.diverge.title': '高于临界学习率 2/λmax 时，全批量梯度下降发散',
    'lr.optimal': '最优 ',
    'lr.optimal.title': '最优常数学习率 2/(λmin + λmax)',
    'lr.critical': '临界 2/λ',
    'lr.critical.title': '临界学习率 2/λmax',
    'mark.critical': '临界学习率 {rate}',
    'mark.optimal': '最优学习率 {rate}',
    'aria.batch-presets': '批大小预设',
    'batch.full': '全部',
    'batch.full.aria': '全批量',
    'batch.32.aria': '批大小 32',
    'batch.1.aria': '批大小 1（SGD）',
    'batch.hint': '共 {n} 个点：{mode}',
    'batch.mode.full': '全批量',
    'batch.mode.sgd': '随机梯度下降',
    'batch.mode.mini': '小批量',
    'reg.none': '无',
    'reg.l1': 'L1（Lasso）',
    'reg.l2': 'L2（岭回归）',
    'reg.elastic-net': '弹性网络',
    'caption.surface': '损失曲面 J(θ₀, θ₁) 与 θ 的路径',
    'caption.fit': '数据与拟合直线',
    'caption.loss': '每次迭代的损失（对数刻度）',
    'aria.surface': '损失曲面：J 关于截距和斜率的热图与等高线，并标出最优点',
    'aria.fit': '数据点，以及淡色绘制的最优直线',
    'aria.loss': '损失曲线：每次迭代的 J（对数刻度），以最优点处的 J 为参考线',
    'error.still-using': '{message}。仍使用 {last}。',
    'message.diverged.suffix': '{message}请修改学习率，然后按“重置”重新开始。',
    'message.diverged.plain': '在第 {iteration} 步发散。',
    'note.converged': '经过 {steps} 步后收敛：梯度范数 {norm} 不超过容差{tol}。',

    'dataset.custom': '自定义（已编辑）',
    'dataset.custom.description': '你自己的 {n} 个点。选择数据集，或修改点数、噪声、随机种子，会重新按预设生成数据。',
    'edit.hint': '在数据图上点击以添加点，拖动点以移动，按住 Shift 点击点以删除。',
    'edit.too-few': '一条直线至少需要 2 个点：这个点保留。',
    'edit.refused': '该编辑未被接受：{message}。',
    'tools.aria': '数据、分享与导出',
    'menu.data': '数据',
    'menu.export': '导出',
    'menu.table': '轨迹表',
    'import.file': '导入 CSV',
    'import.paste': '粘贴 CSV',
    'import.paste.placeholder': 'x,y\n0.5,2.1\n1.0,2.9',
    'import.load': '载入粘贴的数据',
    'import.loaded': '已从{source}载入 {n} 个点。',
    'import.source.paste': '粘贴的文本',
    'import.failed': '无法读取{source}：{message}。当前数据保持不变。',
    'import.rules': '两列数字 x,y；可选的表头行；空行会被跳过。',
    'export.data': '导出数据',
    'export.dashboard': '整页 PNG',
    'export.trajectory': '轨迹 CSV',
    'export.png': 'PNG',
    'export.png.surface': '将损失曲面下载为 PNG',
    'export.png.fit': '将数据图下载为 PNG',
    'export.png.loss': '将损失曲线下载为 PNG',
    'export.saved': '已保存 {file}。',
    'export.failed': '无法导出：{message}。',
    'dashboard.title': 'gdviz：最小二乘上的梯度下降',
    'link.copy': '复制链接',
    'link.copied': '链接已复制。',
    'link.select': '请按 Ctrl+C（⌘C）复制已选中的链接。',
    'link.field': '指向当前视图的链接',
    'link.too-many': '数据有 {n} 个点，超过链接可容纳的 {max} 个：链接中只保留预设数据，不含你的点。',
    'url.ignored': '链接中以下字段已忽略：{list}。',
    'url.unknown': '未知字段',
    'url.unavailable': '本页不支持',
    'url.bad-points': 'x 与 y 应为个数相同（2 到 {max} 个）的有限数',
    'url.bad-runs': '应为对比运行的列表',
    'url.bad-start': '应为两个有限数 θ₀,θ₁',
    'url.bad-flag': '应为 0 或 1',
    'url.bad-lang': '应为以下之一：{known}',
    'notice.dismiss': '关闭',
    'timeline.label': '时间轴',
    'timeline.live': '实时',
    'timeline.viewing': '正在查看第 {step} 步（共 {last} 步）',
    'timeline.thinned': '历史已抽稀：每 {k} 步保留一步',
    'ordinal.1': '{n}',
    'ordinal.2': '{n}',
    'ordinal.3': '{n}',
    'ordinal.other': '{n}',
    'presenter': '演示模式',
    'presenter.title': '演示模式：为投影仪放大文字和线条',
    'language.label': '语言',
    'shortcuts.button': '?',
    'shortcuts.button.aria': '键盘快捷键',
    'shortcuts.title': '键盘快捷键',
    'shortcuts.space': '播放或暂停',
    'shortcuts.right': '前进一步',
    'shortcuts.reset': '重置',
    'shortcuts.halve': '学习率减半',
    'shortcuts.double': '学习率加倍',
    'shortcuts.help': '显示本列表',
    'shortcuts.escape': '关闭本列表',
    'shortcuts.note': '在输入框中输入时快捷键不起作用。按钮获得焦点时，空格键按下该按钮。',
    'shortcuts.close': '关闭',
    'key.space': '空格',
    'key.right': '→',
    'announce.converged': '经过 {steps} 步后收敛。',
    'announce.diverged': '在第 {step} 步发散。',
    'table.caption': '运行 1 最近记录的 {count} 步（共记录 {total} 步）',
    'table.empty': '还没有步骤：请按“单步”或“播放”。',
    'table.step': '步',
    'table.epoch': '轮次',
    'table.theta0': 'θ₀',
    'table.theta1': 'θ₁',
    'table.loss': '损失',
    'table.grad': '‖∇J‖',
  },
});

/** Chinese names and descriptions of the core's presets (English comes from the core). */
const PRESETS_ZH = {
  clean: ['干净的直线', '50 个接近 y = 1 + 2x 的点：倾斜的碗形曲面，梯度下降很快收敛。'],
  noisy: ['带噪声的直线', '200 个 y = 1 + 2x 的点，噪声 σ = 1：小批量梯度四处散布。'],
  outliers: ['带离群点的直线', '100 个点，其中 10% 是直线上方的离群点：最小二乘拟合被向上拉。'],
  'ill-conditioned': ['病态（x 远离 0）',
    'x 在 4 到 6 之间：狭长的山谷，临界学习率很小，沿山谷方向进展缓慢。试试将 x 标准化。'],
};

/** A preset's label or description in the current language (`field`: 'label' | 'description'). */
export function presetText(preset, field) {
  if (language() === 'zh' && PRESETS_ZH[preset.name]) {
    return PRESETS_ZH[preset.name][field === 'label' ? 0 : 1];
  }
  return preset[field];
}

// ---------------------------------------------------------------------------------------------
// Messages of the core and of state.js, rebuilt in Chinese from their parts.

const NAMES_ZH = {
  'learning rate': '学习率',
  points: '点数',
  noise: '噪声',
  seed: '随机种子',
  'batch size': '批大小',
  speed: '速度',
  'regularization strength λ': '正则化强度 λ',
  'regularization strength': '正则化强度',
  lambda: '正则化强度 λ',
  'L1 ratio ρ': 'L1 比例 ρ',
  'l1 ratio': 'L1 比例',
  regularization: '正则化',
  dataset: '数据集',
  tolerance: '容差',
  'x of point': '点的 x 值',
  'y of point': '点的 y 值',
  'the number of y values': 'y 值的个数',
  point: '点',
  'number of runs': '运行数',
  'standardize x': '标准化 x',
  'run settings': '运行设置',
  optimizer: '优化器',
  schedule: '学习率计划',
  'momentum μ': '动量 μ',
  'beta1 β1': 'β₁',
  'beta2 β2': 'β₂',
  'alpha α': 'α',
  'epsilon ε': 'ε',
  'decay γ': '衰减 γ',
  'step size': '步长间隔',
  'decay d': '衰减 d',
  'total steps': '总步数 T',
};

function rangeZh(range) {
  let m;
  if (range === 'a finite number > 0') return '大于 0 的有限数';
  if (range === 'a finite number ≥ 0') return '不小于 0 的有限数';
  if (range === 'a finite number') return '有限数';
  if (range === 'a valid setting') return '有效的设置';
  if ((m = /^an integer in \[(.+), (.+)\]$/.exec(range))) return `[${m[1]}, ${m[2]}] 内的整数`;
  if ((m = /^an integer ≥ (.+)$/.exec(range))) return `不小于 ${m[1]} 的整数`;
  if ((m = /^in ([[(].+[\])])$/.exec(range))) return `${m[1]} 内的数`;
  if ((m = /^one of (.+)$/.exec(range))) return `以下之一：${m[1]}`;
  if ((m = /^a finite number with magnitude ≤ (.+)$/.exec(range))) return `绝对值不超过 ${m[1]} 的有限数`;
  if ((m = /^equal to the number of x values \((.+)\)$/.exec(range))) return `等于 x 值的个数（${m[1]}）`;
  if ((m = /^at most (.+)$/.exec(range))) return `至多 ${m[1]}`;
  if ((m = /^at least (.+)$/.exec(range))) return `至少 ${m[1]}`;
  return range;
}

function gotZh(got) {
  if (got === 'an empty field') return '空白';
  const m = /^(.+) \(point (\d+)\)$/.exec(got);
  if (m) return `${m[1]}（第 ${m[2]} 个点）`;
  return got;
}

function csvDetailZh(text) {
  let m;
  if ((m = /^(".*"…?) is not a number$/.exec(text))) return `${m[1]} 不是数字`;
  if ((m = /^(".*"…?) is not a finite number$/.exec(text))) return `${m[1]} 不是有限数`;
  if (text === 'the cell is empty; expected a number') return '单元格为空，应为数字';
  if (text === 'the cell is not valid UTF-8 text') return '单元格不是有效的 UTF-8 文本';
  if (text === 'the file is empty; expected rows of two numbers x,y') return '文件为空，应为每行两个数 x,y';
  if ((m = /^expected 2 columns \(x,y\), found (\d+)$/.exec(text))) return `应有 2 列 (x,y)，实际为 ${m[1]} 列`;
  if ((m = /^the file ends after (\d+) data rows?; at least (\d+) are needed to fit a line$/.exec(text))) {
    return `文件只有 ${m[1]} 行数据，拟合一条直线至少需要 ${m[2]} 行`;
  }
  return localizeCore(text);
}

function localizeCore(text) {
  let m;
  if ((m = /^line (\d+), column (\d+): (.*)$/s.exec(text))) return `第 ${m[1]} 行第 ${m[2]} 列：${csvDetailZh(m[3])}`;
  if ((m = /^line (\d+): (.*)$/s.exec(text))) return `第 ${m[1]} 行：${csvDetailZh(m[2])}`;
  if ((m = /^the data must have at least (\d+) points, got (\d+)$/.exec(text))) {
    return `数据至少需要 ${m[1]} 个点，实际为 ${m[2]} 个`;
  }
  if ((m = /^unknown preset "(.*)"; known presets: (.*)$/.exec(text))) {
    return `未知的预设数据集 "${m[1]}"；已知的有：${m[2]}`;
  }
  if ((m = /^(.+?) (\d+) does not exist \(there are (\d+)\)$/.exec(text))) {
    return `${NAMES_ZH[m[1]] ?? m[1]} ${m[2]} 不存在（共有 ${m[3]} 个）`;
  }
  if ((m = /^(.+?) must be one of (.+), got (.*)$/s.exec(text))) {
    return `${NAMES_ZH[m[1]] ?? m[1]}必须是以下之一：${m[2]}，实际为 ${m[3]}`;
  }
  if ((m = /^(.+?) must be (.+), got (.*)$/s.exec(text))) {
    return `${NAMES_ZH[m[1]] ?? m[1]}必须是${rangeZh(m[2])}，实际为 ${gotZh(m[3])}`;
  }
  return text;
}

/**
 * A message of the core or of a parser, for a person in the current language: the first letter
 * upper case in English ("Learning rate must be ..."), rebuilt from its parts in Chinese.
 */
export function localizeMessage(text) {
  const s = String(text ?? '').trim().replace(/\.$/, '');
  if (language() === 'zh') return localizeCore(s);
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** Like the core's `sig`: 3 significant digits, plain between 1e-3 and 1e6. */
function sig(v) {
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e6) return String(Number(v.toPrecision(3)));
  return v.toExponential(2).replace(/\.?0+e/, 'e').replace('e+', 'e');
}

/**
 * The divergence message in the current language: the core's sentence in English; in Chinese
 * composed from the report's numbers (iteration, learning_rate, lr_critical).
 */
export function divergenceMessage(divergence, iteration) {
  if (!divergence) return t('message.diverged.plain', { iteration });
  if (language() !== 'zh') return divergence.message ?? t('message.diverged.plain', { iteration });
  const step = divergence.iteration ?? iteration;
  const lr = sig(divergence.learning_rate);
  const critical = sig(divergence.lr_critical);
  if (divergence.learning_rate > divergence.lr_critical) {
    return `在第 ${step} 步发散：学习率 ${lr} 高于这组数据的临界学习率 ${critical}。请尝试低于 ${critical} 的学习率。`;
  }
  return `在第 ${step} 步发散：学习率 ${lr} 不高于全批量的临界学习率 ${critical}，`
    + '但小批量的噪声或优化器的动量/步长自适应使损失超过了初始值的 10¹⁰ 倍。请尝试更小的学习率。';
}

/** "2nd", "4th", … in English; the plain number in Chinese. */
export function ordinal(n) {
  const mod100 = n % 100;
  const mod10 = n % 10;
  const key = mod100 >= 11 && mod100 <= 13 ? 'other' : ({ 1: '1', 2: '2', 3: '3' }[mod10] ?? 'other');
  return t(`ordinal.${key}`, { n });
}

// ---------------------------------------------------------------------------------------------
// The markup of index.html, marked for translation.

/** Wraps the text nodes of `el` that hold `text` in a span (so it can be relabelled alone). */
function wrapText(el, text) {
  if (!el) return null;
  for (const node of el.childNodes) {
    if (node.nodeType === Node.TEXT_NODE && node.textContent.trim() === text.trim()) {
      const span = document.createElement('span');
      node.replaceWith(span);
      span.textContent = node.textContent;
      return span;
    }
  }
  return null;
}

const q = (selector) => document.querySelector(selector);
const dtOf = (testid) => q(`[data-testid="${testid}"]`)?.previousElementSibling ?? null;
const legendOf = (id) => document.getElementById(id)?.closest('fieldset')?.querySelector('legend') ?? null;
const captionOf = (id) => document.getElementById(id)?.closest('figure')?.querySelector('figcaption') ?? null;

/** [element or null, key] for text, [element or null, 'attr:key'] for attributes. */
function markupTable() {
  const legend = q('#lr-legend');
  const items = legend ? [...legend.querySelectorAll('li')] : [];
  const itemText = (i, text) => wrapText(items[i], text);
  return [
    [q('.brand-sub'), 'brand.sub'],
    [q('#step'), 'button.step'],
    [q('#reset'), 'button.reset'],
    [q('.transport'), 'aria-label:aria.transport'],
    [q('#status-label'), 'readout.status'],
    [q('.topbar .readouts'), 'aria-label:aria.readouts'],
    ...['iteration', 'epoch', 'theta0', 'theta1', 'loss', 'grad-norm', 'lr-critical', 'condition-number']
      .map((id) => [dtOf(id), `readout.${id}`]),
    [q('aside.controls'), 'aria-label:aria.settings'],
    [legendOf('dataset'), 'legend.data'],
    [legendOf('learning-rate'), 'legend.descent'],
    [legendOf('regularization'), 'legend.regularization'],
    ...['dataset', 'points', 'noise', 'seed', 'learning-rate', 'batch-size', 'speed', 'regularization',
      'reg-strength', 'l1-ratio'].map((id) => [q(`label[for="${id}"]`), `label.${id}`]),
    [q('#speed-hint'), 'unit.speed'],
    [q('#learning-rate-slider'), 'aria-label:aria.lr-slider'],
    [legend, 'aria-label:aria.lr-legend'],
    [itemText(0, 'no overshoot'), 'lr.monotone'],
    [items[0] ?? null, 'title:lr.monotone.title'],
    [itemText(1, 'zig-zags'), 'lr.oscillate'],
    [items[1] ?? null, 'title:lr.oscillate.title'],
    [itemText(2, 'diverges'), 'lr.diverge'],
    [items[2] ?? null, 'title:lr.diverge.title'],
    [itemText(3, 'optimal'), 'lr.optimal'],
    [items[3] ?? null, 'title:lr.optimal.title'],
    [itemText(4, 'critical 2/λ'), 'lr.critical'],
    [items[4] ?? null, 'title:lr.critical.title'],
    [q('.quick[role="group"]'), 'aria-label:aria.batch-presets'],
    [q('[data-batch="full"]'), 'batch.full'],
    [q('[data-batch="full"]'), 'aria-label:batch.full.aria'],
    [q('[data-batch="32"]'), 'aria-label:batch.32.aria'],
    [q('[data-batch="1"]'), 'aria-label:batch.1.aria'],
    [q('section.stage'), 'aria-label:aria.plots'],
    [captionOf('surface-static'), 'caption.surface'],
    [captionOf('fit-static'), 'caption.fit'],
    [captionOf('loss'), 'caption.loss'],
    [q('#surface-static'), 'aria-label:aria.surface'],
    [q('#fit-static'), 'aria-label:aria.fit'],
    [q('#loss'), 'aria-label:aria.loss'],
  ];
}

/**
 * Marks the page's existing elements with data-i18n / data-i18n-attr (elements that another
 * version of the markup no longer has are skipped). Figcaptions get their text in a span, so
 * that buttons can sit beside it.
 */
export function annotatePage() {
  for (const [el, spec] of markupTable()) {
    if (!el) continue;
    const colon = spec.indexOf(':');
    if (colon < 0) {
      if (el.tagName === 'FIGCAPTION') {
        const span = el.querySelector('.caption-text') ?? wrapText(el, el.textContent);
        if (span) {
          span.classList.add('caption-text');
          span.dataset.i18n = spec;
        }
        continue;
      }
      el.dataset.i18n = spec;
    } else {
      const pairs = el.dataset.i18nAttr ? el.dataset.i18nAttr.split(';') : [];
      pairs.push(spec);
      el.dataset.i18nAttr = pairs.join(';');
    }
  }
}
