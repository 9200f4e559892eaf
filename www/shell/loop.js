// The animation loop: Play / Pause on requestAnimationFrame. Each frame steps the core `speed`
// times, then the page shows the report and draws. The loop stops by itself when every run has
// converged or diverged (comparison runs go on on their own after run 1 stops).
//
// A frame's work (stepping, then showing and drawing) gets a budget of FRAME_BUDGET_MS, so that
// the page keeps its frame rate when updates or drawings are expensive (large mini-batches on
// large data, many coefficients): stepping gets what the drawing, as measured over the last
// frames, leaves of it (at least MIN_STEP_BUDGET_MS). A frame steps once, then in chunks sized
// from the cost measured so far, until it has taken `speed` updates or spent its budget (always
// at least one update). `limit` holds the updates taken when that was fewer than `speed`.
//
/** Frames whose timings are kept (a minute at 60 Hz; the benchmark reads the last seconds): a
 * long session keeps a bounded record (the soak found 50,000 of them growing the heap by 2 MB). */
const MAX_TIMINGS = 4_000;

/** Time a frame may spend stepping and drawing (ms): half a 60 Hz frame. */
export const FRAME_BUDGET_MS = 8;
/** The least time a frame steps (ms), however long the drawing takes. */
export const MIN_STEP_BUDGET_MS = 2;
/** Weight of the newest frame in the running estimate of the drawing's time. */
const SHOW_SMOOTHING = 0.25;

/**
 * Steps up to `speed` updates within `budgetMs`: one update, then chunks of as many as the cost
 * measured so far says fit in the time left. Returns the last reports and the updates taken.
 * @param {(updates: number) => object[]} step
 * @param {() => number} now  a clock in ms
 */
export function stepWithin(step, speed, budgetMs, now) {
  const start = now();
  let done = 0;
  let reports = null;
  let chunk = 1;
  while (done < speed) {
    const k = Math.min(chunk, speed - done);
    reports = step(k);
    done += k;
    if (reports.every((r) => r.status !== 'running')) break;
    const elapsed = now() - start;
    if (elapsed >= budgetMs) break;
    const perUpdate = elapsed / done;
    chunk = perUpdate > 0 ? Math.max(1, Math.floor((budgetMs - elapsed) / perUpdate)) : speed - done;
  }
  return { reports, done };
}

export class Player {
  /**
   * @param {object} hooks
   * @param {(updates: number) => object[]} hooks.step  steps the core, returns the reports
   * @param {(reports: object[]) => void} hooks.show    readouts + draw after a step
   * @param {() => number} hooks.speed                  updates per frame
   * @param {(playing: boolean) => void} hooks.changed  called when playing starts or stops
   */
  constructor(hooks) {
    this.hooks = hooks;
    this.playing = false;
    this.request = 0;
    this.previous = null;
    this.timings = [];
    /** Updates of the last frame when the budget held it below `speed`, else null. */
    this.limit = null;
    /** The running estimate of the time showing and drawing a frame takes (ms). */
    this.showTime = 0;
    window.__gdvizFrameTimes = this.timings;
    this.frame = this.frame.bind(this);
  }

  play() {
    if (this.playing) return;
    this.playing = true;
    this.previous = null;
    this.request = requestAnimationFrame(this.frame);
    this.hooks.changed(true);
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    cancelAnimationFrame(this.request);
    this.hooks.changed(false);
  }

  toggle() {
    if (this.playing) this.pause();
    else this.play();
  }

  /** One update while stopped (pauses first when playing). */
  stepOnce() {
    this.pause();
    const reports = this.hooks.step(1);
    this.hooks.show(reports);
  }

  frame(timestamp) {
    if (!this.playing) return;
    const start = performance.now();
    const speed = this.hooks.speed();
    let finished;
    let updates = 0;
    try {
      const budget = Math.max(MIN_STEP_BUDGET_MS, FRAME_BUDGET_MS - this.showTime);
      const stepped = stepWithin(this.hooks.step, speed, budget, () => performance.now());
      const reports = stepped.reports;
      updates = stepped.done;
      this.limit = updates < speed && reports.some((r) => r.status === 'running') ? updates : null;
      finished = reports.every((r) => r.status !== 'running');
      if (finished) this.playing = false; // before show(), so the status reads converged/diverged
      const shown = performance.now();
      this.hooks.show(reports);
      const showTime = performance.now() - shown;
      this.showTime = this.previous === null ? showTime : this.showTime + SHOW_SMOOTHING * (showTime - this.showTime);
    } catch (error) {
      // A bug, not a state of the run: stop cleanly and let the error surface.
      this.playing = false;
      this.hooks.changed(false);
      throw error;
    }
    const work = performance.now() - start;
    this.record(work, this.previous === null ? null : timestamp - this.previous, updates, timestamp);
    this.previous = timestamp;
    if (finished) {
      this.hooks.changed(false);
    } else {
      this.request = requestAnimationFrame(this.frame);
    }
  }

  record(work, interval, updates, at) {
    if (this.timings.length >= MAX_TIMINGS) this.timings.splice(0, MAX_TIMINGS / 2);
    this.timings.push({ work, interval, updates, at });
  }
}
