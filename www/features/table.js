// For screen readers: a "Trajectory table" (<details> with a real <table> of the last recorded
// steps of run 1, caption and header cells with scope), refreshed at most a few times a second
// and only while open; and a polite live region that announces convergence and divergence once
// per event, not on every frame.

import { h, menu, throttle } from '../shell/dom.js';
import { formatInteger, formatNumber, subscript } from '../shell/format.js';
import { onLanguageChange, t } from '../shell/i18n.js';

/** Rows shown in the table. */
export const TABLE_ROWS = 50;
/** Least time between two refreshes of the table (ms). */
const TABLE_INTERVAL = 300;
/** The header cells: step, epoch, one per coefficient (θ₀ … θ_d, written here), loss, gradient. */
const BEFORE = ['table.step', 'table.epoch'];
const AFTER = ['table.loss', 'table.grad'];

export function install(app) {
  const toolbar = document.getElementById('toolbar-tools');
  const caption = h('caption');
  const headRow = h('tr');
  let coefficients = 0;
  /** One header cell per coefficient of the model. */
  const fitHeader = (count) => {
    if (count === coefficients) return;
    coefficients = count;
    const cell = (key) => h('th', { scope: 'col', 'data-i18n': key }, t(key));
    const thetas = Array.from({ length: count }, (_, k) => h('th', { scope: 'col' }, `θ${subscript(k)}`));
    headRow.replaceChildren(...BEFORE.map(cell), ...thetas, ...AFTER.map(cell));
  };
  fitHeader(2);
  const body = h('tbody');
  const table = h('table', { class: 'trajectory', id: 'trajectory-table' }, caption, h('thead', {}, headRow), body);
  const details = menu('table-menu', 'menu.table', t('menu.table'), h('div', { class: 'table-scroll' }, table));
  toolbar.append(details);

  let shownKey = '';
  const update = () => {
    if (!details.open) return;
    const rows = app.vis.history_tail(0, TABLE_ROWS);
    const width = app.vis.history_width(); // [iteration, epoch, θ0 … θd, loss, grad_norm]
    if (width !== coefficients + 4) shownKey = '';
    fitHeader(width - 4);
    const shown = rows.length / width;
    const total = app.vis.history_length(0);
    // Nothing new since the last refresh: leave the DOM alone (screen readers keep their place).
    const key = `${total}:${rows[rows.length - width] ?? ''}:${rows[rows.length - 2] ?? ''}`;
    if (key === shownKey && body.childElementCount > 0) return;
    shownKey = key;
    const fragment = document.createDocumentFragment();
    for (let i = shown - 1; i >= 0; i -= 1) {
      const r = rows.subarray(i * width, (i + 1) * width);
      const thetas = Array.from(r.subarray(2, width - 2), (v) => h('td', {}, formatNumber(v, 6)));
      fragment.append(h('tr', {},
        h('th', { scope: 'row' }, formatInteger(r[0])),
        h('td', {}, formatInteger(r[1])),
        ...thetas,
        h('td', {}, formatNumber(r[width - 2], 6)),
        h('td', {}, formatNumber(r[width - 1], 3))));
    }
    body.replaceChildren(fragment);
    caption.textContent = t('table.caption', { count: shown, total });
  };
  const later = throttle(update, TABLE_INTERVAL);
  details.addEventListener('toggle', () => {
    shownKey = '';
    update();
  });
  app.on('show', later);
  onLanguageChange(() => {
    shownKey = '';
    for (const th of headRow.children) if (th.dataset.i18n) th.textContent = t(th.dataset.i18n);
    update();
  });

  // The live region.
  const announcer = h('div', { role: 'status', 'aria-live': 'polite', class: 'sr-only', id: 'announcer' });
  document.body.append(announcer);
  let announced = null;
  app.on('show', (reports) => {
    const report = reports[0];
    const status = report.status;
    if (status === 'converged' || status === 'diverged') {
      if (announced === status) return;
      announced = status;
      announcer.textContent = status === 'converged'
        ? t('announce.converged', { steps: formatInteger(report.iteration) })
        : t('announce.diverged', { step: formatInteger(report.divergence?.iteration ?? report.iteration) });
    } else if (announced !== null) {
      announced = null;
      announcer.textContent = '';
    }
  });
  return { update, announcer };
}
