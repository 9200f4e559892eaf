// The animation loop: Play / Pause on requestAnimationFrame. Each frame steps the core `speed`
// times, then the page shows the report and draws. The loop stops by itself when every run has
// converged or diverged (comparison runs go on on their own after run 1 stops).
//
// Frame timings go to window.__gdvizFrameTimes (the page benchmark reads them): for each frame,
// `work` is the time spent in the callback (step + readouts + draw, ms), `interval` the time since
// the previous frame's callback (ms), `updates` the updates requested, `at` the frame's timestamp.

const MAX_TIMINGS = 50_000;

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
    const updates = this.hooks.speed();
    let finished;
    try {
      const reports = this.hooks.step(updates);
      finished = reports.every((r) => r.status !== 'running');
      if (finished) this.playing = false; // before show(), so the status reads converged/diverged
      this.hooks.show(reports);
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
