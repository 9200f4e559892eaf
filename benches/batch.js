// The page of the mini-batch kernel benchmark (benches/batch.html, driven by
// scripts/bench-batch.mjs). Three implementations of one batch gradient, r = θ0 + θ1·x − y,
// g = (Σ r, Σ r·x)/b, over n points held as interleaved (x, y) pairs:
//   js   — a plain Float64Array loop, the lazy Fisher–Yates written out in JavaScript
//          (positions from a xorshift32 generator: cheaper than the runs' ChaCha8);
//   wasm — the runs' own kernel (src/sampler.rs) through src/wasm/bench.rs, scalar build;
//   simd — the same, built with -C target-feature=+simd128.
// Each in two orders: sequential (the next b points in order) and shuffled (the next b
// positions of the epoch, each swapped with a uniform later position first). No call takes more
// than the rest of its epoch: batches never straddle epochs, as in a run.

import initScalar, { BatchBench as ScalarBench } from './pkg-scalar/gdviz.js';
import initSimd, { BatchBench as SimdBench } from './pkg-simd/gdviz.js';

const THETA0 = -3;
const THETA1 = 5;

/** The JavaScript kernel: the same epoch order as the runs', in typed arrays. */
class JsSampler {
  constructor(interleaved) {
    this.xy = Float64Array.from(interleaved);
    this.n = this.xy.length / 2;
    this.index = new Uint32Array(this.n);
    for (let i = 0; i < this.n; i += 1) this.index[i] = i;
    this.cursor = 0;
    this.state = 0x9e3779b9;
    this.total = 0;
  }

  /** The next batch of the epoch in order; returns the points used. */
  sequential(batch) {
    const { xy, n } = this;
    const start = this.cursor;
    const end = Math.min(start + batch, n);
    let g0 = 0;
    let g1 = 0;
    for (let k = start; k < end; k += 1) {
      const x = xy[2 * k];
      const r = THETA0 + THETA1 * x - xy[2 * k + 1];
      g0 += r;
      g1 += r * x;
    }
    const used = end - start;
    this.cursor = end === n ? 0 : end;
    this.total += (g0 + g1) / used;
    return used;
  }

  /** The next batch of the epoch, drawn by lazy Fisher–Yates; returns the points used. */
  shuffled(batch) {
    const { xy, index, n } = this;
    const start = this.cursor;
    const end = Math.min(start + batch, n);
    let s = this.state;
    let g0 = 0;
    let g1 = 0;
    for (let k = start; k < end; k += 1) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const j = k + Math.floor((s >>> 0) * (n - k) * 2.3283064365386963e-10);
      const x = xy[2 * j];
      const y = xy[2 * j + 1];
      xy[2 * j] = xy[2 * k];
      xy[2 * j + 1] = xy[2 * k + 1];
      xy[2 * k] = x;
      xy[2 * k + 1] = y;
      const i = index[j];
      index[j] = index[k];
      index[k] = i;
      const r = THETA0 + THETA1 * x - y;
      g0 += r;
      g1 += r * x;
    }
    this.state = s;
    const used = end - start;
    this.cursor = end === n ? 0 : end;
    this.total += (g0 + g1) / used;
    return used;
  }
}

let ready = null;
const samplers = {};

async function setUp(points) {
  await Promise.all([initScalar(), initSimd()]);
  samplers.wasm = new ScalarBench(points, 7);
  samplers.simd = new SimdBench(points, 7);
  samplers.js = new JsSampler(samplers.wasm.interleaved());
  return { points: samplers.wasm.len() };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** ns per point of `impl` in `order` at batch size `batch`: one epoch to warm up, then the
 * median of `repeats` timings of at least `ms` milliseconds each. */
function measure({ impl, order, batch, repeats = 5, ms = 150 }) {
  const sampler = samplers[impl];
  const n = impl === 'js' ? sampler.n : sampler.len();
  // Enough batches per call for about 2e5 points, so a call is long against the timer.
  const calls = Math.max(1, Math.ceil(2e5 / batch));
  const once = impl === 'js'
    ? () => { let used = 0; for (let c = 0; c < calls; c += 1) used += sampler[order](batch); return used; }
    : () => sampler[order](batch, calls);
  for (let seen = 0; seen < n;) seen += once();
  const times = [];
  for (let r = 0; r < repeats; r += 1) {
    let points = 0;
    const t0 = performance.now();
    let t = t0;
    do {
      points += once();
      t = performance.now();
    } while (t - t0 < ms);
    times.push(((t - t0) * 1e6) / points);
  }
  return { impl, order, batch, nsPerPoint: median(times), runs: times };
}

/** Copy bandwidth of this page (bytes read + written per second): `TypedArray.set` of a
 * `megabytes` MB Float64Array into another (a native memcpy), best of `passes` after one pass
 * that touches every page. */
function bandwidth({ megabytes = 256, passes = 3 } = {}) {
  const source = new Float64Array((megabytes * 1024 * 1024) / 8).fill(1);
  const target = new Float64Array(source.length);
  target.set(source);
  let best = Infinity;
  for (let p = 0; p < passes; p += 1) {
    source[p] = p;
    const t0 = performance.now();
    target.set(source);
    best = Math.min(best, performance.now() - t0);
  }
  return { megabytes, gbPerSecond: (2 * source.length * 8) / (best * 1e6), check: target[passes - 1] };
}

window.batchBench = {
  setUp: (points) => {
    ready = ready || setUp(points);
    return ready;
  },
  measure,
  bandwidth,
  totals: () => ({ js: samplers.js.total, wasm: samplers.wasm.total(), simd: samplers.simd.total() }),
};
document.getElementById('out').textContent = 'ready';
