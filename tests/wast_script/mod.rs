//! The part of the `.wast` script language multi-module programs use: modules, `register`,
//! `invoke` and the `assert_return`/`assert_trap`/`assert_suspension`/`assert_exception`
//! assertions on numbers, read with the `wast` crate into steps a runner replays.

use wasmtime::Val;
use wast::core::{WastArgCore, WastRetCore};
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastArg, WastDirective, WastExecute, WastInvoke, WastRet};

/// One module of a script, with the name it is linked by.
pub struct ScriptModule {
    /// The name it is registered under; `$id` or `#N` (its position) when it is not.
    pub name: String,
    /// Its binary.
    pub bytes: Vec<u8>,
}

/// A call of an export and what the script expects of it.
pub struct Call {
    /// The directive's line (1-based).
    pub line: usize,
    /// The module called (index into [`Script::modules`]).
    pub module: usize,
    pub export: String,
    pub args: Vec<Val>,
    pub expect: Expect,
}

/// What a script asserts about a call.
#[derive(Debug)]
pub enum Expect {
    /// `assert_return`: these results ([`show`]n).
    Values(Vec<String>),
    /// `assert_trap`: a trap whose message contains this.
    Trap(String),
    /// `assert_suspension`: a suspension no handler takes (a trap).
    Suspension,
    /// `assert_exception`: an exception escapes.
    Exception,
    /// A bare `invoke`: returns without trapping.
    Anything,
}

/// What a call did, in terms both a native and a lowered run can show.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    Values(Vec<String>),
    Trap(String),
    Error(String),
}

pub enum Step {
    Instantiate(usize),
    Register { name: String, module: usize },
    Call(Call),
}

pub struct Script {
    pub modules: Vec<ScriptModule>,
    pub steps: Vec<Step>,
}

impl Script {
    /// Reads a script; directives other than the ones above are refused.
    pub fn parse(text: &str) -> Result<Script, String> {
        let buffer = ParseBuffer::new(text).map_err(|e| e.to_string())?;
        let wast: Wast = parser::parse(&buffer).map_err(|e| e.to_string())?;
        let mut script = Script { modules: Vec::new(), steps: Vec::new() };
        let mut ids: Vec<Option<String>> = Vec::new();
        let line_of = |span: wast::token::Span| span.linecol_in(text).0 + 1;
        for directive in wast.directives {
            match directive {
                WastDirective::Module(mut module) => {
                    let id = quote_id(&module);
                    let bytes = module.encode().map_err(|e| e.to_string())?;
                    let n = script.modules.len();
                    let name = id.as_ref().map_or_else(|| format!("#{n}"), |id| format!("${id}"));
                    script.modules.push(ScriptModule { name, bytes });
                    ids.push(id);
                    script.steps.push(Step::Instantiate(n));
                }
                WastDirective::Register { name, module, span } => {
                    let m = find(&ids, module.map(|id| id.name()), line_of(span))?;
                    if script.modules[m].name.starts_with(['$', '#']) {
                        script.modules[m].name = name.to_string();
                    } else {
                        return Err(format!("line {}: a module registered twice", line_of(span)));
                    }
                    script.steps.push(Step::Register { name: name.to_string(), module: m });
                }
                WastDirective::Invoke(invoke) => {
                    let call = call(&ids, invoke, Expect::Anything, line_of)?;
                    script.steps.push(Step::Call(call));
                }
                WastDirective::AssertReturn { exec, results, .. } => {
                    let want = results.iter().map(ret).collect::<Result<_, _>>()?;
                    let call = call(&ids, execute(exec)?, Expect::Values(want), line_of)?;
                    script.steps.push(Step::Call(call));
                }
                WastDirective::AssertTrap { exec, message, .. } => {
                    let call = call(&ids, execute(exec)?, Expect::Trap(message.to_string()), line_of)?;
                    script.steps.push(Step::Call(call));
                }
                WastDirective::AssertSuspension { exec, .. } => {
                    let call = call(&ids, execute(exec)?, Expect::Suspension, line_of)?;
                    script.steps.push(Step::Call(call));
                }
                WastDirective::AssertException { exec, .. } => {
                    let call = call(&ids, execute(exec)?, Expect::Exception, line_of)?;
                    script.steps.push(Step::Call(call));
                }
                other => {
                    return Err(format!("line {}: unsupported directive", line_of(other.span())));
                }
            }
        }
        Ok(script)
    }

    /// The calls, in order.
    pub fn calls(&self) -> impl Iterator<Item = &Call> {
        self.steps.iter().filter_map(|s| if let Step::Call(c) = s { Some(c) } else { None })
    }
}

fn quote_id(module: &QuoteWat) -> Option<String> {
    match module {
        QuoteWat::Wat(wast::Wat::Module(m)) => m.id.map(|id| id.name().to_string()),
        _ => None,
    }
}

/// The module an invocation names (`None`: the latest).
fn find(ids: &[Option<String>], id: Option<&str>, line: usize) -> Result<usize, String> {
    match id {
        None => ids.len().checked_sub(1).ok_or_else(|| format!("line {line}: no module yet")),
        Some(id) => ids
            .iter()
            .rposition(|m| m.as_deref() == Some(id))
            .ok_or_else(|| format!("line {line}: no module ${id}")),
    }
}

fn execute(exec: WastExecute) -> Result<WastInvoke, String> {
    match exec {
        WastExecute::Invoke(invoke) => Ok(invoke),
        _ => Err("only invocations are supported".into()),
    }
}

fn call(
    ids: &[Option<String>],
    invoke: WastInvoke,
    expect: Expect,
    line_of: impl Fn(wast::token::Span) -> usize,
) -> Result<Call, String> {
    let line = line_of(invoke.span);
    let module = find(ids, invoke.module.map(|id| id.name()), line)?;
    let args = invoke.args.iter().map(arg).collect::<Result<_, _>>()?;
    Ok(Call { line, module, export: invoke.name.to_string(), args, expect })
}

fn arg(arg: &WastArg) -> Result<Val, String> {
    match arg {
        WastArg::Core(WastArgCore::I32(x)) => Ok(Val::I32(*x)),
        WastArg::Core(WastArgCore::I64(x)) => Ok(Val::I64(*x)),
        WastArg::Core(WastArgCore::F32(x)) => Ok(Val::F32(x.bits)),
        WastArg::Core(WastArgCore::F64(x)) => Ok(Val::F64(x.bits)),
        _ => Err("only number arguments are supported".into()),
    }
}

fn ret(ret: &WastRet) -> Result<String, String> {
    use wast::core::NanPattern::Value;
    match ret {
        WastRet::Core(WastRetCore::I32(x)) => Ok(show(&Val::I32(*x))),
        WastRet::Core(WastRetCore::I64(x)) => Ok(show(&Val::I64(*x))),
        WastRet::Core(WastRetCore::F32(Value(x))) => Ok(show(&Val::F32(x.bits))),
        WastRet::Core(WastRetCore::F64(Value(x))) => Ok(show(&Val::F64(x.bits))),
        _ => Err("only number results are supported".into()),
    }
}

/// `TYPE:VALUE`, floats as their bits.
pub fn show(v: &Val) -> String {
    match v {
        Val::I32(x) => format!("i32:{x}"),
        Val::I64(x) => format!("i64:{x}"),
        Val::F32(x) => format!("f32:{x:#x}"),
        Val::F64(x) => format!("f64:{x:#x}"),
        _ => "reference".to_string(),
    }
}
