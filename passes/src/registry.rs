//! The registry: every pass by name, with a one-line description. Adding a pass is one line.

use crate::Pass;

/// A registered pass.
pub struct PassInfo {
    /// The name, used as `--NAME` on command lines.
    pub name: &'static str,
    /// What the pass does, in one line, for `--help`.
    pub description: &'static str,
    /// Creates the pass.
    pub create: fn() -> Box<dyn Pass>,
}

macro_rules! registry {
    ($($name:literal => $pass:expr, $description:literal;)*) => {
        /// Every pass, in the order `--help` lists them.
        pub static REGISTRY: &[PassInfo] = &[
            $(PassInfo { name: $name, description: $description, create: || Box::new($pass) },)*
        ];
    };
}

// One line per pass: its flag name, the pass, and the description `--help` shows.
registry! {
    "coalesce-locals" => crate::coalesce_locals::CoalesceLocals, "merge locals of the same type whose live ranges do not overlap";
    "dce" => crate::dce::Dce, "remove unreachable code";
    "merge-blocks" => crate::merge_blocks::MergeBlocks, "remove blocks and loops no branch targets, moving their code into the enclosing sequence";
    "merge-identical-types" => crate::merge_identical_types::MergeIdenticalTypes, "merge types that are the same type (equal structure, each alone in its rec group) into the first";
    "precompute" => crate::precompute::Precompute, "fold constant expressions and the branches and ifs their constants decide";
    "propagate-globals" => crate::propagate_globals::PropagateGlobals, "replace reads of globals whose value is known (stored as a constant, tested, immutable, or only ever given its initial value) by the constant; drop stores no one sees";
    "remove-unused-brs" => crate::remove_unused_brs::RemoveUnusedBrs, "remove branches to where control goes anyway; turn ifs that only branch into br_if";
    "inlining" => crate::inlining::Inlining { speed: true }, "inline functions called once, tiny ones, and small ones without loops (at most 12 instructions) at every call";
    "inlining-shrink" => crate::inlining::Inlining { speed: false }, "inline only what shrinks the module: functions called once, and tiny ones";
    "lower-to-asyncify" => crate::lower_to_asyncify::LowerToAsyncify, "lower stack switching (cont.new, cont.bind, resume, suspend) to an Asyncify-style state machine that runs without it";
    "simplify-locals" => crate::simplify_locals::SimplifyLocals, "turn set-get pairs into tees, remove stores to dead locals and unused locals";
    "vacuum" => crate::vacuum::Vacuum, "remove nops, dropped pure values, empty blocks and empty if arms";
    "remove-unused-module-elements" => crate::remove_unused_module_elements::RemoveUnusedModuleElements, "remove functions, globals, tables, tags, types and segments nothing reachable uses";
}

/// The pass named `name`.
pub fn lookup(name: &str) -> Option<&'static PassInfo> {
    REGISTRY.iter().find(|p| p.name == name)
}
