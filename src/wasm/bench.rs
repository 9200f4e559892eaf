//! The page's batch benchmark (`make bench-batch`, benches/batch.html): the runs' mini-batch
//! kernel ([`crate::descent::sampler::batch_gradient`], through [`EpochSampler`]) on a synthetic data set
//! held inside wasm memory, so that JavaScript times it without copying arrays per call.

use super::convert::js_error;
use crate::least_squares::data::GeneratorSettings;
use crate::least_squares::objective::Theta;
use crate::descent::sampler::EpochSampler;
use wasm_bindgen::prelude::*;

/// A synthetic data set and a mini-batch sampler over it, for timing the kernel.
#[wasm_bindgen]
pub struct BatchBench {
    xs: Vec<f64>,
    ys: Vec<f64>,
    sampler: EpochSampler,
    theta: Theta,
    /// Σ of the batch gradients computed so far (read back, so the work is not optimized away).
    total: Theta,
}

#[wasm_bindgen]
impl BatchBench {
    /// `points` points of y = 1 + 2x + noise (x in [0, 3], σ = 1) from `seed`, and a sampler over
    /// them seeded with `seed`. Throws when `points` is outside [2, 1 000 000].
    #[wasm_bindgen(constructor)]
    pub fn new(points: f64, seed: f64) -> Result<BatchBench, JsValue> {
        let settings = GeneratorSettings {
            points: if points.is_finite() && points >= 0.0 { points as usize } else { 0 },
            intercept: 1.0,
            slope: 2.0,
            noise: 1.0,
            x_min: 0.0,
            x_max: 3.0,
            outlier_fraction: 0.0,
            seed: if seed.is_finite() && seed >= 0.0 { seed as u64 } else { 0 },
        };
        let data = settings.generate().map_err(js_error)?;
        let sampler = EpochSampler::new(&data, settings.seed);
        Ok(BatchBench { xs: data.xs().to_vec(), ys: data.ys().to_vec(), sampler, theta: Theta::new(-3.0, 5.0), total: Theta::default() })
    }

    /// Number of points n.
    pub fn len(&self) -> usize {
        self.xs.len()
    }

    /// Always false (n ≥ 2).
    #[wasm_bindgen(js_name = isEmpty)]
    pub fn is_empty(&self) -> bool {
        self.xs.is_empty()
    }

    /// The points in the data set's order, interleaved x0, y0, x1, y1, … (for the JavaScript loop).
    pub fn interleaved(&self) -> Vec<f64> {
        self.xs.iter().zip(&self.ys).flat_map(|(&x, &y)| [x, y]).collect()
    }

    /// Takes `calls` batches of `batch_size` points from the epoch order, as a run's mini-batch
    /// update does at θ = (−3, 5) (each batch within one epoch; the last of an epoch may be
    /// short). Returns the points used.
    pub fn shuffled(&mut self, batch_size: usize, calls: u32) -> f64 {
        let mut used = 0usize;
        for _ in 0..calls {
            let (g, b) = self.sampler.batch_gradient(self.theta, batch_size);
            used += b;
            self.add(g);
        }
        used as f64
    }

    /// Takes `calls` batches of `batch_size` points of the epoch order read in sequence, without
    /// drawing (the same sums over points in order). Returns the points used.
    pub fn sequential(&mut self, batch_size: usize, calls: u32) -> f64 {
        let mut used = 0usize;
        for _ in 0..calls {
            let (g, b) = self.sampler.sequential_gradient(self.theta, batch_size);
            used += b;
            self.add(g);
        }
        used as f64
    }

    /// Σ of the batch gradients computed so far, [g0, g1].
    pub fn total(&self) -> Vec<f64> {
        vec![self.total[0], self.total[1]]
    }

    /// The position of the next batch in the current epoch.
    pub fn cursor(&self) -> usize {
        self.sampler.cursor()
    }
}

impl BatchBench {
    fn add(&mut self, g: Theta) {
        self.total = Theta::new(self.total[0] + g[0], self.total[1] + g[1]);
    }
}
