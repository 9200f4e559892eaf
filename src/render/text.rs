//! The words drawn inside the plots, in English and Simplified Chinese (the page's two
//! languages). Numbers and mathematical symbols are the same in both.

/// Language of the text drawn in the plots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// English (the default).
    #[default]
    English,
    /// Simplified Chinese.
    Chinese,
}

impl Language {
    /// The language of a page language code: "en" or "zh" (also "zh-CN" and the like).
    pub fn from_code(code: &str) -> Option<Language> {
        let base = code.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match base.as_str() {
            "en" => Some(Language::English),
            "zh" => Some(Language::Chinese),
            _ => None,
        }
    }
}

/// A piece of text in a plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// Surface x axis.
    Intercept,
    /// Surface y axis.
    Slope,
    /// The title of the line search's inset on the surface.
    AlongRay,
    /// The loss curve's rate axis.
    RateAxis,
    /// The flat direction of the valley (smallest Hessian eigenvalue).
    EigenMin,
    /// The steep direction (largest Hessian eigenvalue).
    EigenMax,
    /// The common start point.
    Start,
    /// Loss-curve x axis.
    Iteration,
    /// Loss-curve x axis on a log scale.
    IterationLog,
    /// What the faint and the solid loss lines of a mini-batch run are.
    SmoothedNote,
    /// Loss-curve y axis.
    LossLog,
    /// Data-plot x axis with several feature columns.
    Predicted,
    /// Data-plot y axis with several feature columns.
    Observed,
    /// The range test's x axis.
    RateLogAxis,
    /// The range test's y axis.
    SmoothedLossAxis,
    /// The stability map's y axis.
    MomentumAxis,
    /// The stability map's mark of plain descent's best rate.
    PlainBest,
    /// The stability map's mark of Polyak's optimum.
    PolyakOptimum,
    /// The stability map's mark of run 1's (η, μ).
    RunOne,
    /// The stability map's divergence swatch.
    Diverges,
    /// The stability map's colour bar.
    StepsToShrink,
}

/// The text of `label` in `language`.
pub fn label(language: Language, label: Label) -> &'static str {
    use Label::*;
    match (language, label) {
        (Language::English, Intercept) => "θ0 (intercept)",
        (Language::English, AlongRay) => "J along the search ray, over η",
        (Language::English, RateAxis) => "rate ηₜ (thin)",
        (Language::English, Slope) => "θ1 (slope)",
        (Language::English, EigenMin) => "λmin direction",
        (Language::English, EigenMax) => "λmax direction",
        (Language::English, Start) => "start",
        (Language::English, Iteration) => "iteration",
        (Language::English, IterationLog) => "iteration, log scale",
        (Language::English, SmoothedNote) => "faint: J each step · solid: moving mean",
        (Language::English, LossLog) => "J(θ), log scale",
        (Language::English, Predicted) => "predicted ŷ",
        (Language::English, Observed) => "observed y",
        (Language::English, RateLogAxis) => "learning rate η, log scale",
        (Language::English, SmoothedLossAxis) => "smoothed loss, log scale (faint: raw)",
        (Language::English, MomentumAxis) => "momentum μ",
        (Language::English, PlainBest) => "best plain GD",
        (Language::English, PolyakOptimum) => "Polyak's optimum",
        (Language::English, RunOne) => "run 1",
        (Language::English, Diverges) => "diverges",
        (Language::English, StepsToShrink) => "updates to shrink the error 10⁶×",
        (Language::Chinese, Intercept) => "θ0（截距）",
        (Language::Chinese, AlongRay) => "沿搜索方向的 J，横轴为 η",
        (Language::Chinese, RateAxis) => "速率 ηₜ（细线）",
        (Language::Chinese, Slope) => "θ1（斜率）",
        (Language::Chinese, EigenMin) => "λmin 方向",
        (Language::Chinese, EigenMax) => "λmax 方向",
        (Language::Chinese, Start) => "起点",
        (Language::Chinese, Iteration) => "迭代",
        (Language::Chinese, IterationLog) => "迭代，对数刻度",
        (Language::Chinese, SmoothedNote) => "浅色：每步的 J · 实线：滑动平均",
        (Language::Chinese, LossLog) => "J(θ)，对数刻度",
        (Language::Chinese, Predicted) => "预测值 ŷ",
        (Language::Chinese, Observed) => "观测值 y",
        (Language::Chinese, RateLogAxis) => "学习率 η，对数刻度",
        (Language::Chinese, SmoothedLossAxis) => "平滑损失，对数刻度（浅色：原始）",
        (Language::Chinese, MomentumAxis) => "动量 μ",
        (Language::Chinese, PlainBest) => "普通 GD 最佳",
        (Language::Chinese, PolyakOptimum) => "Polyak 最优",
        (Language::Chinese, RunOne) => "运行 1",
        (Language::Chinese, Diverges) => "发散",
        (Language::Chinese, StepsToShrink) => "误差缩小 10⁶ 倍所需更新次数",
    }
}

