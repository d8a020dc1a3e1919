//! Fuzzes the IR with valid modules from `wasm-smith`, under configurations the fuzzer picks
//! (so every feature wasm-smith offers is reached): each must read, write validly, and write
//! the same bytes a second time.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use wasmfx_ir::{Module, validate};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(config) = wasm_smith::Config::arbitrary(&mut u) else { return };
    let Ok(module) = wasm_smith::Module::new(config, &mut u) else { return };
    let bytes = module.to_bytes();
    let features = validate::default_features();
    let read = Module::from_bytes(&bytes, features).expect("wasm-smith output is valid and readable");
    let first = read.to_valid_bytes(features).expect("writes back validly");
    let second = Module::from_bytes(&first, features).unwrap().to_bytes().unwrap();
    assert_eq!(first, second, "round trip is not stable");
});
