//! Type erasure, the last phase and a service to the others: continuation references become
//! `i64` handles and non-null references nullable; in a module without GC, typed function
//! references also become `funcref`. The rewrites ask an [`Erasure`] for the erased form of
//! each type they meet; at the end [`erase_module_types`] rewrites the type section and every
//! entity's type the same way and removes the continuation types. The output then needs no
//! stack switching, and typed function references only where it needs GC anyway.
//!
//! # GC modules
//!
//! When the input uses GC (see `analysis::uses_gc`), the output needs GC, and typed function
//! references come with it: concrete and abstract heap types are kept (only made nullable),
//! so `call_ref` stays `call_ref` and a `(ref $fn)` field stays typed. Struct fields and array
//! elements are erased like every other value type, so a field holding a continuation holds
//! its handle. Why the rewritten types still validate, and keep their identities:
//!
//! - *Subtyping.* Erasure is monotone: `a <: b` implies `erase(a) <: erase(b)`, since making
//!   both sides nullable keeps the heap types' order, and every continuation type (and
//!   `cont`/`nocont`) becomes the same `i64`. Mutable fields need equal types, which stay
//!   equal. So every declared supertype is still a valid one, and is kept with `final`.
//! - *Rec groups.* Types are rewritten in place, in order, inside their rec groups; only the
//!   continuation types leave their groups (a group of continuation types alone goes), and
//!   every type index in the module is mapped through one table. Two types are the same type
//!   in the output iff their groups are equal after erasure, so the one way identities could
//!   change is two groups that differed only in their continuation types becoming equal: the
//!   pass refuses that ([`check_distinct_groups`]), rather than merging two types a cast
//!   tells apart natively.
//! - *Nullability.* Making every reference nullable is what lets an instrumented function
//!   restore a reference into a local on its rewind path (a non-nullable local would need an
//!   initialisation the validator sees on every path). No value that was non-null becomes
//!   null: the same operations compute the same values, and each operation that needs a
//!   non-null operand (`struct.get`, `call_ref`...) traps on null anyway; `ref.as_non_null`
//!   and non-null casts keep their traps. The cast instructions keep their target types
//!   (`ref.cast (ref $s)` still traps on null); `br_on_cast`'s source type is made nullable to
//!   match its erased operand.

use std::collections::BTreeSet;
use wasmfx_ir::*;

/// How types change: continuation references become `i64` handles, non-null references
/// nullable, and without GC typed function references `funcref`.
pub(crate) struct Erasure {
    cont_types: BTreeSet<TypeId>,
    /// Whether the module uses GC: then heap types other than continuations are kept.
    pub gc: bool,
}

impl Erasure {
    pub(crate) fn new(cont_types: BTreeSet<TypeId>, gc: bool) -> Erasure {
        Erasure { cont_types, gc }
    }

    pub(crate) fn val(&self, t: ValType) -> ValType {
        match t {
            ValType::Ref(r) => match r.heap {
                HeapType::Concrete(id) | HeapType::Exact(id) if self.cont_types.contains(&id) => ValType::I64,
                HeapType::Abstract { ty: AbstractHeapType::Cont | AbstractHeapType::NoCont, .. } => {
                    ValType::I64
                }
                // Exactness (custom descriptors) is only a static refinement, which the
                // validator reports for the results of allocations: spilled and saved values
                // keep the plain concrete type, which needs no custom descriptors.
                HeapType::Exact(id) if self.gc => {
                    ValType::Ref(RefType { nullable: true, heap: HeapType::Concrete(id) })
                }
                heap if self.gc => ValType::Ref(RefType { nullable: true, heap }),
                HeapType::Concrete(_) | HeapType::Exact(_) => ValType::Ref(RefType::FUNCREF),
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

    /// The erased form of a struct field or array element.
    fn field(&self, f: FieldType) -> FieldType {
        match f.storage {
            StorageType::Val(v) => FieldType { storage: StorageType::Val(self.val(v)), ..f },
            StorageType::I8 | StorageType::I16 => f,
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
            CompositeInner::Struct(fields) => fields.iter_mut().for_each(|f| *f = erasure.field(*f)),
            CompositeInner::Array(element) => *element = erasure.field(*element),
            CompositeInner::Cont(_) => {}
        }
        if !erasure.gc {
            t.supertype = None;
            t.is_final = true;
        }
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
    if erasure.gc {
        // Each rec group keeps its other members, in order; a group left empty goes.
        let mut start = 0usize;
        let mut groups = Vec::with_capacity(module.rec_groups.len());
        for group in &module.rec_groups {
            let end = start + group.len as usize;
            let len = keep[start..end].iter().filter(|&&k| k).count() as u32;
            if len > 0 {
                groups.push(RecGroupData { len, ..*group });
            }
            start = end;
        }
        module.rec_groups = groups;
    } else {
        // Without continuation types, typed references and GC, no type refers to another:
        // each becomes a rec group of its own, as plain hosts without the GC proposal require.
        let kept = keep.iter().filter(|&&k| k).count();
        module.rec_groups = vec![RecGroupData { explicit: false, len: 1 }; kept];
    }
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
