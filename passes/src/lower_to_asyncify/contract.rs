//! The contract between the runtime (`runtime.wat`), the code the rewrites emit, and the
//! hosts that run lowered modules: every number and name more than one of them must agree on
//! is defined here, once.
//!
//! - The runtime's text names the shared numbers as `@NAME` placeholders, which
//!   [`instantiate`] replaces with the values below before the text is parsed (an unknown or
//!   leftover placeholder is an internal error), so the WAT and the Rust cannot drift.
//! - The runtime's functions and globals are bound by name with their types checked when the
//!   runtime is merged (`runtime.rs`), so a renamed or retyped runtime function is an internal
//!   error at the first lowering, not a wrong call.
//! - Traps: the runtime traps through one function per kind, named [`TRAP_PREFIX`] + name, so
//!   that a backtrace says which; [`TRAPS`] gives each the message Wasmtime gives natively
//!   for the same failure. `wasmfx-run` and the Node.js harness map traps with it.

use wasmfx_ir::{Error, Result};

/// `state` global: running normally.
pub(crate) const STATE_NORMAL: i32 = 0;
/// `state` global: unwinding to the `resume` that handles a suspension.
pub(crate) const STATE_UNWINDING: i32 = 1;
/// `state` global: rewinding into a suspended continuation.
pub(crate) const STATE_REWINDING: i32 = 2;

/// A continuation record's state: free (its slot can be reused).
pub(crate) const FIBER_FREE: i32 = 0;
/// Created by `cont.new`, not started.
pub(crate) const FIBER_FRESH: i32 = 1;
/// Suspended (its frames are in its save buffer).
pub(crate) const FIBER_SUSPENDED: i32 = 2;
/// Running (current, or resuming another continuation).
pub(crate) const FIBER_RUNNING: i32 = 3;

/// `kind` global: what is unwinding, a `suspend`...
pub(crate) const KIND_SUSPEND: i32 = 0;
/// ...or a `switch`.
pub(crate) const KIND_SWITCH: i32 = 1;

/// `throw_kind` global: no exception pending for the continuation being rewound...
pub(crate) const THROW_NONE: i32 = 0;
/// ...a tag's (`resume_throw`), with its payload in the transfer area...
pub(crate) const THROW_TAG: i32 = 1;
/// ...or an exnref's (`resume_throw_ref`), held in an exnref slot.
pub(crate) const THROW_REF: i32 = 2;

/// Where the descriptors of tables of continuations start in the runtime's region (after the
/// allocator's free-list heads), and the size of each; the transfer area follows them.
pub(crate) const TABLE_DESCRIPTORS_START: i32 = 128;
pub(crate) const TABLE_DESCRIPTOR_SIZE: i32 = 16;

/// A frame ends with a header: the owning function's index, then the suspension point's. The
/// full header is in the frames of functions a tail call may leave another function's frame
/// on top of, and of those it may find; other frames keep only the point's index (at offset
/// 0 of a 4-byte header), or nothing when the function has one point (see `frames.rs`).
pub(crate) const FRAME_HEADER_SIZE: i32 = 8;
pub(crate) const FRAME_OWNER_OFFSET: u64 = 0;
pub(crate) const FRAME_POINT_OFFSET: u64 = 4;

/// A continuation record: its size, and where its state and its trampoline's index are.
pub(crate) const RECORD_SIZE: i32 = 64;
pub(crate) const RECORD_STATE: u64 = 4;
pub(crate) const RECORD_TRAMP: u64 = 8;
/// Where the buffer of arguments bound by `cont.bind` starts: (offset, capacity, length).
pub(crate) const RECORD_BOUND: i32 = 28;
/// The length in bytes of the bound arguments, which are in the record itself, from
/// `RECORD_BOUND_INLINE`, while it is at most `BOUND_INLINE_SIZE` (and in the buffer above
/// once it is more).
pub(crate) const RECORD_BOUND_LEN: u64 = 36;
pub(crate) const RECORD_BOUND_INLINE: i32 = 40;
pub(crate) const BOUND_INLINE_SIZE: i32 = 24;

