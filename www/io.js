// Data in and out: "Import CSV" (a file), a paste box, "Export data" (the points as CSV);
// pictures: a PNG of each plot (its stacked canvases composited) and of the whole dashboard;
// the trajectory as CSV. Import goes through the core's CSV reader (the command line's rules):
// a bad file leaves the data as it was and its message (line and column) shows in role="alert".

import { errorMessage } from './format.js';
import { onLanguageChange, t } from './i18n.js';
import { byId, download, flash, h, menu } from './dom.js';
import { dataReplaced } from './editing.js';
import { localizeMessage } from './strings.js';

/** The plots: their canvases bottom to top, the file name of their PNG, their caption key. */
export const PLOTS = {
  surface: { canvases: ['surface-static', 'surface-moving'], file: 'gdviz-surface.png' },
  fit: { canvases: ['fit-static', 'fit-moving'], file: 'gdviz-data.png' },
  loss: { canvases: ['loss'], file: 'gdviz-loss.png' },
};

/** One canvas with the plot's layers drawn over white, at the canvases' own resolution. */
export function composePlot(name) {
  const layers = PLOTS[name].canvases.map((id) => byId(id));
  const { width, height } = layers[0];
  const out = h('canvas');
  out.width = width;
  out.height = height;
  const g = out.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, width, height);
  for (const layer of layers) g.drawImage(layer, 0, 0);
  return out;
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
        g.drawImage(canvas, pad + r.left - box.left, top + r.top - box.top, r.width, r.height);
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

const csvBlob = (text) => new Blob([text], { type: 'text/csv;charset=utf-8' });

/** A button (text: string `key`) that downloads `csv()` as `file` and says so in `feedback`. */
function csvButton(id, key, csv, file, feedback) {
  const button = h('button', { type: 'button', class: 'btn btn-small', id, 'data-i18n': key }, t(key));
  button.addEventListener('click', () => {
    download(csvBlob(csv()), file);
    flash(feedback, t('export.saved', { file }));
  });
  return button;
}

export function installIo(app, toolbar) {
  // ---- Data: import (file, paste) and export -------------------------------------------------
  const alert = h('p', { class: 'error', role: 'alert', id: 'import-error' });
  const status = h('p', { class: 'hint', role: 'status', id: 'import-status' });
  const showError = (source, error) => {
    status.textContent = '';
    alert.textContent = t('import.failed', { source, message: localizeMessage(errorMessage(error)) });
  };
  const importText = (text, source) => {
    try {
      app.vis.import_csv(text);
    } catch (error) {
      showError(source, error);
      return false;
    }
    alert.textContent = '';
    dataReplaced(app);
    status.textContent = t('import.loaded', { n: app.ctx.n, source });
    return true;
  };

  const file = h('input', { type: 'file', id: 'import-file', accept: '.csv,.txt,text/csv,text/plain' });
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    let text;
    try {
      text = await chosen.text();
    } catch (error) {
      showError(chosen.name, error);
      return;
    } finally {
      file.value = ''; // the same file can be chosen again
    }
    importText(text, chosen.name);
  });
  const paste = h('textarea', {
    id: 'paste-csv', rows: 5, spellcheck: 'false', 'data-i18n-attr': 'placeholder:import.paste.placeholder',
  });
  paste.placeholder = t('import.paste.placeholder');
  const load = h('button', { type: 'button', class: 'btn btn-small', id: 'load-pasted', 'data-i18n': 'import.load' },
    t('import.load'));
  load.addEventListener('click', () => importText(paste.value, t('import.source.paste')));
  const exportData = csvButton('export-data', 'export.data', () => app.vis.export_csv(), 'gdviz-data.csv', status);

  const dataMenu = menu('data-menu', 'menu.data', t('menu.data'),
    h('div', { class: 'menu-field' },
      h('label', { for: 'import-file', 'data-i18n': 'import.file' }, t('import.file')),
      file),
    h('div', { class: 'menu-field' },
      h('label', { for: 'paste-csv', 'data-i18n': 'import.paste' }, t('import.paste')),
      paste),
    h('p', { class: 'hint', 'data-i18n': 'import.rules' }, t('import.rules')),
    h('div', { class: 'menu-row' }, load, exportData),
    alert,
    status,
    h('p', { class: 'hint', 'data-i18n': 'edit.hint' }, t('edit.hint')));

  // ---- Export: dashboard PNG, trajectory CSV; a PNG button on each plot ------------------------
  const feedback = h('p', { class: 'hint', role: 'status', id: 'export-status' });
  const dashboard = h('button', { type: 'button', class: 'btn btn-small', id: 'export-dashboard', 'data-i18n': 'export.dashboard' },
    t('export.dashboard'));
  dashboard.addEventListener('click', () => savePng(composeDashboard(), 'gdviz-dashboard.png', feedback));
  const trajectory = csvButton('export-trajectory', 'export.trajectory', () => app.vis.trajectory_csv(),
    'gdviz-trajectory.csv', feedback);
  const exportMenu = menu('export-menu', 'menu.export', t('menu.export'),
    h('div', { class: 'menu-row' }, dashboard, trajectory), feedback);

  for (const [name, plot] of Object.entries(PLOTS)) {
    const caption = byId(plot.canvases[0])?.closest('figure')?.querySelector('figcaption');
    if (!caption) continue;
    const key = `export.png.${name}`;
    const button = h('button', {
      type: 'button', class: 'btn btn-tiny png-button', 'data-plot': name,
      'aria-label': t(key), title: t(key), 'data-i18n-attr': `aria-label:${key};title:${key}`,
    }, t('export.png'));
    button.addEventListener('click', () => savePng(composePlot(name), plot.file, feedback));
    caption.append(button);
  }

  toolbar.append(dataMenu, exportMenu);
  onLanguageChange(() => {
    alert.textContent = '';
    status.textContent = '';
  });
}
