// The page's IndexedDB database, "gdviz": one object store per kind of thing kept in this
// browser (`data`: the user's own points, features/keep.js; `lessons`: the lessons being written,
// features/lesson-editor.js). Every call resolves, never rejects: a browser without IndexedDB,
// or one that refuses it (a private window, a third-party iframe), keeps nothing and the page
// works on.

const DB_NAME = 'gdviz';
/** The database's version: 1 held `data`; 2 added `lessons`. */
const DB_VERSION = 2;
/** The object stores, created when missing. */
export const STORES = ['data', 'lessons'];

let opened = null;

/** How long the page waits for the database before it goes on without it (ms): in a
 * third-party iframe Chromium may leave the first open request unanswered. */
const OPEN_TIMEOUT = 2000;

/** The database, opened once (null when the browser has no IndexedDB, refuses it, or does not
 * answer within OPEN_TIMEOUT). */
export function database() {
  opened ??= new Promise((resolve) => {
    setTimeout(() => resolve(null), OPEN_TIMEOUT);
    if (typeof indexedDB === 'undefined') {
      resolve(null);
      return;
    }
    let request;
    try {
      request = indexedDB.open(DB_NAME, DB_VERSION);
    } catch {
      resolve(null);
      return;
    }
    request.onupgradeneeded = () => {
      for (const name of STORES) {
        if (!request.result.objectStoreNames.contains(name)) request.result.createObjectStore(name);
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(null);
    request.onblocked = () => resolve(null);
  });
  return opened;
}

/** One request on object store `name`; resolves with its result (undefined on failure). */
export async function transact(name, mode, action) {
  const db = await database();
  return new Promise((resolve) => {
    if (!db) {
      resolve(undefined);
      return;
    }
    try {
      const tx = db.transaction(name, mode);
      const request = action(tx.objectStore(name));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => resolve(undefined);
      tx.onabort = () => resolve(undefined);
    } catch {
      resolve(undefined);
    }
  });
}
