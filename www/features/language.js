// The language switch in the header: English or 简体中文. Until a person chooses, the page
// follows the browser's language; a choice is the store's `lang` (part of a link). A change
// retranslates the markup (i18n.js), the words inside the plots (the core's set_language) and
// whatever each part built in JavaScript (their onLanguageChange listeners).

import { h } from '../shell/dom.js';
import { unknownChoice } from '../shell/errors.js';
import { browserLanguage, LANGUAGES, setLanguage, t } from '../shell/i18n.js';

export function install(app) {
  const select = h('select', { id: 'language' });
  for (const [code, name] of Object.entries(LANGUAGES)) select.append(new Option(name, code));
  document.getElementById('header-tools').append(h('div', { class: 'lang-box' },
    h('label', { for: 'language', class: 'readout-label', 'data-i18n': 'language.label' }, t('language.label')),
    select));

  const show = (lang) => {
    app.vis.set_language(lang); // the words inside the plots (axes, labels, notes)
    setLanguage(lang);
    select.value = lang;
    app.refresh(); // the status and the Play button speak the new language
  };
  app.store.define({
    key: 'lang', group: 'page', url: true,
    // null: not chosen, follow the browser (and leave it out of links).
    initial: () => null,
    parse: (text) => {
      if (!Object.hasOwn(LANGUAGES, text)) throw unknownChoice('language', Object.keys(LANGUAGES), text);
      return text;
    },
    toText: (lang) => lang ?? '',
    omit: (lang) => lang === null,
    apply: (ctx, state) => show(state.lang ?? browserLanguage()),
  });
  select.addEventListener('change', () => app.store.set('lang', select.value));
  show(browserLanguage());
  return { choose: (lang) => app.store.set('lang', lang) };
}
