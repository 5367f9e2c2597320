//! Encryption at rest of third-party access tokens (AniList's last a year and carry almost
//! full account access, so a database leak must not be a login).
//!
//! XChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`): its 192-bit nonces can be drawn at
//! random for every value without counting encryptions per key, which AES-GCM's 96-bit
//! nonces would need. The row's id is the associated data, so a ciphertext copied into
//! another row does not open. A stored value reads `v1.<key id>.<base64 of nonce ‖
//! ciphertext>`: the key id says which of the configured keys sealed it, so keys rotate
//! without a flag day (the first key seals, every key opens, and a background pass reseals
//! values under older keys).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use secrecy::{ExposeSecret, SecretBox, SecretString};

const VERSION: &str = "v1";
const NONCE_BYTES: usize = 24;
const KEY_BYTES: usize = 32;
const MAX_KEY_ID_CHARS: usize = 16;

/// One key: its id (stored beside every value it seals) and its 32 secret bytes.
struct TokenKey {
    id: String,
    bytes: SecretBox<[u8; KEY_BYTES]>,
}

impl TokenKey {
    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(Key::from_slice(self.bytes.expose_secret()))
    }
}

/// The keys that seal and open stored tokens, from `BLOOMWATCH_TOKEN_KEYS`
/// (`id:base64key,id:base64key,...`): the first seals, all open. `Debug` shows only the ids.
pub struct TokenKeys {
    sealing: TokenKey,
    older: Vec<TokenKey>,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeys")
            .field("ids", &self.all().map(|key| &key.id).collect::<Vec<_>>())
            .finish()
    }
}

/// Why a stored value did not open: it was sealed under a key we no longer have, or it is not
/// what we sealed (corrupt, tampered with, or copied from another row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenError {
    UnknownKey,
    Unreadable,
}

impl TokenKeys {
    /// Parses `id:base64key,...`; ids are 1 to 16 letters, digits, `-` or `_`, each key is 32
    /// bytes in standard base64 (`openssl rand -base64 32`).
    ///
    /// # Errors
    /// A message naming the entry that is wrong and why; it never contains key material.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let mut keys: Vec<TokenKey> = Vec::new();
        for (position, entry) in raw.split(',').map(str::trim).enumerate() {
            let number = position + 1;
            let Some((id, encoded)) = entry.split_once(':') else {
                return Err(format!(
                    "entry {number} is not `id:base64key` (expected e.g. `k1:<32 bytes in base64>`)"
                ));
            };
            let id = id.trim();
            let valid_id = !id.is_empty()
                && id.chars().count() <= MAX_KEY_ID_CHARS
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !valid_id {
                return Err(format!(
                    "entry {number}: the key id must be 1 to {MAX_KEY_ID_CHARS} letters, digits, `-` or `_`"
                ));
            }
            if keys.iter().any(|key: &TokenKey| key.id == id) {
                return Err(format!("entry {number}: the key id `{id}` is used twice"));
            }
            let decoded = STANDARD
                .decode(encoded.trim())
                .map_err(|_| format!("entry {number} (`{id}`): the key is not valid base64"))?;
            let bytes: [u8; KEY_BYTES] = decoded.try_into().map_err(|wrong: Vec<u8>| {
                format!(
                    "entry {number} (`{id}`): the key must be {KEY_BYTES} bytes, not {}",
                    wrong.len()
                )
            })?;
            keys.push(TokenKey {
                id: id.to_owned(),
                bytes: SecretBox::new(Box::new(bytes)),
            });
        }
        let mut keys = keys.into_iter();
        let sealing = keys.next().ok_or("no key is given")?;
        Ok(Self {
            sealing,
            older: keys.collect(),
        })
    }

    /// Seals `plaintext` for the row `row`, under the first key.
    pub fn seal(&self, plaintext: &SecretString, row: &[u8]) -> Result<String, String> {
        let key = &self.sealing;
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = key
            .cipher()
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext.expose_secret().as_bytes(),
                    aad: row,
                },
            )
            .map_err(|_| "the token could not be encrypted".to_owned())?;
        let mut stored = nonce.to_vec();
        stored.extend_from_slice(&sealed);
        Ok(format!("{VERSION}.{}.{}", key.id, STANDARD.encode(stored)))
    }

    /// Opens what [`Self::seal`] stored for the row `row`.
    ///
    /// # Errors
    /// `UnknownKey` when none of our keys has the stored key id; `Unreadable` when the value
    /// is malformed or does not authenticate (wrong key bytes, tampering, another row's value).
    pub fn open(&self, stored: &str, row: &[u8]) -> Result<SecretString, OpenError> {
        let (key_id, encoded) = split(stored).ok_or(OpenError::Unreadable)?;
        let key = self
            .all()
            .find(|key| key.id == key_id)
            .ok_or(OpenError::UnknownKey)?;
        let bytes = STANDARD
            .decode(encoded)
            .map_err(|_| OpenError::Unreadable)?;
        if bytes.len() <= NONCE_BYTES {
            return Err(OpenError::Unreadable);
        }
        let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
        let plaintext = key
            .cipher()
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: row,
                },
            )
            .map_err(|_| OpenError::Unreadable)?;
        String::from_utf8(plaintext)
            .map(SecretString::from)
            .map_err(|_| OpenError::Unreadable)
    }

    /// Whether `stored` was sealed under a key other than the one that seals now.
    pub fn is_sealed_under_an_older_key(&self, stored: &str) -> bool {
        split(stored).is_some_and(|(key_id, _)| key_id != self.sealing.id)
    }

    /// The id of the key that seals now.
    pub fn sealing_key_id(&self) -> &str {
        &self.sealing.id
    }

    fn all(&self) -> impl Iterator<Item = &TokenKey> {
        std::iter::once(&self.sealing).chain(&self.older)
    }
}

