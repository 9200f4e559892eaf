// The CSV reader off the page's thread: a module worker with its own instance of the core that
// reads a file (or a pasted text) by the command line's rules (read_columns) — the file's bytes
// are read here, not on the page's thread — and sends back its columns as
// Float64Arrays (transferred, not copied), or the core's error with its parts (line, column,
// problem), so that a million rows do not freeze the page.

import init, { read_columns } from '../pkg/gdviz.js';

const ready = init();

self.onmessage = async ({ data: { id, file, text } }) => {
  try {
    await ready;
    const bytes = file ? new Uint8Array(await file.arrayBuffer()) : new TextEncoder().encode(text);
    const table = read_columns(bytes);
    self.postMessage({ id, table }, [...table.columns.map((c) => c.buffer), table.ys.buffer]);
  } catch (error) {
    // An Error's own properties do not survive postMessage: send its parts as a plain object.
    const parts = { message: String(error?.message ?? error) };
    for (const key of Object.keys(error ?? {})) parts[key] = error[key];
    self.postMessage({ id, error: parts });
  }
};
