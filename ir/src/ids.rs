//! Typed indices for every kind of IR entity, and the vector they index.
//!
//! Entities live in [`EntityVec`]s owned by the module (or by a function body, for locals and
//! instruction sequences); everything else refers to them by id. Ids are dense: after a pass
//! removes entities it compacts the vectors and remaps every id (see `Module::remap`), so an
//! id's number is also the entity's index in the binary, as the text format prints it.

use std::fmt;
use std::marker::PhantomData;
use std::num::NonZeroU32;

/// An id that indexes an [`EntityVec`].
pub trait EntityId: Copy + Eq + Ord + std::hash::Hash + fmt::Debug {
    /// The id of the entity at `index`.
    fn new(index: usize) -> Self;
    /// The position of this id's entity in its vector.
    fn index(self) -> usize;
}

macro_rules! entity_ids {
    ($($(#[$doc:meta])* $name:ident = $text:literal;)*) => {$(
        $(#[$doc])*
        // Held as index + 1, so that `Option<Id>` takes no more room than the id (an `if`'s
        // optional `else` arm, say), which keeps `Instr` small; the order is the index's.
        #[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(NonZeroU32);

        impl EntityId for $name {
            fn new(index: usize) -> Self {
                u32::try_from(index)
                    .ok()
                    .and_then(|i| i.checked_add(1))
                    .and_then(NonZeroU32::new)
                    .map(Self)
                    .expect("more than 2^32 - 1 entities of one kind")
            }
            fn index(self) -> usize {
                self.as_u32() as usize
            }
        }

        impl $name {
            /// The index this id has in the binary's index space.
            pub fn as_u32(self) -> u32 {
                self.0.get() - 1
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!("(", $text, " {})"), self.as_u32())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(self, f)
            }
        }
    )*};
}

entity_ids! {
    /// A defined type (an entry of the type section, counted across rec groups).
    TypeId = "type";
    /// A function, imported or defined.
    FuncId = "func";
    /// A table, imported or defined.
    TableId = "table";
    /// A linear memory, imported or defined.
    MemoryId = "memory";
    /// A global, imported or defined.
    GlobalId = "global";
    /// An exception or control tag, imported or defined.
    TagId = "tag";
    /// An element segment.
    ElemId = "elem";
    /// A data segment.
    DataId = "data";
    /// An entry of the import section.
    ImportId = "import";
    /// A local of one function (parameters first).
    LocalId = "local";
    /// An instruction sequence of one function: a function body, block, loop, `if` arm or
    /// `try_table` body. Branch and handler targets name the sequence of their label.
    SeqId = "seq";
}

/// A vector indexed by a typed id.
#[derive(Clone, PartialEq)]
pub struct EntityVec<K, V> {
    items: Vec<V>,
    key: PhantomData<fn(K) -> K>,
}

impl<K: EntityId, V> Default for EntityVec<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: EntityId, V: fmt::Debug> fmt::Debug for EntityVec<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: EntityId, V> EntityVec<K, V> {
    /// An empty vector.
    pub fn new() -> Self {
        Self { items: Vec::new(), key: PhantomData }
    }

    /// Appends `value` and returns its id.
    pub fn push(&mut self, value: V) -> K {
        let id = K::new(self.items.len());
        self.items.push(value);
        id
    }

    /// How many entities there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The entity with this id, if it exists.
    pub fn get(&self, id: K) -> Option<&V> {
        self.items.get(id.index())
    }

    /// The entity with this id, mutably, if it exists.
    pub fn get_mut(&mut self, id: K) -> Option<&mut V> {
        self.items.get_mut(id.index())
    }

    /// Every id, in order.
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = K> + ExactSizeIterator + use<K, V> {
        (0..self.items.len()).map(K::new)
    }

    /// Every (id, entity) pair, in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (K, &V)> + ExactSizeIterator {
        self.items.iter().enumerate().map(|(i, v)| (K::new(i), v))
    }

    /// Every (id, entity) pair, mutably, in order.
    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (K, &mut V)> + ExactSizeIterator {
        self.items.iter_mut().enumerate().map(|(i, v)| (K::new(i), v))
    }

    /// The entities, in order.
    pub fn values(&self) -> std::slice::Iter<'_, V> {
        self.items.iter()
    }

    /// The entities, mutably, in order.
    pub fn values_mut(&mut self) -> std::slice::IterMut<'_, V> {
        self.items.iter_mut()
    }

    /// The entities, taken out of the vector.
    pub fn into_vec(self) -> Vec<V> {
        self.items
    }

    /// The entities as a slice, for parallel iteration.
    pub fn as_slice(&self) -> &[V] {
        &self.items
    }

    /// The entities as a mutable slice, for parallel iteration.
    pub fn as_mut_slice(&mut self) -> &mut [V] {
        &mut self.items
    }

    /// Moves every entity of `other` after this vector's (their ids shift by `self.len()`).
    pub fn append(&mut self, other: &mut EntityVec<K, V>) {
        self.items.append(&mut other.items);
    }

    /// The values, in id order, taking the vector.
    pub fn into_iter_values(self) -> std::vec::IntoIter<V> {
        self.items.into_iter()
    }

    /// Keeps the entities for which `keep` says yes and returns the map from old ids to new
    /// ones (`None` for removed entities). The caller must remap every reference.
    pub fn retain_with_map(&mut self, mut keep: impl FnMut(K, &V) -> bool) -> Vec<Option<K>> {
        let mut map = Vec::with_capacity(self.items.len());
        let mut next = 0;
        let old = std::mem::take(&mut self.items);
        for (i, value) in old.into_iter().enumerate() {
            if keep(K::new(i), &value) {
                map.push(Some(K::new(next)));
                next += 1;
                self.items.push(value);
            } else {
                map.push(None);
            }
        }
        map
    }
}

impl<K: EntityId, V> std::ops::Index<K> for EntityVec<K, V> {
    type Output = V;
    fn index(&self, id: K) -> &V {
        &self.items[id.index()]
    }
}

impl<K: EntityId, V> std::ops::IndexMut<K> for EntityVec<K, V> {
    fn index_mut(&mut self, id: K) -> &mut V {
        &mut self.items[id.index()]
    }
}

impl<K: EntityId, V> FromIterator<V> for EntityVec<K, V> {
    fn from_iter<I: IntoIterator<Item = V>>(iter: I) -> Self {
        Self { items: iter.into_iter().collect(), key: PhantomData }
    }
}

impl<'a, K: EntityId, V> IntoIterator for &'a EntityVec<K, V> {
    type Item = &'a V;
    type IntoIter = std::slice::Iter<'a, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<'a, K: EntityId, V> IntoIterator for &'a mut EntityVec<K, V> {
    type Item = &'a mut V;
    type IntoIter = std::slice::IterMut<'a, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter_mut()
    }
}
