//! Where the generator's choices come from: a seed or a fuzzer's bytes.

/// Where the generator's choices come from: splitmix64 from a seed (small, fast, and the same
/// on every platform), or a fuzzer's bytes, read in order, so that the input's prefix decides
/// the program and a fuzzer can shrink what it finds. Once the bytes run out the choices go on
/// from splitmix64 seeded by the input's length: the generator retries some choices until one
/// fits, and a constant stream would never let it move on.
pub enum Rng {
    Seeded(u64),
    Bytes { data: Vec<u8>, pos: usize },
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng::Seeded(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }

    /// Choices read from `data`.
    pub fn from_bytes(data: &[u8]) -> Rng {
        Rng::Bytes { data: data.to_vec(), pos: 0 }
    }

    /// The next `n` bytes as a little-endian number (zero past the end).
    fn take(data: &[u8], pos: &mut usize, n: usize) -> u64 {
        let mut v = 0u64;
        for k in 0..n {
            v |= u64::from(data.get(*pos + k).copied().unwrap_or(0)) << (8 * k);
        }
        *pos += n;
        v
    }

    pub fn next_u64(&mut self) -> u64 {
        match self {
            Rng::Seeded(state) => {
                *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let mut z = *state;
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                z ^ (z >> 31)
            }
            Rng::Bytes { data, pos } if *pos < data.len() => Self::take(data, pos, 8),
            Rng::Bytes { data, .. } => {
                *self = Rng::new(data.len() as u64);
                self.next_u64()
            }
        }
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        match self {
            Rng::Seeded(_) => self.next_u64() % n,
            // As few bytes as the choice needs, so that each byte is one decision.
            Rng::Bytes { data, pos } if *pos < data.len() => {
                let width = if n <= 0x100 {
                    1
                } else if n <= 0x1_0000 {
                    2
                } else {
                    8
                };
                Self::take(data, pos, width) % n
            }
            Rng::Bytes { .. } => self.next_u64() % n,
        }
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True `p` times in a hundred.
    pub fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize].clone()
    }
}
