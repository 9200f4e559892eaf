// A CSV file dropped anywhere on the page is imported exactly as Data ▾ › Import CSV imports one
// (a lesson's file, .json, opens as Lesson ▾ › Import lesson opens one)
// (the data feature's importFile: its rules, limits and messages; the data shown stays when the
// file is refused). While a file is dragged over the page a drop target covers it. Drags that
// carry no file (a text selection, a link) are left alone, so text still drops into the paste box.
//
// The target is shown on dragenter and hidden when the drag leaves the page, on drop and on
// Escape. dragenter and dragleave fire for every element crossed (entering a child fires its
// dragenter before the parent's dragleave), so the page counts them: the drag has left when the
// count is back at zero. dragover, which fires continually over the page, shows it again should a
// count ever be lost.

import { h } from '../shell/dom.js';
import { onLanguageChange, t } from '../shell/i18n.js';

/** Whether a drag event carries files (its types list "Files"; a text selection does not). */
export function carriesFiles(event) {
  const types = event.dataTransfer?.types;
  return !!types && Array.from(types).includes('Files');
}

/** Whether a dropped file is a lesson's (its name ends in .json) rather than data. */
export function isLessonFile(file) {
  return /\.json$/i.test(file.name ?? '') || file.type === 'application/json';
}

export function install(app) {
  const data = app.features.data;
  const limits = h('span', { class: 'drop-limits' }, data.limitsText());
  const overlay = h('div', { class: 'drop-overlay', id: 'drop-target', hidden: true },
    h('div', { class: 'drop-box' },
      h('span', { class: 'drop-title', 'data-i18n': 'drop.title' }, t('drop.title')),
      limits));
  document.body.append(overlay);
  onLanguageChange(() => { limits.textContent = data.limitsText(); });

  let depth = 0; // elements entered and not yet left by the drag
  const show = () => { overlay.hidden = false; };
  const hide = () => {
    depth = 0;
    overlay.hidden = true;
  };

  window.addEventListener('dragenter', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth += 1;
    data.prepare();
    show();
  });
  window.addEventListener('dragover', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault(); // the page takes the drop (the browser would open the file instead)
    event.dataTransfer.dropEffect = 'copy';
    if (depth === 0) depth = 1;
    show();
  });
  window.addEventListener('dragleave', (event) => {
    if (!carriesFiles(event)) return;
    depth -= 1;
    if (depth <= 0) hide();
  });
  window.addEventListener('drop', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    hide();
    const file = event.dataTransfer.files?.[0];
    if (!file) return;
    // A lesson's file (.json) opens as Lesson ▾ → Import lesson opens it.
    if (isLessonFile(file) && app.features.lesson) {
      app.features.lesson.importFile(file);
      return;
    }
    // The Data menu shows the import's progress, its result or its error, as for Import CSV.
    data.menu.open = true;
    data.importFile(file);
  });
  window.addEventListener('dragend', hide);
  window.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !overlay.hidden) hide();
  });
  return { element: overlay, hide };
}
