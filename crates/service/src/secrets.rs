//! What the key file keys: the cipher that seals identities at rest, and the
//! keyed references (pseudonyms) the database is searched by.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use loggningsindex_cards::CardNumber;
use loggningsindex_pseudonym::{Domain, IdentityError, Key, Pseudonymizer};
use time::Date;

use crate::error::{Error, Result};

/// Bytes of the random nonce in front of every sealed value.
const NONCE_BYTES: usize = 24;

/// The service's secrets, all derived from one key file.
///
/// - **Sealing**: identity numbers and names are stored encrypted with
///   XChaCha20-Poly1305 (a random 192-bit nonce per value), bound to the row
///   they belong to, so a sealed value moved to another row does not open.
/// - **References**: people, companies and cards are looked up by keyed
///   pseudonyms (HMAC-SHA-256), the same ones `loggningsindex pseudonymize`
///   would give with this key; a valid identity number is referenced by its
///   canonical form, so spellings of one person are one person.
pub struct Secrets {
    cipher: XChaCha20Poly1305,
    pseudonyms: Pseudonymizer,
    check: String,
}

impl Secrets {
    /// The secrets of `key`; `today` is the reference day for identity
    /// numbers written with ten digits.
    pub fn new(key: &Key, today: Date) -> Secrets {
        let seal = key.derive("loggningsindex-service seal v1");
        let check = hex::encode(key.derive("loggningsindex-service check v1").secret_bytes());
        Secrets {
            cipher: XChaCha20Poly1305::new(seal.secret_bytes().into()),
            pseudonyms: Pseudonymizer::new(key.derive("loggningsindex-service refs v1"), today),
            check: check[..32].to_string(),
        }
    }

    /// A value that identifies the key without revealing it, kept in the
    /// database so that a wrong key file is refused at start.
    pub fn fingerprint(&self) -> &str {
        &self.check
    }

    /// Encrypts `plain`, bound to `row` (authenticated, not encrypted).
    ///
    /// # Errors
    ///
    /// [`Error::Random`] if the system has no randomness to give.
    pub fn seal(&self, row: &str, plain: &[u8]) -> Result<Vec<u8>> {
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::fill(&mut nonce).map_err(|_| Error::Random)?;
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: row.as_bytes(),
                },
            )
            .map_err(|_| Error::Sealed)?;
        let mut out = nonce.to_vec();
        out.extend(sealed);
        Ok(out)
    }

    /// Decrypts what [`Secrets::seal`] sealed for the same `row`.
    ///
    /// # Errors
    ///
    /// [`Error::Sealed`] if the value was changed, moved from another row, or
    /// sealed with another key.
    pub fn open(&self, row: &str, sealed: &[u8]) -> Result<Vec<u8>> {
        if sealed.len() < NONCE_BYTES {
            return Err(Error::Sealed);
        }
        let (nonce, body) = sealed.split_at(NONCE_BYTES);
        self.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: row.as_bytes(),
                },
            )
            .map_err(|_| Error::Sealed)
    }

    /// The reference of a person id.
    ///
    /// # Errors
    ///
    /// An id shaped like a Swedish identity number that is not a valid one.
    pub fn person_ref(&self, id: &str) -> std::result::Result<String, IdentityError> {
        self.pseudonyms.pseudonym(Domain::Person, id)
    }

    /// The reference of a company id (organisationsnummer, or a sole
    /// trader's identity number).
    ///
    /// # Errors
    ///
    /// As [`Secrets::person_ref`].
    pub fn company_ref(&self, id: &str) -> std::result::Result<String, IdentityError> {
        self.pseudonyms.pseudonym(Domain::Company, id)
    }

    /// The reference of a card number: its keyed pseudonym, as
    /// `pseudonymize` gives a card with this key's reference key.
    pub fn card_ref(&self, card: &CardNumber) -> String {
        self.pseudonyms
            .pseudonym(Domain::Card, &card.to_string())
            .unwrap_or_else(|_| unreachable!("a card number is never an identity number"))
    }
}

/// A random value of `bytes` bytes, hex.
///
/// # Errors
///
/// [`Error::Random`] if the system has no randomness to give.
pub(crate) fn random_hex(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|_| Error::Random)?;
    Ok(hex::encode(buf))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn secrets(byte: &str) -> Secrets {
        Secrets::new(
            &Key::from_hex(&byte.repeat(32)).unwrap(),
            date!(2026 - 11 - 29),
        )
    }

    #[test]
    fn sealed_values_open_only_in_their_row_and_with_their_key() {
        let s = secrets("ab");
        let sealed = s.seal("entry 7", b"19811218-9876").unwrap();
        assert!(!sealed.windows(13).any(|w| w == b"19811218-9876"));
        assert_eq!(s.open("entry 7", &sealed).unwrap(), b"19811218-9876");
        assert_eq!(s.open("entry 8", &sealed), Err(Error::Sealed));
        assert_eq!(secrets("cd").open("entry 7", &sealed), Err(Error::Sealed));
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert_eq!(s.open("entry 7", &tampered), Err(Error::Sealed));
        assert_ne!(
            s.seal("entry 7", b"x").unwrap(),
            s.seal("entry 7", b"x").unwrap()
        );
    }

    #[test]
    fn spellings_of_one_person_have_one_reference() {
        let s = secrets("ab");
        assert_eq!(
            s.person_ref("198112189876").unwrap(),
            s.person_ref("811218-9876").unwrap()
        );
        assert_ne!(
            s.person_ref("198112189876").unwrap(),
            secrets("cd").person_ref("198112189876").unwrap()
        );
        assert!(s.person_ref("811218-9875").is_err());
    }
}
