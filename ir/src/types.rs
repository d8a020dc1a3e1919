//! Value, reference, heap and composite types, with the ids of the types they name.
//!
//! These mirror `wasmparser`'s types, but concrete heap types hold a [`TypeId`] so that passes
//! can remap them, and they convert to `wasm-encoder`'s types when the module is written.

use crate::ids::{EntityId, TypeId};
use std::collections::BTreeMap;
use wasm_encoder as we;
use wasmparser as wp;

pub use wp::AbstractHeapType;

/// A value type.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum ValType {
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f32`
    F32,
    /// `f64`
    F64,
    /// `v128`
    V128,
    /// A reference type.
    Ref(RefType),
}

/// A reference type: a heap type and whether null is allowed.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct RefType {
    /// Whether the reference may be null.
    pub nullable: bool,
    /// What it refers to.
    pub heap: HeapType,
}

/// A heap type.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum HeapType {
    /// An abstract heap type such as `func`, `extern`, `cont` or `exn`.
    Abstract {
        /// Shared-everything-threads: whether the type is shared.
        shared: bool,
        /// Which abstract type.
        ty: AbstractHeapType,
    },
    /// A type defined in the module.
    Concrete(TypeId),
    /// Exactly a type defined in the module (custom descriptors).
    Exact(TypeId),
}

/// The type of a block, loop, `if` or `try_table`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum BlockType {
    /// No parameters, no results.
    Empty,
    /// No parameters, one result.
    Value(ValType),
    /// Parameters and results of a function type.
    Func(TypeId),
}

/// One entry of the type section.
#[derive(Clone, Debug, PartialEq)]
pub struct SubTypeData {
    /// Whether subtypes may be declared.
    pub is_final: bool,
    /// The declared supertype.
    pub supertype: Option<TypeId>,
    /// The structure of the type.
    pub composite: CompositeType,
    /// The type's name from the name section.
    pub name: Option<String>,
    /// Struct field names from the name section, by field index.
    pub field_names: BTreeMap<u32, String>,
}

/// A composite type with its flags.
#[derive(Clone, Debug, PartialEq)]
pub struct CompositeType {
    /// Function, array, struct or continuation.
    pub inner: CompositeInner,
    /// Shared-everything-threads: whether the type is shared.
    pub shared: bool,
    /// Custom descriptors: the type's descriptor type.
    pub descriptor: Option<TypeId>,
    /// Custom descriptors: the type this one describes.
    pub describes: Option<TypeId>,
}

/// The structure of a composite type.
#[derive(Clone, Debug, PartialEq)]
pub enum CompositeInner {
    /// A function type.
    Func(FuncType),
    /// An array type with its element.
    Array(FieldType),
    /// A struct type with its fields.
    Struct(Vec<FieldType>),
    /// A continuation type over the function type it names.
    Cont(TypeId),
}

/// A function type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct FuncType {
    /// Parameter types.
    pub params: Vec<ValType>,
    /// Result types.
    pub results: Vec<ValType>,
}

/// A struct field or array element.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct FieldType {
    /// What is stored.
    pub storage: StorageType,
    /// Whether it can be set.
    pub mutable: bool,
}

/// What a field stores.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum StorageType {
    /// A packed 8-bit integer.
    I8,
    /// A packed 16-bit integer.
    I16,
    /// A value.
    Val(ValType),
}

/// A table type.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct TableType {
    /// The type of the elements.
    pub element: RefType,
    /// Whether the table is indexed by `i64`.
    pub table64: bool,
    /// Initial size.
    pub initial: u64,
    /// Maximum size.
    pub maximum: Option<u64>,
    /// Shared-everything-threads: whether the table is shared.
    pub shared: bool,
}

/// A global's type.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct GlobalType {
    /// The value type.
    pub content: ValType,
    /// Whether it can be set.
    pub mutable: bool,
    /// Shared-everything-threads: whether the global is shared.
    pub shared: bool,
}

/// A memory's type (it names no other entity, so `wasmparser`'s serves).
pub type MemoryType = wp::MemoryType;

impl ValType {
    /// Whether this is a reference type.
    pub fn is_ref(self) -> bool {
        matches!(self, ValType::Ref(_))
    }

    /// The ids of the types this type names.
    pub fn referenced_type(self) -> Option<TypeId> {
        match self {
            ValType::Ref(r) => r.heap.referenced_type(),
            _ => None,
        }
    }
}

impl HeapType {
    /// The type this heap type names, if it is concrete.
    pub fn referenced_type(self) -> Option<TypeId> {
        match self {
            HeapType::Concrete(t) | HeapType::Exact(t) => Some(t),
            HeapType::Abstract { .. } => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// From wasmparser. The reader runs after validation, so every index is in bounds and every
// packed index is a module index (or a rec-group index when the group starts at `group_start`).

pub(crate) fn type_id_from_packed(index: wp::PackedIndex, group_start: u32) -> TypeId {
    type_id_from_unpacked(index.unpack(), group_start)
}

pub(crate) fn type_id_from_unpacked(index: wp::UnpackedIndex, group_start: u32) -> TypeId {
    match index {
        wp::UnpackedIndex::Module(i) => TypeId::new(i as usize),
        wp::UnpackedIndex::RecGroup(i) => TypeId::new((group_start + i) as usize),
        wp::UnpackedIndex::Id(id) => unreachable!("canonical type id {id:?} in a parsed module"),
    }
}

impl ValType {
    pub(crate) fn from_wp(ty: wp::ValType, group_start: u32) -> Self {
        match ty {
            wp::ValType::I32 => ValType::I32,
            wp::ValType::I64 => ValType::I64,
            wp::ValType::F32 => ValType::F32,
            wp::ValType::F64 => ValType::F64,
            wp::ValType::V128 => ValType::V128,
            wp::ValType::Ref(r) => ValType::Ref(RefType::from_wp(r, group_start)),
        }
    }

    pub(crate) fn to_we(self) -> we::ValType {
        match self {
            ValType::I32 => we::ValType::I32,
            ValType::I64 => we::ValType::I64,
            ValType::F32 => we::ValType::F32,
            ValType::F64 => we::ValType::F64,
            ValType::V128 => we::ValType::V128,
            ValType::Ref(r) => we::ValType::Ref(r.to_we()),
        }
    }

    pub(crate) fn to_wp(self) -> wp::ValType {
        match self {
            ValType::I32 => wp::ValType::I32,
            ValType::I64 => wp::ValType::I64,
            ValType::F32 => wp::ValType::F32,
            ValType::F64 => wp::ValType::F64,
            ValType::V128 => wp::ValType::V128,
            ValType::Ref(r) => wp::ValType::Ref(r.to_wp()),
        }
    }
}

impl RefType {
    /// A nullable `funcref`.
    pub const FUNCREF: RefType =
        RefType { nullable: true, heap: HeapType::Abstract { shared: false, ty: AbstractHeapType::Func } };
    /// A nullable `externref`.
    pub const EXTERNREF: RefType =
        RefType { nullable: true, heap: HeapType::Abstract { shared: false, ty: AbstractHeapType::Extern } };

    pub(crate) fn from_wp(r: wp::RefType, group_start: u32) -> Self {
        RefType { nullable: r.is_nullable(), heap: HeapType::from_wp(r.heap_type(), group_start) }
    }

    pub(crate) fn to_we(self) -> we::RefType {
        we::RefType { nullable: self.nullable, heap_type: self.heap.to_we() }
    }

    pub(crate) fn to_wp(self) -> wp::RefType {
        wp::RefType::new(self.nullable, self.heap.to_wp())
            .expect("type index too large for wasmparser's packed reference type")
    }
}

impl HeapType {
    pub(crate) fn from_wp(h: wp::HeapType, group_start: u32) -> Self {
        match h {
            wp::HeapType::Abstract { shared, ty } => HeapType::Abstract { shared, ty },
            wp::HeapType::Concrete(i) => HeapType::Concrete(type_id_from_unpacked(i, group_start)),
            wp::HeapType::Exact(i) => HeapType::Exact(type_id_from_unpacked(i, group_start)),
        }
    }

    pub(crate) fn to_we(self) -> we::HeapType {
        match self {
            HeapType::Abstract { shared, ty } => we::HeapType::Abstract { shared, ty: abstract_to_we(ty) },
            HeapType::Concrete(t) => we::HeapType::Concrete(t.as_u32()),
            HeapType::Exact(t) => we::HeapType::Exact(t.as_u32()),
        }
    }

    pub(crate) fn to_wp(self) -> wp::HeapType {
        match self {
            HeapType::Abstract { shared, ty } => wp::HeapType::Abstract { shared, ty },
            HeapType::Concrete(t) => wp::HeapType::Concrete(wp::UnpackedIndex::Module(t.as_u32())),
            HeapType::Exact(t) => wp::HeapType::Exact(wp::UnpackedIndex::Module(t.as_u32())),
        }
    }
}

fn abstract_to_we(ty: AbstractHeapType) -> we::AbstractHeapType {
    use we::AbstractHeapType as E;
    match ty {
        AbstractHeapType::Func => E::Func,
        AbstractHeapType::Extern => E::Extern,
        AbstractHeapType::Any => E::Any,
        AbstractHeapType::None => E::None,
        AbstractHeapType::NoExtern => E::NoExtern,
        AbstractHeapType::NoFunc => E::NoFunc,
        AbstractHeapType::Eq => E::Eq,
        AbstractHeapType::Struct => E::Struct,
        AbstractHeapType::Array => E::Array,
        AbstractHeapType::I31 => E::I31,
        AbstractHeapType::Exn => E::Exn,
        AbstractHeapType::NoExn => E::NoExn,
        AbstractHeapType::Cont => E::Cont,
        AbstractHeapType::NoCont => E::NoCont,
    }
}

impl BlockType {
    pub(crate) fn from_wp(b: wp::BlockType) -> Self {
        match b {
            wp::BlockType::Empty => BlockType::Empty,
            wp::BlockType::Type(t) => BlockType::Value(ValType::from_wp(t, 0)),
            wp::BlockType::FuncType(i) => BlockType::Func(TypeId::new(i as usize)),
        }
    }

    pub(crate) fn to_wp(self) -> wp::BlockType {
        match self {
            BlockType::Empty => wp::BlockType::Empty,
            BlockType::Value(t) => wp::BlockType::Type(t.to_wp()),
            BlockType::Func(t) => wp::BlockType::FuncType(t.as_u32()),
        }
    }
}

impl StorageType {
    fn from_wp(s: wp::StorageType, group_start: u32) -> Self {
        match s {
            wp::StorageType::I8 => StorageType::I8,
            wp::StorageType::I16 => StorageType::I16,
            wp::StorageType::Val(v) => StorageType::Val(ValType::from_wp(v, group_start)),
        }
    }

    fn to_we(self) -> we::StorageType {
        match self {
            StorageType::I8 => we::StorageType::I8,
            StorageType::I16 => we::StorageType::I16,
            StorageType::Val(v) => we::StorageType::Val(v.to_we()),
        }
    }
}

impl FieldType {
    fn from_wp(f: wp::FieldType, group_start: u32) -> Self {
        FieldType { storage: StorageType::from_wp(f.element_type, group_start), mutable: f.mutable }
    }

    fn to_we(self) -> we::FieldType {
        we::FieldType { element_type: self.storage.to_we(), mutable: self.mutable }
    }
}

impl FuncType {
    pub(crate) fn from_wp(f: &wp::FuncType, group_start: u32) -> Self {
        FuncType {
            params: f.params().iter().map(|t| ValType::from_wp(*t, group_start)).collect(),
            results: f.results().iter().map(|t| ValType::from_wp(*t, group_start)).collect(),
        }
    }
}

impl SubTypeData {
    /// A final function type with no supertype, the common case.
    pub fn func(params: Vec<ValType>, results: Vec<ValType>) -> Self {
        SubTypeData::plain(CompositeInner::Func(FuncType { params, results }))
    }

    /// A final, unshared type with no supertype.
    pub fn plain(inner: CompositeInner) -> Self {
        SubTypeData {
            is_final: true,
            supertype: None,
            composite: CompositeType { inner, shared: false, descriptor: None, describes: None },
            name: None,
            field_names: BTreeMap::new(),
        }
    }

    pub(crate) fn from_wp(s: &wp::SubType, group_start: u32) -> Self {
        let c = &s.composite_type;
        let inner = match &c.inner {
            wp::CompositeInnerType::Func(f) => CompositeInner::Func(FuncType::from_wp(f, group_start)),
            wp::CompositeInnerType::Array(a) => CompositeInner::Array(FieldType::from_wp(a.0, group_start)),
            wp::CompositeInnerType::Struct(st) => CompositeInner::Struct(
                st.fields.iter().map(|f| FieldType::from_wp(*f, group_start)).collect(),
            ),
            wp::CompositeInnerType::Cont(ct) => CompositeInner::Cont(type_id_from_packed(ct.0, group_start)),
        };
        SubTypeData {
            is_final: s.is_final,
            supertype: s.supertype_idx.map(|i| type_id_from_packed(i, group_start)),
            composite: CompositeType {
                inner,
                shared: c.shared,
                descriptor: c.descriptor_idx.map(|i| type_id_from_packed(i, group_start)),
                describes: c.describes_idx.map(|i| type_id_from_packed(i, group_start)),
            },
            name: None,
            field_names: BTreeMap::new(),
        }
    }

    pub(crate) fn to_we(&self) -> we::SubType {
        let c = &self.composite;
        let inner = match &c.inner {
            CompositeInner::Func(f) => we::CompositeInnerType::Func(we::FuncType::new(
                f.params.iter().map(|t| t.to_we()),
                f.results.iter().map(|t| t.to_we()),
            )),
            CompositeInner::Array(f) => we::CompositeInnerType::Array(we::ArrayType(f.to_we())),
            CompositeInner::Struct(fields) => we::CompositeInnerType::Struct(we::StructType {
                fields: fields.iter().map(|f| f.to_we()).collect(),
            }),
            CompositeInner::Cont(t) => we::CompositeInnerType::Cont(we::ContType(t.as_u32())),
        };
        we::SubType {
            is_final: self.is_final,
            supertype_idx: self.supertype.map(TypeId::as_u32),
            composite_type: we::CompositeType {
                inner,
                shared: c.shared,
                descriptor: c.descriptor.map(TypeId::as_u32),
                describes: c.describes.map(TypeId::as_u32),
            },
        }
    }

    /// The function type, if this is one.
    pub fn as_func(&self) -> Option<&FuncType> {
        match &self.composite.inner {
            CompositeInner::Func(f) => Some(f),
            _ => None,
        }
    }

    /// The function type a continuation type is over, if this is one.
    pub fn as_cont(&self) -> Option<TypeId> {
        match self.composite.inner {
            CompositeInner::Cont(t) => Some(t),
            _ => None,
        }
    }
}

impl TableType {
    pub(crate) fn from_wp(t: wp::TableType) -> Self {
        TableType {
            element: RefType::from_wp(t.element_type, 0),
            table64: t.table64,
            initial: t.initial,
            maximum: t.maximum,
            shared: t.shared,
        }
    }

    pub(crate) fn to_we(self) -> we::TableType {
        we::TableType {
            element_type: self.element.to_we(),
            table64: self.table64,
            minimum: self.initial,
            maximum: self.maximum,
            shared: self.shared,
        }
    }
}

impl GlobalType {
    pub(crate) fn from_wp(g: wp::GlobalType) -> Self {
        GlobalType { content: ValType::from_wp(g.content_type, 0), mutable: g.mutable, shared: g.shared }
    }

    pub(crate) fn to_we(self) -> we::GlobalType {
        we::GlobalType { val_type: self.content.to_we(), mutable: self.mutable, shared: self.shared }
    }
}

pub(crate) fn memory_type_to_we(m: MemoryType) -> we::MemoryType {
    we::MemoryType {
        minimum: m.initial,
        maximum: m.maximum,
        memory64: m.memory64,
        shared: m.shared,
        page_size_log2: m.page_size_log2,
    }
}
