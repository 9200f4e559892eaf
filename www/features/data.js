// Data in and out (Data ▾): "Import CSV" (a file), a paste box, "Export data" (the points as
// CSV). Import goes through the core's CSV reader (the command line's rules): a bad file leaves
// the data as it was and its message (line and column) shows in role="alert".

import { csvButton, h, menu } from '../shell/dom.js';
import { describeError } from '../shell/errors.js';
import { onLanguageChange, t } from '../shell/i18n.js';

export function install(app) {
  const toolbar = document.getElementById('toolbar-tools');
  // ---- Data: import (file, paste) and export -------------------------------------------------
  const alert = h('p', { class: 'error', role: 'alert', id: 'import-error' });
  const status = h('p', { class: 'hint', role: 'status', id: 'import-status' });
  const showError = (source, error) => {
    status.textContent = '';
    alert.textContent = t('import.failed', { source, message: describeError(error) });
  };
  const importText = (text, source) => {
    try {
      app.replaceData(() => app.vis.import_csv(text));
    } catch (error) {
      showError(source, error);
      return false;
    }
    alert.textContent = '';
    status.textContent = t('import.loaded', { n: app.n, source });
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

  toolbar.append(dataMenu);
  onLanguageChange(() => {
    alert.textContent = '';
    status.textContent = '';
  });
  return { importText };
}
