//! CSV reading and writing of data sets: two numeric columns x,y, or a table of k ≥ 2 columns
//! (features, then y) for several features.
//!
//! The rules of [`read_csv`], shared by the command line and the page's import:
//! - cells are separated by commas; double quotes work as in RFC 4180; a UTF-8 byte-order mark
//!   at the start is ignored; lines may end in `\n`, `\r\n` or `\r`;
//! - whitespace around a cell is trimmed;
//! - a row whose cells are all empty (a blank line, or `,` as spreadsheets export empty rows) is
//!   skipped;
//! - the first non-blank row is a header when **none** of its cells parses as a number (`x,y`,
//!   `"height","weight"`); a first row with at least one number is data, so `1,abc` is an error,
//!   not a header;
//! - every other row has exactly 2 cells, each a finite number as Rust's `f64` parser reads
//!   it (`3`, `-0.5`, `1e-3`, `+2.`); `nan`, `inf` and numbers beyond ±1.8e308 are refused;
//! - there must be at least 2 data rows, and at most [`MAX_ROWS`] (1,000,000), in at most
//!   [`MAX_BYTES`] (96 MiB).
//!
//! Every refusal is an [`Error::Csv`] with the 1-based line as an editor shows it (blank lines
//! counted) and, when one cell is at fault, its 1-based column. No input makes the reader panic.

use crate::least_squares::data::{Dataset, MIN_POINTS};
use crate::error::{CsvProblem, Error, Result};
use std::io::Read as _;
use std::fmt::Write as _;

/// Most data rows a file may have (the most points a data set has).
pub const MAX_ROWS: usize = crate::least_squares::data::MAX_POINTS;
/// Most bytes a file may have: 1e6 rows of a few columns of full-precision numbers.
pub const MAX_BYTES: usize = 96 << 20;

/// Longest part of an offending cell quoted back in an error message, in characters.
const MAX_QUOTED_CHARS: usize = 40;

/// Reads a data set from CSV text of two columns x,y (see the module documentation for the
/// rules). Errors name the line and, where one cell is at fault, the column, both 1-based.
pub fn read_csv(input: impl std::io::Read) -> Result<Dataset> {
    parse(&read_all(input)?)
}

/// Every byte of `input`; a failure to read is an error of line 1.
fn read_all(input: impl std::io::Read) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    // One byte past the limit is enough to know it is passed.
    input.take(MAX_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(|e| Error::Csv {
        line: 1,
        column: None,
        problem: CsvProblem::Io { text: e.to_string() },
    })?;
    check_size(bytes.len())?;
    Ok(bytes)
}

/// Writes a data set as CSV: an `x,y` header, then one row per point. Each value is written with
/// Rust's shortest round-trip formatting, so [`read_csv`] gives back the same bits.
pub fn write_csv(data: &Dataset) -> String {
    write_table(&["x", "y"], &[data.xs(), data.ys()])
}

/// Writes columns as CSV under `header`, one row per point, each value in Rust's shortest
/// round-trip form.
pub fn write_table(header: &[&str], columns: &[&[f64]]) -> String {
    let rows = columns.first().map_or(0, |c| c.len());
    let mut text = String::with_capacity(header.len() * 4 + 12 * columns.len() * rows);
    text.push_str(&header.join(","));
    text.push('\n');
    for i in 0..rows {
        for (j, column) in columns.iter().enumerate() {
            if j > 0 {
                text.push(',');
            }
            // Writing to a String cannot fail.
            let _ = write!(text, "{}", column[i]);
        }
        text.push('\n');
    }
    text
}

/// A file of `len` bytes is refused beyond [`MAX_BYTES`].
pub fn check_size(len: usize) -> Result<()> {
    if len > MAX_BYTES {
        return Err(Error::Csv { line: 1, column: None, problem: CsvProblem::TooLarge { max: MAX_BYTES } });
    }
    Ok(())
}

fn parse(bytes: &[u8]) -> Result<Dataset> {
    let mut table = parse_table(bytes, Some(2))?;
    let ys = table.columns.pop().unwrap_or_default();
    let xs = table.columns.pop().unwrap_or_default();
    Dataset::new(xs, ys)
}

/// A table of numbers read from CSV: its header when it has one, and its columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The header's cells, when the first row is a header.
    pub header: Option<Vec<String>>,
    /// The columns, each as long as there are data rows.
    pub columns: Vec<Vec<f64>>,
}

impl Table {
    /// The columns' names: the header's, else `x`, `y` for two columns and `x1` … `x(k−1)`, `y`
    /// for more.
    pub fn names(&self) -> Vec<String> {
        let k = self.columns.len();
        match &self.header {
            Some(header) => header.clone(),
            None if k == 2 => vec!["x".to_string(), "y".to_string()],
            None => (1..k).map(|j| format!("x{j}")).chain(["y".to_string()]).collect(),
        }
    }
}

/// Reads a table of k ≥ 2 numeric columns by the rules of [`read_csv`], the first row (header
/// or data) setting k: every other row must have k cells.
pub fn read_table(input: impl std::io::Read) -> Result<Table> {
    let table = parse_table(&read_all(input)?, None)?;
    // |v| ≤ 1e150 keeps every square and product in the statistics finite, as for two columns.
    let range = crate::error::Range::MagnitudeAtMost { max: crate::least_squares::data::MAX_MAGNITUDE };
    let last = table.columns.len() - 1;
    for (j, column) in table.columns.iter().enumerate() {
        let name = if j == last { "y-of-point" } else { "x-of-point" };
        if let Some((i, v)) = column.iter().enumerate().find(|(_, v)| !range.contains(**v)) {
            return Err(Error::invalid(name, format!("{v} (point {})", i + 1), range));
        }
    }
    Ok(table)
}

