//! Physical line numbers for records read by the `csv` crate, which does not
//! count the empty lines it skips (and reports a record's position where the
//! skipped lines begin).

use std::io::{self, Read};

/// A reader that keeps the bytes it has handed out but that have not been
/// asked about yet, so that the physical line where a record starts can be
/// told from the offset the `csv` crate reports — empty lines count, as the
/// event format numbers lines. Offsets must be asked in increasing order;
/// memory holds only the bytes between the last offset asked and what the
/// CSV reader has read ahead.
#[derive(Debug)]
pub struct LineCounter<R> {
    inner: R,
    /// Bytes handed out; those before `head` have been passed.
    window: Vec<u8>,
    head: usize,
    /// Offset of `window[head]`.
    window_start: u64,
    /// Line breaks before `window_start`.
    passed: u64,
}

impl<R> LineCounter<R> {
    /// Wraps `inner`; `first_line` is the line number of its first byte.
    pub fn new(inner: R, first_line: u64) -> Self {
        LineCounter {
            inner,
            window: Vec::new(),
            head: 0,
            window_start: 0,
            passed: first_line.saturating_sub(1),
        }
    }

    /// The wrapped reader.
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// The physical line (1-based) where the record reported at `offset`
    /// starts: the line of the first byte at or after `offset` that is not a
    /// line terminator.
    pub fn line_of(&mut self, offset: u64) -> u64 {
        let available = self.window.len() - self.head;
        let pass = usize::try_from(offset.saturating_sub(self.window_start))
            .unwrap_or(usize::MAX)
            .min(available);
        let passed = &self.window[self.head..self.head + pass];
        self.passed += memchr::memchr_iter(b'\n', passed).count() as u64;
        self.head += pass;
        self.window_start = self.window_start.max(offset);
        let skipped = self.window[self.head..]
            .iter()
            .take_while(|b| matches!(b, b'\n' | b'\r'))
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.passed + skipped + 1
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.head > 0 && self.head * 2 >= self.window.len() {
            self.window.drain(..self.head);
            self.head = 0;
        }
        self.window.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_lines_count() {
        let text = b"h\n\n\nx\ny";
        let mut r = LineCounter::new(&text[..], 1);
        let mut all = Vec::new();
        r.read_to_end(&mut all).unwrap();
        // A record reported at the first skipped empty line starts at `x`.
        assert_eq!([0, 2, 4, 6].map(|o| r.line_of(o)), [1, 4, 4, 5]);
    }
}
