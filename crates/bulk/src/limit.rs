//! A bound on line length, so that hostile input cannot take the memory: a
//! physical line longer than the limit is dropped — never held whole — and
//! its line number kept, to be rejected.

use std::io::{self, Read};

/// Passes its input through, line by line, replacing each line longer than
/// `max` bytes (without its line break) by an empty line — which no reader
/// takes for a record — and noting its line number. It holds at most `max`
/// bytes of a line at a time.
#[derive(Debug)]
pub(crate) struct LineLimiter<R> {
    inner: R,
    max: usize,
    /// The start of the current line, while it may still be kept.
    pending: Vec<u8>,
    /// Bytes ready to hand out, from `ready_at`.
    ready: Vec<u8>,
    ready_at: usize,
    /// Inside a line too long: skipping to its line break.
    skipping: bool,
    /// The line number of the current line.
    line: u64,
    /// Lines dropped, not yet taken.
    dropped: Vec<u64>,
    eof: bool,
    /// Read buffer.
    block: Vec<u8>,
}

impl<R: Read> LineLimiter<R> {
    /// `first_line` is the line number of the first byte.
    pub(crate) fn new(inner: R, max: usize, first_line: u64) -> Self {
        LineLimiter {
            inner,
            max,
            pending: Vec::new(),
            ready: Vec::new(),
            ready_at: 0,
            skipping: false,
            line: first_line,
            dropped: Vec::new(),
            eof: false,
            block: vec![0; 64 * 1024],
        }
    }

    /// The line numbers dropped since the last call.
    pub(crate) fn take_dropped(&mut self) -> Vec<u64> {
        std::mem::take(&mut self.dropped)
    }

    /// Sorts a block of input into `ready`, `pending` or nothing.
    fn take_in(&mut self, mut block: &[u8]) {
        while !block.is_empty() {
            let end = memchr::memchr(b'\n', block);
            let (part, rest, ends_line) = match end {
                Some(i) => (&block[..i], &block[i + 1..], true),
                None => (block, &block[block.len()..], false),
            };
            if !self.skipping {
                self.pending.extend_from_slice(part);
                if self.pending.len() > self.max {
                    self.dropped.push(self.line);
                    self.pending.clear();
                    self.skipping = true;
                }
            }
            if ends_line {
                if !self.skipping {
                    self.ready.extend_from_slice(&self.pending);
                }
                self.ready.push(b'\n');
                self.pending.clear();
                self.skipping = false;
                self.line += 1;
            }
            block = rest;
        }
    }
}

impl<R: Read> Read for LineLimiter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.ready_at == self.ready.len() {
            self.ready.clear();
            self.ready_at = 0;
            if self.eof {
                return Ok(0);
            }
            let mut block = std::mem::take(&mut self.block);
            let read = self.inner.read(&mut block);
            let n = match read {
                Ok(n) => n,
                Err(e) => {
                    self.block = block;
                    if e.kind() == io::ErrorKind::Interrupted {
                        continue;
                    }
                    return Err(e);
                }
            };
            if n == 0 {
                self.block = block;
                self.eof = true;
                // A last line without a line break.
                if !self.skipping {
                    self.ready.append(&mut self.pending);
                }
                continue;
            }
            self.take_in(&block[..n]);
            self.block = block;
        }
        let n = buf.len().min(self.ready.len() - self.ready_at);
        buf[..n].copy_from_slice(&self.ready[self.ready_at..self.ready_at + n]);
        self.ready_at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_become_empty_and_are_noted() {
        let input = b"ok\ntoo long line\nok2\nlong again";
        let mut limited = LineLimiter::new(&input[..], 5, 1);
        let mut out = Vec::new();
        limited.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"ok\n\nok2\n");
        assert_eq!(limited.take_dropped(), [2, 4]);
    }
}
