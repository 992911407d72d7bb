//! The primitives of chatspool's on-disk formats (the index cache and the transcript text
//! store): LEB128 varints, length-prefixed UTF-8 strings, and a fast checksum. Below both
//! formats, so neither reaches into the other for them. The reader never trusts the bytes:
//! every length is checked against what is left and every string is validated as UTF-8.

/// The bytes are not a valid index (truncated, corrupt, or written by something else).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Corrupt;

pub type Result<T> = std::result::Result<T, Corrupt>;

/// Appends values to a buffer.
#[derive(Default)]
pub struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn u64(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.buf.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.buf.push(v as u8);
    }

    pub fn usize(&mut self, v: usize) {
        self.u64(v as u64);
    }

    pub fn i64(&mut self, v: i64) {
        self.u64(((v << 1) ^ (v >> 63)) as u64);
    }

    pub fn str(&mut self, s: &str) {
        self.usize(s.len());
        self.buf.extend_from_slice(s.as_bytes());
    }

    /// `None` as 0, a string as its length plus one.
    pub fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.u64(0),
            Some(s) => {
                self.usize(s.len() + 1);
                self.buf.extend_from_slice(s.as_bytes());
            }
        }
    }
}

/// Reads values back, refusing anything that does not fit.
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    pub fn is_done(&self) -> bool {
        self.pos == self.buf.len()
    }

    pub fn left(&self) -> usize {
        self.buf.len() - self.pos
    }

    pub fn u8(&mut self) -> Result<u8> {
        let b = *self.buf.get(self.pos).ok_or(Corrupt)?;
        self.pos += 1;
        Ok(b)
    }

    pub fn u64(&mut self) -> Result<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                // The tenth byte may only carry the top bit.
                return if shift == 63 && b > 1 {
                    Err(Corrupt)
                } else {
                    Ok(v)
                };
            }
        }
        Err(Corrupt)
    }

    pub fn i64(&mut self) -> Result<i64> {
        let v = self.u64()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    /// A count of items each taking at least one byte: never more than the bytes left, so a
    /// corrupt count cannot make the caller reserve huge amounts of memory.
    pub fn count(&mut self) -> Result<usize> {
        let n = usize::try_from(self.u64()?).map_err(|_| Corrupt)?;
        if n > self.left() {
            return Err(Corrupt);
        }
        Ok(n)
    }

    pub fn u32(&mut self) -> Result<u32> {
        u32::try_from(self.u64()?).map_err(|_| Corrupt)
    }

    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.left() {
            return Err(Corrupt);
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn utf8(&mut self, n: usize) -> Result<&'a str> {
        std::str::from_utf8(self.bytes(n)?).map_err(|_| Corrupt)
    }

    pub fn str(&mut self) -> Result<&'a str> {
        let n = self.count()?;
        self.utf8(n)
    }

    pub fn opt_str(&mut self) -> Result<Option<&'a str>> {
        match self.count()? {
            0 => Ok(None),
            n => self.utf8(n - 1).map(Some),
        }
    }

    /// An optional string as an owned `Box<str>` or `Arc<str>`.
    pub fn opt_owned<T: for<'s> From<&'s str>>(&mut self) -> Result<Option<T>> {
        Ok(self.opt_str()?.map(T::from))
    }
}

/// A 64-bit checksum of `bytes`, fast enough (several GB/s) to check a whole index on every
/// load. It guards against truncation and corruption, not against a deliberate forgery.
pub fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut lanes = [K, K.rotate_left(17), K.rotate_left(31), K.rotate_left(47)];
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        for (lane, word) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            let w = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
            *lane = (*lane ^ w).wrapping_mul(K).rotate_left(29);
        }
    }
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    for lane in lanes {
        h = (h ^ lane).wrapping_mul(K).rotate_left(31);
    }
    for &b in blocks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(K).rotate_left(23);
    }
    h ^ (h >> 32)
}
