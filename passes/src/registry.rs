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

/// Every pass, in the order `--help` lists them.
pub static REGISTRY: &[PassInfo] = &[
    PassInfo {
        name: "dce",
        description: "remove unreachable code",
        create: || Box::new(crate::dce::Dce),
    },
    PassInfo {
        name: "remove-unused-module-elements",
        description: "remove functions, globals, tables, tags, types and segments nothing reachable uses",
        create: || Box::new(crate::remove_unused_module_elements::RemoveUnusedModuleElements),
    },
];

/// The pass named `name`.
pub fn lookup(name: &str) -> Option<&'static PassInfo> {
    REGISTRY.iter().find(|p| p.name == name)
}
