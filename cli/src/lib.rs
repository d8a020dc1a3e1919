//! The wasmfx command-line tools as a library: the binaries are thin `main`s over these modules,
//! which tests and the benchmark harness call in-process.

pub mod run;
