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
//!   pass refuses that for groups holding struct or array types ([`check_distinct_groups`]),
//!   rather than merging two types a cast tells apart natively. Function types that differ
//!   only in continuation types merge, as they do in modules without GC: only a
//!   `call_indirect` or a cast between two such signatures could tell, which would trap
//!   natively and not lowered.
//! - *Nullability.* Making every reference nullable is what lets an instrumented function
//!   restore a reference into a local on its rewind path (a non-nullable local would need an
//!   initialisation the validator sees on every path). No value that was non-null becomes
//!   null: the same operations compute the same values, and each operation that needs a
//!   non-null operand (`struct.get`, `call_ref`...) traps on null anyway; `ref.as_non_null`
//!   and non-null casts keep their traps. The cast instructions keep their target types
//!   (`ref.cast (ref $s)` still traps on null); `br_on_cast`'s source type is made nullable to
//!   match its erased operand.

use std::collections::{BTreeMap, BTreeSet};
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

    /// Erases a type-section entry in place (continuation types are left to be removed).
    fn erase_type(&self, t: &mut SubTypeData) {
        match &mut t.composite.inner {
            CompositeInner::Func(f) => {
                f.params.iter_mut().chain(f.results.iter_mut()).for_each(|v| *v = self.val(*v));
            }
            CompositeInner::Struct(fields) => fields.iter_mut().for_each(|f| *f = self.field(*f)),
            CompositeInner::Array(element) => *element = self.field(*element),
            CompositeInner::Cont(_) => {}
        }
        if !self.gc {
            t.supertype = None;
            t.is_final = true;
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
        erasure.erase_type(t);
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

/// Refuses a GC module in which two rec groups that are different types natively would be
/// equal after erasure (they differ only in continuation types, which all become `i64`): the
/// output would merge them into one type, and casts that tell them apart natively would not.
/// Each group is keyed by its members (names left out) with type indices written relative to
/// the group inside it and as the canonical index of the first equal group outside it, which
/// is how the GC proposal's iso-recursive canonicalisation identifies types.
pub(crate) fn check_distinct_groups(module: &Module, erasure: &Erasure) -> Result<()> {
    let before = group_keys(module, None);
    let after = group_keys(module, Some(erasure));
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (b, a) in before.iter().zip(&after) {
        if a.is_empty() {
            continue;
        }
        match seen.get(a.as_str()) {
            Some(&earlier) if earlier != b.as_str() => {
                return Err(Error::unsupported(
                    "two GC types that differ only in continuation types (lowered, they would become one type)",
                ));
            }
            Some(_) => {}
            None => {
                seen.insert(a, b);
            }
        }
    }
    Ok(())
}

/// The canonical key of every rec group, as [`check_distinct_groups`] describes, of the types
/// as they are or as `erasure` leaves them (without the continuation types). Groups without
/// struct or array types get the empty key, which is not checked.
fn group_keys(module: &Module, erasure: Option<&Erasure>) -> Vec<String> {
    /// Rewrites type indices to canonical ones: `local` numbers the group's own kept members,
    /// `canonical` gives every earlier type the index of its first equal.
    struct Canonical<'a> {
        start: usize,
        local: &'a BTreeMap<usize, usize>,
        canonical: &'a [usize],
    }
    impl IdVisitor for Canonical<'_> {
        fn ty(&mut self, id: &mut TypeId) {
            let i = id.index();
            *id = match self.local.get(&i) {
                Some(&k) => TypeId::new(u32::MAX as usize / 2 + k),
                None if i < self.start => TypeId::new(self.canonical[i]),
                None => TypeId::new(u32::MAX as usize / 4),
            };
        }
    }
    let mut keys = Vec::with_capacity(module.rec_groups.len());
    let mut canonical: Vec<usize> = Vec::with_capacity(module.types.len());
    let mut first_of: BTreeMap<String, usize> = BTreeMap::new();
    let mut start = 0usize;
    for group in &module.rec_groups {
        let range = start..start + group.len as usize;
        let kept: Vec<usize> = range
            .clone()
            .filter(|&i| erasure.is_none() || module.types[TypeId::new(i)].as_cont().is_none())
            .collect();
        let local: BTreeMap<usize, usize> = kept.iter().enumerate().map(|(k, &i)| (i, k)).collect();
        let mut key = String::new();
        for &i in &kept {
            let mut t = module.types[TypeId::new(i)].clone();
            if let Some(erasure) = erasure {
                erasure.erase_type(&mut t);
            }
            t.name = None;
            t.field_names.clear();
            t.visit_ids(&mut Canonical { start, local: &local, canonical: &canonical });
            key.push_str(&format!("{t:?};"));
        }
        if group.explicit {
            key.insert_str(0, "rec:");
        }
        // Equal keys have equal kept members, so the k-th kept member of this group is the
        // same type as the k-th of the first equal group (removed members are never
        // referenced once erased).
        let first = *first_of.entry(key.clone()).or_insert(start);
        canonical.extend(range.map(|i| first + local.get(&i).copied().unwrap_or(0)));
        // Function types alone merge as they do without GC (see the module documentation).
        let has_data = kept.iter().any(|&i| {
            matches!(
                module.types[TypeId::new(i)].composite.inner,
                CompositeInner::Struct(_) | CompositeInner::Array(_)
            )
        });
        keys.push(if has_data { key } else { String::new() });
        start += group.len as usize;
    }
    keys
}
