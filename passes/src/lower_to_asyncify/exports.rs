//! Phase 5, the module around the rewritten functions: what changes outside function bodies
//! once they are lowered. Exported functions get wrappers that start from a clean runtime
//! state; functions only an export declared for `ref.func` get a declaration of their own;
//! tags only stack switching used are removed.

use super::contract::STATE_NORMAL;
use super::erasure::Erasure;
use super::runtime::Runtime;
use wasmfx_ir::func_refs::{declared_functions, referenced_in_code};
use wasmfx_ir::*;

/// Every exported function is called through a wrapper that starts from a clean runtime state
/// (normal, outside any continuation) and restores the caller's afterwards. A trap ends a call
/// without unwinding the runtime's bookkeeping; natively the instance stays usable after a
/// trap, and with the wrapper so does the lowered one. A host function that calls back in
/// while a continuation runs gets the same: its callback cannot suspend past the host frame,
/// as natively.
pub(crate) fn wrap_exports(module: &mut Module, rt: &Runtime, erasure: &Erasure) {
    for e in 0..module.exports.len() {
        let ExternItem::Func(f) = module.exports[e].item else {
            continue;
        };
        if module.funcs[f].def.is_import() {
            continue;
        }
        let ty = module.funcs[f].ty;
        // The wrapper's parameters are locals of the erased types (handles for continuations);
        // its function type is erased with every other type afterwards.
        let sig = erasure.func_type(module, ty);
        let mut body = FuncBody::new(&sig.params);
        let saved_state = body.add_local(ValType::I32);
        let saved_current = body.add_local(ValType::I32);
        let entry = body.entry;
        let code = body.instrs_mut(entry);
        code.extend([
            Instr::GlobalGet { global_index: rt.state },
            Instr::LocalSet { local_index: saved_state },
            Instr::GlobalGet { global_index: rt.current },
            Instr::LocalSet { local_index: saved_current },
            Instr::I32Const { value: STATE_NORMAL },
            Instr::GlobalSet { global_index: rt.state },
            // No continuation is current.
            Instr::I32Const { value: 0 },
            Instr::Call { function_index: rt.set_current },
        ]);
        code.extend((0..sig.params.len()).map(|i| Instr::LocalGet { local_index: LocalId::new(i) }));
        code.extend([
            Instr::Call { function_index: f },
            Instr::LocalGet { local_index: saved_state },
            Instr::GlobalSet { global_index: rt.state },
            Instr::LocalGet { local_index: saved_current },
            Instr::Call { function_index: rt.set_current },
        ]);
        let wrapper = module.add_function(ty, body);
        module.funcs[wrapper].name = Some(format!("wasmfx.export.{}", module.exports[e].name));
        module.exports[e].item = ExternItem::Func(wrapper);
    }
}

/// Declares every function that code takes a `ref.func` of but that nothing outside the code
/// (an export, an element segment, a global or table initialiser) names any more. An exported
/// function is implicitly declared; once its export names the wrapper instead, a `ref.func`
/// of it would be invalid without a declaration of its own.
pub(crate) fn declare_referenced_functions(module: &mut Module) {
    let taken = referenced_in_code(module);
    let declared = declared_functions(module);
    let missing: Vec<FuncId> = taken.difference(&declared).copied().collect();
    if !missing.is_empty() {
        module.elems.push(ElemData {
            mode: ElemMode::Declared,
            items: ElemItems::Functions(missing),
            name: None,
        });
    }
}

/// Tags only `suspend` and `resume` used are gone with them; keeping them would make the
/// output need the exception-handling proposal. (Their indices, already turned into the
/// constants the runtime compares, need not stay valid.)
pub(crate) fn remove_unused_tags(module: &mut Module) {
    struct Used(Vec<bool>);
    impl IdReader for Used {
        fn tag(&mut self, id: &TagId) {
            self.0[id.index()] = true;
        }
    }
    let mut used = Used(vec![false; module.tags.len()]);
    module.read_ids(&mut used);
    for import in module.imports.values() {
        if let ExternItem::Tag(t) = import.item {
            used.0[t.index()] = true;
        }
    }
    let map = module.tags.retain_with_map(|id, _| used.0[id.index()]);
    module.visit_ids(&mut Remapping { tags: Some(map), ..Remapping::default() });
}
