//! The one-feature results as they were before the core took several features, recorded bit
//! for bit (the hexadecimal of each f64) for every preset: the exact optimum, J there, the
//! Hessian's eigenvalues, the critical rate, and θ after 50 updates of full-batch plain descent,
//! mini-batch SGD (b = 4), Adam and L1-regularized proximal descent. Several features must
//! leave every one-feature result as it was; this test says so to the last bit.

use gdviz::descent::optimizer::Optimizer;
use gdviz::least_squares::data;
use gdviz::{Regularization, RunConfig, Session, Theta};

/// Every recorded number of one preset, as f64 bits.
fn record(preset: &str) -> Vec<u64> {
    let data = data::preset(preset).unwrap().settings.generate().unwrap();
    let n = data.len();
    let mut out = Vec::new();
    for regularization in [Regularization::None, Regularization::L1 { lambda: 0.1 }, Regularization::ElasticNet { lambda: 0.1, l1_ratio: 0.5 }] {
        let session = Session::new(data.clone(), regularization, RunConfig::full_batch(0.05, n), Theta::default()).unwrap();
        let o = session.optimum().unwrap();
        let c = session.curvature();
        out.extend([o.theta[0], o.theta[1], o.loss, c.eigenvalues[0], c.eigenvalues[1], c.lr_critical].map(f64::to_bits));
    }
    let runs = [
        (Regularization::None, n, Optimizer::Sgd),
        (Regularization::None, 4, Optimizer::Sgd),
        (Regularization::L2 { lambda: 0.1 }, n, Optimizer::Adam { beta1: 0.9, beta2: 0.999, eps: 1e-8 }),
        (Regularization::L1 { lambda: 0.5 }, n, Optimizer::Sgd),
    ];
    for (regularization, batch_size, optimizer) in runs {
        let mut config = RunConfig::full_batch(0.05, n);
        config.batch_size = batch_size;
        config.optimizer = optimizer;
        let mut session = Session::new(data.clone(), regularization, config, Theta::new(-1.0, 3.0)).unwrap();
        let report = session.step(50).remove(0);
        out.extend([report.theta[0], report.theta[1], report.loss, report.grad_norm].map(f64::to_bits));
    }
    out
}

