//! A small client for BloomWatch's public REST API, for the commands that seed data through it
//! as any client would (`run --demo`, `bench`).

use anyhow::{bail, Context, Result};
use reqwest::{Client, Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

/// Who to register or log in as.
pub struct Account<'a> {
    pub display_name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessToken {
    pub access_token: String,
}

#[derive(Deserialize)]
pub struct IdOnly {
    pub id: String,
}

#[derive(Deserialize)]
pub struct CreatedInvitation {
    pub token: String,
}

/// The parts of a `WatchSpaceAnimeDto` the seeding needs.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Anime {
    pub id: String,
    pub version: i32,
    #[serde(default)]
    pub episode_count_snapshot: Option<i32>,
    pub participants: Vec<Participant>,
}

/// A page of a list (`items`, `nextCursor`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page<T> {
    items: Vec<T>,
    next_cursor: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    pub user_id: String,
    pub version: i32,
    #[serde(default)]
    pub episodes_watched: i32,
}

/// A signed-in user.
#[derive(Clone)]
pub struct Member {
    pub token: String,
    pub user_id: String,
}

/// The API of one server: `http://host:port/api`.
pub struct Api {
    client: Client,
    base: String,
}

/// An answer, read in full.
pub struct Reply {
    pub status: StatusCode,
    pub text: String,
    pub what: String,
}

impl Reply {
    /// The body as `T` when the request succeeded, else an error with the server's problem text.
    pub fn parse<T: DeserializeOwned>(self) -> Result<T> {
        if !self.status.is_success() {
            bail!("{} answered {}: {}", self.what, self.status, self.text);
        }
        serde_json::from_str(&self.text)
            .with_context(|| format!("{} answered an unexpected body: {}", self.what, self.text))
    }
}

impl Api {
    /// The API of the server listening on `addr` (`host:port`).
    pub fn new(client: Client, addr: &str) -> Self {
        Self {
            client,
            base: format!("http://{addr}/api"),
        }
    }

    /// `method /api{path}`, with a bearer `token` and a JSON `body` when given.
    pub async fn call(
        &self,
        token: Option<&str>,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Reply> {
        let what = format!("{method} /api{path}");
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.with_context(|| what.clone())?;
        let status = response.status();
        let text = response.text().await.with_context(|| what.clone())?;
        Ok(Reply { status, text, what })
    }

    /// Every item of the paged list at `path` (no query string of its own), 100 a page.
    pub async fn all_pages<T: DeserializeOwned>(&self, token: &str, path: &str) -> Result<Vec<T>> {
        let mut items = Vec::new();
        let mut query = "?limit=100".to_owned();
        loop {
            let page: Page<T> = self
                .call(Some(token), Method::GET, &format!("{path}{query}"), None)
                .await?
                .parse()?;
            items.extend(page.items);
            match page.next_cursor {
                // Cursors are URL-safe base64.
                Some(cursor) => query = format!("?limit=100&cursor={cursor}"),
                None => return Ok(items),
            }
        }
    }

    /// Registers `account`, or logs in when the account exists already (409).
    pub async fn sign_in(&self, account: &Account<'_>) -> Result<Member> {
        let registered = self
            .call(
                None,
                Method::POST,
                "/auth/register",
                Some(register_body(account)),
            )
            .await?;
        if registered.status != StatusCode::CONFLICT {
            registered.parse::<IdOnly>()?;
        }
        let token: AccessToken = self
            .call(None, Method::POST, "/auth/login", Some(login_body(account)))
            .await?
            .parse()?;
        let me: IdOnly = self
            .call(Some(&token.access_token), Method::GET, "/me", None)
            .await?
            .parse()?;
        Ok(Member {
            token: token.access_token,
            user_id: me.id,
        })
    }

    /// `owner` invites `email` into the space and `invitee` (who signed in as `email`) accepts.
    pub async fn invite_and_accept(
        &self,
        space_id: &str,
        owner: &Member,
        email: &str,
        invitee: &Member,
    ) -> Result<()> {
        let invitation: CreatedInvitation = self
            .call(
                Some(&owner.token),
                Method::POST,
                &format!("/watch-spaces/{space_id}/invitations"),
                Some(json!({ "email": email })),
            )
            .await?
            .parse()?;
        let _: IdOnly = self
            .call(
                Some(&invitee.token),
                Method::POST,
                &format!("/watch-spaces/invitations/{}/accept", invitation.token),
                None,
            )
            .await?
            .parse()?;
        Ok(())
    }
}

/// A member's entry version, 0 before their first edit (when they may not be listed yet).
pub fn participant_version(anime: &Anime, member: &Member) -> i32 {
    participant(anime, member).map_or(0, |participant| participant.version)
}

/// A member's own entry, once they have one.
pub fn participant<'a>(anime: &'a Anime, member: &Member) -> Option<&'a Participant> {
    anime
        .participants
        .iter()
        .find(|participant| participant.user_id == member.user_id)
}

pub fn register_body(account: &Account<'_>) -> Value {
    json!({"email": account.email, "password": account.password, "displayName": account.display_name})
}

pub fn login_body(account: &Account<'_>) -> Value {
    json!({"email": account.email, "password": account.password})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_not_yet_listed_edits_from_version_zero() {
        let anime: Anime = serde_json::from_value(json!({
            "id": "a", "version": 4, "episodeCountSnapshot": 12,
            "participants": [{"userId": "u1", "version": 2, "displayName": "Mika", "episodesWatched": 5}]
        }))
        .unwrap();
        let member = |id: &str| Member {
            token: String::new(),
            user_id: id.to_owned(),
        };
        assert_eq!(participant_version(&anime, &member("u1")), 2);
        assert_eq!(participant_version(&anime, &member("u2")), 0);
        assert_eq!(
            participant(&anime, &member("u1")).unwrap().episodes_watched,
            5
        );
        assert_eq!(anime.episode_count_snapshot, Some(12));
    }

    #[test]
    fn account_bodies_use_the_rest_api_field_names() {
        let account = Account {
            display_name: "Mika",
            email: "mika@example.test",
            password: "pw-123456",
        };
        assert_eq!(
            register_body(&account),
            json!({"email": "mika@example.test", "password": "pw-123456", "displayName": "Mika"})
        );
        assert_eq!(
            login_body(&account),
            json!({"email": "mika@example.test", "password": "pw-123456"})
        );
    }
}
