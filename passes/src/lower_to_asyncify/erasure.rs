//! Type erasure, the last phase and a service to the others: continuation references become
//! `i64` handles and non-null references nullable; in a module without GC, typed function
//! references also become `funcref`. The rewrites ask an [`Erasure`] for the erased form of
//! each type they meet; at the end [`erase_module_types`] rewrites the type section and every
//! entity's type the same way and removes the continuation types. The output then needs no
//! stack switching, and typed function references only where it needs GC anyway.
//!
//! # GC modules
//!
//! When the input uses GC (see `analysis::kept_features`), the output needs GC, and typed function
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
//!   every type index in the module is mapped through one table. Under the GC proposal's
//!   iso-recursive canonicalisation two types are the same iff they sit at the same place in
//!   equal rec groups, groups compared member by member with indices inside the group taken
//!   relative to it and indices outside it as the canonical types they name. Erasure can
//!   make two groups equal that were not: all continuation types become the same `i64`, so
//!   `(struct (field (ref $c1)))` and `(struct (field (ref $c2)))` would become one type, and
//!   a `ref.test`, `ref.cast`, `br_on_cast` or `call_indirect` (whose signature check is a
//!   subtype test) that tells them apart natively would not. So each group that would
//!   coincide with a natively different one gets a *brand*: one more member at its end, a
//!   final struct no type names, whose fields spell a number `b >= 1` in binary (`i64` for a
//!   1 bit, `i32` for a 0, lowest first: 1 is `(struct (field i64))`, 2 is
//!   `(struct (field i32) (field i64))`). [`group_brands`] walks the groups in order,
//!   canonicalising two views side by side, the types as they are and as they are written
//!   out (erased, branded); each group takes the smallest brand (0 for none) whose output
//!   group no natively different group has, and natively equal groups take the same brand.
//!   Then two output groups are equal iff the input groups were: by induction over the
//!   groups in order, equal native groups name equal canonical types and get equal brands,
//!   and the brands keep different ones apart. The members keep their places (the brand
//!   comes last), so indices relative to a group are unchanged, and the brand names nothing
//!   and is named by nothing, so it affects no subtyping: every declared supertype is still
//!   a valid one, and casts and `call_indirect` accept exactly what they accept natively.
//!   This covers function types as much as structs and arrays, and the types the lowering
//!   adds (its runtime's and the rewrites') are walked with the rest. Usually no group needs
//!   a brand, and the output's types are the input's, erased. Where one does, the type it
//!   is branded against is the one that comes first, which may be a group without
//!   continuation types (a `(struct (field i64))` after a `(struct (field (ref $c)))`): only
//!   the identity of a type as seen from another module could tell, and continuations never
//!   cross lowered modules (the README's "One module at a time").
//!
//!   A module without GC has no rec groups to brand with (they need GC), so there function
//!   types that differ only in continuation types (or, erased to `funcref`, in typed function
//!   references) become one type: a `call_indirect` that natively traps on such a signature
//!   mismatch calls the function lowered (pinned by
//!   `tests/differential/cont_signatures_merge_without_gc.wat`); a module that uses GC keeps
//!   them apart as above.
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
    // Brands are decided on the types as they are, before they are erased in place.
    let brands = if erasure.gc { group_brands(module, erasure) } else { Vec::new() };
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
    let types = if erasure.gc {
        // Each rec group keeps its other members, in order, and its brand last; a group left
        // empty goes.
        let old = std::mem::take(&mut module.types).into_vec();
        let mut map = Vec::with_capacity(old.len());
        let mut groups = Vec::with_capacity(module.rec_groups.len());
        let mut old = old.into_iter();
        for (group, &brand) in module.rec_groups.iter().zip(&brands) {
            let mut len = 0;
            for t in old.by_ref().take(group.len as usize) {
                if t.as_cont().is_some() {
                    map.push(None);
                } else {
                    map.push(Some(module.types.push(t)));
                    len += 1;
                }
            }
            if len > 0 && brand > 0 {
                let mut t = brand_type(brand);
                // Named after the brand and the group's index in the output, so that names
                // stay unique where several groups have one brand.
                t.name = Some(format!("wasmfx.brand.{brand}.{}", groups.len()));
                module.types.push(t);
                len += 1;
            }
            if len > 0 {
                groups.push(RecGroupData { len, explicit: group.explicit || len > 1 });
            }
        }
        module.rec_groups = groups;
        map
    } else {
        // Without continuation types, typed references and GC, no type refers to another:
        // each becomes a rec group of its own, as plain hosts without the GC proposal require.
        let types = module.types.retain_with_map(|_, t| t.as_cont().is_none());
        module.rec_groups = vec![RecGroupData { explicit: false, len: 1 }; module.types.len()];
        types
    };
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

