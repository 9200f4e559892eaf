// Pictures and trajectories out: a PNG of each plot (its stacked canvases composited over white)
// and of the whole dashboard (title, readouts, plots with their captions), and every run's
// trajectory as CSV (Export ▾), plus a PNG button in each plot's caption; run 1 as a Python
// script for PyTorch or NumPy (Copy as PyTorch, Copy as NumPy), written by the core.

import { byId, csvButton, flash, download, h, menu } from '../shell/dom.js';
import { describeError } from '../shell/errors.js';
import { t } from '../shell/i18n.js';

/** File names of each plot's PNG, by the name of the plot in the core's registry. */
const PNG_FILES = { surface: 'gdviz-surface.png', fit: 'gdviz-data.png', loss: 'gdviz-loss.png', coefficients: 'gdviz-coefficients.png' };

/** One canvas with a plot's layers drawn over white, at the canvases' own resolution. */
export function composePlot(layers) {
  const { width, height } = layers[0];
  const out = h('canvas');
  out.width = width;
  out.height = height;
  const g = out.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, width, height);
  for (const layer of layers) drawLayer(g, layer, 0, 0, layer.width, layer.height);
  return out;
}

/** Draws a canvas layer as the page shows it: at its CSS opacity (the surface's halo layer). */
function drawLayer(g, layer, x, y, width, height) {
  g.globalAlpha = Number(getComputedStyle(layer).opacity) || 0;
  g.drawImage(layer, x, y, width, height);
  g.globalAlpha = 1;
}

/** The readouts as "name value" pairs, in the page's language (what a person sees). */
function readoutPairs() {
  const pairs = [];
  const status = document.querySelector('[data-testid="status"]');
  if (status) pairs.push([byId('status-label')?.textContent ?? 'Status', status.textContent]);
  for (const readout of document.querySelectorAll('.readout')) {
    const dt = readout.querySelector('dt');
    const dd = readout.querySelector('dd');
    if (dt && dd && !readout.closest('[hidden]')) pairs.push([dt.textContent.trim(), dd.textContent.trim()]);
  }
  return pairs;
}

/**
 * The dashboard as one canvas: a title line, the readouts, and the plots (with their captions)
 * where they are on the screen.
 */
export function composeDashboard() {
  const ratio = window.devicePixelRatio || 1;
  const plots = byId('plots');
  const box = plots.getBoundingClientRect();
  const pad = 16;
  const font = getComputedStyle(document.body).fontFamily;
  const pairs = readoutPairs();
  const probe = h('canvas').getContext('2d');
  probe.font = `15px ${font}`;
  // Wrap the readouts onto as many lines as the width needs.
  const lines = [[]];
  let width = 0;
  for (const [name, value] of pairs) {
    const text = `${name}: ${value}`;
    const w = probe.measureText(text).width + 24;
    if (width + w > box.width && lines.at(-1).length) {
      lines.push([]);
      width = 0;
    }
    lines.at(-1).push(text);
    width += w;
  }
  const head = 34 + lines.length * 22 + 8;
  const out = h('canvas');
  out.width = Math.round((box.width + 2 * pad) * ratio);
  out.height = Math.round((box.height + head + 2 * pad) * ratio);
  const g = out.getContext('2d');
  g.scale(ratio, ratio);
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, box.width + 2 * pad, box.height + head + 2 * pad);
  g.fillStyle = '#111418';
  g.textBaseline = 'top';
  g.font = `bold 20px ${font}`;
  g.fillText(t('dashboard.title'), pad, pad);
  g.font = `15px ${font}`;
  g.fillStyle = '#3d4550';
  lines.forEach((line, i) => {
    let x = pad;
    for (const text of line) {
      g.fillText(text, x, pad + 34 + i * 22);
      x += probe.measureText(text).width + 24;
    }
  });
  const top = pad + head;
  for (const figure of plots.querySelectorAll('figure')) {
    const caption = figure.querySelector('figcaption .caption-text') ?? figure.querySelector('figcaption');
    if (caption) {
      const r = caption.getBoundingClientRect();
      g.font = `bold 14px ${font}`;
      g.fillStyle = '#3d4550';
      g.fillText(caption.textContent.trim(), pad + r.left - box.left, top + r.top - box.top);
    }
    for (const canvas of figure.querySelectorAll('canvas')) {
      const r = canvas.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) {
        drawLayer(g, canvas, pad + r.left - box.left, top + r.top - box.top, r.width, r.height);
      }
    }
  }
  return out;
}

function savePng(canvas, file, feedback) {
  canvas.toBlob((blob) => {
    if (!blob) {
      flash(feedback, t('export.failed', { message: 'toBlob' }));
      return;
    }
    download(blob, file);
    flash(feedback, t('export.saved', { file }));
  }, 'image/png');
}

/** The Python scripts of Export ▾: the core's kind, the button's id and label key, the file saved. */
const SCRIPTS = [
  { kind: 'pytorch', id: 'export-pytorch', key: 'export.copy-pytorch', label: 'PyTorch', file: 'gdviz-run.py' },
  { kind: 'numpy', id: 'export-numpy', key: 'export.copy-numpy', label: 'NumPy', file: 'gdviz-run-numpy.py' },
];

/**
 * Copies run 1's script of `script.kind` to the clipboard; when the browser refuses, saves it as
 * `script.file`. Says which in `feedback`.
 */
async function copyScript(app, script, feedback) {
  let text;
  try {
    text = app.vis.export_script(script.kind);
  } catch (error) {
    flash(feedback, t('export.failed', { message: describeError(error) }));
    return;
  }
  try {
    if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
    await navigator.clipboard.writeText(text);
    flash(feedback, t('export.script-copied', { kind: script.label }));
  } catch {
    download(new Blob([text], { type: 'text/x-python' }), script.file);
    flash(feedback, t('export.script-saved', { file: script.file }));
  }
}

export function install(app) {
  const toolbar = document.getElementById('toolbar-tools');
  const feedback = h('p', { class: 'hint', role: 'status', id: 'export-status' });
  const dashboard = h('button', { type: 'button', class: 'btn btn-small', id: 'export-dashboard', 'data-i18n': 'export.dashboard' },
    t('export.dashboard'));
  dashboard.addEventListener('click', () => savePng(composeDashboard(), 'gdviz-dashboard.png', feedback));
  const trajectory = csvButton('export-trajectory', 'export.trajectory', () => app.vis.trajectory_csv(),
    'gdviz-trajectory.csv', feedback);
  const scripts = SCRIPTS.map((script) => {
    const button = h('button', { type: 'button', class: 'btn btn-small', id: script.id, 'data-i18n': script.key }, t(script.key));
    button.addEventListener('click', () => copyScript(app, script, feedback));
    return button;
  });
  const exportMenu = menu('export-menu', 'menu.export', t('menu.export'),
    h('div', { class: 'menu-row' }, dashboard, trajectory), h('div', { class: 'menu-row' }, ...scripts), feedback);

  for (const [name, { figure, canvases }] of Object.entries(app.plots.figures)) {
    const caption = figure.querySelector('figcaption');
    if (!caption) continue;
    const key = `export.png.${name}`;
    const button = h('button', {
      type: 'button', class: 'btn btn-tiny png-button', 'data-plot': name,
      'aria-label': t(key), title: t(key), 'data-i18n-attr': `aria-label:${key};title:${key}`,
    }, t('export.png'));
    button.addEventListener('click', () => savePng(composePlot(canvases), PNG_FILES[name] ?? `gdviz-${name}.png`, feedback));
    caption.append(button);
  }
  toolbar.append(exportMenu);
  return { composePlot, composeDashboard };
}
