//! The one error type of the IR: a message and, where the input has one, a byte offset.
//!
//! Tools print it as `error: FILE: message (at byte offset N)`; it never holds a newline, so
//! that every error is one line.

use std::fmt;

/// A failure to read, validate or write a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    message: String,
    offset: Option<usize>,
    internal: bool,
}

/// The IR's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error with a message and no offset.
    pub fn new(message: impl Into<String>) -> Self {
        let message: String = message.into();
        // Keep errors on one line whatever the source of the message.
        let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
        Error { message, offset: None, internal: false }
    }

    /// A bug caught by a check of our own: an invariant that does not hold. Tools report it
    /// as `internal error: ...` and exit with 2, distinct from bad input (1).
    pub fn internal(message: impl Into<String>) -> Self {
        let mut e = Error::new(message);
        e.internal = true;
        e
    }

    /// Whether this is an [`Error::internal`] error.
    pub fn is_internal(&self) -> bool {
        self.internal
    }

    /// The same error with its message replaced, keeping its kind and offset.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        let message: String = message.into();
        self.message = message.split_whitespace().collect::<Vec<_>>().join(" ");
        self
    }

    /// The same error at a byte offset of the input.
    pub fn at(mut self, offset: usize) -> Self {
        self.offset = Some(offset);
        self
    }

    /// A feature the IR does not support.
    pub fn unsupported(what: &str) -> Self {
        Error::new(format!("unsupported: {what}"))
    }

    /// The legacy exception-handling instructions, which the IR refuses.
    pub fn legacy_exceptions() -> Self {
        Error::new(
            "unsupported: legacy exception handling (`try`/`catch`/`delegate`/`rethrow`); \
             use `try_table` (the standardised exception handling)",
        )
    }

    /// An error reported by `wasmparser` (decoding or validation).
    pub fn from_parser(e: &wasmparser::BinaryReaderError, _fallback_offset: usize) -> Self {
        Error::new(e.message()).at(e.offset())
    }

    /// The message without the offset.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The byte offset in the input, where there is one.
    pub fn offset(&self) -> Option<usize> {
        self.offset
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.offset {
            Some(offset) => write!(f, "{} (at byte offset {offset})", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}

impl From<wasmparser::BinaryReaderError> for Error {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        Error::new(e.message()).at(e.offset())
    }
}
