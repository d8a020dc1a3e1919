//! Type erasure, the last phase and a service to the others: continuation references become
//! `i64` handles, typed function references become `funcref`, non-null references nullable.
//! The rewrites ask an [`Erasure`] for the erased form of each type they meet; at the end
//! [`erase_module_types`] rewrites the type section and every entity's type the same way and
//! removes the continuation types. The output then needs neither stack switching nor typed
//! function references.

use std::collections::BTreeSet;
use wasmfx_ir::*;

/// How types change: continuation references become `i64` handles, typed function references
/// become `funcref`, and non-null references nullable.
pub(crate) struct Erasure {
    cont_types: BTreeSet<TypeId>,
}

impl Erasure {
    pub(crate) fn new(cont_types: BTreeSet<TypeId>) -> Erasure {
        Erasure { cont_types }
    }

    pub(crate) fn val(&self, t: ValType) -> ValType {
        match t {
            ValType::Ref(r) => match r.heap {
                HeapType::Concrete(id) | HeapType::Exact(id) if self.cont_types.contains(&id) => ValType::I64,
                HeapType::Concrete(_) | HeapType::Exact(_) => ValType::Ref(RefType::FUNCREF),
                HeapType::Abstract { ty: AbstractHeapType::Cont | AbstractHeapType::NoCont, .. } => {
                    ValType::I64
                }
                HeapType::Abstract { ty: AbstractHeapType::NoFunc, shared } => ValType::Ref(RefType {
                    nullable: true,
                    heap: HeapType::Abstract { shared, ty: AbstractHeapType::Func },
                }),
                HeapType::Abstract { ty: AbstractHeapType::NoExtern, shared } => ValType::Ref(RefType {
                    nullable: true,
                    heap: HeapType::Abstract { shared, ty: AbstractHeapType::Extern },
                }),
                HeapType::Abstract { shared, ty } => {
                    ValType::Ref(RefType { nullable: true, heap: HeapType::Abstract { shared, ty } })
                }
            },
            other => other,
        }
    }

    /// Whether `id` is a continuation type.
    pub(crate) fn is_cont_type(&self, id: TypeId) -> bool {
        self.cont_types.contains(&id)
    }

    /// Whether values of `t` are continuation handles after erasure.
    pub(crate) fn is_cont(&self, t: ValType) -> bool {
        t != ValType::I64 && self.val(t) == ValType::I64
    }

    pub(crate) fn func_type(&self, module: &Module, ft: TypeId) -> FuncType {
        let f = module.func_type(ft);
        FuncType {
            params: f.params.iter().map(|&t| self.val(t)).collect(),
            results: f.results.iter().map(|&t| self.val(t)).collect(),
        }
    }

    pub(crate) fn block_type(&self, b: BlockType) -> BlockType {
        match b {
            BlockType::Value(t) => BlockType::Value(self.val(t)),
            other => other,
        }
    }
}

/// Rewrites the type section and every entity type: continuation types go, the rest erased.
pub(crate) fn erase_module_types(module: &mut Module, erasure: &Erasure) -> Result<()> {
    for t in module.types.values_mut() {
        match &mut t.composite.inner {
            CompositeInner::Func(f) => {
                f.params.iter_mut().chain(f.results.iter_mut()).for_each(|v| *v = erasure.val(*v));
            }
            CompositeInner::Cont(_) | CompositeInner::Struct(_) | CompositeInner::Array(_) => {}
        }
        t.supertype = None;
        t.is_final = true;
    }
    for g in module.globals.values_mut() {
        g.ty.content = erasure.val(g.ty.content);
        if let Def::Local(init) = &mut g.def {
            erase_const(init, erasure);
        }
    }
    for t in module.tables.values_mut() {
        if let ValType::Ref(r) = erasure.val(ValType::Ref(t.ty.element)) {
            t.ty.element = r;
        }
        if let Def::Local(Some(init)) = &mut t.def {
            erase_const(init, erasure);
        }
    }
    for e in module.elems.values_mut() {
        if let ElemItems::Expressions(ty, exprs) = &mut e.items {
            if let ValType::Ref(r) = erasure.val(ValType::Ref(*ty)) {
                *ty = r;
            }
            exprs.iter_mut().for_each(|e| erase_const(e, erasure));
        }
    }
    // Continuation types are no longer referenced: remove them.
    let keep: Vec<bool> = module.types.values().map(|t| t.as_cont().is_none()).collect();
    // Without continuation types and typed references (and without GC, which the lowering
    // refuses), no type refers to another: each becomes a rec group of its own, as plain hosts
    // without the GC proposal require.
    let kept = keep.iter().filter(|&&k| k).count();
    module.rec_groups = vec![RecGroupData { explicit: false, len: 1 }; kept];
    let types = module.types.retain_with_map(|id, _| keep[id.index()]);
    let mut remap = Remapping { types: Some(types), ..Remapping::default() };
    module.visit_ids(&mut remap);
    Ok(())
}

pub(crate) fn erase_const(init: &mut [Instr], erasure: &Erasure) {
    for i in init {
        if let Instr::RefNull { hty } = i {
            match erasure.val(ValType::Ref(RefType { nullable: true, heap: *hty })) {
                ValType::I64 => *i = Instr::I64Const { value: 0 },
                ValType::Ref(r) => *hty = r.heap,
                _ => {}
            }
        }
    }
}
