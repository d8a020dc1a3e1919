//! `wasmfx-opt`: see `wasmfx_cli::opt`.

fn main() {
    // A panic is reported as one `internal error` line with its location, not Rust's report.
    wasmfx_cli::io::install_panic_hook();
    std::process::exit(wasmfx_cli::opt::main(std::env::args_os()));
}
