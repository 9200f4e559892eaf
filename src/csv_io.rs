//! CSV reading and writing of data sets: two numeric columns x,y.

use crate::data::Dataset;
use crate::error::Result;

/// Reads a data set from CSV (stub).
pub fn read_csv(_input: impl std::io::Read) -> Result<Dataset> {
    Err(crate::error::Error::Csv { line: 1, column: None, message: "not implemented".into() })
}

/// Writes a data set as CSV with an `x,y` header (stub).
pub fn write_csv(data: &Dataset) -> String {
    let mut s = String::from("x,y\n");
    for (x, y) in data.xs().iter().zip(data.ys()) {
        s.push_str(&format!("{x},{y}\n"));
    }
    s
}
