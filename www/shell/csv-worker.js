// The CSV reader off the page's thread: a module worker with its own instance of the core that
// reads a file's text by the command line's rules (read_columns) and sends back its columns as
// Float64Arrays (transferred, not copied), or the core's error with its parts (line, column,
// problem), so that a million rows do not freeze the page.

import init, { read_columns } from '../pkg/gdviz.js';

const ready = init();

self.onmessage = async ({ data: { id, text } }) => {
  try {
    await ready;
    const table = read_columns(text);
    self.postMessage({ id, table }, [...table.columns.map((c) => c.buffer), table.ys.buffer]);
  } catch (error) {
    // An Error's own properties do not survive postMessage: send its parts as a plain object.
    const parts = { message: String(error?.message ?? error) };
    for (const key of Object.keys(error ?? {})) parts[key] = error[key];
    self.postMessage({ id, error: parts });
  }
};
