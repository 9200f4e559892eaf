// Languages of the page: English and 简体中文. The strings live in one table per language
// (www/strings/). Markup is translated by attribute: `data-i18n="key"` sets an element's text,
// `data-i18n-attr="aria-label:key;title:key2"` sets attributes; text built in JavaScript uses
// t(). Text is only ever set with textContent/setAttribute, never as HTML.

import en from '../strings/en.js';
import zh from '../strings/zh.js';

/** The supported languages: code → name shown in the switch (in its own language). */
export const LANGUAGES = { en: 'English', zh: '简体中文' };

/** The tables by language code. */
export const TABLES = { en: { ...en }, zh: { ...zh } };

const listeners = [];
let current = 'en';

/**
 * Adds the words the core supplies in English (preset labels and descriptions, names of the
 * values it validates), so that the English table does not repeat them. Keys already in the
 * English table win.
 */
export function addCoreEnglish(entries) {
  for (const [key, text] of Object.entries(entries)) {
    if (!(key in TABLES.en)) TABLES.en[key] = text;
  }
}

/** The string for `key` in the current language (English, then the key itself, as fallbacks). */
export function t(key, vars = {}) {
  return tIn(current, key, vars);
}

/** The string for `key` in language `lang` (English, then the key itself, as fallbacks). */
export function tIn(lang, key, vars = {}) {
  const text = TABLES[lang]?.[key] ?? TABLES.en[key] ?? key;
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
  if (!Object.hasOwn(LANGUAGES, lang)) return false;
  current = lang;
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('page.title');
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
    const text = t(el.dataset.i18n);
    if (el.textContent !== text) el.textContent = text;
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}

/** "2nd", "4th", … in English; the plain number in Chinese. */
export function ordinal(n) {
  const mod100 = n % 100;
  const mod10 = n % 10;
  const key = mod100 >= 11 && mod100 <= 13 ? 'other' : ({ 1: '1', 2: '2', 3: '3' }[mod10] ?? 'other');
  return t(`ordinal.${key}`, { n });
}