/// The brand of every rec group, in order: 0 for none, or the number `b >= 1` of the extra
/// member [`brand_type`] that keeps the group a type of its own after erasure (see the module
/// documentation). Groups are identified as the GC proposal's iso-recursive canonicalisation
/// does: by their members, names left out, with type indices written relative to the group
/// inside it and as the canonical index of the first equal group outside it. Each group has a
/// *native* key (its types as they are) and a *final* one (erased, without the continuation
/// types, plus its brand); the brand is the smallest that gives a final key no natively
/// different group has, and natively equal groups get the same brand.
fn group_brands(module: &Module, erasure: &Erasure) -> Vec<u32> {
    let mut native = Canonicaliser::default();
    let mut erased = Canonicaliser::default();
    // Which native group each final key belongs to, and each native group's brand.
    let mut owner: BTreeMap<String, String> = BTreeMap::new();
    let mut brand_of: BTreeMap<String, u32> = BTreeMap::new();
    let mut brands = Vec::with_capacity(module.rec_groups.len());
    let mut start = 0usize;
    for group in &module.rec_groups {
        let range = start..start + group.len as usize;
        start = range.end;
        let all: Vec<usize> = range.clone().collect();
        let kept: Vec<usize> =
            range.clone().filter(|&i| module.types[TypeId::new(i)].as_cont().is_none()).collect();
        let native_key = native.key(module, &all, None);
        native.add(&native_key, range.clone(), &all);
        if kept.is_empty() {
            // Only continuation types: the group goes.
            erased.add("", range, &kept);
            brands.push(0);
            continue;
        }
        let erased_key = erased.key(module, &kept, Some(erasure));
        let brand = brand_of.get(&native_key).copied().unwrap_or_else(|| {
            (0..)
                .find(|&b| owner.get(&branded_key(&erased_key, b)).is_none_or(|n| *n == native_key))
                .expect("some brand is free")
        });
        let final_key = branded_key(&erased_key, brand);
        erased.add(&final_key, range, &kept);
        owner.entry(final_key).or_insert_with(|| native_key.clone());
        brand_of.insert(native_key, brand);
        brands.push(brand);
    }
    brands
}

/// The member that brand `b >= 1` adds at the end of a rec group: a final struct whose
/// fields spell `b` in binary, least significant bit first (`i64` for 1, `i32` for 0, up to
/// the highest 1), so that different brands are different types, and small ones short.
fn brand_type(b: u32) -> SubTypeData {
    let bits = u32::BITS - b.leading_zeros();
    let fields = (0..bits)
        .map(|k| FieldType {
            storage: StorageType::Val(if b >> k & 1 == 1 { ValType::I64 } else { ValType::I32 }),
            mutable: false,
        })
        .collect();
    SubTypeData {
        is_final: true,
        supertype: None,
        composite: CompositeType {
            inner: CompositeInner::Struct(fields),
            shared: false,
            descriptor: None,
            describes: None,
        },
        name: None,
        field_names: BTreeMap::new(),
    }
}

/// A group's final key: its erased key, and with brand `b` the brand member's.
fn branded_key(erased_key: &str, b: u32) -> String {
    if b == 0 {
        return erased_key.to_string();
    }
    format!("{erased_key}{:?};", brand_type(b))
}

/// Canonical type indices of one view of the module's types (native, or erased and
/// branded), built group by group in order, as [`group_brands`] describes.
#[derive(Default)]
struct Canonicaliser {
    /// The canonical index of every type of the groups seen so far.
    canonical: Vec<usize>,
    /// The first group with each key: the index its first member had.
    first_of: BTreeMap<String, usize>,
}

impl Canonicaliser {
    /// The key of the group whose members (in this view) are `members`, consecutive types of
    /// one group; with `erasure`, of their erased forms.
    fn key(&self, module: &Module, members: &[usize], erasure: Option<&Erasure>) -> String {
        /// Rewrites type indices to canonical ones: `local` numbers the group's own members,
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
                    // A removed member of the group (a continuation type), which erased
                    // types no longer name.
                    None => TypeId::new(u32::MAX as usize / 4),
                };
            }
        }
        let start = self.canonical.len();
        let local: BTreeMap<usize, usize> = members.iter().enumerate().map(|(k, &i)| (i, k)).collect();
        let mut key = String::new();
        for &i in members {
            let mut t = module.types[TypeId::new(i)].clone();
            if let Some(erasure) = erasure {
                erasure.erase_type(&mut t);
            }
            t.name = None;
            t.field_names.clear();
            t.visit_ids(&mut Canonical { start, local: &local, canonical: &self.canonical });
            key.push_str(&format!("{t:?};"));
        }
        key
    }

    /// Records the group over `range` with `key` and its `members` in this view: equal keys
    /// have equal members, so the k-th member of this group is the same type as the k-th of
    /// the first group with the key (a type outside `members` is never named in this view).
    fn add(&mut self, key: &str, range: std::ops::Range<usize>, members: &[usize]) {
        let first = *self.first_of.entry(key.to_string()).or_insert(range.start);
        let local: BTreeMap<usize, usize> = members.iter().enumerate().map(|(k, &i)| (i, k)).collect();
        self.canonical.extend(range.map(|i| first + local.get(&i).copied().unwrap_or(0)));
    }
}
