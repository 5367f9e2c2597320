//! argon2id hashing off the async runtime, at most one hash per core at a time, so a burst
//! of logins cannot starve every other request.

use std::sync::Arc;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHasher as _, PasswordVerifier as _, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::application::Error;
use crate::domain::user::PasswordHash;

/// argon2id cost parameters. The default is OWASP's minimum: 19 MiB, 2 passes, 1 lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashingCost {
    pub memory_kib: u32,
    pub iterations: u32,
    pub lanes: u32,
}

impl Default for HashingCost {
    fn default() -> Self {
        Self {
            memory_kib: 19_456,
            iterations: 2,
            lanes: 1,
        }
    }
}

#[derive(Clone)]
pub struct PasswordHasher {
    argon2: Argon2<'static>,
    permits: Arc<Semaphore>,
    /// Verified against when the email is unknown, so both cases take the same time.
    dummy_hash: Arc<String>,
}

impl PasswordHasher {
    pub fn new(cost: HashingCost) -> Result<Self, Error> {
        let params = Params::new(cost.memory_kib, cost.iterations, cost.lanes, None)
            .map_err(|e| Error::Hashing(e.to_string()))?;
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let dummy_hash = hash_blocking(&argon2, "bloomwatch timing equaliser")?;
        Ok(Self {
            argon2,
            permits: Arc::new(Semaphore::new(cores)),
            dummy_hash: Arc::new(dummy_hash),
        })
    }

    pub async fn hash(&self, password: &str) -> Result<PasswordHash, Error> {
        let password = password.to_owned();
        let phc = self
            .run(move |argon2| hash_blocking(&argon2, &password))
            .await?;
        PasswordHash::from_phc(phc)
            .ok_or_else(|| Error::Hashing("hasher produced a non-argon2id hash".into()))
    }

    /// Checks `password` against `hash`, or against a dummy hash when there is no account.
    pub async fn verify(&self, password: &str, hash: Option<&PasswordHash>) -> Result<bool, Error> {
        let password = password.to_owned();
        let (phc, exists) = match hash {
            Some(hash) => (hash.as_str().to_owned(), true),
            None => (self.dummy_hash.as_str().to_owned(), false),
        };
        let matches = self
            .run(move |argon2| {
                let parsed =
                    argon2::PasswordHash::new(&phc).map_err(|e| Error::Hashing(e.to_string()))?;
                Ok(argon2.verify_password(password.as_bytes(), &parsed).is_ok())
            })
            .await?;
        Ok(exists && matches)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(Argon2<'static>) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| Error::Hashing(e.to_string()))?;
        let argon2 = self.argon2.clone();
        tokio::task::spawn_blocking(move || work(argon2))
            .await
            .map_err(|e| Error::Hashing(e.to_string()))?
    }
}

fn hash_blocking(argon2: &Argon2<'static>, password: &str) -> Result<String, Error> {
    let salt = SaltString::generate(&mut OsRng);
    argon2
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| Error::Hashing(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_use_owasp_argon2id_parameters_and_verify() {
        let hasher = PasswordHasher::new(HashingCost::default()).unwrap();
        let hash = hasher.hash("correct horse battery staple").await.unwrap();
        assert!(
            hash.as_str().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{}",
            hash.as_str()
        );
        assert!(hasher
            .verify("correct horse battery staple", Some(&hash))
            .await
            .unwrap());
        assert!(!hasher
            .verify("wrong horse battery staple", Some(&hash))
            .await
            .unwrap());
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        let hasher = PasswordHasher::new(HashingCost::default()).unwrap();
        assert!(!hasher
            .verify("bloomwatch timing equaliser", None)
            .await
            .unwrap());
    }
}
