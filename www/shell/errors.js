// Errors as data. The core throws JS Error objects whose `message` is its English sentence and
// which also carry the parts it was made from (kind, name of the value, the value, its valid
// range or the known names, file line and column, the CSV problem). The page writes an error in
// its own language from those parts with t(); errors the page makes itself (text that is not a
// number) have the same shape, so there is one way to show any error.

import { language, tIn } from './i18n.js';
import { sentence } from './format.js';

/** Text for a range object of the catalogue or of an error ({kind, lo, hi, ...}). */
export function rangeText(range, lang = language()) {
  const t = (key, vars) => tIn(lang, key, vars);
  if (!range || typeof range !== 'object') return t('range.valid-setting');
  const vars = { ...range };
  if (Array.isArray(range.known)) vars.known = range.known.join(', ');
  if (range.than) vars.than = t(`name.${range.than}`);
  if (range.kind === 'magnitude-at-most') vars.max = Number(range.max).toExponential().replace('e+', 'e');
  if (range.kind === 'coordinates' || range.kind === 'columns-of') vars.last = range.count - 1;
  return t(`range.${range.kind}`, vars);
}

/** Text for a refused value as the core writes it ("an empty field" and quotes included). */
function valueText(value, t) {
  if (value === '') return t('error.value.empty');
  return String(value);
}

function problemText(problem, t) {
  if (!problem || typeof problem !== 'object') return '';
  const vars = { ...problem };
  // A cell's text in double quotes, with "…" when the core cut it.
  if (typeof problem.text === 'string' && problem.kind !== 'io') {
    vars.text = `${JSON.stringify(problem.text)}${problem.truncated ? '…' : ''}`;
  }
  if (problem.kind === 'too-large') vars.max = Math.round(problem.max / 2 ** 20);
  let key = `csv.${problem.kind}`;
  if (problem.kind === 'too-few-rows' && problem.found === 1) key = 'csv.too-few-rows.one';
  if (problem.kind === 'columns' && problem.expected !== 2) key = 'csv.columns.table';
  return t(key, vars);
}

function nameText(name, t) {
  return name ? t(`name.${name}`) : '';
}

/**
 * A person's sentence for anything thrown, in the current language, without a final period and
 * with its first letter upper case. Errors with parts are written from them; anything else
 * (a bug, a browser refusal) shows its message.
 */
export function describeError(error, lang = language()) {
  const t = (key, vars) => tIn(lang, key, vars);
  if (!error || typeof error !== 'object' || typeof error.kind !== 'string') {
    return sentence(String(error?.message ?? error ?? '')).replace(/\.$/, '');
  }
  const e = error;
  let text;
  switch (e.kind) {
    case 'invalid-value':
      text = t('error.invalid-value', { name: nameText(e.name, t), range: rangeText(e.range, lang), value: valueText(e.value, t) });
      break;
    case 'unknown-choice':
      text = t('error.unknown-choice', { name: nameText(e.name, t), known: [].concat(e.known ?? []).join(', '), value: e.value });
      break;
    case 'unknown-preset':
      text = t('error.unknown-preset', { value: e.value ?? e.name, known: [].concat(e.known ?? []).join(', ') });
      break;
    case 'too-few-points':
      text = t('error.too-few-points', { min: e.min, count: e.count });
      break;
    case 'out-of-range':
      text = t('error.out-of-range', { name: nameText(e.name, t), index: e.index, len: e.len });
      break;
    case 'csv':
      text = t(e.column === null || e.column === undefined ? 'error.csv.line' : 'error.csv.cell', {
        line: e.line, column: e.column, problem: problemText(e.problem, t),
      });
      break;
    case 'page':
      text = t(e.key, e.vars ?? {});
      break;
    default:
      text = String(e.message ?? '');
  }
  return sentence(text).replace(/\.$/, '');
}

/** An error of the page itself, shaped like the core's: a refused value with its range. */
export function invalidValue(name, range, value) {
  const error = new Error('');
  Object.assign(error, { kind: 'invalid-value', name, range, value: String(value) });
  error.message = describeError(error, 'en');
  return error;
}

/** An error of the page itself, shaped like the core's: a name that is not one of `known`. */
export function unknownChoice(name, known, value) {
  const error = new Error('');
  Object.assign(error, { kind: 'unknown-choice', name, known: [...known], value: String(value) });
  error.message = describeError(error, 'en');
  return error;
}

/** An error for text that is not a number (or an empty field). */
export function notANumber(name, range, text) {
  const trimmed = String(text ?? '').trim();
  return invalidValue(name, range, trimmed === '' ? '' : JSON.stringify(trimmed));
}

/** An error of the page written by the string `key` (with `vars`), e.g. a malformed link field. */
export function pageError(key, vars = {}) {
  const error = new Error(key);
  Object.assign(error, { kind: 'page', key, vars });
  error.message = describeError(error, 'en');
  return error;
}