/// A schedule's word in a run's legend label ("step", "cosine"; 阶梯, 余弦); `name` is the
/// schedule's one name (the command line's).
pub fn schedule_word(language: Language, name: &str) -> &str {
    match (language, name) {
        (Language::Chinese, "step") => "阶梯",
        (Language::Chinese, "exponential") => "指数",
        (Language::Chinese, "inverse-time") => "反时间",
        (Language::Chinese, "cosine") => "余弦",
        _ => name,
    }
}

/// The word of a line search or a rate rule in a legend.
pub fn rule_word(language: Language, name: &str) -> &str {
    match (language, name) {
        (Language::English, "exact") => "exact",
        (Language::Chinese, "exact") => "精确",
        (_, "armijo") => "Armijo",
        (_, "bb") => "BB",
        (_, "polyak") => "Polyak",
        (Language::English, "bold-driver") => "bold driver",
        (Language::Chinese, "bold-driver") => "bold driver",
        (Language::English, "plateau") => "plateau",
        (Language::Chinese, "plateau") => "平台期",
        _ => name,
    }
}

/// The note beside the predicted convergence on the loss curve, `rate` being ρ = max|1 − η·λ_i|:
/// its forms, longest first, each as its lines (the long one, the short one for narrow plots,
/// and the short one on two lines, the factor on the second, for narrower ones).
pub fn theory_note_forms(language: Language, rate: f64) -> [Vec<String>; 3] {
    let (long, head, tail, gap) = match language {
        Language::English => (format!("theory (dashed): error × {rate:.6} per step"), "theory:", format!("× {rate:.4}/step"), " "),
        Language::Chinese => (format!("理论（虚线）：误差每步 × {rate:.6}"), "理论：每步", format!("× {rate:.4}"), " "),
    };
    [vec![long], vec![format!("{head}{gap}{tail}")], vec![head.to_string(), tail]]
}

/// Text sizes measured so far, by (text, font family, size in pixels).
type SizeCache = std::collections::HashMap<(String, String, u64), (u32, u32)>;

thread_local! {
    static SIZES: std::cell::RefCell<SizeCache> = std::cell::RefCell::new(SizeCache::new());
}

/// The size in pixels of `text` drawn in `style` on `root`, measured once per text, family and
/// size (in the page, plotters measures text by laying out an element, which costs a layout of
/// the page each time).
pub fn text_size<DB: plotters::prelude::DrawingBackend>(
    root: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    text: &str,
    style: &plotters::style::TextStyle,
) -> Option<(u32, u32)> {
    let key = (text.to_string(), style.font.get_name().to_string(), style.font.get_size().to_bits());
    if let Some(size) = SIZES.with(|s| s.borrow().get(&key).copied()) {
        return Some(size);
    }
    let size = root.estimate_text_size(text, style).ok()?;
    SIZES.with(|s| {
        let mut s = s.borrow_mut();
        if s.len() >= 1024 {
            s.clear();
        }
        s.insert(key, size);
    });
    Some(size)
}

/// `k` in subscript digits (θ₁₀ for 10).
pub fn subscript(k: usize) -> String {
    k.to_string().chars().map(|c| char::from_u32(0x2080 + c.to_digit(10).unwrap_or(0)).unwrap_or(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(Language::from_code("zh-CN"), Some(Language::Chinese));
        assert_eq!(Language::from_code("en"), Some(Language::English));
        assert_eq!(Language::from_code("fr"), None);
    }
}
