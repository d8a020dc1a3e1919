//! One function body validated and read in a single pass over its operators (see the
//! parent module): each operator is decoded once and visited by `decode::Validated`, which
//! validates it and then builds its instruction into the sequence open at that point
//! (`BodyBuilder`).

use super::decode::{InstrSink, Validated};
use crate::error::{Error, Result};
use crate::ids::*;
use crate::instr::{IfBody, Instr, ReadLabels};
use crate::module::*;
use crate::types::*;
use wasmparser as wp;

/// An open sequence while reading: its instructions so far are `pending[start..]`, and the
/// structured instruction that opened it is `pending[owner]` (so an `else` can record its arm).
struct Frame {
    seq: SeqId,
    start: usize,
    owner: Option<usize>,
}

/// Moves the instructions of the innermost open sequence into it, in a vector of exactly
/// their length: growing each sequence's own vector while reading would leave a third of the
/// memory unused on average and copy every instruction log(n) times.
fn close(seqs: &mut EntityVec<SeqId, SeqData>, pending: &mut Vec<Instr>, frame: &Frame) {
    seqs[frame.seq].instrs = pending.drain(frame.start..).collect();
}

/// A body's validator, ready to take its operators.
pub(super) type FuncToValidate = wp::FuncToValidate<wp::ValidatorResources>;

/// What a thread keeps between the bodies it reads, so that it allocates it once: the
/// instructions of the open sequences (empty between bodies) and the validator's and the
/// operator reader's stacks.
#[derive(Default)]
pub(super) struct Scratch {
    pending: Vec<Instr>,
    validator: wp::FuncValidatorAllocations,
    operators: wp::OperatorsReaderAllocations,
}

/// How reading one body ended.
pub(super) enum BodyOutcome {
    Read(FuncBody, LabelOrder),
    /// The body is invalid (the validator's error).
    Invalid(Error),
    /// The body is valid but holds something the reader does not support.
    Refused(Error),
}

/// Validates and reads one function body.
pub(super) fn read_body(
    body: &wp::FunctionBody<'_>,
    params: &[ValType],
    func: FuncToValidate,
    scratch: &mut Scratch,
) -> BodyOutcome {
    let features = func.features;
    let mut validator = func.into_validator(std::mem::take(&mut scratch.validator));
    let outcome = read_valid_body(body, params, features, &mut validator, scratch);
    scratch.validator = validator.into_allocations();
    outcome
}

fn read_valid_body(
    body: &wp::FunctionBody<'_>,
    params: &[ValType],
    features: wp::WasmFeatures,
    validator: &mut wp::FuncValidator<wp::ValidatorResources>,
    scratch: &mut Scratch,
) -> BodyOutcome {
    let invalid = |e: wp::BinaryReaderError| BodyOutcome::Invalid(Error::from(e));
    let mut locals: EntityVec<LocalId, LocalData> =
        params.iter().map(|&ty| LocalData { ty, name: None }).collect();
    // The locals as `FuncValidator::read_locals` reads them, each group validated before the
    // reader makes room for it.
    let mut reader = body.get_binary_reader();
    let groups = match reader.read_var_u32() {
        Ok(n) => n,
        Err(e) => return invalid(e),
    };
    for _ in 0..groups {
        let offset = reader.original_position();
        let group = reader.read::<u32>().and_then(|count| Ok((count, reader.read::<wp::ValType>()?)));
        let (count, ty) = match group
            .and_then(|(count, ty)| validator.define_locals(offset, count, ty).map(|()| (count, ty)))
        {
            Ok(group) => group,
            Err(e) => return invalid(e),
        };
        let ty = ValType::from_wp(ty, 0);
        for _ in 0..count {
            locals.push(LocalData { ty, name: None });
        }
    }
    reader.set_features(features);
    let mut ops = wp::OperatorsReader::new_with_allocs(reader, std::mem::take(&mut scratch.operators));
    let mut visitor = Validated {
        validator,
        offset: ops.original_position(),
        sink: BodyBuilder::new(ops.original_position(), &mut scratch.pending),
        refused: None,
    };
    let mut invalid_op = None;
    while !ops.eof() {
        let offset = ops.original_position();
        visitor.offset = offset;
        visitor.sink.offset = offset;
        if let Err(e) = ops.visit_operator(&mut visitor).and_then(|valid| valid) {
            invalid_op = Some(e);
            break;
        }
    }
    let Validated { sink: builder, refused, .. } = visitor;
    let outcome = match invalid_op {
        Some(e) => invalid(e),
        None => match (ops.finish(), refused) {
            (Err(e), _) => invalid(e),
            (Ok(()), Some(e)) => BodyOutcome::Refused(e),
            (Ok(()), None) => match builder.finish(locals, params.len() as u32, body.range().start) {
                Ok((body, labels)) => BodyOutcome::Read(body, labels),
                Err(e) => BodyOutcome::Refused(e),
            },
        },
    };
    scratch.pending.clear();
    scratch.operators = ops.into_allocations();
    outcome
}

