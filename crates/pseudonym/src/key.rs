//! The secret key: 32 random bytes, zeroized on drop, never shown.

use std::fmt;
use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::path::Path;

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{Error, Result};

/// Key length in bytes.
pub const KEY_BYTES: usize = 32;

/// The most a key file may hold: the 64 hex digits and some white space.
pub const MAX_KEY_FILE_BYTES: usize = 128;

/// A pseudonymisation key. Its bytes are wiped when it is dropped, and neither
/// `Debug` nor any error message ever shows them.
///
/// ```
/// use loggningsindex_pseudonym::Key;
///
/// let key = Key::from_hex(&"ab".repeat(32))?;
/// assert_eq!(format!("{key:?}"), "Key(<redacted>)");
/// assert!(Key::from_hex("abcd").is_err());
/// assert!(Key::from_hex(&"00".repeat(32)).is_err()); // all zero: no secret at all
/// # Ok::<(), loggningsindex_pseudonym::Error>(())
/// ```
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Key([u8; KEY_BYTES]);

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(<redacted>)")
    }
}

impl Key {
    /// A new key from the operating system's random source.
    ///
    /// # Errors
    ///
    /// [`Error::Random`] if the operating system cannot supply randomness.
    pub fn generate() -> Result<Key> {
        let mut bytes = [0u8; KEY_BYTES];
        getrandom::fill(&mut bytes).map_err(|e| Error::Random {
            message: e.to_string(),
        })?;
        Ok(Key(bytes))
    }

    /// A key from 64 hexadecimal digits (surrounding white space ignored).
    ///
    /// # Errors
    ///
    /// [`Error::KeyFormat`] for anything else; the message does not repeat the input.
    pub fn from_hex(text: &str) -> Result<Key> {
        let text = text.trim();
        if text.len() != 2 * KEY_BYTES {
            return Err(Error::KeyFormat {
                reason: format!(
                    "expected {} hexadecimal digits, found {} characters",
                    2 * KEY_BYTES,
                    text.len()
                ),
            });
        }
        let mut bytes = [0u8; KEY_BYTES];
        hex::decode_to_slice(text, &mut bytes).map_err(|_| Error::KeyFormat {
            reason: "not hexadecimal".into(),
        })?;
        if bytes == [0; KEY_BYTES] {
            return Err(Error::KeyFormat {
                reason: "all zero (a placeholder, not a secret)".into(),
            });
        }
        Ok(Key(bytes))
    }

    /// Reads a key file written by [`Key::write_new`].
    ///
    /// On Unix the file must be readable by its owner only (as ssh demands of
    /// private keys): a key that group or others can read is refused. At most
    /// [`MAX_KEY_FILE_BYTES`] are read, so pointing at a device or a large
    /// file cannot take the memory.
    ///
    /// # Errors
    ///
    /// [`Error::KeyFile`] if it cannot be read or its permissions are too
    /// open, [`Error::KeyFormat`] if it is not a key.
    pub fn load(path: &Path) -> Result<Key> {
        let file_error = |message: String| Error::KeyFile {
            path: path.display().to_string(),
            message,
        };
        let file = std::fs::File::open(path).map_err(|e| file_error(e.to_string()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = file
                .metadata()
                .map_err(|e| file_error(e.to_string()))?
                .permissions()
                .mode();
            if mode & 0o077 != 0 {
                return Err(file_error(format!(
                    "permissions {:04o} are too open: the key must be readable by its owner \
                     only (chmod 600)",
                    mode & 0o7777
                )));
            }
        }
        let mut bytes = Vec::with_capacity(MAX_KEY_FILE_BYTES + 1);
        let read = file
            .take(MAX_KEY_FILE_BYTES as u64 + 1)
            .read_to_end(&mut bytes);
        let result = match read {
            Err(e) => Err(file_error(e.to_string())),
            Ok(n) if n > MAX_KEY_FILE_BYTES => Err(Error::KeyFormat {
                reason: format!("the file is longer than {MAX_KEY_FILE_BYTES} bytes"),
            }),
            Ok(_) => match core::str::from_utf8(&bytes) {
                Ok(text) => Key::from_hex(text),
                Err(_) => Err(Error::KeyFormat {
                    reason: "not hexadecimal".into(),
                }),
            },
        };
        bytes.zeroize();
        result
    }

    /// Generates a key and writes it to a new file readable only by its owner
    /// (mode 0600 on Unix). Refuses to overwrite an existing file.
    ///
    /// # Errors
    ///
    /// [`Error::KeyFile`] if the file exists or cannot be written.
    pub fn write_new(path: &Path) -> Result<Key> {
        let key = Key::generate()?;
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file_error = |e: std::io::Error| Error::KeyFile {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        let mut file = options.open(path).map_err(file_error)?;
        let mut text = hex::encode(key.0);
        text.push('\n');
        let written = file
            .write_all(text.as_bytes())
            .and_then(|()| file.sync_all());
        text.zeroize();
        written.map_err(file_error)?;
        Ok(key)
    }

    /// A key for another purpose, derived from this one (HMAC-SHA-256 of
    /// `purpose` under this key): one key file can key several primitives
    /// without any of them learning another's key.
    ///
    /// ```
    /// use loggningsindex_pseudonym::Key;
    ///
    /// let key = Key::from_hex(&"ab".repeat(32))?;
    /// let (a, b) = (key.derive("seal"), key.derive("refs"));
    /// assert_ne!(a.secret_bytes(), b.secret_bytes());
    /// assert_eq!(a.secret_bytes(), key.derive("seal").secret_bytes());
    /// # Ok::<(), loggningsindex_pseudonym::Error>(())
    /// ```
    pub fn derive(&self, purpose: &str) -> Key {
        use hmac::{Hmac, KeyInit, Mac};
        let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&self.0)
            .expect("HMAC takes a key of any length");
        mac.update(purpose.as_bytes());
        let mut bytes = [0u8; KEY_BYTES];
        bytes.copy_from_slice(&mac.finalize().into_bytes());
        Key(bytes)
    }

    /// The key's bytes, to key a cipher with. Never print or store them.
    pub fn secret_bytes(&self) -> &[u8; KEY_BYTES] {
        &self.0
    }

    pub(crate) fn bytes(&self) -> &[u8; KEY_BYTES] {
        &self.0
    }
}
