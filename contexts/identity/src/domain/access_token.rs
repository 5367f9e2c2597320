use base64::Engine as _;
use rand::RngCore as _;
use sha2::{Digest, Sha256};

/// Prefix of every API token, so leaked tokens are easy to recognise in logs and scanners.
const PREFIX: &str = "bw_";

/// A freshly minted API token: the secret goes to the client once, only its hash is stored.
pub struct MintedToken {
    pub secret: String,
    pub hash: Vec<u8>,
}

/// 256 random bits from the operating system.
pub fn mint() -> MintedToken {
    let mut bytes = [0_u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let hash = hash(&secret);
    MintedToken { secret, hash }
}

/// The stored form of a token. A plain SHA-256 suffices: the secret has 256 bits of entropy.
pub fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_tokens_are_unique_prefixed_and_hash_to_their_stored_form() {
        let first = mint();
        let second = mint();
        assert_ne!(first.secret, second.secret);
        assert!(first.secret.starts_with("bw_"));
        assert_eq!(first.secret.len(), 3 + 43);
        assert_eq!(hash(&first.secret), first.hash);
        assert_eq!(first.hash.len(), 32);
    }
}
