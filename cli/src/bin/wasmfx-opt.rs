//! `wasmfx-opt`: see `wasmfx_cli::opt`.

fn main() {
    // A panic is reported as one `internal error` line with its location, not Rust's report.
    wasmfx_cli::io::install_panic_hook();
    map_thread_heaps_whole();
    std::process::exit(wasmfx_cli::opt::main(std::env::args_os()));
}

/// Makes glibc map each thread's heap read-write whole when it creates it. The bodies are
/// read and written on rayon's threads, whose heaps (64 MiB each) glibc otherwise opens one
/// `mprotect` call at a time for exactly what an allocation needs: about 29,000 calls, a
/// tenth of the CPU time of a 14 MB module's round trip. With a top pad of a whole heap,
/// each is opened by one call; pages are still only backed when touched (peak memory +4%).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn map_thread_heaps_whole() {
    /// glibc's largest thread heap on 64-bit targets (`HEAP_MAX_SIZE`).
    const THREAD_HEAP: libc::c_int = 64 << 20;
    // SAFETY: `mallopt` only sets an allocator parameter, before any other thread starts.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, THREAD_HEAP);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn map_thread_heaps_whole() {}
