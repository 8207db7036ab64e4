//! The pseudonymisation crate's one error type.

/// What can go wrong with keys. (An invalid identity number is not an error of
/// the whole run: its row is rejected, see [`crate::IdentityError`].)
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The key file cannot be read or written.
    #[error("key file {path}: {message}")]
    KeyFile {
        /// The file.
        path: String,
        /// The operating system's message.
        message: String,
    },
    /// The key is not 64 hexadecimal digits.
    #[error("not a key: {reason}")]
    KeyFormat {
        /// What is wrong (never the key's content).
        reason: String,
    },
    /// The operating system's random source failed.
    #[error("no randomness for a new key: {message}")]
    Random {
        /// Why.
        message: String,
    },
}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;
