//! What the lowering fuzz targets share: turning the fuzzer's bytes into a WasmFX module, and
//! lowering it the way `wasmfx-opt --lower-to-asyncify` does.
//!
//! The first byte chooses the source. Most inputs become a program of the random program
//! generator (`tests/generator/`), whose every choice is read from the remaining bytes, so a
//! failure shrinks with its input. The others become a `wasm-smith` module (no imports, no GC,
//! so that the lowering accepts it and it can run) into which stack-switching instructions are
//! inserted where the bytes say: in reachable code, sequences that leave the operand stack as
//! they found it and really run (a continuation of an empty function resumed, bound and
//! resumed, or one that suspends to a handler around it); in dead code, after an instruction
//! that never completes, single instructions whose operands the polymorphic stack supplies,
//! each followed by `unreachable`.
#![allow(dead_code)]

#[path = "../../../tests/generator/mod.rs"]
pub mod generator;

use arbitrary::{Arbitrary, Unstructured};
use wasmfx_ir::*;

/// A module built from `data`, as binary; `None` when the bytes make nothing usable.
pub fn module_from_bytes(data: &[u8]) -> Option<(Source, Vec<u8>)> {
    let (&choice, rest) = data.split_first()?;
    if choice % 4 != 0 {
        let text = generator::program_from_bytes(rest);
        let bytes = text::parse_text(&text).expect("generated programs parse");
        return Some((Source::Generator, bytes));
    }
    smith_with_stack_switching(rest).map(|bytes| (Source::Smith, bytes))
}

/// Where a module came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A WASI command of the random program generator.
    Generator,
    /// A `wasm-smith` module with stack switching inserted; its zero-parameter exports run.
    Smith,
}

fn smith_with_stack_switching(data: &[u8]) -> Option<Vec<u8>> {
    let mut u = Unstructured::new(data);
    let mut config = wasm_smith::Config::arbitrary(&mut u).ok()?;
    config.max_imports = 0;
    config.gc_enabled = false;
    config.threads_enabled = false;
    config.shared_everything_threads_enabled = false;
    config.memory64_enabled = false;
    config.custom_page_sizes_enabled = false;
    config.custom_descriptors_enabled = false;
    config.wide_arithmetic_enabled = false;
    // Traps become checks, so that no access lands in the runtime's region above the
    // program's memory (a documented difference from native) and runs are comparable.
    config.disallow_traps = true;
    config.canonicalize_nans = true;
    let smith = wasm_smith::Module::new(config, &mut u).ok()?;
    let features = validate::default_features();
    let mut module = Module::from_bytes(&smith.to_bytes(), features).ok()?;
    insert_stack_switching(&mut module, &mut u);
    let bytes = module.to_bytes().ok()?;
    // An insertion the stack does not allow would be a bug of this builder, not of the pass.
    validate::validate(&bytes, features).ok()?;
    Some(bytes)
}

fn insert_stack_switching(module: &mut Module, u: &mut Unstructured) {
    let originals: Vec<FuncId> =
        module.funcs.iter().filter(|(_, f)| !f.def.is_import()).map(|(id, _)| id).collect();
    let ft = module.add_func_type(&[], &[]);
    let ct = module.add_type(SubTypeData {
        is_final: true,
        supertype: None,
        composite: CompositeType {
            inner: CompositeInner::Cont(ft),
            shared: false,
            descriptor: None,
            describes: None,
        },
        name: None,
        field_names: Default::default(),
    });
    let tag = module.tags.push(TagData { ty: ft, def: Def::Local(()), name: None });
    let nop = module.add_function(ft, FuncBody::new(&[]));
    let mut body = FuncBody::new(&[]);
    let entry = body.entry;
    body.instrs_mut(entry).push(Instr::Suspend { tag_index: tag });
    let susp = module.add_function(ft, body);
    module.elems.push(ElemData {
        mode: ElemMode::Declared,
        items: ElemItems::Functions(vec![nop, susp]),
        name: None,
    });
    let cont_ref = |nullable| RefType { nullable, heap: HeapType::Concrete(ct) };
    for f in originals {
        let Some(body) = module.body_mut(f) else { continue };
        for seq in body.live_seqs() {
            let n = body.seqs[seq].instrs.len();
            let dead_from = body.seqs[seq].instrs.iter().position(|i| i.is_unconditional_transfer());
            let Ok(count) = u.int_in_range(0..=2u8) else { return };
            for _ in 0..count {
                let Ok(at) = u.int_in_range(0..=n) else { return };
                let Ok(kind) = u.int_in_range(0..=4u8) else { return };
                let dead = dead_from.is_some_and(|d| at > d);
                let code: Vec<Instr> = if dead {
                    let x = match kind {
                        0 => Instr::Resume { cont_type_index: ct, resume_table: Box::default() },
                        1 => Instr::ContNew { cont_type_index: ct },
                        2 => Instr::ContBind { argument_index: ct, result_index: ct },
                        3 => Instr::Suspend { tag_index: tag },
                        _ => Instr::RefAsNonNull,
                    };
                    vec![x, Instr::Unreachable]
                } else {
                    match kind {
                        0 | 1 => vec![
                            Instr::RefFunc { function_index: nop },
                            Instr::ContNew { cont_type_index: ct },
                            Instr::Resume { cont_type_index: ct, resume_table: Box::default() },
                        ],
                        2 => vec![
                            Instr::RefFunc { function_index: nop },
                            Instr::ContNew { cont_type_index: ct },
                            Instr::ContBind { argument_index: ct, result_index: ct },
                            Instr::Resume { cont_type_index: ct, resume_table: Box::default() },
                        ],
                        3 => vec![Instr::RefNull { hty: cont_ref(true).heap }, Instr::Drop],
                        _ => {
                            // (block $h (result (ref $ct))
                            //   (resume $ct (on $tag $h) (cont.new $ct (ref.func $susp)))
                            //   unreachable)
                            // drop
                            let handler = body.add_seq();
                            body.instrs_mut(handler).extend([
                                Instr::RefFunc { function_index: susp },
                                Instr::ContNew { cont_type_index: ct },
                                Instr::Resume {
                                    cont_type_index: ct,
                                    resume_table: Box::new(vec![Handler::OnLabel { tag, label: handler }]),
                                },
                                Instr::Unreachable,
                            ]);
                            vec![
                                Instr::Block {
                                    blockty: Body {
                                        ty: BlockType::Value(ValType::Ref(cont_ref(false))),
                                        seq: handler,
                                    },
                                },
                                Instr::Drop,
                            ]
                        }
                    }
                };
                body.seqs[seq].instrs.splice(at..at, code);
            }
        }
    }
}

/// Lowers `bytes` as `wasmfx-opt --lower-to-asyncify` does ([`wasmfx_passes::lower_module`]).
/// `Ok(None)` when the pass refuses the module as unsupported, which is allowed; any other
/// failure (an internal error, a panic, an invalid output) is a bug and comes back as `Err`.
pub fn lower(bytes: &[u8]) -> Result<Option<Vec<u8>>, String> {
    match wasmfx_passes::lower_module(bytes, &Default::default()) {
        Ok(out) => Ok(Some(out)),
        Err(e) if !e.is_internal() && e.message().starts_with("unsupported: ") => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}
