//! The wasmfx command-line tools as a library: each tool's driver is a function, so tests and
//! the benchmark harness run them in-process, and the binaries are thin `main`s over them.

pub mod bench;
pub mod io;
pub mod opt;
pub mod run;
