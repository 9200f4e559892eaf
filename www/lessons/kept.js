// The lessons being written, kept in this browser (IndexedDB's `lessons` store, shell/idb.js):
// one record per lesson, {id, file, saved}, where `file` is the lesson as its file holds it
// (lessonFile's object, possibly not yet complete: a draft may lack a narration) and `saved`
// the time of the last save. Nothing here is sent anywhere.

import { transact } from '../shell/idb.js';

const STORE = 'lessons';
/** The ids of kept lessons: "mine-" and a random part. */
export const KEPT_PREFIX = 'mine-';

/** A new id for a lesson kept in this browser. */
export function newKeptId() {
  const random = crypto.getRandomValues(new Uint32Array(2));
  return `${KEPT_PREFIX}${Array.from(random, (v) => v.toString(36)).join('')}`;
}

export const isKeptId = (id) => typeof id === 'string' && id.startsWith(KEPT_PREFIX);

/** Every kept lesson, oldest first ([] when the browser keeps nothing). */
export async function readKept() {
  const records = await transact(STORE, 'readonly', (s) => s.getAll());
  return (Array.isArray(records) ? records : [])
    .filter((r) => r && isKeptId(r.id) && r.file && typeof r.file === 'object')
    .sort((a, b) => (a.created ?? 0) - (b.created ?? 0));
}

/** Saves a kept lesson; resolves true once it is stored. */
export async function putKept(record) {
  const result = await transact(STORE, 'readwrite', (s) => s.put(record, record.id));
  return result !== undefined;
}

/** Deletes a kept lesson. */
export async function deleteKept(id) {
  await transact(STORE, 'readwrite', (s) => s.delete(id));
}
