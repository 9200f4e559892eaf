// The user's own data kept in this browser: imported, pasted or edited points (and the columns'
// names) are saved in IndexedDB (a million points do not fit in localStorage's few megabytes)
// shortly after each change, and restored when the page opens without data of its own in the
// link (a link that carries points wins, and opening it does not overwrite what is kept), with
// a notice. Choosing a preset again leaves them stored but no longer restored on load; Data ▾
// → Restore my data brings them back, Forget my data deletes them. Nothing here is sent
// anywhere: the data stays in the browser's storage for this page's origin. An embedded page
// (embed=1) neither restores nor saves: it shows its link, and its edits stay in it; nor does a
// lesson, which shows its scenes (the data kept stays kept, restored once the lesson is left).

import { dismissibleNotice, h } from '../shell/dom.js';
import { formatInteger } from '../shell/format.js';
import { database, transact } from '../shell/idb.js';
import { onLanguageChange, t } from '../shell/i18n.js';

const STORE = 'data';
const KEY = 'current';
/** How long the page waits after the last change before it saves (ms). */
const SAVE_DELAY = 400;

/** A stored record, checked: {active, columns: Float64Array[], ys: Float64Array, names}. */
function valid(record) {
  if (!record || typeof record !== 'object' || !Array.isArray(record.columns) || !(record.ys instanceof Float64Array)) return false;
  return record.columns.length >= 1 && record.columns.every((c) => c instanceof Float64Array && c.length === record.ys.length)
    && Array.isArray(record.names);
}

export function install(app) {
  const notices = document.getElementById('notices');
  const { notice, say } = dismissibleNotice('kept-notice');
  notices.append(notice);

  let timer = 0;
  let restoring = false;
  // An embedded page shows what its link says, and a lesson what its scene says: neither
  // restores the user's data nor saves its own over it.
  const showsItsOwn = () => ['embed', 'lesson'].some((key) => Boolean(app.store.entry(key) && app.store.get(key)));

  /** Saves the page's data when it is the user's own; marks the stored set inactive otherwise. */
  const save = async () => {
    timer = 0;
    if (app.store.get('data') === 'custom') {
      const record = {
        active: true,
        columns: Array.from(app.vis.x_columns()),
        ys: app.vis.ys(),
        names: Array.from(app.vis.column_names()),
        saved: Date.now(),
      };
      await transact(STORE, 'readwrite', (s) => s.put(record, KEY));
    } else {
      const record = await transact(STORE, 'readonly', (s) => s.get(KEY));
      if (valid(record) && record.active) await transact(STORE, 'readwrite', (s) => s.put({ ...record, active: false }, KEY));
    }
  };
  const schedule = () => {
    if (restoring || showsItsOwn()) return;
    clearTimeout(timer);
    timer = setTimeout(save, SAVE_DELAY);
  };
  app.store.subscribe(({ keys }) => {
    if (keys.has('data') || [...keys].some((k) => app.store.entry(k)?.group === 'data')) schedule();
  });

  /** Forgets the stored data (the page's data stays as it is). */
  const forget = async () => {
    clearTimeout(timer);
    timer = 0;
    await transact(STORE, 'readwrite', (s) => s.delete(KEY));
    say(t('kept.forgotten'));
  };
  const forgetButton = h('button', { type: 'button', class: 'btn btn-small', id: 'forget-data', 'data-i18n': 'kept.forget' }, t('kept.forget'));
  forgetButton.addEventListener('click', forget);
  const restoreButton = h('button', { type: 'button', class: 'btn btn-small', id: 'restore-data', 'data-i18n': 'kept.restore' }, t('kept.restore'));
  restoreButton.addEventListener('click', async () => {
    if (!(await bringBack(true))) say(t('kept.none'));
  });
  const panel = document.querySelector('#data-menu .menu-panel');
  if (panel) panel.append(h('div', { class: 'menu-row' }, restoreButton, forgetButton), h('p', { class: 'hint', 'data-i18n': 'kept.where' }, t('kept.where')));

  /** Puts the stored data on the page (`any`: also a set no longer restored on load). */
  const bringBack = async (any) => {
    const record = await transact(STORE, 'readonly', (s) => s.get(KEY));
    if (!valid(record) || !(record.active || any)) return false;
    restoring = true;
    try {
      app.replaceData(() => app.vis.set_columns(record.columns, record.ys, record.names));
    } catch (error) {
      say(t('kept.unusable', { message: String(error?.message ?? error) }));
      return false;
    } finally {
      restoring = false;
    }
    app.reset();
    say(t('kept.restored', { n: formatInteger(record.ys.length) }));
    if (!record.active) schedule(); // restored by hand: restored on load again
    return true;
  };

  /** Restores the stored data when the page opened without data of its own from the link. */
  const restore = async () => {
    if (app.store.get('data') === 'custom' || showsItsOwn()) return false; // the link's points win; an embed or a lesson shows its own
    await database();
    if (app.store.get('data') === 'custom') return false;
    return bringBack(false);
  };

  onLanguageChange(() => { notice.hidden = true; });
  const restored = restore();
  return { restored, forget, save };
}
