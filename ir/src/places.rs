//! Typed places in a function body and dense maps keyed by them, for analyses.
//!
//! An analysis of a body (liveness, operand stacks, the lowering's suspension points) wants a
//! value per instruction. Instructions live in sequences and have no id of their own, so a
//! place is named by its sequence and its index there: [`InstrRef`]. A place may also be the
//! end of a sequence (index = its length), where control leaves it.
//!
//! [`InstrMap`] holds one value per place of a body's live sequences in one flat vector, with
//! each sequence's first slot found by its id: a lookup is two array reads, where a
//! `BTreeMap<(SeqId, usize), T>` walked a tree per lookup and allocated a node per place.
//! [`SeqMap`] is the same for a value per sequence (e.g. the instruction that owns each
//! body: [`owners`]).
//!
//! The maps describe the body as it was when they were built: a pass that edits the body
//! while it reads an analysis keeps looking up the places of the body it analysed (the
//! lowering rewrites sequence by sequence into new vectors, so the original places stay
//! meaningful). Looking up a place the map does not cover is a bug in the caller and panics
//! like any out-of-range index.

use crate::ids::{EntityId, SeqId};
use crate::module::FuncBody;
use std::fmt;
use std::ops::{Index, IndexMut};

/// Instruction `index` of sequence `seq`, or the end of `seq` when `index` is its length.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InstrRef {
    /// The sequence.
    pub seq: SeqId,
    /// The position in it.
    pub index: u32,
}

impl InstrRef {
    /// Instruction `index` of `seq`.
    pub fn new(seq: SeqId, index: usize) -> InstrRef {
        InstrRef { seq, index: u32::try_from(index).expect("a sequence holds fewer than 2^32 instructions") }
    }

    /// The position as a `usize`, for indexing the sequence's instructions.
    pub fn index(self) -> usize {
        self.index as usize
    }

    /// The next place in the same sequence.
    pub fn next(self) -> InstrRef {
        InstrRef { seq: self.seq, index: self.index + 1 }
    }
}

impl fmt::Debug for InstrRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}[{}]", self.seq, self.index)
    }
}

/// Which places of each sequence an [`InstrMap`] covers.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Places {
    /// Every instruction.
    Instrs,
    /// Every instruction and the end of each sequence.
    InstrsAndEnds,
}

/// Marks a sequence an [`InstrMap`] does not cover.
const NOT_COVERED: u32 = u32::MAX;

/// A value for every place of a body's live sequences, stored densely.
#[derive(Clone)]
pub struct InstrMap<T> {
    /// The slot of each sequence's first place in `values`, by sequence index.
    start: Vec<u32>,
    values: Vec<T>,
}

impl<T> InstrMap<T> {
    /// A map over `body`'s live sequences with `value(place)` at each place.
    pub fn new(body: &FuncBody, places: Places, mut value: impl FnMut(InstrRef) -> T) -> InstrMap<T> {
        let mut start = vec![NOT_COVERED; body.seqs.len()];
        let mut values = Vec::new();
        let extra = usize::from(places == Places::InstrsAndEnds);
        for seq in body.live_seqs() {
            start[seq.index()] = u32::try_from(values.len()).expect("a body holds fewer than 2^32 places");
            for index in 0..body.seqs[seq].instrs.len() + extra {
                values.push(value(InstrRef::new(seq, index)));
            }
        }
        InstrMap { start, values }
    }

    /// How many places the map covers.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the map covers no place.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    fn slot(&self, at: InstrRef) -> usize {
        let start = self.start[at.seq.index()];
        assert_ne!(start, NOT_COVERED, "{:?} is not a live sequence of the map's body", at.seq);
        start as usize + at.index()
    }
}

impl<T> Index<InstrRef> for InstrMap<T> {
    type Output = T;
    fn index(&self, at: InstrRef) -> &T {
        &self.values[self.slot(at)]
    }
}

impl<T> IndexMut<InstrRef> for InstrMap<T> {
    fn index_mut(&mut self, at: InstrRef) -> &mut T {
        let slot = self.slot(at);
        &mut self.values[slot]
    }
}

impl<T: fmt::Debug> fmt::Debug for InstrMap<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InstrMap").field("places", &self.values.len()).finish()
    }
}

/// A value for every sequence of a body (live or not), by sequence id.
#[derive(Clone, Debug, PartialEq)]
pub struct SeqMap<T> {
    values: Vec<T>,
}

impl<T: Clone> SeqMap<T> {
    /// A map over every sequence of `body`, each holding `value`.
    pub fn filled(body: &FuncBody, value: T) -> SeqMap<T> {
        SeqMap { values: vec![value; body.seqs.len()] }
    }
}

impl<T> Index<SeqId> for SeqMap<T> {
    type Output = T;
    fn index(&self, seq: SeqId) -> &T {
        &self.values[seq.index()]
    }
}

impl<T> IndexMut<SeqId> for SeqMap<T> {
    fn index_mut(&mut self, seq: SeqId) -> &mut T {
        &mut self.values[seq.index()]
    }
}

/// The instruction that owns each live body (`None` for the entry and for dead sequences).
pub fn owners(body: &FuncBody) -> SeqMap<Option<InstrRef>> {
    let mut owner = SeqMap::filled(body, None);
    for seq in body.live_seqs() {
        for (index, instr) in body.seqs[seq].instrs.iter().enumerate() {
            for b in instr.bodies() {
                owner[b] = Some(InstrRef::new(seq, index));
            }
        }
    }
    owner
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instr::{Body, Instr};
    use crate::types::{BlockType, ValType};

    /// A body `nop (block nop nop) nop` with a dead sequence left over.
    fn body() -> (FuncBody, SeqId, SeqId) {
        let mut body = FuncBody::new(&[ValType::I32]);
        let _dead = body.add_seq();
        let inner = body.add_seq();
        body.seqs[inner].instrs = vec![Instr::Nop, Instr::Nop];
        let entry = body.entry;
        body.seqs[entry].instrs =
            vec![Instr::Nop, Instr::Block { blockty: Body { ty: BlockType::Empty, seq: inner } }, Instr::Nop];
        (body, entry, inner)
    }

    #[test]
    fn places_of_live_sequences_are_dense_and_distinct() {
        let (body, entry, inner) = body();
        let map = InstrMap::new(&body, Places::InstrsAndEnds, |at| at);
        assert_eq!(map.len(), 4 + 3);
        for at in [InstrRef::new(entry, 0), InstrRef::new(entry, 3), InstrRef::new(inner, 2)] {
            assert_eq!(map[at], at);
        }
        let ends = InstrMap::new(&body, Places::Instrs, |_| 0u8);
        assert_eq!(ends.len(), 5);
    }

    #[test]
    #[should_panic(expected = "not a live sequence")]
    fn a_dead_sequence_is_not_covered() {
        let (body, ..) = body();
        let map = InstrMap::new(&body, Places::Instrs, |_| ());
        map[InstrRef::new(SeqId::new(1), 0)]
    }

    #[test]
    fn owners_name_the_structured_instruction() {
        let (body, entry, inner) = body();
        let owner = owners(&body);
        assert_eq!(owner[inner], Some(InstrRef::new(entry, 1)));
        assert_eq!(owner[entry], None);
    }
}
