// The animation loop: Play / Pause on requestAnimationFrame. Each frame steps the core `speed`
// times, then the page shows the report and draws. The loop stops by itself when every run has
// converged or diverged (comparison runs go on on their own after run 1 stops).
//
// A frame's work (stepping, then showing and drawing) gets a budget of FRAME_BUDGET_MS, so that
// the page keeps its frame rate when updates or drawings are expensive (large mini-batches on
// large data, many coefficients): stepping gets what the drawing, as measured over the last
// frames, leaves of it (at least MIN_STEP_BUDGET_MS, times the share below). A frame steps
// once, then in chunks sized from the cost measured so far, until it has taken `speed` updates
// or spent its budget (always at least one update). `limit` holds the updates taken when that
// was fewer than `speed`.
//
// The browser rasterizes the canvases after the callback returns, so a frame within its budget
// can still miss the display's refresh. The loop watches for that: a frame interval longer
// than LATE_FACTOR times the display's period (the shortest interval of the last frames) cuts
// stepping's share of its budget by SHARE_CUT; every frame on time gives back SHARE_RECOVERY.
//
// The plots are drawn every frame; the numbers (readouts, legends, tables) every
// TEXT_INTERVAL_MS.
//
/** Frames whose timings are kept (a minute at 60 Hz; the benchmark reads the last seconds): a
 * long session keeps a bounded record (the soak found 50,000 of them growing the heap by 2 MB). */
const MAX_TIMINGS = 4_000;

/** Time a frame aims to spend stepping and drawing (ms): stepping's last chunk and the drawing
 * vary by about a millisecond from frame to frame, so that aiming here keeps 95 % of frames
 * within half a 60 Hz frame (8 ms). */
export const FRAME_BUDGET_MS = 7;
/** How much larger the next chunk of updates is while the clock shows no time spent yet. */
const CHUNK_GROWTH = 4;
/** The least time a frame steps (ms), however long the drawing takes. */
export const MIN_STEP_BUDGET_MS = 2;
/** How fast the estimate of showing's time falls back after a longer frame (the weight of the
 * newest frame); a longer frame raises it at once, so that the budget holds on the frames that
 * show the numbers too. */
const SHOW_SMOOTHING = 0.1;
/** Least time between two frames that update the numbers as well as the plots (ms): 20 a
 * second. Numbers changing 60 times a second cannot be read, and each change costs a layout. */
export const TEXT_INTERVAL_MS = 50;
/** A frame is late when its interval exceeds this many display periods. */
export const LATE_FACTOR = 1.5;
/** Stepping's share of its budget after a late frame is this times what it was. */
export const SHARE_CUT = 0.7;
/** What a frame on time gives back to stepping's share (up to 1). */
export const SHARE_RECOVERY = 0.02;
/** The least share of its budget stepping keeps. */
const MIN_SHARE = 0.1;
/** Intervals the display's period is the shortest of. */
const PERIOD_WINDOW = 120;

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
    // The clock may be coarse (0.1 ms where the page is not cross-origin isolated): while no
    // time shows yet, the chunks grow by CHUNK_GROWTH rather than taking the rest at once.
    const perUpdate = elapsed / done;
    chunk = perUpdate > 0 ? Math.max(1, Math.floor((budgetMs - elapsed) / perUpdate)) : chunk * CHUNK_GROWTH;
  }
  return { reports, done };
}

export class Player {
  /**
   * @param {object} hooks
   * @param {(updates: number) => object[]} hooks.step  steps the core, returns the reports
   * @param {(reports: object[], text?: boolean) => void} hooks.show  draw after a step, and
   *   the readouts too unless `text` is false (see TEXT_INTERVAL_MS)
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
    /** The running estimate of the time showing a frame takes (ms): the longest of the last
     * frames, falling back slowly. */
    this.showTime = 0;
    /** The timestamp of the last frame that showed the numbers. */
    this.textAt = -Infinity;
    /** Stepping's share of its budget, cut after late frames (see LATE_FACTOR). */
    this.share = 1;
    /** The last frame intervals (ms), for the display's period. */
    this.intervals = [];
    window.__gdvizFrameTimes = this.timings;
    this.frame = this.frame.bind(this);
  }

  play() {
    if (this.playing) return;
    this.playing = true;
    this.previous = null;
    this.intervals.length = 0;
    this.textAt = -Infinity;
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
      if (this.previous !== null) this.paced(timestamp - this.previous);
      const text = !(timestamp - this.textAt < TEXT_INTERVAL_MS);
      const budget = this.share * Math.max(MIN_STEP_BUDGET_MS, FRAME_BUDGET_MS - this.showTime);
      const stepped = stepWithin(this.hooks.step, speed, budget, () => performance.now());
      const reports = stepped.reports;
      updates = stepped.done;
      this.limit = updates < speed && reports.some((r) => r.status === 'running') ? updates : null;
      finished = reports.every((r) => r.status !== 'running');
      if (finished) this.playing = false; // before show(), so the status reads converged/diverged
      const shown = performance.now();
      this.hooks.show(reports, text || finished);
      const showTime = performance.now() - shown;
      this.showTime = this.previous === null || showTime > this.showTime
        ? showTime
        : this.showTime + SHOW_SMOOTHING * (showTime - this.showTime);
      if (text) this.textAt = timestamp;
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

  /** Adjusts stepping's share of its budget to whether the frame came `interval` ms after the
   * previous one, or later than the display's period allows. */
  paced(interval) {
    const recent = this.intervals;
    recent.push(interval);
    if (recent.length > PERIOD_WINDOW) recent.shift();
    const period = Math.min(...recent);
    if (interval > LATE_FACTOR * period) this.share = Math.max(MIN_SHARE, this.share * SHARE_CUT);
    else this.share = Math.min(1, this.share + SHARE_RECOVERY);
  }

  record(work, interval, updates, at) {
    if (this.timings.length >= MAX_TIMINGS) this.timings.splice(0, MAX_TIMINGS / 2);
    this.timings.push({ work, interval, updates, at });
  }
}
