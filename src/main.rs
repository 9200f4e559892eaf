//! The `gdviz` command line; see [`gdviz::cli`] for the commands and their output.
//! Native only: on wasm32 (where `cargo test --target wasm32-unknown-unknown` still builds every
//! binary) it is an empty program.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    gdviz::cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
