//! The C benchmarks' builds: one C source per benchmark on the fiber interface
//! (`benches/c/fiber.h`), built for each back end, and a bespoke C source.
//!
//! - bespoke: `clang -O3 --target=wasm32-wasi` of the bespoke source;
//! - asyncify: the program and `fiber_asyncify.c`, then Binaryen's `wasm-opt --asyncify
//!   --pass-arg=asyncify-ignore-imports -O2` (the paper's build of its baseline); what clang
//!   linked, before `wasm-opt`, is kept as the Asyncify build's input, so that the report can
//!   say how much Asyncify adds;
//! - wasmfx: the program and `fiber_wasmfx.c` (linked with `--export-table`), then
//!   `fiber_wasmfx.wat` linked in with [`wasmfx_ir::Module::link`] (as `wasmfx-opt --link
//!   fiber@fiber_wasmfx.wat` does); lowered: that module through `--lower-to-asyncify -O2`;
//!   lowered + Binaryen -O2: that module through `--lower-to-asyncify`, then `wasm-opt -O2`.
//!
//! Objects are compiled with `-O3 -c` and linked without `-O`: given `-O`, clang's driver runs
//! whatever `wasm-opt` is on `PATH` over the linked module, which would make the builds depend
//! on the machine. The clang and `wasm-opt` outputs are cached under the cache directory, in a
//! folder named by a hash of every source in the C directory, the flags and the tools' versions,
//! so they are rebuilt when a source changes; the linking and lowering run every time (they
//! take milliseconds and follow this build of wasmfx). Every module is written with its custom
//! sections stripped, so a size is the code's and data's.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::binaryen::{WasmOpt, step, version_line};

/// The C compiler and Binaryen's optimiser.
#[derive(Clone, Debug)]
pub struct CToolchain {
    /// `clang-19` (or `$WASMFX_CLANG`).
    pub clang: PathBuf,
    /// Binaryen's `wasm-opt`.
    pub wasm_opt: WasmOpt,
    /// Both tools' version lines, for the cache key and the report.
    pub versions: Vec<(String, String)>,
}

const CFLAGS: [&str; 3] = ["-O3", "--target=wasm32-wasi", "-c"];
const ASYNCIFY_FLAGS: [&str; 3] = ["--asyncify", "--pass-arg=asyncify-ignore-imports", "-O2"];

impl CToolchain {
    /// Finds the tools, or says in one line what is missing and how to get it.
    pub fn find(tools_dir: &Path) -> Result<CToolchain, String> {
        let hint = "run scripts/install-deps, or leave the C variants out with --variant";
        let clang = std::env::var_os("WASMFX_CLANG").map_or_else(|| PathBuf::from("clang-19"), PathBuf::from);
        let clang_version = version_line(&clang)
            .ok_or_else(|| format!("the C benchmarks need {} (not found): {hint}", clang.display()))?;
        let wasm_opt = WasmOpt::find(tools_dir, "the C benchmarks", hint)?;
        let versions = vec![("clang".into(), clang_version), ("wasm-opt".into(), wasm_opt.version.clone())];
        Ok(CToolchain { clang, wasm_opt, versions })
    }
}

/// The modules of one C benchmark, each written with custom sections stripped.
#[derive(Clone, Debug)]
pub struct CBuilt {
    /// Bespoke C, no fibers (when there is a bespoke source).
    pub bespoke: Option<PathBuf>,
    /// Fibers on Binaryen's Asyncify.
    pub asyncify: PathBuf,
    /// What `wasm-opt --asyncify -O2` was given: clang's output for the Asyncify back end.
    pub asyncify_input: PathBuf,
    /// Fibers on WasmFX.
    pub wasmfx: PathBuf,
    /// The WasmFX module lowered by `--lower-to-asyncify -O2`.
    pub lowered: PathBuf,
    /// The WasmFX module lowered by `--lower-to-asyncify`, then Binaryen's `wasm-opt -O2`.
    pub lowered_binaryen_o2: PathBuf,
}

/// FNV-1a, 64 bits: a stable hash for cache keys.
fn fnv(hash: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *hash ^= u64::from(b);
        *hash = hash.wrapping_mul(0x100_0000_01b3);
    }
}

/// What a cache folder holds: the bespoke build, the Asyncify build, the C half of the WasmFX
/// build, and what `wasm-opt --asyncify` was given.
const OUTPUTS: [&str; 4] = ["bespoke.wasm", "asyncify.wasm", "wasmfx-c.wasm", "asyncify-input.wasm"];

