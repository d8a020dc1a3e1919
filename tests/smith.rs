//! Fixed-seed `wasm-smith` modules, with every feature it offers, round-trip through the IR
//! to valid modules: the second write equals the first, and the printed text equals the
//! original's (the IR kept every instruction and section).

mod common;

use common::*;
use wasmfx::ir::text::print_text;

/// How many modules `cargo test` tries; `WASMFX_SMITH_COUNT` asks for more.
const DEFAULT_COUNT: u64 = 600;

fn config() -> wasm_smith::Config {
    wasm_smith::Config {
        bulk_memory_enabled: true,
        exceptions_enabled: true,
        gc_enabled: true,
        custom_descriptors_enabled: true,
        custom_page_sizes_enabled: true,
        generate_custom_sections: true,
        max_memories: 4,
        max_tables: 4,
        max_funcs: 40,
        max_instructions: 1000,
        memory64_enabled: true,
        multi_value_enabled: true,
        reference_types_enabled: true,
        relaxed_simd_enabled: true,
        saturating_float_to_int_enabled: true,
        sign_extension_ops_enabled: true,
        shared_everything_threads_enabled: true,
        simd_enabled: true,
        tail_call_enabled: true,
        threads_enabled: true,
        wide_arithmetic_enabled: true,
        extended_const_enabled: true,
        ..wasm_smith::Config::default()
    }
}

/// Deterministic bytes for `wasm-smith` to shape into a module (splitmix64).
fn seed_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        out.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    out
}

#[test]
fn wasm_smith_modules_round_trip() {
    let count =
        std::env::var("WASMFX_SMITH_COUNT").ok().and_then(|c| c.parse().ok()).unwrap_or(DEFAULT_COUNT);
    let mut failures = Vec::new();
    let mut tried = 0;
    let mut total_bytes = 0;
    for seed in 0..count {
        let data = seed_bytes(seed, 16 * 1024);
        let mut u = arbitrary::Unstructured::new(&data);
        let Ok(module) = wasm_smith::Module::new(config(), &mut u) else {
            continue;
        };
        let original = module.to_bytes();
        tried += 1;
        total_bytes += original.len();
        let check = || -> Result<(), String> {
            let first = round_trip(&original)?;
            let second = round_trip(&first)?;
            if first != second {
                return Err("second write differs from the first".into());
            }
            let printed_original = print_text(&original).map_err(|e| e.to_string())?;
            let printed_first = print_text(&first).map_err(|e| e.to_string())?;
            if printed_original != printed_first {
                let line = printed_original
                    .lines()
                    .zip(printed_first.lines())
                    .position(|(a, b)| a != b)
                    .map_or("lengths".to_string(), |l| format!("line {}", l + 1));
                return Err(format!("printed text differs at {line}"));
            }
            Ok(())
        };
        if let Err(e) = check() {
            failures.push(format!("seed {seed}: {e}"));
        }
    }
    eprintln!("wasm-smith: {tried} modules round-tripped ({total_bytes} bytes in all)");
    assert!(tried >= 500, "only {tried} modules were generated");
    assert!(failures.is_empty(), "{} of {tried} failed:\n{}", failures.len(), failures.join("\n"));
}