/// A body being built from its operators: the sequences, the labels open, and the
/// instructions of the open sequences in `pending`.
struct BodyBuilder<'p> {
    seqs: EntityVec<SeqId, SeqData>,
    /// The labels open, innermost last (the function's own first).
    labels: Vec<SeqId>,
    /// Every label in the order the binary opens them, for the name section's label names.
    label_order: LabelOrder,
    /// The offset of the operator being read, for errors.
    offset: usize,
    entry: SeqId,
    frames: Vec<Frame>,
    /// Whether the instruction being built opened a body.
    opened: bool,
    pending: &'p mut Vec<Instr>,
}

impl ReadLabels for BodyBuilder<'_> {
    fn label(&self, depth: u32) -> Result<SeqId> {
        let n = self.labels.len();
        (depth as usize)
            .checked_add(1)
            .and_then(|d| n.checked_sub(d))
            .map(|i| self.labels[i])
            .ok_or_else(|| Error::new(format!("branch depth {depth} out of range")).at(self.offset))
    }

    fn open_body(&mut self) -> Result<SeqId> {
        let seq = self.seqs.push(SeqData::default());
        self.labels.push(seq);
        self.label_order.push(seq);
        self.opened = true;
        Ok(seq)
    }

    fn offset(&self) -> usize {
        self.offset
    }
}

impl InstrSink for BodyBuilder<'_> {
    fn push(&mut self, instr: Instr) -> Result<()> {
        if self.frames.is_empty() {
            return Err(Error::new("operators after the end of the function").at(self.offset));
        }
        self.pending.push(instr);
        if std::mem::take(&mut self.opened) {
            let seq = *self.labels.last().expect("a label was just opened");
            let owner = self.pending.len() - 1;
            self.frames.push(Frame { seq, start: self.pending.len(), owner: Some(owner) });
        }
        Ok(())
    }

    fn else_(&mut self) -> Result<()> {
        let frame =
            self.frames.last_mut().ok_or_else(|| Error::new("`else` outside a block").at(self.offset))?;
        let Some(owner) = frame.owner else {
            return Err(Error::new("`else` outside an `if`").at(self.offset));
        };
        close(&mut self.seqs, self.pending, frame);
        let else_seq = self.seqs.push(SeqData::default());
        match &mut self.pending[owner] {
            Instr::If { blockty: IfBody { else_, .. } } => *else_ = Some(else_seq),
            _ => return Err(Error::new("`else` outside an `if`").at(self.offset)),
        }
        frame.seq = else_seq;
        Ok(())
    }

    fn end(&mut self) -> Result<()> {
        let frame = self.frames.pop().ok_or_else(|| Error::new("`end` outside a block").at(self.offset))?;
        close(&mut self.seqs, self.pending, &frame);
        self.labels.pop();
        Ok(())
    }
}

impl<'p> BodyBuilder<'p> {
    fn new(offset: usize, pending: &'p mut Vec<Instr>) -> Self {
        let mut seqs = EntityVec::new();
        // The function's own label is the entry sequence; it is not counted among label names.
        let entry = seqs.push(SeqData::default());
        pending.clear();
        BodyBuilder {
            seqs,
            labels: vec![entry],
            label_order: Vec::new(),
            offset,
            entry,
            frames: vec![Frame { seq: entry, start: 0, owner: None }],
            opened: false,
            pending,
        }
    }

    fn finish(
        self,
        locals: EntityVec<LocalId, LocalData>,
        num_params: u32,
        source_offset: usize,
    ) -> Result<(FuncBody, LabelOrder)> {
        if !self.frames.is_empty() {
            return Err(Error::new("function body ends inside a block").at(self.offset));
        }
        let body = FuncBody {
            locals,
            num_params,
            seqs: self.seqs,
            entry: self.entry,
            source_offset: Some(source_offset),
        };
        Ok((body, self.label_order))
    }
}
