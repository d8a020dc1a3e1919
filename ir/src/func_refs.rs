//! Which functions are used as values: named outside code (the functions a module declares,
//! which a `ref.func` may take), referenced by `ref.func` in code, and the union of those
//! with the imports (the possible targets of an indirect call).
//!
//! Validation requires a function whose reference code takes to be declared: named by an
//! export, an element segment (declarative ones included) or a global or table initialiser.
//! A pass that moves those names (the lowering points exports at wrappers) asks what is
//! declared and what code takes, and declares the difference.

use crate::ids::FuncId;
use crate::instr::Instr;
use crate::module::{Def, ExternItem, Module};
use crate::visit::IdReader;
use std::collections::{BTreeMap, BTreeSet};

/// The functions the module declares: named outside function bodies, other than by their
/// own definition, an import or the start function (the specification's `C.refs`).
pub fn declared_functions(module: &Module) -> BTreeSet<FuncId> {
    /// How often each function is named.
    struct Count(BTreeMap<FuncId, usize>);
    impl IdReader for Count {
        fn func(&mut self, id: &FuncId) {
            *self.0.entry(*id).or_default() += 1;
        }
    }
    // Every function id outside bodies counts, less the one mention the start function and
    // each import make.
    let mut count = Count(BTreeMap::new());
    module.read_module_ids(&mut count);
    for f in module.start.into_iter().chain(imported_functions(module)) {
        if let Some(n) = count.0.get_mut(&f) {
            *n -= 1;
        }
    }
    count.0.into_iter().filter(|&(_, n)| n > 0).map(|(f, _)| f).collect()
}

/// The functions code takes a `ref.func` of, in the live sequences of every body.
pub fn referenced_in_code(module: &Module) -> BTreeSet<FuncId> {
    let mut taken = BTreeSet::new();
    for f in module.funcs.values() {
        if let Def::Local(body) = &f.def {
            for seq in body.live_seqs() {
                for instr in &body.seqs[seq].instrs {
                    if let Instr::RefFunc { function_index } = instr {
                        taken.insert(*function_index);
                    }
                }
            }
        }
    }
    taken
}

/// Functions whose address may be taken: declared, referenced in code, or imported (the host
/// may hold their references): the only possible targets of `call_indirect` and `call_ref`.
/// `in_code` are the functions code references, [`referenced_in_code`] or what a caller's own
/// scan of the bodies found (which may count dead code too, a superset).
pub fn address_taken(module: &Module, in_code: impl IntoIterator<Item = FuncId>) -> BTreeSet<FuncId> {
    let mut taken = declared_functions(module);
    taken.extend(imported_functions(module));
    taken.extend(in_code);
    taken
}

fn imported_functions(module: &Module) -> impl Iterator<Item = FuncId> + '_ {
    module.imports.values().filter_map(|i| match i.item {
        ExternItem::Func(f) => Some(f),
        _ => None,
    })
}
