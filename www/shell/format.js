// Number formatting for the readouts. Display text is rounded for people; the full-precision
// value goes in a data-value attribute. Neither ever shows NaN, Infinity or undefined.

const MINUS = '\u2212';
const SUPERSCRIPT = {
  '-': '\u207b', '0': '\u2070', '1': '\u00b9', '2': '\u00b2', '3': '\u00b3', '4': '\u2074',
  '5': '\u2075', '6': '\u2076', '7': '\u2077', '8': '\u2078', '9': '\u2079',
};

/** Shown in place of a value that should have been finite (a bug upstream). */
export const MISSING = '\u2014';

function stripZeros(digits) {
  return digits.includes('.') ? digits.replace(/\.?0+$/, '') : digits;
}

/** Most significant digits of the mantissa in m × 10ⁿ form, so that readouts keep their width. */
const MAX_MANTISSA_DIGITS = 4;

/**
 * A real number with `significant` significant digits: plain from 1e-3 up to
 * 10^significant, otherwise m × 10ⁿ with at most MAX_MANTISSA_DIGITS digits (the full value is
 * in the readout's data-value). Uses a true minus sign. Non-finite input gives an em dash.
 */
export function formatNumber(value, significant = 5) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return MISSING;
  if (value === 0) return '0';
  const sign = value < 0 ? MINUS : '';
  const abs = Math.abs(value);
  if (abs >= 1e-3 && Number(abs.toPrecision(significant)) < 10 ** significant) {
    return sign + stripZeros(abs.toPrecision(significant));
  }
  const [mantissa, exponent] = abs.toExponential(Math.min(significant, MAX_MANTISSA_DIGITS) - 1).split('e');
  const exp = String(Number(exponent)).split('').map((c) => SUPERSCRIPT[c] ?? c).join('');
  return `${sign}${stripZeros(mantissa)}\u00d710${exp}`;
}

/** The formatter of counts, made once: toLocaleString would make one at every call, several
 * times a frame. */
const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A count with thousands separators (12,345). */
export function formatInteger(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return MISSING;
  return INTEGER.format(Math.round(value));
}

/** Largest count a fixed-width readout shows with separators (7 digits, "9,999,999"). */
const MAX_SEPARATED_COUNT = 9_999_999;

/**
 * A count for a fixed-width readout: with thousands separators up to MAX_SEPARATED_COUNT,
 * m × 10ⁿ with four significant digits beyond (232,000,000 samples read "2.32×10⁸"), so that
 * it never runs into the readout beside it (the exact count is in data-value).
 */
export function formatCount(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return MISSING;
  return Math.abs(value) <= MAX_SEPARATED_COUNT ? formatInteger(value) : formatNumber(Math.round(value), 4);
}

/** The full-precision value for a data-value attribute: never NaN/Infinity. */
export function dataValue(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return String(value);
}

/** A short form for compact places (slider legend, error hints): 3 significant digits. */
export function formatShort(value) {
  return formatNumber(value, 3);
}

/** The first letter upper case (messages are built lower case: "learning rate must be ..."). */
export function sentence(text) {
  const s = String(text ?? '').trim();
  // Only a Latin letter: a name that starts with a symbol (β₂, θ) keeps its case.
  return /^[a-z]/.test(s) ? s[0].toUpperCase() + s.slice(1) : s;
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i;

/** "a,b,c" → at most `max` finite numbers (plain decimal or e-notation), or null when anything is off. */
export function parseNumberList(text, max) {
  if (typeof text !== 'string' || text === '') return null;
  const parts = text.split(',');
  if (parts.length > max) return null;
  const out = new Array(parts.length);
  for (let i = 0; i < parts.length; i += 1) {
    if (!NUMBER.test(parts[i])) return null;
    const v = Number(parts[i]);
    if (!Number.isFinite(v)) return null;
    out[i] = v;
  }
  return out;
}

/** `k` in subscript digits (θ₁₀ for 10). */
export function subscript(k) {
  return String(k).replace(/[0-9]/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[d]);
}
