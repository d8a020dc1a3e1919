//! Merges types that are the same type: two rec groups of one type each whose types have the
//! same structure, finality and supertype are one type to the validator and the engine (type
//! equivalence is by rec group structure), so every use of the later one can name the first,
//! and the later one goes.
//!
//! Why: a module put together from parts declares a type once per part. The lowering merges
//! its runtime (written in WAT with its own types) into the program, so a lowered module
//! declares `(func)` and `(func (param i32))` twice, once for the program and once for the
//! runtime; Binaryen's `wasm-opt` has one type per signature and writes each once. A
//! duplicate costs its entry in the type section (3 to 8 bytes for the signatures the
//! lowering uses).
//!
//! Before and after:
//!
//! ```text
//! (type $fn (func))                         (type $fn (func))
//! (type $rt.void (func))                    (func $a (type $fn))
//! (func $a (type $fn))                      (func $b (type $fn))
//! (func $b (type $rt.void))
//! ```
//!
//! Types are compared as the IR holds them, with the type ids they name: two function types
//! taking `(ref $x)` and `(ref $y)` for duplicates `$x` and `$y` become equal once `$y` is
//! `$x`, so the pass repeats until nothing merges. A type of an explicit rec group of several
//! types stays as it is (its identity is the group's: the lowering's branded GC groups rely on
//! that), and so does a type naming itself (its own id differs from its twin's). The kept type
//! is the first of its kind, so the output does not depend on anything but the module.
//! Limits: types equal only up to a renaming of a cycle of several groups are not found.

use crate::{Pass, PassArgs};
use std::collections::BTreeMap;
use wasmfx_ir::*;

/// The `merge-identical-types` pass.
pub struct MergeIdenticalTypes;

impl Pass for MergeIdenticalTypes {
    fn run(&self, module: &mut Module, _: &PassArgs) -> Result<()> {
        while merge_once(module) {}
        Ok(())
    }
}

/// Merges every singleton rec group into the first earlier one of the same type; whether any
/// merged.
fn merge_once(module: &mut Module) -> bool {
    // The first singleton group of each structure, keyed by the structure's printed form
    // (deterministic, and the names are not part of it).
    let mut first: BTreeMap<String, TypeId> = BTreeMap::new();
    // For each type, the earlier type it is the same as.
    let mut same_as: Vec<Option<TypeId>> = vec![None; module.types.len()];
    let mut start = 0usize;
    for group in &module.rec_groups {
        if group.len == 1 {
            let id = TypeId::new(start);
            let ty = &module.types[id];
            let key = format!("{:?} {:?} {:?}", ty.is_final, ty.supertype, ty.composite);
            let names_itself = {
                let mut finder = NamesType { target: id, found: false };
                ty.read_ids(&mut finder);
                finder.found
            };
            if !names_itself {
                match first.get(&key) {
                    Some(&earlier) => same_as[start] = Some(earlier),
                    None => {
                        first.insert(key, id);
                    }
                }
            }
        }
        start += group.len as usize;
    }
    if same_as.iter().all(Option::is_none) {
        return false;
    }
    // Each kept type gets its new index; a merged one that of the type it is the same as
    // (always earlier, so already numbered).
    let mut map: Vec<Option<TypeId>> = Vec::with_capacity(same_as.len());
    let mut next = 0usize;
    for earlier in &same_as {
        match earlier {
            Some(e) => map.push(map[e.index()]),
            None => {
                map.push(Some(TypeId::new(next)));
                next += 1;
            }
        }
    }
    let mut groups = Vec::with_capacity(module.rec_groups.len());
    let mut start = 0usize;
    for group in &module.rec_groups {
        if !(group.len == 1 && same_as[start].is_some()) {
            groups.push(*group);
        }
        start += group.len as usize;
    }
    module.rec_groups = groups;
    module.types.retain_with_map(|id, _| same_as[id.index()].is_none());
    let mut remap = Remapping { types: Some(map), ..Remapping::default() };
    module.visit_ids(&mut remap);
    true
}

/// Finds whether a type names `target`.
struct NamesType {
    target: TypeId,
    found: bool,
}

impl IdReader for NamesType {
    fn ty(&mut self, id: &TypeId) {
        self.found |= *id == self.target;
    }
}
