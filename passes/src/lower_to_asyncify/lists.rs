//! The lists of functions the user gives for what analysis cannot know, as Binaryen's
//! Asyncify takes them: `--pass-arg lower-to-asyncify-only@F,...` (instrument only these),
//! `lower-to-asyncify-remove@F,...` (these never suspend) and `lower-to-asyncify-add@F,...`
//! (these may suspend, whatever analysis says; imports too).
//!
//! A function is named by its name in the name section (`$name` or `name`), by a name it is
//! exported under, or, for an import, by `MODULE.NAME`; `*` in an entry matches any run of
//! characters (`printf*`, `*_locked`). An entry that names no function is an error, so a
//! misspelt name does not silently instrument too much or too little.
//!
//! What the lists do (see `analysis.rs`): the functions of `add` join the roots of the
//! worklist; the worklist never lets a function of `remove`, or, given `only`, a function
//! outside it, become suspending, so neither is instrumented nor makes its callers suspend.
//! A function that suspends by itself (a `suspend`, a `switch`, a `resume` that may forward)
//! is always instrumented: naming one in `remove` without a wildcard is an error, and `only`
//! keeps it implicitly.
//!
//! The lists are promises analysis cannot check. A broken one is caught at run time rather
//! than left to corrupt the program: after every call that analysis says may suspend but the
//! lists made an ordinary call (in a function left uninstrumented, or to one), the lowered
//! code tests whether the callee came back unwinding and then traps
//! (`wasmfx.trap.unlisted_suspend`). Without lists no such test exists, and the output is as
//! before.

use super::{ADD_ARG, LowerOptions, ONLY_ARG, REMOVE_ARG};
use std::collections::BTreeSet;
use wasmfx_ir::*;

/// The lists, resolved to functions.
#[derive(Default)]
pub(crate) struct FunctionLists {
    /// `only`: when given, no other function may become suspending.
    pub only: Option<BTreeSet<FuncId>>,
    /// `remove`: these never become suspending.
    pub remove: BTreeSet<FuncId>,
    /// `remove` entries without a wildcard: naming a root there is an error.
    pub remove_exact: BTreeSet<FuncId>,
    /// `add`: these suspend whatever analysis says.
    pub add: BTreeSet<FuncId>,
}

impl FunctionLists {
    /// Resolves the lists of `options` against `module`'s names.
    pub(crate) fn of(module: &Module, options: &LowerOptions) -> Result<FunctionLists> {
        let mut lists = FunctionLists::default();
        if let Some(only) = &options.only {
            let mut found = BTreeSet::new();
            for entry in only {
                found.extend(matching(module, ONLY_ARG, entry)?);
            }
            lists.only = Some(found);
        }
        for entry in &options.remove {
            let found = matching(module, REMOVE_ARG, entry)?;
            if !entry.contains('*') {
                lists.remove_exact.extend(&found);
            }
            lists.remove.extend(found);
        }
        for entry in &options.add {
            lists.add.extend(matching(module, ADD_ARG, entry)?);
        }
        Ok(lists)
    }

    /// Whether any list was given (then the lowering checks the lists' promises).
    pub(crate) fn given(&self) -> bool {
        self.only.is_some() || !self.remove.is_empty() || !self.add.is_empty()
    }

    /// Whether the lists let `f`, which does not suspend by itself, become suspending.
    pub(crate) fn allows(&self, f: FuncId) -> bool {
        !self.remove.contains(&f) && self.only.as_ref().is_none_or(|only| only.contains(&f))
    }

    /// Refuses a `remove` entry without a wildcard that names a function in `roots`, those
    /// that suspend by themselves.
    pub(crate) fn check_roots(&self, module: &Module, roots: &BTreeSet<FuncId>) -> Result<()> {
        match self.remove_exact.intersection(roots).next() {
            None => Ok(()),
            Some(&f) => Err(Error::new(format!(
                "--pass-arg {REMOVE_ARG}: {} suspends by itself (a suspend, switch or resume that may \
                 forward), so it is always instrumented",
                display_name(module, f)
            ))),
        }
    }
}

/// The functions `entry` names (see the module documentation), or an error if none.
fn matching(module: &Module, key: &str, entry: &str) -> Result<BTreeSet<FuncId>> {
    let pattern = entry.strip_prefix('$').unwrap_or(entry);
    let mut found = BTreeSet::new();
    for (id, f) in module.funcs.iter() {
        if f.name.as_deref().is_some_and(|n| glob(pattern, n)) {
            found.insert(id);
        }
    }
    for e in &module.exports {
        if let ExternItem::Func(f) = e.item
            && glob(pattern, &e.name)
        {
            found.insert(f);
        }
    }
    for i in module.imports.values() {
        if let ExternItem::Func(f) = i.item
            && glob(pattern, &format!("{}.{}", i.module, i.name))
        {
            found.insert(f);
        }
    }
    if found.is_empty() {
        return Err(Error::new(format!(
            "--pass-arg {key}: `{entry}` names no function (by its name, an export or an import's MODULE.NAME)"
        )));
    }
    Ok(found)
}

/// Whether `text` matches `pattern`, in which `*` matches any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else { return false };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else { return rest.is_empty() };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// `$name` from the name section, or the index.
fn display_name(module: &Module, f: FuncId) -> String {
    module.funcs[f].name.as_ref().map_or_else(|| format!("function {}", f.as_u32()), |n| format!("${n}"))
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn wildcards_match_any_run() {
        assert!(glob("printf", "printf"));
        assert!(!glob("printf", "printf_core"));
        assert!(glob("printf*", "printf_core"));
        assert!(glob("*printf*", "vfprintf_locked"));
        assert!(glob("*_locked", "vfprintf_locked"));
        assert!(!glob("*_locked", "vfprintf"));
        assert!(glob("a*b*c", "a-b-b-c"));
        assert!(!glob("a*b*c", "a-c-b"));
        assert!(glob("*", ""));
        assert!(!glob("ab*ba", "aba"));
    }
}
