//! wasmfx: a WebAssembly toolkit for the stack-switching (WasmFX) proposal.
//!
//! This facade re-exports the workspace's crates under one name:
//! [`ir`] (the module IR), [`passes`] (passes and their registry) and [`cli`] (the tools'
//! drivers, usable in-process).

pub use wasmfx_cli as cli;
pub use wasmfx_ir as ir;
pub use wasmfx_passes as passes;
