// The one page store: every setting of the page (data set, descent, regularization, optimizer,
// schedule, view, speed), the comparison runs, the start point, the language and presenter
// mode. `get` reads, `set` changes a value (validated, then applied to the core by the entry's
// `apply`), `subscribe` hears every change. Controls, keyboard, URL and features read and write
// through it; nothing else holds a copy of a setting.
//
// An entry (see settings.js) has: key, group, initial, parse(text) → value (throws an error with
// parts), toText(value), apply(ctx, candidate, key) (throws the core's error; on a throw nothing
// changed), optional read(ctx) (the value the core actually holds after a change elsewhere),
// and companions(value, candidate) (values set together with it).

export class Store {
  /**
   * @param {object[]} entries the table of entries (settings.js)
   * @param {object} ctx passed to apply/read/parse: {vis, catalog, app, n()}
   */
  constructor(entries, ctx) {
    this.entries = entries;
    this.byKey = Object.fromEntries(entries.map((e) => [e.key, e]));
    this.ctx = ctx;
    this.values = Object.fromEntries(entries.map((e) => [e.key, e.initial(ctx)]));
    this.listeners = [];
  }

  /** Adds an entry (a feature's own setting: the runs, the start point, the language). */
  define(entry) {
    if (entry.key in this.byKey) throw new Error(`gdviz: the store already has "${entry.key}"`);
    this.entries.push(entry);
    this.byKey[entry.key] = entry;
    this.values[entry.key] = entry.initial(this.ctx);
  }

  /** The current value of `key`. */
  get(key) {
    if (!(key in this.byKey)) throw new Error(`gdviz: the store has no setting "${key}"`);
    return this.values[key];
  }

  /** A copy of every value. */
  snapshot() {
    return { ...this.values };
  }

  /** The entry of `key`. */
  entry(key) {
    return this.byKey[key];
  }

  /** Parses `text` for `key` (throws its error) and sets the value. */
  setText(key, text, options = {}) {
    const entry = this.byKey[key];
    return this.set(key, entry.parse(String(text), this.ctx), options);
  }

  /**
   * Sets `key` to `value`, with its companions, and applies it to the core. Throws the error
   * of a refused value; then neither the store nor the core changed. Returns what `apply`
   * returned (for the runs: the messages of refused entries). `options.source` is passed to
   * the listeners; `options.always` notifies even when the value did not change.
   */
  set(key, value, options = {}) {
    const entry = this.byKey[key];
    if (!entry) throw new Error(`gdviz: the store has no setting "${key}"`);
    const candidate = { ...this.values, ...(entry.companions?.(value, this.values, this.ctx) ?? {}), [key]: value };
    const result = entry.apply ? entry.apply(this.ctx, candidate, key) : undefined;
    const changed = Object.keys(candidate).filter((k) => !Object.is(candidate[k], this.values[k]));
    this.values = candidate;
    if (entry.read) this.values[key] = entry.read(this.ctx);
    if (changed.length > 0 || options.always) this.notify(key, changed, options.source ?? 'set');
    return result;
  }

  /**
   * Takes the values that the core holds now for `keys` (entries with `read`), after the core
   * changed them itself (a batch size clamped to a smaller data set). Notifies when any changed.
   */
  refresh(...keys) {
    const changed = [];
    for (const key of keys) {
      const value = this.byKey[key].read(this.ctx);
      if (!sameValue(value, this.values[key])) {
        this.values[key] = value;
        changed.push(key);
      }
    }
    if (changed.length > 0) this.notify(changed[0], changed, 'core');
  }

  /** Calls `listener({key, keys, source, store})` after every change; returns the unsubscriber. */
  subscribe(listener) {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  notify(key, keys, source) {
    const change = { key, keys: new Set([key, ...keys]), source, store: this };
    for (const listener of [...this.listeners]) listener(change);
  }
}

/** Whether two values of a setting are the same (numbers, text, lists and objects by value). */
export function sameValue(a, b) {
  return Object.is(a, b) || JSON.stringify(a) === JSON.stringify(b);
}
