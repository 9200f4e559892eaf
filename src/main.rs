//! The `gdviz` command line; see [`gdviz::cli`] for the commands and their output.

use clap::Parser;
use gdviz::cli::{self, Cli, USAGE_EXIT_CODE};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    match cli::run(&cli.command) {
        Ok(output) => print_output(&output),
        Err(error) => {
            report(&error);
            ExitCode::from(USAGE_EXIT_CODE)
        }
    }
}

/// A clap error: a bad value as one line, anything else (help, version, unknown or missing
/// arguments) as clap prints it; clap's exit status (2 for usage errors, 0 for help).
fn usage_error(error: &clap::Error) -> ExitCode {
    match cli::one_line_usage_error(error) {
        Some(line) => {
            report(&line);
            ExitCode::from(USAGE_EXIT_CODE)
        }
        None => {
            let _ = error.print();
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(USAGE_EXIT_CODE))
        }
    }
}

/// One line on stderr, prefixed with the program's name.
fn report(message: &dyn std::fmt::Display) {
    let _ = writeln!(std::io::stderr(), "gdviz: {message}");
}

/// Writes the result to stdout; a reader that went away early (`| head`) is not an error.
fn print_output(output: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(output.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            report(&format!("cannot write the output: {e}"));
            ExitCode::FAILURE
        }
    }
}
