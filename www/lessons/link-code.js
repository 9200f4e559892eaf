// A whole lesson in a link: its file's JSON, compressed with the browser's own
// CompressionStream('deflate-raw') and written in base64url (RFC 4648 §5: A–Z a–z 0–9 - _, no
// padding), the link's `lessonCode` field. Decoding stops as soon as the text inflates past the
// largest lesson file (a small link cannot become gigabytes), and every failure is a LessonError
// of the field `lessonCode`. No DOM: the page and the tests in Node use the same functions.

import { LessonError, MAX_FILE_BYTES } from './format.js';

/** The longest link the page offers; beyond it the page offers the lesson's file instead. */
export const MAX_LINK_LENGTH = 8000;
/** The link's field that carries a lesson, and the id the page gives a lesson read from it. */
export const CODE_FIELD = 'lessonCode';
export const LINKED = 'linked';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function toBase64url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text) {
  if (!BASE64URL.test(text) || text.length % 4 === 1) throw new LessonError(0, CODE_FIELD, 'code', {});
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Reads a stream to its end as bytes, refusing more than `max` of them. */
async function readAll(stream, max) {
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel();
      throw new LessonError(0, 'file', 'too-large', { max: MAX_FILE_BYTES / 2 ** 20 });
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** A lesson's file (lessonFile's object) as the link's code. */
export function encodeLesson(file) {
  return encodeText(JSON.stringify(file));
}

/** Any text as a link's code (the lesson's JSON; the fuzz test's arbitrary text). */
export async function encodeText(text) {
  const bytes = new TextEncoder().encode(text);
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return toBase64url(await readAll(stream, Infinity));
}

/** The link's code as the lesson file's text (to be read by readLessonText). Throws a LessonError. */
export async function decodeLesson(code) {
  const bytes = fromBase64url(String(code));
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    return new TextDecoder('utf-8', { fatal: true }).decode(await readAll(stream, MAX_FILE_BYTES));
  } catch (error) {
    if (error instanceof LessonError) throw error;
    throw new LessonError(0, CODE_FIELD, 'code', {});
  }
}

/** The code of the link `hash` (its `lessonCode` field), or ''. */
export function codeOf(hash) {
  try {
    return new URLSearchParams(String(hash ?? '').replace(/^#/, '')).get(CODE_FIELD) ?? '';
  } catch {
    return '';
  }
}
