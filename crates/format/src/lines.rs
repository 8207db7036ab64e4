//! Physical line numbers for records read by the `csv` crate, which does not
//! count the empty lines it skips (and reports a record's position where the
//! skipped lines begin).

use std::collections::VecDeque;
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
    /// Bytes handed out and not yet passed by [`LineCounter::line_of`].
    window: VecDeque<u8>,
    /// Offset of `window[0]`.
    window_start: u64,
    /// Line breaks before `window_start`.
    passed: u64,
}

impl<R> LineCounter<R> {
    /// Wraps `inner`; `first_line` is the line number of its first byte.
    pub fn new(inner: R, first_line: u64) -> Self {
        LineCounter {
            inner,
            window: VecDeque::new(),
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
        while self.window_start < offset {
            match self.window.pop_front() {
                Some(b) => {
                    self.passed += u64::from(b == b'\n');
                    self.window_start += 1;
                }
                None => {
                    self.window_start = offset;
                    break;
                }
            }
        }
        let skipped = self
            .window
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
        self.window.extend(&buf[..n]);
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
