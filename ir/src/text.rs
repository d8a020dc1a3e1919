//! The text format: parsing with `wast` (errors carry a line and column) and printing with
//! `wasmprinter` (names from the name section are used for identifiers).

use crate::error::{Error, Result};

/// Parses a module in the text format into a binary.
pub fn parse_text(text: &str) -> Result<Vec<u8>> {
    let located = |e: wast::Error| {
        let (line, col) = e.span().linecol_in(text);
        Error::new(format!("{} (at line {}, column {})", e.message(), line + 1, col + 1))
    };
    let buffer = wast::parser::ParseBuffer::new(text).map_err(located)?;
    let mut wat: wast::Wat = wast::parser::parse(&buffer).map_err(located)?;
    wat.encode().map_err(located)
}

/// Whether `bytes` look like a binary module (rather than text).
pub fn is_binary(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\0asm")
}

/// Prints a binary module in the text format.
pub fn print_text(bytes: &[u8]) -> Result<String> {
    wasmprinter::print_bytes(bytes).map_err(|e| Error::new(format!("cannot print the module: {e:#}")))
}