/// Separate lowering (`shared.rs`): the size of the shared runtime's transfer area, fixed
/// since the runtime is written before the modules that use it are lowered (a module whose
/// payloads or arguments need more is refused).
pub(crate) const SHARED_TRANSFER_SIZE: i32 = 4096;
/// The name the shared runtime exports its memory under (its functions, globals and tables
/// are exported under their names in `runtime.wat`).
pub(crate) const SHARED_MEMORY: &str = "memory";
/// Suffix of the export that gives peers a function itself, without the host entry's wrapper.
pub const PEER_SUFFIX: &str = "$peer";
/// Suffix of the `i32` global that carries a tag's identity across modules.
pub const TAG_SUFFIX: &str = "$tag";
/// Suffix of the `i32` global that carries a table of continuations (its descriptor's offset
/// in the shared runtime's region) across modules.
pub const TABLE_SUFFIX: &str = "$table";

/// The numbers `runtime.wat` writes as `@NAME`.
const PLACEHOLDERS: &[(&str, i32)] = &[
    ("STATE_NORMAL", STATE_NORMAL),
    ("STATE_UNWINDING", STATE_UNWINDING),
    ("STATE_REWINDING", STATE_REWINDING),
    ("FIBER_FREE", FIBER_FREE),
    ("FIBER_FRESH", FIBER_FRESH),
    ("FIBER_SUSPENDED", FIBER_SUSPENDED),
    ("FIBER_RUNNING", FIBER_RUNNING),
    ("KIND_SUSPEND", KIND_SUSPEND),
    ("KIND_SWITCH", KIND_SWITCH),
    ("THROW_NONE", THROW_NONE),
    ("TABLE_DESCRIPTORS_START", TABLE_DESCRIPTORS_START),
    ("TABLE_DESCRIPTOR_SIZE", TABLE_DESCRIPTOR_SIZE),
    ("RECORD_SIZE", RECORD_SIZE),
    ("RECORD_STATE", RECORD_STATE as i32),
    ("RECORD_TRAMP", RECORD_TRAMP as i32),
    ("RECORD_BOUND", RECORD_BOUND),
    ("RECORD_BOUND_LEN", RECORD_BOUND_LEN as i32),
    ("RECORD_BOUND_INLINE", RECORD_BOUND_INLINE),
    ("BOUND_INLINE_SIZE", BOUND_INLINE_SIZE),
];

/// Replaces every `@NAME` placeholder (`NAME` in capitals and underscores) in `text` with its
/// number.
pub(crate) fn instantiate(text: &str) -> Result<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after.find(|c: char| !(c.is_ascii_uppercase() || c == '_')).unwrap_or(after.len());
        let name = &after[..len];
        rest = &after[len..];
        if name.is_empty() {
            // An `@` not followed by a name (in a comment) is text.
            out.push('@');
            continue;
        }
        let value = PLACEHOLDERS
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| Error::internal(format!("runtime.wat: unknown placeholder `@{name}`")))?;
        out.push_str(&value.1.to_string());
    }
    out.push_str(rest);
    Ok(out)
}

/// The prefix of the runtime's trap functions' names.
pub const TRAP_PREFIX: &str = "wasmfx.trap.";

/// A way the runtime traps.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Trap {
    /// The trap function's name after [`TRAP_PREFIX`].
    pub name: &'static str,
    /// What Wasmtime says natively for the same failure (or, for a limit of the lowering
    /// only, what happened).
    pub message: &'static str,
}

/// Every trap of the runtime.
pub const TRAPS: &[Trap] = &[
    Trap { name: "null_reference", message: "null reference" },
    Trap { name: "continuation_consumed", message: "continuation already consumed" },
    Trap { name: "unhandled_tag", message: "unhandled tag" },
    Trap { name: "table_out_of_bounds", message: "undefined element: out of bounds table access" },
    Trap { name: "out_of_memory", message: "the lowered program's continuation runtime ran out of memory" },
    Trap {
        name: "unlisted_suspend",
        message: "a function that lower-to-asyncify-only or lower-to-asyncify-remove left uninstrumented suspended",
    },
];

/// The trap a function of the lowered module stands for, by the function's name.
pub fn trap_of_function(name: &str) -> Option<&'static Trap> {
    let name = name.strip_prefix(TRAP_PREFIX)?;
    TRAPS.iter().find(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_replaced_and_unknown_ones_refused() {
        assert_eq!(instantiate("(i32.const @FIBER_FRESH) @KIND_SWITCH)").unwrap(), "(i32.const 1) 1)");
        assert!(instantiate("@NOT_A_CONSTANT").unwrap_err().is_internal());
    }

    #[test]
    fn traps_are_found_by_function_name() {
        assert_eq!(trap_of_function("wasmfx.trap.unhandled_tag").unwrap().message, "unhandled tag");
        assert!(trap_of_function("wasmfx.trap.nonsense").is_none());
        assert!(trap_of_function("unhandled_tag").is_none());
    }
}