/// The rows of `bytes` as columns: `expected` cells a row when given, else as many as the first
/// row has (at least 2).
fn parse_table(bytes: &[u8], expected: Option<usize>) -> Result<Table> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut lines = LineCounter::new(bytes);
    let mut record = csv::ByteRecord::new();
    let mut columns: Vec<Vec<f64>> = Vec::new();
    let mut header = None;
    let mut width = expected;
    let mut first_row_seen = false;
    let mut last_row_line = 1;
    loop {
        // Reading from a byte slice with `flexible(true)` cannot fail; map it anyway.
        let more = reader.read_byte_record(&mut record).map_err(|e| Error::Csv {
            line: lines.line,
            column: None,
            problem: CsvProblem::Io { text: e.to_string() },
        })?;
        if !more {
            break;
        }
        let line = lines.line_of_record(record.position().map_or(0, |p| p.byte()));
        let cells = decode_cells(&record, line)?;
        if cells.iter().all(|cell| cell.is_empty()) {
            continue;
        }
        last_row_line = line;
        let k = *width.get_or_insert(cells.len().max(2));
        if cells.len() != k {
            return Err(Error::Csv { line, column: None, problem: CsvProblem::Columns { expected: k, found: cells.len() } });
        }
        if !first_row_seen {
            first_row_seen = true;
            columns = vec![Vec::new(); k];
            if cells.iter().all(|cell| cell.parse::<f64>().is_err()) {
                header = Some(cells.iter().map(|c| c.to_string()).collect());
                continue;
            }
        }
        if columns.first().map_or(0, Vec::len) >= MAX_ROWS {
            return Err(Error::Csv { line, column: None, problem: CsvProblem::TooManyRows { max: MAX_ROWS } });
        }
        for (j, cell) in cells.iter().enumerate() {
            columns[j].push(parse_number(cell, line, j as u64 + 1)?);
        }
    }
    if !first_row_seen {
        return Err(Error::Csv { line: 1, column: None, problem: CsvProblem::EmptyFile });
    }
    let rows = columns.first().map_or(0, Vec::len);
    if rows < MIN_POINTS {
        return Err(Error::Csv {
            line: last_row_line,
            column: None,
            problem: CsvProblem::TooFewRows { found: rows, min: MIN_POINTS },
        });
    }
    Ok(Table { header, columns })
}

/// The cells of a record as trimmed text; a cell that is not UTF-8 is an error naming it.
fn decode_cells(record: &csv::ByteRecord, line: u64) -> Result<Vec<&str>> {
    record
        .iter()
        .enumerate()
        .map(|(index, bytes)| {
            std::str::from_utf8(bytes).map(str::trim).map_err(|_| Error::Csv {
                line,
                column: Some(index as u64 + 1),
                problem: CsvProblem::NotUtf8,
            })
        })
        .collect()
}

/// A trimmed cell as a finite number.
fn parse_number(cell: &str, line: u64, column: u64) -> Result<f64> {
    let error = |problem: CsvProblem| Error::Csv { line, column: Some(column), problem };
    if cell.is_empty() {
        return Err(error(CsvProblem::EmptyCell));
    }
    match cell.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        Ok(_) => {
            let (text, truncated) = shortened(cell);
            Err(error(CsvProblem::NotFinite { text, truncated }))
        }
        Err(_) => {
            let (text, truncated) = shortened(cell);
            Err(error(CsvProblem::NotANumber { text, truncated }))
        }
    }
}

/// The cell cut to [`MAX_QUOTED_CHARS`] characters, and whether it was cut.
fn shortened(cell: &str) -> (String, bool) {
    match cell.char_indices().nth(MAX_QUOTED_CHARS) {
        Some((cut, _)) => (cell[..cut].to_string(), true),
        None => (cell.to_string(), false),
    }
}

/// Turns the byte offsets that the `csv` crate gives for records into line numbers as an
/// editor shows them. The crate's own line count is not usable for this: a record's position
/// is where the blank lines before it start, and a lone `\r` ends a record without counting a
/// line. Here a line ends at `\n`, `\r\n` or a lone `\r`.
struct LineCounter<'a> {
    bytes: &'a [u8],
    /// Offset of the start of the last record located (records come in order).
    offset: usize,
    /// Line number at `offset`, 1-based.
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCounter { bytes, offset: 0, line: 1 }
    }

    /// The line where the record that the `csv` crate placed at `position` starts: the first
    /// byte after `position` that is not a line ending (or a byte-order mark at the very start).
    fn line_of_record(&mut self, position: u64) -> u64 {
        let bytes = self.bytes;
        let mut start = usize::try_from(position).unwrap_or(usize::MAX).clamp(self.offset, bytes.len());
        if start == 0 && bytes.starts_with(b"\xEF\xBB\xBF") {
            start = 3;
        }
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        // `offset` and `start` are record starts (never inside a "\r\n"), so counting the
        // line endings between them needs no look-behind.
        let between = &bytes[self.offset..start];
        let mut endings = 0;
        for (i, &byte) in between.iter().enumerate() {
            let lone_cr = byte == b'\r' && between.get(i + 1) != Some(&b'\n');
            if byte == b'\n' || lone_cr {
                endings += 1;
            }
        }
        self.offset = start;
        self.line += endings;
        self.line
    }
}
