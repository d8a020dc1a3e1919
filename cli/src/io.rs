//! Input and output shared by the tools: reading a module from a file or stdin, writing a
//! file whole or not at all, the one-line error format `error: FILE: what`, and the panic
//! hook that keeps a bug's report on that one line.

use std::fmt;
use std::fs::Permissions;
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Exit code for bad input, a bad option or an I/O failure.
pub const EXIT_ERROR: i32 = 1;
/// Exit code for an internal error: a bug in the tools, not in their input.
pub const EXIT_INTERNAL: i32 = 2;

/// An error a tool reports: the file it concerns and what went wrong, on one line.
#[derive(Debug)]
pub struct ToolError {
    /// The file (`<stdin>`/`<stdout>` for the streams), if the error concerns one.
    pub file: Option<String>,
    /// What went wrong.
    pub message: String,
    /// Whether it is a bug of ours ([`wasmfx_ir::Error::is_internal`]) rather than the input's.
    pub internal: bool,
}

impl ToolError {
    /// An error about `file`.
    pub fn in_file(file: &str, message: impl fmt::Display) -> Self {
        ToolError { file: Some(file.to_string()), message: message.to_string(), internal: false }
    }

    /// An IR error about `file`, internal if `error` is.
    pub fn ir(file: &str, error: &wasmfx_ir::Error) -> Self {
        ToolError { internal: error.is_internal(), ..ToolError::in_file(file, error) }
    }

    /// An error about no file in particular (a bad option, say).
    pub fn general(message: impl fmt::Display) -> Self {
        ToolError { file: None, message: message.to_string(), internal: false }
    }

    /// The process exit code: [`EXIT_INTERNAL`] for internal errors, [`EXIT_ERROR`] otherwise.
    pub fn exit_code(&self) -> i32 {
        if self.internal { EXIT_INTERNAL } else { EXIT_ERROR }
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

/// Installs the tools' panic hook, which records where a panic happened (for the one-line
/// `internal error ... (at FILE:LINE)` that reports it once caught) and prints nothing, so
/// that Rust's multi-line report does not precede it. With `RUST_BACKTRACE` set, Rust's
/// report is printed too, backtrace and all, for whoever is debugging.
pub fn install_panic_hook() {
    let verbose = std::env::var_os("RUST_BACKTRACE").is_some_and(|v| !v.is_empty() && v != "0");
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        wasmfx_passes::runner::record_panic_location(info);
        if verbose {
            default(info);
        }
    }));
}

/// Writes `bytes` to `path` whole or not at all: into a temporary file beside it, then renamed
/// over it, so a failure leaves no partial file and an existing file untouched. `-` is
/// standard output.
///
/// The file gets the mode a plain `open(O_CREAT, 0666)` would give it, 0666 less the umask,
/// and an existing file keeps its own: the temporary file's (0600, for secrets) would make
/// the output unreadable to others where the user expects the usual 0644.
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
    let existing =
        std::fs::metadata(target).ok().filter(|m| m.is_file()).map(|m| m.permissions().mode() & 0o777);
    // Creating with the existing mode, which the umask can only narrow, means the file is never
    // more open than the old one, not even before `set_permissions` restores that mode exactly.
    let mut temp = tempfile::Builder::new()
        .prefix(".wasmfx-")
        .permissions(Permissions::from_mode(existing.unwrap_or(0o666)))
        .tempfile_in(dir)
        .map_err(fail)?;
    if let Some(mode) = existing {
        temp.as_file().set_permissions(Permissions::from_mode(mode)).map_err(fail)?;
    }
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
