//! Instructions to bytes: the commonest operators straight into the output, every other one
//! through `wasmparser`'s operator and `wasm-encoder`'s general re-encoding.
//!
//! A compiled program is mostly core operators (locals, constants, loads and stores,
//! arithmetic, calls, branches, blocks). Going through the two intermediate forms costs, for
//! each of them, a `wasmparser::Operator` built field by field, a match over all of
//! `wasm-encoder`'s instructions and a conversion of every operand: most of the writer's time
//! on a big module. [`ByteEmitter::instruction`] writes the core operators (the MVP's and
//! the sign-extension ones) with `wasm-encoder`'s `InstructionSink`, one method per operator,
//! so the opcodes and operand encodings are still `wasm-encoder`'s and the bytes are the
//! same as the general path's. Any other instruction goes through `Instr::emit` (generated
//! with `Instr`, so no operator is forgotten): the match below is a shortcut, not a list of
//! what can be written.
//!
//! Before: `Instr::I32Load { memarg }` → `wp::Operator::I32Load { memarg }` →
//! `we::Instruction::I32Load(we::MemArg)` → bytes. After: `Instr::I32Load { memarg }` →
//! `InstructionSink::i32_load` → bytes.

use crate::error::{Error, Result};
use crate::ids::DataId;
use crate::instr::{EmitInstr, Instr, MemArg, WriteLabels};
use crate::types::BlockType;
use crate::visit::{IdReader, ReadIds};
use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{self as we, Encode};
use wasmparser as wp;

/// Encodes instructions into bytes.
#[derive(Default)]
pub(super) struct ByteEmitter {
    pub(super) sink: Vec<u8>,
    /// The depths of a `br_table` being written, kept to reuse the allocation.
    depths: Vec<u32>,
    /// Whether an instruction written so far names a data segment (`memory.init`,
    /// `data.drop`, `array.new_data`, `array.init_data`): such code needs the data count
    /// section. No operator written directly names one.
    pub(super) uses_data: bool,
}

impl EmitInstr for ByteEmitter {
    fn instruction(&mut self, instr: &Instr, labels: &mut dyn WriteLabels) -> Result<()> {
        let mut s = we::InstructionSink::new(&mut self.sink);
        match instr {
            Instr::Block { blockty } => {
                labels.open_body(blockty.seq, &[blockty.seq]);
                s.block(block_type(blockty.ty));
            }
            Instr::Loop { blockty } => {
                labels.open_body(blockty.seq, &[blockty.seq]);
                s.loop_(block_type(blockty.ty));
            }
            Instr::If { blockty } => {
                match blockty.else_ {
                    Some(else_) => labels.open_body(blockty.then, &[blockty.then, else_]),
                    None => labels.open_body(blockty.then, &[blockty.then]),
                }
                s.if_(block_type(blockty.ty));
            }
            Instr::Br { relative_depth } => {
                s.br(labels.depth(*relative_depth)?);
            }
            Instr::BrIf { relative_depth } => {
                s.br_if(labels.depth(*relative_depth)?);
            }
            Instr::BrTable { targets } => {
                self.depths.clear();
                for target in &targets.targets {
                    self.depths.push(labels.depth(*target)?);
                }
                let default = labels.depth(targets.default)?;
                s.br_table(self.depths.iter().copied(), default);
            }
            Instr::Call { function_index } => {
                s.call(function_index.as_u32());
            }
            Instr::CallIndirect { type_index, table_index } => {
                s.call_indirect(table_index.as_u32(), type_index.as_u32());
            }
            Instr::LocalGet { local_index } => {
                s.local_get(local_index.as_u32());
            }
            Instr::LocalSet { local_index } => {
                s.local_set(local_index.as_u32());
            }
            Instr::LocalTee { local_index } => {
                s.local_tee(local_index.as_u32());
            }
            Instr::GlobalGet { global_index } => {
                s.global_get(global_index.as_u32());
            }
            Instr::GlobalSet { global_index } => {
                s.global_set(global_index.as_u32());
            }
            Instr::MemorySize { mem } => {
                s.memory_size(mem.as_u32());
            }
            Instr::MemoryGrow { mem } => {
                s.memory_grow(mem.as_u32());
            }
            Instr::I32Const { value } => {
                s.i32_const(*value);
            }
            Instr::I64Const { value } => {
                s.i64_const(*value);
            }
            Instr::F32Const { value } => {
                s.f32_const(we::Ieee32::new(value.bits()));
            }
            Instr::F64Const { value } => {
                s.f64_const(we::Ieee64::new(value.bits()));
            }
            _ => return self.general(instr, labels),
        }
        Ok(())
    }

