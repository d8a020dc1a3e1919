//! Analyses passes share: the operand stack at every instruction, learned from the
//! `wasmparser` validator, which already knows every operator's typing.
//!
//! The module is written, then each selected function body is validated operator by operator;
//! before each operator the validator is asked for the types on the operand stack of the
//! innermost control frame. Operators come in the writer's order, which [`instr_order`]
//! reproduces on the IR, so the k-th operator (not counting `else` and `end`) is the k-th
//! instruction of that order.

use crate::error::{Error, Result};
use crate::ids::*;
use crate::module::{Def, FuncBody, Module};
use crate::types::{HeapType, RefType, ValType};
use std::collections::{HashMap, HashSet};
use wasmparser as wp;

/// The operand stack of the innermost control frame just before an instruction.
#[derive(Clone, Debug, PartialEq)]
pub struct OperandStack {
    /// The types on the frame's part of the stack, bottom first.
    pub types: Vec<ValType>,
    /// Whether the instruction is unreachable (the stack is polymorphic there).
    pub unreachable: bool,
}

/// The validator's view of one operand stack: types (`None` where unknown) and reachability.
type RawStack = (Vec<Option<wp::ValType>>, bool);

/// Every instruction of a body as (sequence, index), in the order the writer emits them:
/// depth first, a structured instruction's bodies right after it (`then` before `else`).
pub fn instr_order(body: &FuncBody) -> Vec<(SeqId, usize)> {
    let mut order = Vec::new();
    // (sequence, next index) frames; bodies of the instruction just visited are pushed so
    // that they are visited before the rest of its sequence.
    let mut stack: Vec<(SeqId, usize)> = vec![(body.entry, 0)];
    while let Some((seq, index)) = stack.pop() {
        let Some(instr) = body.seqs[seq].instrs.get(index) else {
            continue;
        };
        order.push((seq, index));
        stack.push((seq, index + 1));
        let bodies: Vec<SeqId> = instr.bodies().collect();
        for b in bodies.into_iter().rev() {
            stack.push((b, 0));
        }
    }
    order
}

/// The operand stacks before every instruction of each function in `funcs`, indexed like
/// [`instr_order`].
pub fn operand_stacks(
    module: &Module,
    features: wp::WasmFeatures,
    funcs: &HashSet<FuncId>,
) -> Result<HashMap<FuncId, Vec<OperandStack>>> {
    let bytes = module.to_bytes()?;
    let mut validator = wp::Validator::new_with_features(features);
    let mut raw: HashMap<FuncId, Vec<RawStack>> = HashMap::new();
    let mut types_map: HashMap<wp::types::CoreTypeId, TypeId> = HashMap::new();
    for payload in wp::Parser::new(0).parse_all(&bytes) {
        let payload = payload?;
        match validator.payload(&payload)? {
            wp::ValidPayload::Func(to_validate, body) => {
                let func = FuncId::new(to_validate.index as usize);
                if !funcs.contains(&func) {
                    continue;
                }
                let mut v = to_validate.into_validator(Default::default());
                let mut reader = body.get_binary_reader();
                v.read_locals(&mut reader)?;
                let mut ops = wp::OperatorsReader::new(reader);
                let mut stacks = Vec::new();
                while !ops.eof() {
                    let (op, offset) = ops.read_with_offset()?;
                    if !matches!(op, wp::Operator::Else | wp::Operator::End) {
                        let height = v.operand_stack_height() as usize;
                        let frame = v
                            .get_control_frame(0)
                            .ok_or_else(|| Error::new("no control frame"))?;
                        let (base, unreachable) = (frame.height, frame.unreachable);
                        let types = (base..height)
                            .map(|i| v.get_operand_type(height - 1 - i).flatten())
                            .collect::<Vec<_>>();
                        stacks.push((types, unreachable));
                    }
                    v.op(offset, &op)?;
                }
                raw.insert(func, stacks);
            }
            wp::ValidPayload::End(types) => {
                let types = types.as_ref();
                for i in 0..types.core_type_count_in_module() {
                    types_map
                        .entry(types.core_type_at_in_module(i))
                        .or_insert(TypeId::new(i as usize));
                }
            }
            wp::ValidPayload::Ok | wp::ValidPayload::Parser(_) => {}
        }
    }
    let convert = |t: wp::ValType| -> Result<ValType> { canonical_val_type(t, &types_map) };
    raw.into_iter()
        .map(|(f, stacks)| {
            let stacks = stacks
                .into_iter()
                .map(|(types, unreachable)| {
                    let unknown = types.iter().any(Option::is_none);
                    let types = types
                        .into_iter()
                        .flatten()
                        .map(convert)
                        .collect::<Result<Vec<_>>>()?;
                    Ok(OperandStack {
                        types,
                        unreachable: unreachable || unknown,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok((f, stacks))
        })
        .collect()
}

fn canonical_val_type(
    t: wp::ValType,
    map: &HashMap<wp::types::CoreTypeId, TypeId>,
) -> Result<ValType> {
    Ok(match t {
        wp::ValType::Ref(r) => {
            let heap = match r.heap_type() {
                wp::HeapType::Abstract { shared, ty } => HeapType::Abstract { shared, ty },
                wp::HeapType::Concrete(i) | wp::HeapType::Exact(i) => {
                    let id = match i {
                        wp::UnpackedIndex::Id(id) => *map
                            .get(&id)
                            .ok_or_else(|| Error::new("unknown canonical type"))?,
                        wp::UnpackedIndex::Module(m) => TypeId::new(m as usize),
                        wp::UnpackedIndex::RecGroup(_) => {
                            return Err(Error::new("rec-group index on the operand stack"));
                        }
                    };
                    if matches!(r.heap_type(), wp::HeapType::Exact(_)) {
                        HeapType::Exact(id)
                    } else {
                        HeapType::Concrete(id)
                    }
                }
            };
            ValType::Ref(RefType {
                nullable: r.is_nullable(),
                heap,
            })
        }
        other => ValType::from_wp(other, 0),
    })
}

/// Functions whose address is taken (`ref.func` anywhere, element segments, exports): the only
/// possible targets of `call_indirect` and `call_ref`, with imported functions.
pub fn address_taken(module: &Module) -> HashSet<FuncId> {
    struct Collect(HashSet<FuncId>);
    impl crate::instr::IdVisitor for Collect {
        fn func(&mut self, id: &mut FuncId) {
            self.0.insert(*id);
        }
    }
    // Every function id outside of `call`/`return_call` immediates and the function
    // section counts: visit the module's ids except function types, then the code.
    let mut collect = Collect(HashSet::new());
    let mut scratch = module.clone();
    scratch.start = None;
    scratch.visit_module_ids(&mut collect);
    for f in scratch.funcs.values_mut() {
        if let Def::Local(body) = &mut f.def {
            for seq in body.live_seqs() {
                for instr in &mut body.seqs[seq].instrs {
                    if let crate::instr::Instr::RefFunc { function_index } = instr {
                        collect.0.insert(*function_index);
                    }
                }
            }
        }
    }
    collect.0
}
