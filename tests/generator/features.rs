//! Which of the newer constructs (exceptions, cancellation, switch) a program uses.

use super::Rng;

/// Which of the newer constructs a program uses (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features {
    /// Exception tags, `try_table`s and `throw`s in bodies, `try_table`s around handlers'
    /// resumes.
    pub exceptions: bool,
    /// Handlers that cancel continuations with `resume_throw` (only with `exceptions`).
    pub resume_throw: bool,
    /// Handler loops over peers that `switch` to each other.
    pub switch: bool,
    /// Dead code (after a `br`, sometimes then an `unreachable`) holding suspends, resumes,
    /// `cont.new`, `cont.bind`, switches and reference instructions, with and without operands.
    pub dead_code: bool,
    /// GC structs, arrays and i31s in locals live across suspends (`gc.rs`).
    pub gc: bool,
}

impl Features {
    /// None of them: the programs the generator wrote before it knew them, seed for seed.
    pub const CLASSIC: Features =
        Features { exceptions: false, resume_throw: false, switch: false, dead_code: false, gc: false };

    /// The features of `seed`'s program, drawn from a generator of their own so that a
    /// classic seed draws nothing else: classic one time in five; otherwise exceptions four
    /// times in five (with cancellation seven times in ten of those) and peers three times in
    /// five, at least one of the two; dead code half the time (drawn last, so that seeds
    /// without it keep the programs they had before the generator wrote dead code).
    pub fn of_seed(seed: u64) -> Features {
        let mut rng = Rng::new(seed ^ 0x5157_C4ED_F00D_0001);
        if rng.percent(20) {
            return Features::CLASSIC;
        }
        let mut exceptions = rng.percent(80);
        let switch = rng.percent(60);
        if !exceptions && !switch {
            exceptions = true;
        }
        let resume_throw = exceptions && rng.percent(70);
        let dead_code = rng.percent(50);
        Features { exceptions, resume_throw, switch, dead_code, gc: rng.percent(40) }
    }

    /// The features a fuzzer's bytes choose.
    pub fn from_rng(rng: &mut Rng) -> Features {
        let exceptions = rng.percent(50);
        Features {
            exceptions,
            resume_throw: exceptions && rng.percent(50),
            switch: rng.percent(50),
            dead_code: rng.percent(70),
            gc: rng.percent(40),
        }
    }

    pub(super) fn any(self) -> bool {
        self.exceptions || self.switch
    }
}
