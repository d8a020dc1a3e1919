//! Walks over the ids an IR item holds, in two kinds: [`IdVisitor`] sees each id mutably and
//! may rewrite it (renumbering after removals), [`IdReader`] only reads (reachability, uses),
//! so a read-only walk needs neither `&mut` nor a scratch copy.
//!
//! Both visitor traits come from one list of id kinds, and every walk is written once for
//! both (`walks!`): its body binds fields through match ergonomics, so the same text borrows
//! mutably in the one and shared in the other, and the two kinds cannot drift apart. The
//! instruction walk is generated from `wasmparser`'s operator list with the rest of
//! [`Instr`](crate::Instr).

use crate::ids::*;
use crate::module::*;
use crate::types::*;

macro_rules! visitor_traits {
    ($($(#[$doc:meta])* $name:ident: $id:ty;)*) => {
        /// Visits (and may rewrite) every id an instruction or other IR item holds. Each
        /// method does nothing unless overridden.
        #[allow(unused_variables)]
        pub trait IdVisitor {
            $( $(#[$doc])* fn $name(&mut self, id: &mut $id) {} )*
        }

        /// Reads every id an instruction or other IR item holds, changing nothing: the
        /// read-only twin of [`IdVisitor`], shown the same ids in the same order.
        #[allow(unused_variables)]
        pub trait IdReader {
            $( $(#[$doc])* fn $name(&mut self, id: &$id) {} )*
        }
    };
}

visitor_traits! {
    /// A function reference.
    func: FuncId;
    /// A type reference.
    ty: TypeId;
    /// A table reference.
    table: TableId;
    /// A memory reference.
    memory: MemoryId;
    /// A global reference.
    global: GlobalId;
    /// A tag reference.
    tag: TagId;
    /// An element segment reference.
    elem: ElemId;
    /// A data segment reference.
    data: DataId;
    /// A local reference.
    local: LocalId;
    /// The import entry an imported entity comes from.
    import: ImportId;
    /// A branch or handler target.
    label: SeqId;
    /// A body sequence owned by the instruction.
    body: SeqId;
}

/// Something that holds ids an [`IdVisitor`] can see and rewrite.
pub trait VisitIds {
    /// Shows every id inside `self` to `v`, which may change them.
    fn visit_ids(&mut self, v: &mut dyn IdVisitor);
}

/// Something that holds ids an [`IdReader`] can read.
pub trait ReadIds {
    /// Shows every id inside `self` to `v`.
    fn read_ids(&self, v: &mut dyn IdReader);
}

/// The method a `walks!` body calls on a part, for the mutable walk.
pub(crate) mod walk_mut {
    use super::{IdVisitor, VisitIds};

    pub(crate) trait Walk {
        fn walk(&mut self, v: &mut dyn IdVisitor);
    }

    impl<T: VisitIds + ?Sized> Walk for T {
        fn walk(&mut self, v: &mut dyn IdVisitor) {
            self.visit_ids(v)
        }
    }
}

/// The method a `walks!` body calls on a part, for the read-only walk.
pub(crate) mod walk_ref {
    use super::{IdReader, ReadIds};

    pub(crate) trait Walk {
        fn walk(&self, v: &mut dyn IdReader);
    }

    impl<T: ReadIds + ?Sized> Walk for T {
        fn walk(&self, v: &mut dyn IdReader) {
            self.read_ids(v)
        }
    }
}

/// Implements [`VisitIds`] and [`ReadIds`] for each type from one body. The body sees the
/// item as `$this` (`&mut T` in the one, `&T` in the other) and the visitor as `$v`; it reaches
/// parts by field access, patterns and `for` loops (never an explicit `&mut`), shows ids with
/// `$v.KIND(id)` and walks parts with `.walk($v)`.
/// With `impl T { fn VISIT, READ(|this, v| body) }` it makes two inherent methods instead.
macro_rules! walks {
    (impl $t:ty { $(#[$doc:meta])* fn $visit:ident, $read:ident(|$this:ident, $v:ident| $body:block) }) => {
        impl $t {
            $(#[$doc])*
            pub fn $visit(&mut self, $v: &mut dyn $crate::visit::IdVisitor) {
                #[allow(unused_imports)]
                use $crate::visit::walk_mut::Walk as _;
                let $this = self;
                $body
            }

            #[doc = concat!("Reads every id [`Self::", stringify!($visit), "`] shows, changing nothing.")]
            pub fn $read(&self, $v: &mut dyn $crate::visit::IdReader) {
                #[allow(unused_imports)]
                use $crate::visit::walk_ref::Walk as _;
                let $this = self;
                $body
            }
        }
    };
    ($($t:ty => |$this:ident, $v:ident| $body:block)*) => {$(
        impl $crate::visit::VisitIds for $t {
            #[allow(unused_variables)]
            fn visit_ids(&mut self, $v: &mut dyn $crate::visit::IdVisitor) {
                #[allow(unused_imports)]
                use $crate::visit::walk_mut::Walk as _;
                let $this = self;
                $body
            }
        }

        impl $crate::visit::ReadIds for $t {
            #[allow(unused_variables)]
            fn read_ids(&self, $v: &mut dyn $crate::visit::IdReader) {
                #[allow(unused_imports)]
                use $crate::visit::walk_ref::Walk as _;
                let $this = self;
                $body
            }
        }
    )*};
}
pub(crate) use walks;

/// Collects the branch, catch and handler targets an item names, in order.
pub(crate) struct Targets(pub(crate) Vec<SeqId>);

impl IdReader for Targets {
    fn label(&mut self, id: &SeqId) {
        self.0.push(*id)
    }
}

impl<T: VisitIds> VisitIds for [T] {
    fn visit_ids(&mut self, v: &mut dyn IdVisitor) {
        self.iter_mut().for_each(|x| x.visit_ids(v))
    }
}

impl<T: ReadIds> ReadIds for [T] {
    fn read_ids(&self, v: &mut dyn IdReader) {
        self.iter().for_each(|x| x.read_ids(v))
    }
}

impl<T: VisitIds> VisitIds for Vec<T> {
    fn visit_ids(&mut self, v: &mut dyn IdVisitor) {
        self.as_mut_slice().visit_ids(v)
    }
}

impl<T: ReadIds> ReadIds for Vec<T> {
    fn read_ids(&self, v: &mut dyn IdReader) {
        self.as_slice().read_ids(v)
    }
}

impl<T: VisitIds + ?Sized> VisitIds for Box<T> {
    fn visit_ids(&mut self, v: &mut dyn IdVisitor) {
        (**self).visit_ids(v)
    }
}

impl<T: ReadIds + ?Sized> ReadIds for Box<T> {
    fn read_ids(&self, v: &mut dyn IdReader) {
        (**self).read_ids(v)
    }
}

impl<T: VisitIds> VisitIds for Option<T> {
    fn visit_ids(&mut self, v: &mut dyn IdVisitor) {
        if let Some(x) = self {
            x.visit_ids(v)
        }
    }
}

impl<T: ReadIds> ReadIds for Option<T> {
    fn read_ids(&self, v: &mut dyn IdReader) {
        if let Some(x) = self {
            x.read_ids(v)
        }
    }
}

impl<K: EntityId, T: VisitIds> VisitIds for EntityVec<K, T> {
    fn visit_ids(&mut self, v: &mut dyn IdVisitor) {
        self.values_mut().for_each(|x| x.visit_ids(v))
    }
}

impl<K: EntityId, T: ReadIds> ReadIds for EntityVec<K, T> {
    fn read_ids(&self, v: &mut dyn IdReader) {
        self.values().for_each(|x| x.read_ids(v))
    }
}

// The module's own walks: what `visit_module_ids`/`read_module_ids` show outside function
// bodies, the bodies, and the whole module.

walks! {
    impl Module {
        /// Shows every id the module holds outside function bodies to `v`: types, imports,
        /// entity types, initialisers, exports, the start function and segments.
        fn visit_module_ids, read_module_ids(|this, v| {
            let Module { types, imports, funcs, tables, memories, globals, tags, exports, start, elems, datas, .. } =
                this;
            types.walk(v);
            for import in imports {
                import.item.walk(v);
            }
            for FuncData { ty, def, .. } in funcs {
                v.ty(ty);
                if let Def::Import(i) = def {
                    v.import(i);
                }
            }
            for MemoryData { def, .. } in memories {
                if let Def::Import(i) = def {
                    v.import(i);
                }
            }
            for TableData { ty, def, .. } in tables {
                match def {
                    Def::Import(i) => v.import(i),
                    Def::Local(_) => {}
                }
                ty.element.walk(v);
                if let Def::Local(init) = def {
                    init.walk(v);
                }
            }
            for GlobalData { ty, def, .. } in globals {
                match def {
                    Def::Import(i) => v.import(i),
                    Def::Local(_) => {}
                }
                ty.content.walk(v);
                if let Def::Local(init) = def {
                    init.walk(v);
                }
            }
            for TagData { ty, def, .. } in tags {
                if let Def::Import(i) = def {
                    v.import(i);
                }
                v.ty(ty);
            }
            for e in exports {
                e.item.walk(v);
            }
            if let Some(f) = start {
                v.func(f);
            }
            elems.walk(v);
            for DataData { mode, .. } in datas {
                if let DataMode::Active { memory, offset } = mode {
                    v.memory(memory);
                    offset.walk(v);
                }
            }
        })
    }
}

// The whole module: what `visit_module_ids` shows, then every function body. (Written twice:
// the two halves' method names differ, which `walks!` cannot say.)
impl VisitIds for Module {
    fn visit_ids(&mut self, v: &mut dyn IdVisitor) {
        self.visit_module_ids(v);
        for f in self.funcs.values_mut() {
            f.def.visit_ids(v);
        }
    }
}

impl ReadIds for Module {
    fn read_ids(&self, v: &mut dyn IdReader) {
        self.read_module_ids(v);
        for f in self.funcs.values() {
            f.def.read_ids(v);
        }
    }
}

walks! {
    Def<FuncBody> => |this, v| {
        // Only a body: the import id is part of the module's items.
        if let Def::Local(body) = this {
            body.walk(v);
        }
    }
    ElemData => |this, v| {
        let ElemData { mode, items, .. } = this;
        if let ElemMode::Active { table, offset, .. } = mode {
            v.table(table);
            offset.walk(v);
        }
        match items {
            ElemItems::Functions(fs) => {
                for f in fs {
                    v.func(f);
                }
            }
            ElemItems::Expressions(ty, exprs) => {
                ty.walk(v);
                exprs.walk(v);
            }
        }
    }
    SubTypeData => |this, v| {
        let SubTypeData { supertype, composite, .. } = this;
        if let Some(s) = supertype {
            v.ty(s);
        }
        let CompositeType { descriptor, describes, inner, .. } = composite;
        if let Some(d) = descriptor {
            v.ty(d);
        }
        if let Some(d) = describes {
            v.ty(d);
        }
        match inner {
            CompositeInner::Func(FuncType { params, results }) => {
                params.walk(v);
                results.walk(v);
            }
            CompositeInner::Array(f) => f.walk(v),
            CompositeInner::Struct(fields) => fields.walk(v),
            CompositeInner::Cont(t) => v.ty(t),
        }
    }
    FieldType => |this, v| {
        let FieldType { storage, .. } = this;
        if let StorageType::Val(t) = storage {
            t.walk(v);
        }
    }
    ExternItem => |this, v| {
        match this {
            ExternItem::Func(f) => v.func(f),
            ExternItem::Table(t) => v.table(t),
            ExternItem::Memory(m) => v.memory(m),
            ExternItem::Global(g) => v.global(g),
            ExternItem::Tag(t) => v.tag(t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Module;

    /// Every id shown, as (kind, index), in order.
    #[derive(Default)]
    struct Record(Vec<(&'static str, usize)>);

    macro_rules! record {
        ($($name:ident: $id:ty),*) => {
            impl IdVisitor for Record {
                $( fn $name(&mut self, id: &mut $id) { self.0.push((stringify!($name), id.index())) } )*
            }
            impl IdReader for Record {
                $( fn $name(&mut self, id: &$id) { self.0.push((stringify!($name), id.index())) } )*
            }
        };
    }
    record!(func: FuncId, ty: TypeId, table: TableId, memory: MemoryId, global: GlobalId, tag: TagId,
        elem: ElemId, data: DataId, local: LocalId, import: ImportId, label: SeqId, body: SeqId);

    /// The reader is shown exactly what the visitor is, on every module of the round-trip
    /// corpus (every operator family and section kind).
    #[test]
    fn reader_and_visitor_see_the_same_ids() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus");
        let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.retain(|p| p.extension().is_some_and(|e| e == "wat"));
        files.sort();
        assert!(files.len() > 40, "the corpus is in {}", dir.display());
        for path in files {
            let module =
                Module::from_input(&std::fs::read(&path).unwrap(), crate::validate::default_features())
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let mut read = Record::default();
            module.read_ids(&mut read);
            let mut visited = Record::default();
            module.clone().visit_ids(&mut visited);
            assert_eq!(read.0, visited.0, "{}", path.display());
            assert!(!read.0.is_empty(), "{}", path.display());
        }
    }
}
