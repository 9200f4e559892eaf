//! Exact solutions of the least-squares objective with several features: the normal equations
//! scaled to a unit diagonal (Cholesky, or the eigen-decomposition where Cholesky fails), and
//! for an L1 part coordinate descent on the covariance form to a duality gap of
//! [`GAP_TOLERANCE`], scikit-learn's criterion. The linear algebra is nalgebra's.

use nalgebra::{DMatrix, DVector, SymmetricEigen};

/// Soft-threshold S(v, t) = sign(v)·max(|v| − t, 0), the proximal map of t·|·|.
pub fn soft_threshold(v: f64, t: f64) -> f64 {
    if v > t {
        v - t
    } else if v < -t {
        v + t
    } else {
        0.0
    }
}

/// The relative duality gap coordinate descent stops at (scikit-learn's `tol`, relative to
/// the variance of y).
pub const GAP_TOLERANCE: f64 = 1e-12;

/// Why a model has no unique optimum: the features (1-based) that make it so.
#[derive(Debug, Clone, PartialEq)]
pub enum NoUniqueOptimum {
    /// These features have no spread, and no L2 part pins their coefficients; `d` is the
    /// model's number of features.
    NoSpread { features: Vec<usize>, d: usize },
    /// These features are linear combinations of one another (collinear), and no L2 part
    /// picks one combination.
    Collinear { features: Vec<usize> },
}

impl std::fmt::Display for NoUniqueOptimum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names = |v: &[usize]| v.iter().map(|j| format!("θ{j}")).collect::<Vec<_>>().join(", ");
        match self {
            NoUniqueOptimum::NoSpread { d: 1, .. } => f.write_str(
                "the optimum is not unique: x has no spread (all x values are equal) and there is no \
                 regularization, so every line through (x̄, ȳ) fits equally well",
            ),
            NoUniqueOptimum::NoSpread { features, .. } => write!(
                f,
                "the optimum is not unique: the feature(s) of {} have no spread (all their values are equal) and there is no L2 part",
                names(features)
            ),
            NoUniqueOptimum::Collinear { features } => write!(
                f,
                "the optimum is not unique: the features of {} are collinear (one is a combination of the others, exactly or to within the rounding of double precision) and there is no L2 part",
                names(features)
            ),
        }
    }
}


/// Solves a·β = b over the features `spread` (the others get 0), scaled to a unit diagonal (the
/// correlation matrix when `a` is a covariance): raw powers of x differ by many orders of
/// magnitude in scale, which the scaling removes, so that only a real dependence among the
/// features looks singular. Cholesky, or the eigen-decomposition when it fails. Returns β and
/// the scaled matrix's κ, or the (1-based) features that are collinear.
pub fn solve_scaled(a: &DMatrix<f64>, b: &DVector<f64>, spread: &[usize]) -> std::result::Result<(DVector<f64>, f64), Vec<usize>> {
    let UnitDiagonal { root, scaled, eigen, floor } = UnitDiagonal::of(&DMatrix::from_fn(spread.len(), spread.len(), |r, k| a[(spread[r], spread[k])]));
    let (lo, hi) = eigen.eigenvalues.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    // Singular when the smallest eigenvalue is rounding next to the largest (or NaN).
    if lo.partial_cmp(&floor) != Some(std::cmp::Ordering::Greater) {
        let mut features = Vec::new();
        for (i, &v) in eigen.eigenvalues.iter().enumerate() {
            if v <= floor {
                let vector = eigen.eigenvectors.column(i);
                let largest = vector.amax();
                features.extend((0..spread.len()).filter(|&r| vector[r].abs() > 1e-6 * largest).map(|r| spread[r] + 1));
            }
        }
        features.sort_unstable();
        features.dedup();
        return Err(features);
    }
    let rhs = DVector::from_fn(spread.len(), |r, _| b[spread[r]] / root[r]);
    let y = match scaled.clone().cholesky() {
        Some(ch) => ch.solve(&rhs),
        None => eigen.eigenvectors.clone() * DMatrix::from_diagonal(&eigen.eigenvalues.map(|v| 1.0 / v)) * eigen.eigenvectors.transpose() * &rhs,
    };
    let mut beta = DVector::zeros(b.len());
    for (r, &j) in spread.iter().enumerate() {
        beta[j] = y[r] / root[r];
    }
    Ok((beta, if lo > 0.0 { hi / lo } else { f64::INFINITY }))
}

