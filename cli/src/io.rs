//! Input and output shared by the tools: reading a module from a file or stdin, writing a
//! file whole or not at all, and the one-line error format `error: FILE: what`.

use std::fmt;
use std::io::{Read, Write};
use std::path::Path;

/// An error a tool reports: the file it concerns and what went wrong, on one line.
#[derive(Debug)]
pub struct ToolError {
    /// The file (`<stdin>`/`<stdout>` for the streams), if the error concerns one.
    pub file: Option<String>,
    /// What went wrong.
    pub message: String,
}

impl ToolError {
    /// An error about `file`.
    pub fn in_file(file: &str, message: impl fmt::Display) -> Self {
        ToolError { file: Some(file.to_string()), message: message.to_string() }
    }

    /// An error about no file in particular (a bad option, say).
    pub fn general(message: impl fmt::Display) -> Self {
        ToolError { file: None, message: message.to_string() }
    }
}

impl fmt::Display for ToolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(f, "error: {file}: {}", self.message),
            None => write!(f, "error: {}", self.message),
        }
    }
}

/// The name errors use for an input path (`-` is standard input).
pub fn display_name(path: &str) -> String {
    if path == "-" { "<stdin>".to_string() } else { path.to_string() }
}

/// Reads a whole input: a file, or standard input for `-`.
pub fn read_input(path: &str) -> Result<Vec<u8>, ToolError> {
    let mut bytes = Vec::new();
    let result = if path == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::read(path).map(|b| bytes = b)
    };
    result
        .map_err(|e| ToolError::in_file(&display_name(path), format!("cannot read: {}", io_message(&e))))?;
    Ok(bytes)
}

/// Writes `bytes` to `path` whole or not at all: into a temporary file beside it, then renamed
/// over it, so a failure leaves no partial file and an existing file untouched. `-` is
/// standard output.
pub fn write_output(path: &str, bytes: &[u8]) -> Result<(), ToolError> {
    if path == "-" {
        let mut out = std::io::stdout().lock();
        return out
            .write_all(bytes)
            .and_then(|_| out.flush())
            .map_err(|e| ToolError::in_file("<stdout>", format!("cannot write: {}", io_message(&e))));
    }
    let fail = |e: std::io::Error| ToolError::in_file(path, format!("cannot write: {}", io_message(&e)));
    let target = Path::new(path);
    if target.is_dir() {
        return Err(ToolError::in_file(path, "cannot write: is a directory"));
    }
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new().prefix(".wasmfx-").tempfile_in(dir).map_err(fail)?;
    temp.write_all(bytes).and_then(|_| temp.flush()).map_err(fail)?;
    temp.persist(target).map_err(|e| fail(e.error))?;
    Ok(())
}

/// An I/O error's message without Rust's "(os error N)" suffix.
pub fn io_message(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}
