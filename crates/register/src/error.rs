//! The register crate's one error type.

/// What can stop a register operation as a whole.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An event file cannot be read as such.
    #[error(transparent)]
    Events(loggningsindex_format::Error),
    /// Reading CSV or a file failed.
    #[error("cannot read: {message}")]
    Io {
        /// Why.
        message: String,
    },
    /// The ledger does not verify: the first entry (1-based line) that is
    /// wrong, and what is wrong with it.
    #[error("ledger broken at entry {line}: {what}")]
    Broken {
        /// The line of the first broken entry.
        line: u64,
        /// What is wrong.
        what: Broken,
    },
    /// A published head is not written `SEQ:HASH`.
    #[error("a published head is written SEQ:HASH")]
    HeadFormat,
    /// A correction names an entry that is not a registration of the ledger.
    #[error("entry {entry} is not a registration in this ledger")]
    NoSuchEntry {
        /// The entry asked for.
        entry: u64,
    },
    /// A registration's fields are invalid.
    #[error("invalid registration: {reason}")]
    Invalid {
        /// Why.
        reason: String,
    },
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io {
            message: e.to_string(),
        }
    }
}

/// What is wrong with a ledger that does not verify.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Broken {
    /// The file is not UTF-8 from this entry on.
    #[error("not UTF-8")]
    NotUtf8,
    /// The last line has no line break: an interrupted append.
    #[error("torn last line: the file ends inside an entry (an interrupted append?); not repaired")]
    TornLastLine,
    /// A line is not `seq TAB prev TAB hash TAB payload`.
    #[error("not four tab-separated fields")]
    Fields,
    /// The sequence field is not a number.
    #[error("bad sequence number")]
    Sequence,
    /// The sequence number is written with a sign or leading zeros.
    #[error("sequence number not in canonical form")]
    NonCanonicalSequence,
    /// Entries were deleted, inserted or reordered.
    #[error("sequence number {found} where {due} was due (deleted, inserted or reordered entries)")]
    SequenceGap {
        /// The number found.
        found: u64,
        /// The number due.
        due: u64,
    },
    /// `prev` is not the previous entry's hash.
    #[error("does not name the previous entry's hash")]
    Prev,
    /// The hash does not match: the entry was edited.
    #[error("hash does not match the entry (edited)")]
    Hash,
    /// The payload is not an entry.
    #[error("payload is not an entry")]
    Payload,
    /// A correction names no earlier registration.
    #[error("corrects an entry that is not an earlier registration")]
    Corrects,
    /// The head file is missing though the ledger has entries.
    #[error("the head file is missing (entries cut off the end, and the head deleted?)")]
    HeadMissing,
    /// The head file names another last entry.
    #[error("the head file names a later or different last entry (entries cut off the end?)")]
    HeadMismatch,
    /// The first line is a checkpoint that cannot be read.
    #[error("the checkpoint cannot be read")]
    Checkpoint,
    /// A head published earlier lies in a part pruned since (before the
    /// checkpoint): it can no longer be checked.
    #[error(
        "the published head {seq} lies in the pruned part (before checkpoint {checkpoint}); it can no longer be checked"
    )]
    Pruned {
        /// Its sequence number.
        seq: u64,
        /// The checkpoint's sequence number.
        checkpoint: u64,
    },
    /// A head published earlier is not in the chain.
    #[error("the published head {seq}:{hash} is not in the chain (entries changed or cut off)")]
    Published {
        /// Its sequence number.
        seq: u64,
        /// Its hash.
        hash: String,
    },
}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;
