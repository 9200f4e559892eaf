//! Reference values worked out from the definitions, shared by the native tests and the wasm
//! boundary tests (included with `#[path]`).

/// θ after `steps` plain mini-batch SGD updates (no regularization) from `start`, worked out
/// here from the definition: an index vector shuffled by a plain lazy Fisher–Yates (position k
/// swapped with k + u, u uniform in [0, n − k) by Lemire's multiply-and-reject on the u32s of
/// ChaCha8 seeded with `seed`, stream 1), batches of `batch` consecutive positions that stop at
/// the end of an epoch, the gradient summed in batch order.
pub fn reference_sgd(xs: &[f64], ys: &[f64], batch: usize, seed: u64, lr: f64, start: [f64; 2], steps: u64) -> [f64; 2] {
    use rand_chacha::rand_core::SeedableRng;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(1);
    let n = xs.len();
    let mut order: Vec<usize> = (0..n).collect();
    let mut k = 0;
    let mut theta = start;
    for _ in 0..steps {
        let (begin, end) = (k, (k + batch).min(n));
        let (mut g0, mut g1) = (0.0, 0.0);
        while k < end {
            let offset = uniform_below(&mut rng, (n - k) as u64);
            order.swap(k, k + offset as usize);
            let i = order[k];
            let r = theta[0] + theta[1] * xs[i] - ys[i];
            g0 += r;
            g1 += r * xs[i];
            k += 1;
        }
        let used = (end - begin) as f64;
        theta = [theta[0] - lr * (g0 / used), theta[1] - lr * (g1 / used)];
        if k == n {
            k = 0;
        }
    }
    theta
}

/// A uniform integer in [0, range) from the u32s of `rng`, by Lemire's multiply-and-reject:
/// the high half of v·range, rejecting the low halves below 2³² mod range.
pub fn uniform_below(rng: &mut impl rand_chacha::rand_core::RngCore, range: u64) -> u64 {
    let threshold = (1u64 << 32) % range;
    loop {
        let product = rng.next_u32() as u64 * range;
        if product % (1u64 << 32) >= threshold {
            return product >> 32;
        }
    }
}