/// A solution of a·x = b (`a` symmetric positive semi-definite, `b` in its range, as normal
/// equations always are), column by column: by Cholesky when `a` is positive definite, else
/// by its pseudo-inverse, scaled to a unit diagonal as [`solve_scaled`] is and with the
/// eigenvalues at rounding next to the largest taken as 0. Any solution gives the same value of
/// the quadratic, so a profile over some coefficients is exact either way.
pub fn solve_semidefinite(a: &DMatrix<f64>, b: &DMatrix<f64>) -> DMatrix<f64> {
    if let Some(ch) = a.clone().cholesky() {
        return ch.solve(b);
    }
    let UnitDiagonal { root, eigen, floor, .. } = UnitDiagonal::of(a);
    let inverse = DMatrix::from_diagonal(&eigen.eigenvalues.map(|v| if v > floor { 1.0 / v } else { 0.0 }));
    let pseudo = &eigen.eigenvectors * inverse * eigen.eigenvectors.transpose();
    // Unscaled on both sides; a coordinate with a zero diagonal takes no part.
    let unscale = |m: DMatrix<f64>| DMatrix::from_fn(m.nrows(), m.ncols(), |r, k| if root[r] > 0.0 { m[(r, k)] / root[r] } else { 0.0 });
    unscale(pseudo * unscale(b.clone()))
}

/// A symmetric matrix scaled to a unit diagonal, D^-½·a·D^-½ with D its diagonal (a row and
/// column with a zero diagonal stay 0), with its eigen-decomposition and the eigenvalue at or
/// below which one is rounding next to the largest: ½·n·ε·λ_max.
struct UnitDiagonal {
    /// √ of a's diagonal.
    root: Vec<f64>,
    scaled: DMatrix<f64>,
    eigen: SymmetricEigen<f64, nalgebra::Dyn>,
    floor: f64,
}

impl UnitDiagonal {
    fn of(a: &DMatrix<f64>) -> Self {
        let n = a.nrows();
        let root: Vec<f64> = (0..n).map(|j| a[(j, j)].sqrt()).collect();
        let scaled = DMatrix::from_fn(n, n, |r, k| if root[r] == 0.0 || root[k] == 0.0 { 0.0 } else { a[(r, k)] / (root[r] * root[k]) });
        let eigen = SymmetricEigen::new(scaled.clone());
        let hi = eigen.eigenvalues.iter().fold(0.0f64, |hi, &v| hi.max(v));
        UnitDiagonal { floor: 0.5 * n as f64 * f64::EPSILON * hi, root, scaled, eigen }
    }
}

/// Minimizes ½βᵀ(G + λ₂I)β − bᵀβ + l1·‖β‖₁ (G = cΣ, b = c·s) by cyclic coordinate descent,
/// βⱼ ← S(bⱼ − Σ_{k≠j} A_jk·β_k, l1)/A_jj with A = G + λ₂I (0 for A_jj = 0), until the duality
/// gap is at most [`GAP_TOLERANCE`] × `v` (v = c·var(y)) and a sweep moves no coefficient by
/// more than 4 units in the last place (the optimality conditions then hold to rounding), or
/// 100,000 sweeps.
pub fn coordinate_descent(g: &DMatrix<f64>, l2: f64, b: &DVector<f64>, l1: f64, v: f64) -> DVector<f64> {
    let d = b.len();
    let a = g + DMatrix::identity(d, d) * l2;
    let mut beta = DVector::zeros(d);
    // The gradient of the smooth part, Aβ − b, kept up to date.
    let mut gradient: DVector<f64> = -b.clone();
    for _ in 0..100_000 {
        let mut moved = 0.0f64;
        for j in 0..d {
            let ajj: f64 = a[(j, j)];
            let old: f64 = beta[j];
            let new = if ajj > 0.0 { soft_threshold(-(gradient[j] - ajj * old), l1) / ajj } else { 0.0 };
            if new != old {
                let change = new - old;
                for k in 0..d {
                    gradient[k] += a[(k, j)] * change;
                }
                beta[j] = new;
                moved = moved.max(change.abs() / (4.0 * f64::EPSILON * new.abs().max(f64::MIN_POSITIVE)));
            }
        }
        if moved <= 1.0 && duality_gap(g, l2, b, l1, &beta, v) <= GAP_TOLERANCE * v.max(f64::MIN_POSITIVE) {
            break;
        }
    }
    beta
}

/// The duality gap at β of min ½βᵀGβ − bᵀβ + ½v + l1·‖β‖₁ + ½λ₂‖β‖²: scikit-learn's
/// elastic-net gap (`enet_coordinate_descent`) in the Gram form, ‖r‖² → βᵀGβ − 2bᵀβ + v,
/// Xᵀr → b − Gβ, rᵀy → v − bᵀβ. It is ≥ 0, 0 at the optimum, and bounds the primal's excess.
fn duality_gap(g: &DMatrix<f64>, l2: f64, b: &DVector<f64>, l1: f64, beta: &DVector<f64>, v: f64) -> f64 {
    let residual_norm2 = (beta.dot(&(g * beta)) - 2.0 * b.dot(beta) + v).max(0.0);
    let xt_a = b - g * beta - beta * l2;
    let dual_norm = xt_a.amax();
    let (constant, a_norm2) = if dual_norm > l1 {
        let c = l1 / dual_norm;
        (c, residual_norm2 * c * c)
    } else {
        (1.0, residual_norm2)
    };
    let ry = v - b.dot(beta);
    0.5 * (residual_norm2 + a_norm2) + l1 * beta.iter().map(|x| x.abs()).sum::<f64>() - constant * ry
        + 0.5 * l2 * (1.0 + constant * constant) * beta.norm_squared()
}
