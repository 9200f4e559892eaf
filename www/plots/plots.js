// The plots: each <figure data-plot="name"> of the page holds the canvases of one plot of the
// core's registry (Visualizer.plots(): surface, fit, loss), stacked bottom to top. This module
// attaches them to the core by name, lays out the square surface beside the side plots, sizes
// each canvas's backing store to its CSS size × devicePixelRatio, and asks the core to draw.

/** Largest share of the plots' width the square surface may take. */
const SURFACE_MAX_SHARE = 0.65;

export class Plots {
  /**
   * @param {object} vis the wasm Visualizer
   * @param {HTMLElement} root the element holding the figures
   * @param {(error: unknown) => void} onError called when drawing throws
   */
  constructor(vis, root, onError) {
    this.vis = vis;
    this.root = root;
    this.onError = onError;
    /** name → {figure, canvases (bottom to top)} */
    this.figures = {};
    for (const plot of vis.constructor.plots()) {
      const figure = root.querySelector(`[data-plot="${plot.name}"]`);
      if (!figure) continue; // a page may leave a plot out
      const canvases = [...figure.querySelectorAll('canvas')];
      vis.attach(plot.name, canvases);
      this.figures[plot.name] = { figure, canvases };
    }
    this.ratio = 0;
    this.failed = false;
    this.pending = 0;
    // Resizing changes the layout the observer watches: do it in the next frame, once, so the
    // observer never loops within one frame.
    const later = () => {
      if (!this.pending) this.pending = requestAnimationFrame(() => { this.pending = 0; this.resize(); });
    };
    this.observer = new ResizeObserver(later);
    this.observer.observe(root);
    for (const canvas of this.canvases()) this.observer.observe(canvas.parentElement);
    // A change of devicePixelRatio (browser zoom, moving to another screen) needs new sizes too.
    window.addEventListener('resize', later);
  }

  canvases() {
    return Object.values(this.figures).flatMap((f) => f.canvases);
  }

  /** The canvases of plot `name`, bottom to top (an empty list for a plot the page lacks). */
  layers(name) {
    return this.figures[name]?.canvases ?? [];
  }

  /** Recomputes the layout and the canvas sizes, then redraws (unless `draw` is false). */
  resize({ draw = true } = {}) {
    // The surface's size changes the height of what is beside it, which may change the size
    // again: settle it here, in one frame, rather than once a redraw at a time.
    for (let i = 0; i < 4; i += 1) {
      const before = this.root.style.getPropertyValue('--surface-size');
      this.layout();
      if (this.root.style.getPropertyValue('--surface-size') === before) break;
    }
    const ratio = window.devicePixelRatio || 1;
    if (ratio !== this.ratio) {
      this.ratio = ratio;
      this.vis.set_pixel_ratio(ratio);
    }
    let changed = false;
    for (const canvas of this.canvases()) {
      changed = fitCanvas(canvas, ratio) || changed;
    }
    if (changed && draw) this.draw();
  }

  /** Makes the surface square (see fitSurface). */
  layout() {
    fitSurface(this.root);
  }

  /** Draws the plots one at a time, awaiting `between()` after each (the page's start: one
   * task a plot instead of one long task). The side plots go first: they compile the drawing
   * code the surface shares with them, so that the surface's heat map has a task to itself. */
  async drawEach(between) {
    for (const name of Object.keys(this.figures).reverse()) {
      try {
        this.vis.draw_plot(name);
      } catch (error) {
        this.onError(error);
      }
      await between();
    }
  }

  /** Draws every plot (the core redraws its static layers only when needed). */
  draw() {
    try {
      this.vis.draw();
      this.failed = false;
    } catch (error) {
      // Report once per failure streak, not once per frame.
      if (!this.failed) this.onError(error);
      this.failed = true;
    }
  }
}

/** Makes the surface square in the plots area `plots`: as tall as the area allows, at most a
 * share of its width. It needs only the page's layout, so the page calls it before the module
 * loads too: the first picture has the plots where they stay. */
export function fitSurface(plots) {
  if (getComputedStyle(plots).gridTemplateColumns.split(' ').length < 2) {
    plots.style.removeProperty('--surface-size'); // stacked (narrow screen)
    plots.dataset.sized = '';
    return;
  }
  const caption = plots.querySelector('figcaption');
  const captionHeight = caption ? caption.getBoundingClientRect().height + 3 : 0;
  const side = Math.floor(
    Math.max(120, Math.min(plots.clientHeight - captionHeight - 2, plots.clientWidth * SURFACE_MAX_SHARE)),
  );
  plots.style.setProperty('--surface-size', `${side}px`);
  plots.dataset.sized = '';
}

/** Sets the canvas's CSS size to its container's and its backing store to that × ratio. */
function fitCanvas(canvas, ratio) {
  const cssWidth = canvas.parentElement.clientWidth; // inside the container's border
  const cssHeight = canvas.parentElement.clientHeight;
  const width = Math.round(cssWidth * ratio);
  const height = Math.round(cssHeight * ratio);
  if (canvas.width === width && canvas.height === height && canvas.style.width === `${cssWidth}px`) {
    return false;
  }
  canvas.style.width = `${cssWidth}px`;
  canvas.style.height = `${cssHeight}px`;
  canvas.width = width;
  canvas.height = height;
  return true;
}