/// The cache key of one benchmark's builds: every source (`.c`, `.h`, `.wat`) of the C
/// directory, the flags, the tools' versions, the sources' names and the names of the
/// outputs (a folder of an older layout is not taken for this one).
fn cache_key(c_dir: &Path, sources: &[&Path], tools: &CToolchain) -> Result<u64, String> {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    let mut files: Vec<PathBuf> = std::fs::read_dir(c_dir)
        .map_err(|e| format!("{}: {e}", c_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "c" || e == "h" || e == "wat"))
        .collect();
    files.sort();
    for f in files {
        fnv(&mut hash, f.file_name().unwrap_or_default().as_encoded_bytes());
        fnv(&mut hash, &std::fs::read(&f).map_err(|e| format!("{}: {e}", f.display()))?);
    }
    for s in sources {
        fnv(&mut hash, s.as_os_str().as_encoded_bytes());
    }
    for part in CFLAGS.iter().chain(&ASYNCIFY_FLAGS) {
        fnv(&mut hash, part.as_bytes());
    }
    for (_, v) in &tools.versions {
        fnv(&mut hash, v.as_bytes());
    }
    for output in OUTPUTS {
        fnv(&mut hash, output.as_bytes());
    }
    Ok(hash)
}

/// `bytes` without its custom sections (the name section, producers, target features...).
pub fn strip_custom_sections(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let bad = || "not a WebAssembly module".to_string();
    if bytes.len() < 8 || &bytes[..4] != b"\0asm" {
        return Err(bad());
    }
    let mut out = bytes[..8].to_vec();
    let mut at = 8;
    while at < bytes.len() {
        let id = bytes[at];
        let (mut size, mut shift, mut i) = (0usize, 0u32, at + 1);
        loop {
            let b = *bytes.get(i).ok_or_else(bad)?;
            size |= usize::from(b & 0x7f) << shift;
            shift += 7;
            i += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
        let end = i.checked_add(size).filter(|&e| e <= bytes.len()).ok_or_else(bad)?;
        if id != 0 {
            out.extend_from_slice(&bytes[at..end]);
        }
        at = end;
    }
    Ok(out)
}

fn write_stripped(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let stripped = strip_custom_sections(bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    std::fs::write(path, stripped).map_err(|e| format!("{}: {e}", path.display()))
}

/// Builds (or finds in the cache) the clang and wasm-opt outputs of one benchmark, in a
/// folder of `cache` named by their key: `bespoke.wasm`, `asyncify.wasm` and
/// `wasmfx-c.wasm` (the program with the C half of the WasmFX back end, before linking).
fn compile(
    name: &str,
    fibers: &Path,
    bespoke: Option<&Path>,
    cache: &Path,
    tools: &CToolchain,
) -> Result<PathBuf, String> {
    let c_dir = fibers.parent().unwrap_or(Path::new("."));
    let key = cache_key(c_dir, &[Some(fibers), bespoke].into_iter().flatten().collect::<Vec<_>>(), tools)?;
    let dir = cache.join(format!("{name}-{key:016x}"));
    let outputs = OUTPUTS;
    let wanted = if bespoke.is_some() { &outputs[..] } else { &outputs[1..] };
    if wanted.iter().all(|o| dir.join(o).is_file()) {
        return Ok(dir);
    }
    // Built in a fresh folder and renamed into place, so a cache folder is whole or absent.
    std::fs::create_dir_all(cache).map_err(|e| format!("{}: {e}", cache.display()))?;
    let tmp = tempfile::tempdir_in(cache).map_err(|e| format!("{}: {e}", cache.display()))?;
    let t = tmp.path();
    let cc = |src: &Path, obj: &str| -> Result<(), String> {
        step(
            &format!("compiling {}", src.display()),
            Command::new(&tools.clang).args(CFLAGS).arg("-I").arg(c_dir).arg(src).arg("-o").arg(t.join(obj)),
        )
    };
    let link = |objs: &[&str], out: &str, extra: &[&str]| -> Result<(), String> {
        let mut cmd = Command::new(&tools.clang);
        cmd.arg("--target=wasm32-wasi");
        for o in objs {
            cmd.arg(t.join(o));
        }
        step(&format!("linking {name}: {out}"), cmd.args(extra).arg("-o").arg(t.join(out)))
    };
    if let Some(bespoke) = bespoke {
        cc(bespoke, "bespoke.o")?;
        link(&["bespoke.o"], "bespoke.linked.wasm", &[])?;
    }
    cc(fibers, "program.o")?;
    cc(&c_dir.join("fiber_asyncify.c"), "fiber_asyncify.o")?;
    cc(&c_dir.join("fiber_wasmfx.c"), "fiber_wasmfx.o")?;
    link(&["program.o", "fiber_asyncify.o"], "asyncify.linked.wasm", &[])?;
    link(&["program.o", "fiber_wasmfx.o"], "wasmfx-c.linked.wasm", &["-Wl,--export-table"])?;
    tools.wasm_opt.run(
        &format!("{name}: wasm-opt --asyncify"),
        &t.join("asyncify.linked.wasm"),
        &ASYNCIFY_FLAGS,
        &t.join("asyncify.opt.wasm"),
    )?;
    for (from, to) in [
        ("bespoke.linked.wasm", outputs[0]),
        ("asyncify.opt.wasm", outputs[1]),
        ("wasmfx-c.linked.wasm", outputs[2]),
        ("asyncify.linked.wasm", outputs[3]),
    ] {
        if !wanted.contains(&to) {
            continue;
        }
        let bytes = std::fs::read(t.join(from)).map_err(|e| format!("{from}: {e}"))?;
        write_stripped(&t.join(to), &bytes)?;
    }
    let kept = tmp.keep();
    if let Err(e) = std::fs::rename(&kept, &dir) {
        // Another run built the same folder meanwhile: theirs is as good.
        let _ = std::fs::remove_dir_all(&kept);
        if !dir.is_dir() {
            return Err(format!("{}: {e}", dir.display()));
        }
    }
    Ok(dir)
}

/// Builds one C program's modules into `out` (the clang and wasm-opt steps cached in
/// `cache`): the program on fibers for each back end, and the bespoke program if given.
pub fn build(
    name: &str,
    fibers: &Path,
    bespoke: Option<&Path>,
    cache: &Path,
    out: &Path,
    tools: &CToolchain,
) -> Result<CBuilt, String> {
    let dir = compile(name, fibers, bespoke, cache, tools)?;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let copy = |file: &str| -> Result<PathBuf, String> {
        let to = out.join(format!("c-{file}"));
        std::fs::copy(dir.join(file), &to).map_err(|e| format!("{}: {e}", to.display()))?;
        Ok(to)
    };
    let built_bespoke = bespoke.map(|_| copy("bespoke.wasm")).transpose()?;
    let built_asyncify = copy("asyncify.wasm")?;
    let asyncify_input = copy("asyncify-input.wasm")?;
    let features = wasmfx_ir::validate::default_features();
    let c_half = std::fs::read(dir.join("wasmfx-c.wasm")).map_err(|e| format!("{name}: {e}"))?;
    let wat = fibers.parent().unwrap_or(Path::new(".")).join("fiber_wasmfx.wat");
    let wat_bytes = std::fs::read(&wat).map_err(|e| format!("{}: {e}", wat.display()))?;
    let mut module = wasmfx_ir::Module::from_bytes(&c_half, features).map_err(|e| format!("{name}: {e}"))?;
    let library =
        wasmfx_ir::Module::from_input(&wat_bytes, features).map_err(|e| format!("{}: {e}", wat.display()))?;
    module.link(library, "main", "fiber").map_err(|e| format!("{name}: {e}"))?;
    let wasmfx = out.join("c-wasmfx.wasm");
    let linked = module.to_valid_bytes(features).map_err(|e| format!("{name}: {e}"))?;
    write_stripped(&wasmfx, &linked)?;
    let lower = |level: &str, file: &str| -> Result<PathBuf, String> {
        let path = out.join(file);
        let bytes = wasmfx_passes::lower_and_optimise(&linked, &Default::default(), level)
            .map_err(|e| format!("{name}: {e}"))?;
        write_stripped(&path, &bytes)?;
        Ok(path)
    };
    let lowered = lower("2", "c-wasmfx-lowered.wasm")?;
    let unoptimised = lower("0", "c-wasmfx-lowered-O0.wasm")?;
    let lowered_binaryen_o2 = out.join("c-wasmfx-lowered+binaryen-O2.wasm");
    tools.wasm_opt.optimise_lowered(name, &unoptimised, &lowered_binaryen_o2)?;
    let bytes = std::fs::read(&lowered_binaryen_o2).map_err(|e| format!("{name}: {e}"))?;
    write_stripped(&lowered_binaryen_o2, &bytes)?;
    Ok(CBuilt {
        bespoke: built_bespoke,
        asyncify: built_asyncify,
        asyncify_input,
        wasmfx,
        lowered,
        lowered_binaryen_o2,
    })
}
