// Data in and out (Data ▾): "Import CSV" (a file), a paste box, "Export data" (the points as
// CSV). Import goes through the core's CSV reader (the command line's rules): a bad file leaves
// the data as it was and its message (line and column) shows in role="alert". The limits
// (1,000,000 rows, 96 MiB) are stated in the menu and enforced; a large text is read off the
// page's thread (shell/csv-worker.js) with a progress bar, so that the page does not freeze.
// A file dropped on the page (features/drop.js) comes in through the same importFile.

import { csvButton, h, menu } from '../shell/dom.js';
import { describeError, pageError } from '../shell/errors.js';
import { formatInteger } from '../shell/format.js';
import { onLanguageChange, t } from '../shell/i18n.js';

/** A file or a text larger than this (bytes, characters) is read off the page's thread. */
const WORKER_BYTES = 2_000_000;

export function install(app) {
  const { catalog } = app;
  const toolbar = document.getElementById('toolbar-tools');
  const limitsText = () => t('import.limits', {
    rows: formatInteger(catalog.import.max_rows), mib: formatInteger(catalog.import.max_bytes / 2 ** 20),
  });
  const limits = h('p', { class: 'hint', id: 'import-limits' }, limitsText());
  // ---- Data: import (file, paste) and export -------------------------------------------------
  const alert = h('p', { class: 'error', role: 'alert', id: 'import-error' });
  const status = h('p', { class: 'hint', role: 'status', id: 'import-status' });
  const showError = (source, error) => {
    status.textContent = '';
    alert.textContent = t('import.failed', { source, message: describeError(error) });
  };
  const loaded = (source) => {
    alert.textContent = '';
    status.textContent = t('import.loaded', { n: formatInteger(app.n), source });
    return true;
  };
  const importText = (text, source) => {
    if (text.length > WORKER_BYTES && typeof Worker !== 'undefined') return importOffThread(text, source);
    try {
      app.replaceData(() => app.vis.import_csv(text));
    } catch (error) {
      showError(source, error);
      return false;
    }
    return loaded(source);
  };

  // A large text: read in the worker, the progress bar shown meanwhile; the page takes the
  // columns it sends back (the data as it was when the file is refused).
  const progress = h('progress', { id: 'import-progress', hidden: true, 'aria-label': t('import.reading') });
  let worker = null;
  let nextId = 0;
  /** Starts the worker (it compiles its own core) before a file is chosen or dropped: when the
   * Data menu opens or a file is dragged over the page. */
  const prepare = () => {
    if (typeof Worker === 'undefined') return;
    worker ??= new Worker(new URL('../shell/csv-worker.js', import.meta.url), { type: 'module' });
  };
  const importOffThread = (input, source) => new Promise((resolve) => {
    prepare();
    const id = (nextId += 1);
    status.textContent = t('import.reading-rows', { source });
    progress.hidden = false;
    const done = ({ data }) => {
      if (data.id !== id) return;
      worker.removeEventListener('message', done);
      progress.hidden = true;
      if (data.error) {
        showError(source, Object.assign(new Error(data.error.message), data.error));
        resolve(false);
        return;
      }
      const { names, columns, ys } = data.table;
      try {
        app.replaceData(() => app.vis.set_columns(columns, ys, names));
      } catch (error) {
        showError(source, error);
        resolve(false);
        return;
      }
      resolve(loaded(source));
    };
    worker.addEventListener('message', done);
    worker.postMessage({ id, ...(typeof input === 'string' ? { text: input } : { file: input }) });
  });

  /** Imports a File (chosen with Import CSV, or dropped on the page): its size checked, a large
   * one read off the page's thread. Resolves to whether the data was replaced. */
  const importFile = async (chosen) => {
    if (chosen.size > catalog.import.max_bytes) {
      showError(chosen.name, pageError('import.too-large', { max: formatInteger(catalog.import.max_bytes / 2 ** 20) }));
      return false;
    }
    if (chosen.size > WORKER_BYTES && typeof Worker !== 'undefined') return importOffThread(chosen, chosen.name);
    let text;
    try {
      text = await chosen.text();
    } catch (error) {
      showError(chosen.name, error);
      return false;
    }
    return importText(text, chosen.name);
  };

  const file = h('input', { type: 'file', id: 'import-file', accept: '.csv,.txt,text/csv,text/plain' });
  file.addEventListener('change', () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    file.value = ''; // the same file can be chosen again (the File stays readable)
    importFile(chosen);
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
    limits,
    progress,
    h('div', { class: 'menu-row' }, load, exportData),
    alert,
    status,
    h('p', { class: 'hint', 'data-i18n': 'edit.hint' }, t('edit.hint')));

  dataMenu.addEventListener('toggle', () => { if (dataMenu.open) prepare(); });
  toolbar.append(dataMenu);
  onLanguageChange(() => {
    alert.textContent = '';
    status.textContent = '';
    limits.textContent = limitsText();
  });
  return { importText, importFile, prepare, limitsText, menu: dataMenu };
}
