//! The CSV reader on arbitrary bytes and on mutations of valid files: truncations, inserted
//! quotes, separators and line ends, byte-order marks, huge and odd numbers, long lines, bytes
//! that are not UTF-8. It must never panic; a refusal names a line (≥ 1, at most the lines the
//! input has) and, when it names a column, one that exists; a file it takes has at least two
//! rows of finite numbers, each column as long as y.
//!
//! `make test` runs a short sequence; `make fuzz` runs GDVIZ_FUZZ_OPERATIONS inputs.

use gdviz::least_squares::csv_io::{read_csv, read_table};
use gdviz::error::Error;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Inputs of the short run inside `make test`.
const SHORT_RUN: u64 = 20_000;

const VALID: &[&str] = &[
    "x,y\n0,1\n1,3.1\n2,4.9\n",
    "\"height\",\"weight\",\"price\"\r\n1,2,10\r\n2,1,11\r\n3,5,20\r\n",
    "1e-3,+2.\n-0.5,3\n\n,\n4,5\n",
    "\u{feff}a,b\n1,2\n3,4\n",
];

const PIECES: &[&str] = &[
    ",", "\"", "\n", "\r\n", "\r", " ", "\u{feff}", "1e308", "1e309", "-1e400", "nan", "inf", "NaN", "0x10", "1,2,3", "\"\"",
    "\"a,b\"", "x", "99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999e0", "\u{0}", "é", "-", ".", "1..2", "+", "e5",
];

fn input(rng: &mut ChaCha8Rng) -> Vec<u8> {
    match rng.gen_range(0..4) {
        // Arbitrary bytes.
        0 => (0..rng.gen_range(0..200)).map(|_| rng.gen::<u8>()).collect(),
        // A valid file, mutated.
        _ => {
            let mut bytes = VALID[rng.gen_range(0..VALID.len())].as_bytes().to_vec();
            for _ in 0..rng.gen_range(1..6) {
                match rng.gen_range(0..5) {
                    0 => bytes.truncate(rng.gen_range(0..=bytes.len())),
                    1 | 2 => {
                        let at = rng.gen_range(0..=bytes.len());
                        let piece = PIECES[rng.gen_range(0..PIECES.len())].as_bytes();
                        bytes.splice(at..at, piece.iter().copied());
                    }
                    3 if !bytes.is_empty() => {
                        let at = rng.gen_range(0..bytes.len());
                        bytes[at] = rng.gen();
                    }
                    _ => {
                        // A long line of numbers.
                        let line: String = (0..rng.gen_range(1..2000)).map(|i| format!("{i},")).collect();
                        bytes.extend_from_slice(line.as_bytes());
                    }
                }
            }
            bytes
        }
    }
}

/// Lines as an editor counts them (\n, \r\n and \r each end one).
fn lines_of(bytes: &[u8]) -> u64 {
    let text = String::from_utf8_lossy(bytes);
    text.replace("\r\n", "\n").replace('\r', "\n").split('\n').count().max(1) as u64
}

fn check_refusal(error: &Error, bytes: &[u8], what: &str) {
    assert!(!error.to_string().is_empty(), "{what}: an empty message");
    if let Error::Csv { line, column, .. } = error {
        assert!(*line >= 1 && *line <= lines_of(bytes), "{what}: line {line} of {} lines", lines_of(bytes));
        if let Some(column) = column {
            assert!(*column >= 1, "{what}: column {column}");
        }
    }
}

#[test]
fn arbitrary_and_mutated_files_never_panic_and_are_refused_by_line() {
    let inputs = std::env::var("GDVIZ_FUZZ_OPERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(SHORT_RUN);
    let started = std::time::Instant::now();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let (mut taken, mut refused) = (0, 0);
    for k in 0..inputs {
        let bytes = input(&mut rng);
        let what = format!("input {k}: {:?}", String::from_utf8_lossy(&bytes[..bytes.len().min(80)]));
        match read_csv(bytes.as_slice()) {
            Ok(data) => {
                taken += 1;
                assert!(data.len() >= 2, "{what}");
                assert!(data.xs().iter().chain(data.ys()).all(|v| v.is_finite()), "{what}");
            }
            Err(error) => {
                refused += 1;
                check_refusal(&error, &bytes, &what);
            }
        }
        match read_table(bytes.as_slice()) {
            Ok(table) => {
                assert!(table.columns.len() >= 2, "{what}");
                let n = table.columns[0].len();
                assert!(n >= 2 && table.columns.iter().all(|c| c.len() == n && c.iter().all(|v| v.is_finite())), "{what}");
            }
            Err(error) => check_refusal(&error, &bytes, &what),
        }
    }
    println!("csv fuzz: {inputs} inputs in {:.1} s ({taken} taken, {refused} refused by line)", started.elapsed().as_secs_f64());
}
