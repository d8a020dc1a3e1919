//! `wasmfx-opt`: see `wasmfx_cli::opt`.

fn main() {
    std::process::exit(wasmfx_cli::opt::main(std::env::args_os()));
}