/// The record, per preset, in the order `record` lists the numbers.
const RECORD: [(&str, &[u64]); 4] = [
    ("clean", &[0x3feede256decda50, 0x3fffdf4f38e7430c, 0x3f99cee8ce1f793a, 0x3fd0838f85f9666f, 0x400b464d6ad3a1a6, 0x3fe2c5a3d94b5988, 0x3ff1dd9b3231b666, 0x3ffe0db35362f24e, 0x3fcbff1151e19e19, 0x3fd0838f85f9666f, 0x400b464d6ad3a1a6, 0x3fe2c5a3d94b5988, 0x3ff2e04d57370d5a, 0x3ffd4c370b0015ef, 0x3fcb21e1f1f14c82, 0x3fd1421ecf5534d6, 0x400b94e1e80e8e40, 0x3fe290288e749bc3, 0xbfa6482395385535, 0x4004696711974a89, 0x3fc92da59bd38f1d, 0x3fd30a371c04e1b3, 0xbf94fd6468b50706, 0x400489d827d50446, 0x3fc8d7f47f6152cd, 0x3fd39c005c9b6a25, 0x3fefbc361710afba, 0x3ffe9f734e079625, 0x3fcb6551c72bc127, 0x3fb46637ef36e003, 0x3fd25c96ac1ca28b, 0x4001c58c76158a4e, 0x3ff3a56f399b9ed6, 0x3fdb26dd71d04b5b]),
    ("noisy", &[0x3feca820885ecbf0, 0x3fffe1b458e2f4d3, 0x3fe111c304701173, 0x3fcab4124479bdc3, 0x400d441faf596a12, 0x3fe17ea0a7cdb01b, 0x3ff15e7e702903a8, 0x3ffdc9023032ead9, 0x3fe73c6edef2416a, 0x3fcab4124479bdc3, 0x400d441faf596a12, 0x3fe17ea0a7cdb01b, 0x3ff29936878dfb70, 0x3ffcf005c7cce7e7, 0x3fe6fe4f8ef160a9, 0x3fcc27c520ab2f03, 0x400d934ae7fcb964, 0x3fe14fcc09910f5b, 0xbfcc25a19503c5fa, 0x4004cf43b28f32fd, 0x3fe6756ac55a488d, 0x3fd0f7233812499d, 0xbfc90f09bc990493, 0x400526b02f3f461f, 0x3fe697d7886fae14, 0x3fd479c622c503af, 0x3feffecc73f6e382, 0x3ffe0bef3f1d5785, 0x3fe6ef1d196a00b7, 0x3fb0182bd58aa3eb, 0x3fc120790c565565, 0x40022c1f2f9b91da, 0x3ffc33d6de02f906, 0x3fda09de7be44261]),
    ("outliers", &[0x3ffb5a4ef7e9fbf8, 0x3fff9375bedd32a1, 0x3ffad925791d7951, 0x3fcc00faa2ca7932, 0x400d7028567d286e, 0x3fe164757bd5c109, 0x3ffe3a75ea060c8e, 0x3ffd96ad4f15e95d, 0x3ffde80da0366dea, 0x3fcc00faa2ca7932, 0x400d7028567d286e, 0x3fe164757bd5c109, 0x3fff60c874077020, 0x3ffccb426d7bf1bd, 0x3ffdc731adbae434, 0x3fcd6eb2a0d3331c, 0x400dbfb33d030336, 0x3fe135f4798fea28, 0x3fd01868efccbaf7, 0x400615fc56884227, 0x3fffa7600534d036, 0x3fd73385f06a0586, 0x3fce56dc21125c81, 0x40056b79b7bce3bb, 0x3fffb04515c3e71b, 0x3fdd9e6bda8b2000, 0x3ff14fe24ded5c92, 0x4001bba17ef190c9, 0x3fffc49f7a3bdb68, 0x3fd1b0707432a199, 0x3fe329de72e32d25, 0x40037f9a1f357206, 0x4008a39bd1f0664b, 0x3fdff91d71ff07d0]),
    ("ill-conditioned", &[0x3ff03337618adae8, 0x3fffcef6d55ae491, 0x3f99cee8ce1f793a, 0x3f8fa5f859d57a86, 0x40394d057eb202f2, 0x3fb43c88c9510094, 0x40021bbf96054fb8, 0x3ffbb75810f12ee7, 0x3fcb092fdc48c3be, 0x3f8fa5f859d57a86, 0x40394d057eb202f2, 0x3fb43c88c9510094, 0x40055b76e18fe110, 0x3ffa63449a6f387d, 0x3fc95b7167718f76, 0x3f91d0605ee782e2, 0x40395952f272508e, 0x3fb432b686de1595, 0xbff09622083ec5c1, 0x40033433a5b3934c, 0x3fae3050d81b6e0b, 0x3fa089cc4f2fd078, 0xbff0b9e77fcbc0bb, 0x400382ed1b499cc7, 0x3fb36a944ad52b02, 0x3fed22209d720b3f, 0xbff6276d57d8685c, 0x4003b9597c06a22a, 0x3fd809eeb547eb0c, 0x3fc29e86818bae03, 0xbfe9b3bd209d7203, 0x4002ab7d2dd160f6, 0x3ff3924708966f8f, 0x3fc048dd75caaa6c]),
];

#[test]
fn every_one_feature_result_is_as_recorded_to_the_last_bit() {
    assert_eq!(RECORD.len(), data::PRESETS.len());
    for (preset, expected) in RECORD {
        let got = record(preset);
        let differ: Vec<(usize, f64, f64)> = got
            .iter()
            .zip(expected.iter())
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .map(|(i, (a, b))| (i, f64::from_bits(*a), f64::from_bits(*b)))
            .collect();
        assert_eq!(got.len(), expected.len(), "{preset}: count");
        assert!(differ.is_empty(), "{preset}: (index, now, recorded) {differ:?}");
    }
}

#[test]
#[ignore = "prints the record; run once with --ignored --nocapture to write RECORD"]
fn print_record() {
    for preset in data::PRESETS {
        let bits: Vec<String> = record(preset.name).iter().map(|b| format!("0x{b:016x}")).collect();
        println!("    (\"{}\", &[{}]),", preset.name, bits.join(", "));
    }
}
