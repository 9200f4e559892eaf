// Two languages, English and 简体中文. Each module registers its own strings (both languages)
// with `register`, so no single dictionary file is edited by everyone. Markup is translated by
// attribute: `data-i18n="key"` sets textContent, `data-i18n-attr="aria-label:key;title:key2"`
// sets attributes. Strings may hold `{name}` placeholders filled from `t(key, {name: value})`.
// Text is only ever set with textContent/setAttribute, never as HTML.

/** The supported languages: code → name shown in the switch (in its own language). */
export const LANGUAGES = { en: 'English', zh: '简体中文' };

const dictionaries = { en: {}, zh: {} };
const listeners = [];
let current = 'en';

/** Adds strings: `{en: {key: 'text'}, zh: {key: '文本'}}`. Later registrations win. */
export function register(strings) {
  for (const [lang, entries] of Object.entries(strings)) {
    if (dictionaries[lang]) Object.assign(dictionaries[lang], entries);
  }
}

/** The string for `key` in the current language (English, then the key itself, as fallbacks). */
export function t(key, vars = {}) {
  const text = dictionaries[current][key] ?? dictionaries.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

/** The current language code ('en' or 'zh'). */
export function language() {
  return current;
}

/** The language the browser prefers among ours: 'zh' for any Chinese, else 'en'. */
export function browserLanguage() {
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language ?? 'en'];
  for (const tag of preferred) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (base in LANGUAGES) return base;
  }
  return 'en';
}

/** Switches the language, retranslates the markup and tells the listeners. */
export function setLanguage(lang) {
  if (!(lang in LANGUAGES)) return false;
  current = lang;
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  translate(document);
  for (const listener of listeners) listener(lang);
  return true;
}

/** Calls `listener(lang)` after every language change (to redo text built in JS). */
export function onLanguageChange(listener) {
  listeners.push(listener);
}

/** Translates every element under `root` that carries data-i18n or data-i18n-attr. */
export function translate(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}
