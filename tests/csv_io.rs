//! The CSV reader and writer: accepted layouts, every refusal with its exact message (line and
//! column as an editor shows them), the bit-exact round trip, and no panic on any input.

use gdviz::least_squares::csv_io::{read_csv, write_csv};
use gdviz::error::CsvProblem;
use gdviz::{Dataset, Error};
use proptest::prelude::*;

fn read(text: &str) -> Result<Dataset, Error> {
    read_csv(text.as_bytes())
}

/// The points of a successful read.
fn points(text: &str) -> Vec<(f64, f64)> {
    let data = read(text).unwrap_or_else(|e| panic!("{text:?} should read, got: {e}"));
    data.xs().iter().copied().zip(data.ys().iter().copied()).collect()
}

/// The message of a refused read.
fn message(input: &[u8]) -> String {
    match read_csv(input) {
        Ok(data) => panic!("{:?} should be refused, read {} points", String::from_utf8_lossy(input), data.len()),
        Err(e) => e.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Accepted input.

#[test]
fn reads_rows_without_a_header() {
    assert_eq!(points("0,1\n1,3\n2,5\n"), vec![(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]);
}

#[test]
fn skips_a_header_row_of_non_numbers() {
    assert_eq!(points("x,y\n0,1\n1,3\n"), vec![(0.0, 1.0), (1.0, 3.0)]);
    assert_eq!(points("\"height (m)\",\"weight, kg\"\n1.5,60\n1.8,80\n"), vec![(1.5, 60.0), (1.8, 80.0)]);
}

#[test]
fn a_header_may_follow_blank_lines_and_have_an_empty_cell() {
    assert_eq!(points("\n\n  x ,\n1,2\n3,4\n"), vec![(1.0, 2.0), (3.0, 4.0)]);
}

#[test]
fn the_last_line_needs_no_line_ending() {
    assert_eq!(points("x,y\n1,2\n3,4"), vec![(1.0, 2.0), (3.0, 4.0)]);
}

#[test]
fn skips_blank_whitespace_and_empty_cell_lines() {
    let text = "\n x,y\n\n1,2\n   \n\t\n,\n , \n3,4\n\n\n";
    assert_eq!(points(text), vec![(1.0, 2.0), (3.0, 4.0)]);
}

#[test]
fn trims_whitespace_around_cells() {
    assert_eq!(points("  1 ,\t2\t\n 3,  4  \n"), vec![(1.0, 2.0), (3.0, 4.0)]);
    assert_eq!(points("\" 1 \",\"2\"\n3,4\n"), vec![(1.0, 2.0), (3.0, 4.0)]);
}

#[test]
fn reads_every_number_notation_of_rust() {
    assert_eq!(
        points("-1.5,+2\n1e-3,2E3\n.5,5.\n-0,0\n"),
        vec![(-1.5, 2.0), (1e-3, 2e3), (0.5, 5.0), (-0.0, 0.0)]
    );
}

#[test]
fn accepts_crlf_lone_cr_and_a_byte_order_mark() {
    assert_eq!(points("x,y\r\n1,2\r\n3,4\r\n"), vec![(1.0, 2.0), (3.0, 4.0)]);
    assert_eq!(points("x,y\r1,2\r3,4\r"), vec![(1.0, 2.0), (3.0, 4.0)]);
    assert_eq!(points("\u{feff}x,y\n1,2\n3,4\n"), vec![(1.0, 2.0), (3.0, 4.0)]);
}

// ---------------------------------------------------------------------------------------------
// Refusals: exact messages with the line as an editor counts it.

#[test]
fn a_non_numeric_cell_names_its_line_and_column() {
    assert_eq!(message(b"x,y\n0,1\n1,3\n2,abc\n"), "line 4, column 2: \"abc\" is not a number");
    assert_eq!(message(b"0,1\nabc,3\n"), "line 2, column 1: \"abc\" is not a number");
}

#[test]
fn a_first_row_with_one_number_is_data_not_a_header() {
    assert_eq!(message(b"1,abc\n2,3\n4,5\n"), "line 1, column 2: \"abc\" is not a number");
    assert_eq!(message(b"x,1\n2,3\n4,5\n"), "line 1, column 1: \"x\" is not a number");
}

#[test]
fn only_the_first_row_can_be_a_header() {
    assert_eq!(message(b"x,y\n1,2\nx,y\n3,4\n"), "line 3, column 1: \"x\" is not a number");
}

#[test]
fn line_numbers_count_blank_lines_and_every_line_ending() {
    // The csv crate alone would place this record at line 2, where the blank lines start.
    assert_eq!(message(b"x,y\n\n\n1,abc\n"), "line 4, column 2: \"abc\" is not a number");
    assert_eq!(message(b"x,y\r\n\r\n1,2\r\n3,abc\r\n"), "line 4, column 2: \"abc\" is not a number");
    assert_eq!(message(b"x,y\r\r1,2\r3,abc\r"), "line 4, column 2: \"abc\" is not a number");
    assert_eq!(message(b"\xEF\xBB\xBF\n\n1,abc\n"), "line 3, column 2: \"abc\" is not a number");
    // A quoted cell spanning two lines: the next record starts two lines later.
    assert_eq!(message(b"\"x\ny\",z\n1,2\n3,abc\n"), "line 4, column 2: \"abc\" is not a number");
}

#[test]
fn an_empty_cell_is_refused_by_name() {
    assert_eq!(message(b"1,2\n3,\n"), "line 2, column 2: the cell is empty; expected a number");
    assert_eq!(message(b"1,2\n  ,4\n"), "line 2, column 1: the cell is empty; expected a number");
}

#[test]
fn non_finite_cells_are_refused() {
    assert_eq!(message(b"x,y\n1,nan\n2,3\n"), "line 2, column 2: \"nan\" is not a finite number");
    assert_eq!(message(b"x,y\n1,2\ninf,3\n"), "line 3, column 1: \"inf\" is not a finite number");
    assert_eq!(message(b"1,2\n3,-Infinity\n"), "line 2, column 2: \"-Infinity\" is not a finite number");
    assert_eq!(message(b"1,2\n1e999,3\n"), "line 2, column 1: \"1e999\" is not a finite number");
}

#[test]
fn a_wrong_column_count_names_the_line() {
    assert_eq!(message(b"x,y\n1,2\n3,4,5\n"), "line 3: expected 2 columns (x,y), found 3");
    assert_eq!(message(b"x,y\n1,2\n3\n"), "line 3: expected 2 columns (x,y), found 1");
    assert_eq!(message(b"1,2\n3,4,\n"), "line 2: expected 2 columns (x,y), found 3");
    assert_eq!(message(b"x;y\n1;2\n"), "line 1: expected 2 columns (x,y), found 1");
    assert_eq!(message(b"x,y,z\n1,2\n"), "line 1: expected 2 columns (x,y), found 3");
}

#[test]
fn fewer_than_two_data_rows_are_refused() {
    assert_eq!(
        message(b"x,y\n1,2\n\n"),
        "line 2: the file ends after 1 data row; at least 2 are needed to fit a line"
    );
    assert_eq!(
        message(b"\nx,y\n"),
        "line 2: the file ends after 0 data rows; at least 2 are needed to fit a line"
    );
    assert_eq!(
        message(b"1,2"),
        "line 1: the file ends after 1 data row; at least 2 are needed to fit a line"
    );
}

#[test]
fn an_empty_or_blank_file_is_refused() {
    let empty = "line 1: the file is empty; expected rows of two numbers x,y";
    assert_eq!(message(b""), empty);
    assert_eq!(message(b"\n\n  \n,\n"), empty);
    assert_eq!(message(b"\xEF\xBB\xBF"), empty);
}

#[test]
fn invalid_utf8_names_the_cell() {
    assert_eq!(message(b"x,y\n1,2\n3,\xff\xfe\n"), "line 3, column 2: the cell is not valid UTF-8 text");
    assert_eq!(message(b"\xc3(,y\n1,2\n"), "line 1, column 1: the cell is not valid UTF-8 text");
}

#[test]
fn a_long_cell_is_quoted_shortened_and_escaped() {
    let long = "a".repeat(100);
    let text = format!("1,2\n3,{long}\n");
    let expected = format!("line 2, column 2: \"{}\"… is not a number", "a".repeat(40));
    assert_eq!(message(text.as_bytes()), expected);
    assert_eq!(message(b"1,2\n3,\"a\"\"b\"\n"), "line 2, column 2: \"a\\\"b\" is not a number");
}

#[test]
fn errors_are_the_csv_variant_with_line_and_column() {
    let not_a_number = read("x,y\n1,2\n3,abc\n").unwrap_err();
    assert_eq!(
        not_a_number,
        Error::Csv {
            line: 3,
            column: Some(2),
            problem: CsvProblem::NotANumber { text: "abc".into(), truncated: false }
        }
    );
    assert_eq!(not_a_number.to_string(), "line 3, column 2: \"abc\" is not a number");
    let columns = read("1,2\n3,4,5\n").unwrap_err();
    assert_eq!(columns, Error::Csv { line: 2, column: None, problem: CsvProblem::Columns { expected: 2, found: 3 } });
    assert_eq!(columns.to_string(), "line 2: expected 2 columns (x,y), found 3");
}

#[test]
fn a_failing_reader_is_an_error_not_a_panic() {
    struct Broken;
    impl std::io::Read for Broken {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk on fire"))
        }
    }
    assert_eq!(read_csv(Broken).unwrap_err().to_string(), "line 1: could not read the data: disk on fire");
}

// ---------------------------------------------------------------------------------------------
// Writing and the round trip.

#[test]
fn writes_a_header_and_shortest_round_trip_numbers() {
    let data = Dataset::new(vec![0.1, -2.0, 1e-7], vec![1.0 / 3.0, 0.0, -0.0]).unwrap();
    assert_eq!(write_csv(&data), "x,y\n0.1,0.3333333333333333\n-2,0\n0.0000001,-0\n");
}

/// Any f64 a data set accepts (finite, |v| ≤ 1e150), drawn uniformly over bit patterns
/// (subnormals, -0 and the largest accepted magnitudes included).
fn finite_f64() -> impl Strategy<Value = f64> {
    any::<u64>()
        .prop_map(f64::from_bits)
        .prop_filter("accepted by Dataset", |v| v.is_finite() && v.abs() <= gdviz::least_squares::data::MAX_MAGNITUDE)
}

proptest! {
    #[test]
    fn write_then_read_gives_the_same_bits(
        points in prop::collection::vec((finite_f64(), finite_f64()), 2..40)
    ) {
        let (xs, ys): (Vec<f64>, Vec<f64>) = points.into_iter().unzip();
        let data = Dataset::new(xs.clone(), ys.clone()).unwrap();
        let back = read_csv(write_csv(&data).as_bytes()).unwrap();
        let bits = |v: &[f64]| v.iter().map(|a| a.to_bits()).collect::<Vec<_>>();
        prop_assert_eq!(bits(back.xs()), bits(&xs));
        prop_assert_eq!(bits(back.ys()), bits(&ys));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        check_outcome(&bytes);
    }

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        check_outcome(text.as_bytes());
    }

    /// Text made of the characters that matter to the parser, so that deep paths are reached.
    #[test]
    fn csv_like_text_never_panics(text in "[0-9xyEe.,+\\- \t\r\n\"nafi\u{feff}]{0,80}") {
        check_outcome(text.as_bytes());
    }
}

/// Either a valid data set (≥ 2 finite points) or a CSV error with a line ≥ 1.
fn check_outcome(bytes: &[u8]) {
    match read_csv(bytes) {
        Ok(data) => {
            assert!(data.len() >= 2);
            assert!(data.xs().iter().chain(data.ys()).all(|v| v.is_finite()));
        }
        Err(Error::Csv { line, column, .. }) => {
            let lines = 1 + bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64;
            assert!((1..=lines).contains(&line), "line {line} of {lines}");
            assert_ne!(column, Some(0));
        }
        Err(other) => panic!("unexpected error kind: {other:?}"),
    }
}