    fn parser(&mut self, op: wp::Operator<'_>) -> Result<()> {
        let instr = RoundtripReencoder
            .instruction(op)
            .map_err(|e| Error::new(format!("cannot encode an instruction: {e}")))?;
        instr.encode(&mut self.sink);
        Ok(())
    }

    fn encoder(&mut self, instr: we::Instruction<'_>) -> Result<()> {
        instr.encode(&mut self.sink);
        Ok(())
    }
}

impl ByteEmitter {
    /// An emitter that looks for uses of data segments only if `look_for_data`.
    pub(super) fn new(look_for_data: bool) -> Self {
        let mut emit = ByteEmitter::default();
        emit.start(look_for_data);
        emit
    }

    /// Empties the emitter for another body (keeping its buffers), looking for uses of data
    /// segments only if `look_for_data`.
    pub(super) fn start(&mut self, look_for_data: bool) {
        self.sink.clear();
        // Starts as found when nobody asks, so that nothing is looked at.
        self.uses_data = !look_for_data;
    }

    /// Writes the operators without operands and those with a memory argument, or any other
    /// through the general path.
    fn general(&mut self, instr: &Instr, labels: &mut dyn WriteLabels) -> Result<()> {
        let mut s = we::InstructionSink::new(&mut self.sink);
        match instr {
            Instr::Unreachable => s.unreachable(),
            Instr::Nop => s.nop(),
            Instr::Return => s.return_(),
            Instr::Drop => s.drop(),
            Instr::Select => s.select(),
            Instr::I32Load { memarg } => s.i32_load(mem_arg(memarg)),
            Instr::I64Load { memarg } => s.i64_load(mem_arg(memarg)),
            Instr::F32Load { memarg } => s.f32_load(mem_arg(memarg)),
            Instr::F64Load { memarg } => s.f64_load(mem_arg(memarg)),
            Instr::I32Load8S { memarg } => s.i32_load8_s(mem_arg(memarg)),
            Instr::I32Load8U { memarg } => s.i32_load8_u(mem_arg(memarg)),
            Instr::I32Load16S { memarg } => s.i32_load16_s(mem_arg(memarg)),
            Instr::I32Load16U { memarg } => s.i32_load16_u(mem_arg(memarg)),
            Instr::I64Load8S { memarg } => s.i64_load8_s(mem_arg(memarg)),
            Instr::I64Load8U { memarg } => s.i64_load8_u(mem_arg(memarg)),
            Instr::I64Load16S { memarg } => s.i64_load16_s(mem_arg(memarg)),
            Instr::I64Load16U { memarg } => s.i64_load16_u(mem_arg(memarg)),
            Instr::I64Load32S { memarg } => s.i64_load32_s(mem_arg(memarg)),
            Instr::I64Load32U { memarg } => s.i64_load32_u(mem_arg(memarg)),
            Instr::I32Store { memarg } => s.i32_store(mem_arg(memarg)),
            Instr::I64Store { memarg } => s.i64_store(mem_arg(memarg)),
            Instr::F32Store { memarg } => s.f32_store(mem_arg(memarg)),
            Instr::F64Store { memarg } => s.f64_store(mem_arg(memarg)),
            Instr::I32Store8 { memarg } => s.i32_store8(mem_arg(memarg)),
            Instr::I32Store16 { memarg } => s.i32_store16(mem_arg(memarg)),
            Instr::I64Store8 { memarg } => s.i64_store8(mem_arg(memarg)),
            Instr::I64Store16 { memarg } => s.i64_store16(mem_arg(memarg)),
            Instr::I64Store32 { memarg } => s.i64_store32(mem_arg(memarg)),
            Instr::I32Eqz => s.i32_eqz(),
            Instr::I32Eq => s.i32_eq(),
            Instr::I32Ne => s.i32_ne(),
            Instr::I32LtS => s.i32_lt_s(),
            Instr::I32LtU => s.i32_lt_u(),
            Instr::I32GtS => s.i32_gt_s(),
            Instr::I32GtU => s.i32_gt_u(),
            Instr::I32LeS => s.i32_le_s(),
            Instr::I32LeU => s.i32_le_u(),
            Instr::I32GeS => s.i32_ge_s(),
            Instr::I32GeU => s.i32_ge_u(),
            Instr::I64Eqz => s.i64_eqz(),
            Instr::I64Eq => s.i64_eq(),
            Instr::I64Ne => s.i64_ne(),
            Instr::I64LtS => s.i64_lt_s(),
            Instr::I64LtU => s.i64_lt_u(),
            Instr::I64GtS => s.i64_gt_s(),
            Instr::I64GtU => s.i64_gt_u(),
            Instr::I64LeS => s.i64_le_s(),
            Instr::I64LeU => s.i64_le_u(),
            Instr::I64GeS => s.i64_ge_s(),
            Instr::I64GeU => s.i64_ge_u(),
            Instr::F32Eq => s.f32_eq(),
            Instr::F32Ne => s.f32_ne(),
            Instr::F32Lt => s.f32_lt(),
            Instr::F32Gt => s.f32_gt(),
            Instr::F32Le => s.f32_le(),
            Instr::F32Ge => s.f32_ge(),
            Instr::F64Eq => s.f64_eq(),
            Instr::F64Ne => s.f64_ne(),
            Instr::F64Lt => s.f64_lt(),
            Instr::F64Gt => s.f64_gt(),
            Instr::F64Le => s.f64_le(),
            Instr::F64Ge => s.f64_ge(),
            Instr::I32Clz => s.i32_clz(),
            Instr::I32Ctz => s.i32_ctz(),
            Instr::I32Popcnt => s.i32_popcnt(),
            Instr::I32Add => s.i32_add(),
            Instr::I32Sub => s.i32_sub(),
            Instr::I32Mul => s.i32_mul(),
            Instr::I32DivS => s.i32_div_s(),
            Instr::I32DivU => s.i32_div_u(),
            Instr::I32RemS => s.i32_rem_s(),
            Instr::I32RemU => s.i32_rem_u(),
            Instr::I32And => s.i32_and(),
            Instr::I32Or => s.i32_or(),
            Instr::I32Xor => s.i32_xor(),
            Instr::I32Shl => s.i32_shl(),
            Instr::I32ShrS => s.i32_shr_s(),
            Instr::I32ShrU => s.i32_shr_u(),
            Instr::I32Rotl => s.i32_rotl(),
            Instr::I32Rotr => s.i32_rotr(),
            Instr::I64Clz => s.i64_clz(),
            Instr::I64Ctz => s.i64_ctz(),
            Instr::I64Popcnt => s.i64_popcnt(),
            Instr::I64Add => s.i64_add(),
            Instr::I64Sub => s.i64_sub(),
            Instr::I64Mul => s.i64_mul(),
            Instr::I64DivS => s.i64_div_s(),
            Instr::I64DivU => s.i64_div_u(),
            Instr::I64RemS => s.i64_rem_s(),
            Instr::I64RemU => s.i64_rem_u(),
            Instr::I64And => s.i64_and(),
            Instr::I64Or => s.i64_or(),
            Instr::I64Xor => s.i64_xor(),
            Instr::I64Shl => s.i64_shl(),
            Instr::I64ShrS => s.i64_shr_s(),
            Instr::I64ShrU => s.i64_shr_u(),
            Instr::I64Rotl => s.i64_rotl(),
            Instr::I64Rotr => s.i64_rotr(),
            Instr::F32Abs => s.f32_abs(),
            Instr::F32Neg => s.f32_neg(),
            Instr::F32Ceil => s.f32_ceil(),
            Instr::F32Floor => s.f32_floor(),
            Instr::F32Trunc => s.f32_trunc(),
            Instr::F32Nearest => s.f32_nearest(),
            Instr::F32Sqrt => s.f32_sqrt(),
            Instr::F32Add => s.f32_add(),
            Instr::F32Sub => s.f32_sub(),
            Instr::F32Mul => s.f32_mul(),
            Instr::F32Div => s.f32_div(),
            Instr::F32Min => s.f32_min(),
            Instr::F32Max => s.f32_max(),
            Instr::F32Copysign => s.f32_copysign(),
            Instr::F64Abs => s.f64_abs(),
            Instr::F64Neg => s.f64_neg(),
            Instr::F64Ceil => s.f64_ceil(),
            Instr::F64Floor => s.f64_floor(),
            Instr::F64Trunc => s.f64_trunc(),
            Instr::F64Nearest => s.f64_nearest(),
            Instr::F64Sqrt => s.f64_sqrt(),
            Instr::F64Add => s.f64_add(),
            Instr::F64Sub => s.f64_sub(),
            Instr::F64Mul => s.f64_mul(),
            Instr::F64Div => s.f64_div(),
            Instr::F64Min => s.f64_min(),
            Instr::F64Max => s.f64_max(),
            Instr::F64Copysign => s.f64_copysign(),
            Instr::I32WrapI64 => s.i32_wrap_i64(),
            Instr::I32TruncF32S => s.i32_trunc_f32_s(),
            Instr::I32TruncF32U => s.i32_trunc_f32_u(),
            Instr::I32TruncF64S => s.i32_trunc_f64_s(),
            Instr::I32TruncF64U => s.i32_trunc_f64_u(),
            Instr::I64ExtendI32S => s.i64_extend_i32_s(),
            Instr::I64ExtendI32U => s.i64_extend_i32_u(),
            Instr::I64TruncF32S => s.i64_trunc_f32_s(),
            Instr::I64TruncF32U => s.i64_trunc_f32_u(),
            Instr::I64TruncF64S => s.i64_trunc_f64_s(),
            Instr::I64TruncF64U => s.i64_trunc_f64_u(),
            Instr::F32ConvertI32S => s.f32_convert_i32_s(),
            Instr::F32ConvertI32U => s.f32_convert_i32_u(),
            Instr::F32ConvertI64S => s.f32_convert_i64_s(),
            Instr::F32ConvertI64U => s.f32_convert_i64_u(),
            Instr::F32DemoteF64 => s.f32_demote_f64(),
            Instr::F64ConvertI32S => s.f64_convert_i32_s(),
            Instr::F64ConvertI32U => s.f64_convert_i32_u(),
            Instr::F64ConvertI64S => s.f64_convert_i64_s(),
            Instr::F64ConvertI64U => s.f64_convert_i64_u(),
            Instr::F64PromoteF32 => s.f64_promote_f32(),
            Instr::I32ReinterpretF32 => s.i32_reinterpret_f32(),
            Instr::I64ReinterpretF64 => s.i64_reinterpret_f64(),
            Instr::F32ReinterpretI32 => s.f32_reinterpret_i32(),
            Instr::F64ReinterpretI64 => s.f64_reinterpret_i64(),
            Instr::I32Extend8S => s.i32_extend8_s(),
            Instr::I32Extend16S => s.i32_extend16_s(),
            Instr::I64Extend8S => s.i64_extend8_s(),
            Instr::I64Extend16S => s.i64_extend16_s(),
            Instr::I64Extend32S => s.i64_extend32_s(),
            _ => {
                if !self.uses_data {
                    let mut names_data = NamesData(false);
                    instr.read_ids(&mut names_data);
                    self.uses_data = names_data.0;
                }
                return instr.emit(labels, self);
            }
        };
        Ok(())
    }
}

/// Whether an instruction names a data segment.
struct NamesData(bool);

impl IdReader for NamesData {
    fn data(&mut self, _: &DataId) {
        self.0 = true;
    }
}

fn mem_arg(m: &MemArg) -> we::MemArg {
    we::MemArg { offset: m.offset, align: u32::from(m.align), memory_index: m.memory.as_u32() }
}

fn block_type(ty: BlockType) -> we::BlockType {
    match ty {
        BlockType::Empty => we::BlockType::Empty,
        BlockType::Value(t) => we::BlockType::Result(t.to_we()),
        BlockType::Func(t) => we::BlockType::FunctionType(t.as_u32()),
    }
}
