//! The wasmfx module IR: reads WebAssembly modules with every proposal `wasmparser` knows,
//! stack switching included, into a structured, editable form, and writes them back.
//!
//! - [`Module`] holds every section's entities in typed vectors ([`ids`]); function bodies are
//!   trees of instruction sequences ([`module::FuncBody`]) where branches name their target
//!   sequence, not a depth.
//! - [`Module::from_bytes`] validates and reads; [`Module::to_bytes`] writes; [`text`] parses
//!   and prints the text format; [`validate`] is the verifier.
//!
//! The crate does no I/O: callers hand it bytes and get bytes back.

pub mod analysis;
pub mod error;
pub mod func_refs;
pub mod ids;
pub mod instr;
mod link;
pub mod module;
pub mod places;
mod read;
mod remap;
pub mod text;
pub mod types;
pub mod validate;
pub mod verify;
pub mod visit;
mod write;

pub use error::{Error, Result};
pub use ids::*;
pub use instr::{
    Body, BrTargets, Callee, CatchClause, Handler, IfBody, Instr, MemArg, Proposal, ResumeWith, Transfer,
    TryTableBody,
};
pub use link::LinkedExports;
pub use module::*;
pub use places::{InstrMap, InstrRef, Places, SeqMap};
pub use remap::*;
pub use types::*;
pub use visit::{IdReader, IdVisitor, ReadIds, VisitIds};
pub use wasmparser::WasmFeatures;

impl Module {
    /// Validates `bytes` with `features` and reads them.
    pub fn from_bytes(bytes: &[u8], features: WasmFeatures) -> Result<Module> {
        read::read(bytes, features)
    }

    /// Reads a module from the text format or a binary, whichever `input` is.
    pub fn from_input(input: &[u8], features: WasmFeatures) -> Result<Module> {
        if text::is_binary(input) {
            Module::from_bytes(input, features)
        } else {
            let text = std::str::from_utf8(input).map_err(|e| {
                Error::new("input is neither a binary module (no `\\0asm` magic) nor UTF-8 text")
                    .at(e.valid_up_to())
            })?;
            Module::from_bytes(&text::parse_text(text)?, features)
        }
    }

    /// Writes the module as a binary (without validating it; see [`Module::to_valid_bytes`]).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        write::write(self)
    }

    /// Writes the module and validates the result with `features`.
    pub fn to_valid_bytes(&self, features: WasmFeatures) -> Result<Vec<u8>> {
        let bytes = self.to_bytes()?;
        validate::validate(&bytes, features)
            .map_err(|e| Error::new(format!("the written module is invalid: {e}")))?;
        Ok(bytes)
    }

    /// Prints the module in the text format.
    pub fn to_text(&self) -> Result<String> {
        text::print_text(&self.to_bytes()?)
    }
}
