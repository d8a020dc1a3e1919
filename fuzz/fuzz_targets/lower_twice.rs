//! Fuzzes the determinism of `--lower-to-asyncify`: the module built from the input (see
//! `common`) lowered twice, once on a one-thread pool and once on the default pool, must give
//! byte-identical output (or be refused both times with the same message).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((_, bytes)) = common::module_from_bytes(data) else { return };
    let one_thread = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a thread pool");
    let first = one_thread.install(|| common::lower(&bytes));
    let second = common::lower(&bytes);
    assert_eq!(first, second, "two lowerings of one module differ");
});