/// `v1.<key id>.<payload>` → (key id, payload).
fn split(stored: &str) -> Option<(&str, &str)> {
    let rest = stored.strip_prefix(VERSION)?.strip_prefix('.')?;
    rest.split_once('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_A: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    const KEY_B: &str = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

    fn secret(text: &str) -> SecretString {
        SecretString::from(text.to_owned())
    }

    #[test]
    fn a_sealed_token_opens_for_its_row_only() {
        let keys = TokenKeys::parse(&format!("k1:{KEY_A}")).unwrap();
        let stored = keys.seal(&secret("anilist-token"), b"row-1").unwrap();
        assert!(stored.starts_with("v1.k1."));
        assert!(!stored.contains("anilist-token"));
        assert_eq!(
            keys.open(&stored, b"row-1").unwrap().expose_secret(),
            "anilist-token"
        );
        assert_eq!(
            keys.open(&stored, b"row-2").err(),
            Some(OpenError::Unreadable)
        );
    }

    #[test]
    fn every_seal_draws_a_fresh_nonce() {
        let keys = TokenKeys::parse(&format!("k1:{KEY_A}")).unwrap();
        let first = keys.seal(&secret("same"), b"row").unwrap();
        let second = keys.seal(&secret("same"), b"row").unwrap();
        assert_ne!(first, second);
    }

    #[test]
    fn the_first_key_seals_and_every_key_opens() {
        let old = TokenKeys::parse(&format!("old:{KEY_A}")).unwrap();
        let sealed_by_old = old.seal(&secret("t"), b"row").unwrap();
        let rotated = TokenKeys::parse(&format!("new:{KEY_B},old:{KEY_A}")).unwrap();
        assert_eq!(rotated.sealing_key_id(), "new");
        assert_eq!(
            rotated
                .open(&sealed_by_old, b"row")
                .unwrap()
                .expose_secret(),
            "t"
        );
        assert!(rotated.is_sealed_under_an_older_key(&sealed_by_old));
        let resealed = rotated.seal(&secret("t"), b"row").unwrap();
        assert!(!rotated.is_sealed_under_an_older_key(&resealed));
        assert_eq!(
            old.open(&resealed, b"row").err(),
            Some(OpenError::UnknownKey)
        );
    }

    #[test]
    fn wrong_key_bytes_or_tampering_are_unreadable_not_a_panic() {
        let keys = TokenKeys::parse(&format!("k1:{KEY_A}")).unwrap();
        let impostor = TokenKeys::parse(&format!("k1:{KEY_B}")).unwrap();
        let stored = keys.seal(&secret("t"), b"row").unwrap();
        assert_eq!(
            impostor.open(&stored, b"row").err(),
            Some(OpenError::Unreadable)
        );
        let mut flipped = stored.clone().into_bytes();
        let last = flipped.len() - 3;
        flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
        let flipped = String::from_utf8(flipped).unwrap();
        assert_eq!(
            keys.open(&flipped, b"row").err(),
            Some(OpenError::Unreadable)
        );
        for garbage in [
            "",
            "v1",
            "v1.k1",
            "v1.k1.",
            "v1.k1.!!!",
            "v2.k1.AAAA",
            "plaintext",
        ] {
            assert!(keys.open(garbage, b"row").is_err(), "{garbage:?}");
        }
    }

    #[test]
    fn bad_configuration_is_explained_without_the_key() {
        let cases = [
            ("", "entry 1 is not"),
            ("k1", "entry 1 is not"),
            (":AAAA", "key id must be"),
            ("a b:AAAA", "key id must be"),
            ("k1:not base64!", "not valid base64"),
            ("k1:AAAA", "must be 32 bytes, not 3"),
        ];
        for (raw, expected) in cases {
            let error = TokenKeys::parse(raw).unwrap_err();
            assert!(error.contains(expected), "{raw:?}: {error}");
        }
        let twice = TokenKeys::parse(&format!("k1:{KEY_A},k1:{KEY_B}")).unwrap_err();
        assert!(twice.contains("used twice"));
        assert!(!twice.contains(KEY_B));
        let debug = format!("{:?}", TokenKeys::parse(&format!("k1:{KEY_A}")).unwrap());
        assert!(debug.contains("k1") && !debug.contains(KEY_A));
    }
}
