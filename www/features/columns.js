// Which x columns a model of several fits (Features, under Model when the data has several x
// columns): one checkbox per column, labelled by its name; at least one stays checked. The
// columns left out stay in the data (export, link) and can be checked again. The choice is the
// store's `features` (1-based column numbers, as the command line's --features takes them;
// null for every column); a link carries it.

import { h } from '../shell/dom.js';
import { describeError, pageError } from '../shell/errors.js';
import { parseNumberList } from '../shell/format.js';
import { onLanguageChange, t } from '../shell/i18n.js';

const byId = (id) => document.getElementById(id);

/** "1,3" → 1-based column numbers (the core checks them against the data). */
function parseColumns(text) {
  const numbers = parseNumberList(String(text), 10);
  if (!numbers || !numbers.every((v) => Number.isInteger(v) && v >= 1)) throw pageError('url.bad-features');
  return numbers;
}

export function install(app) {
  const box = byId('feature-columns');
  const list = byId('feature-columns-list');
  const error = byId('feature-columns-error');
  /** The 1-based numbers of the columns the core fits. */
  const fitted = () => Array.from(app.vis.feature_columns(), (j) => j + 1);
  const every = () => app.vis.column_count();

  app.store.define({
    key: 'features', group: 'data', url: true,
    initial: () => null,
    parse: parseColumns,
    toText: (columns) => (columns ? columns.join(',') : ''),
    omit: (columns) => columns === null || columns.length === every(),
    apply: (ctx, state) => {
      if (state.features) ctx.vis.set_feature_columns(Uint32Array.from(state.features, (j) => j - 1));
    },
    read: () => (every() > 1 ? fitted() : null),
  });

  const show = () => {
    const names = Array.from(app.vis.column_names()).slice(0, -1);
    const several = names.length > 1;
    box.hidden = !several;
    if (!several) {
      list.replaceChildren();
      return;
    }
    const chosen = new Set(fitted());
    const key = names.join(',');
    if (list.dataset.names !== key) {
      list.dataset.names = key;
      list.replaceChildren(...names.map((name, j) => {
        const input = h('input', { type: 'checkbox', value: String(j + 1) });
        input.addEventListener('change', choose);
        return h('label', { class: 'check' }, input, h('span', {}, name));
      }));
    }
    for (const input of list.querySelectorAll('input')) input.checked = chosen.has(Number(input.value));
  };

  function choose() {
    const columns = [...list.querySelectorAll('input')].filter((i) => i.checked).map((i) => Number(i.value));
    if (columns.length === 0) {
      error.textContent = t('features.one');
      show();
      return;
    }
    try {
      app.store.set('features', columns, { source: 'control' });
      error.textContent = '';
    } catch (e) {
      error.textContent = describeError(e);
    }
    show();
  }

  app.on('analysis', () => {
    app.store.refresh('features');
    show();
  });
  onLanguageChange(() => { error.textContent = ''; });
  show();
  return { show };
}
