//! Fake AniList accounts and their anime lists: what `Viewer`, `SaveMediaListEntry` and
//! `MediaListCollection` read and change, what OAuth approvals sign in as, and the record of
//! every applied mutation.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::catalog::Catalog;

/// Ids of fake users start here, well clear of the catalog's media ids.
const FIRST_USER_ID: i64 = 700_001;
/// List-entry ids start here so they are never mistaken for user or media ids.
const FIRST_ENTRY_ID: i64 = 40_000_001;

/// An AniList account as a test describes it; also the body of `POST /__control/users`.
/// Every field but `name` may be left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FakeUser {
    /// Unique, compared case-insensitively like AniList user names.
    pub name: String,
    /// A private user's list is visible only with that user's own token.
    pub private: bool,
    /// `POINT_100`, `POINT_10_DECIMAL` (the default), `POINT_10`, `POINT_5` or `POINT_3`.
    pub score_format: String,
    /// The names of the user's custom anime lists.
    pub custom_lists: Vec<String>,
    pub entries: Vec<FakeListEntry>,
}

impl Default for FakeUser {
    fn default() -> Self {
        Self {
            name: String::new(),
            private: false,
            score_format: "POINT_10_DECIMAL".to_owned(),
            custom_lists: Vec::new(),
            entries: Vec::new(),
        }
    }
}

/// One anime on a fake user's list. Every field but `mediaId` may be left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FakeListEntry {
    /// Must be in the catalog.
    pub media_id: i64,
    /// A `MediaListStatus`: CURRENT, PLANNING (the default), COMPLETED, DROPPED, PAUSED or
    /// REPEATING.
    pub status: String,
    pub progress: i64,
    /// On the 0–100 scale, whatever the user's score format.
    pub score: i64,
    pub notes: Option<String>,
    /// Times rewatched.
    pub repeat: i64,
    /// Names from the user's `custom_lists`.
    pub custom_lists: Vec<String>,
    /// Shown only in its custom lists, not in the list of its status.
    pub hidden_from_status_lists: bool,
    /// `(year, month, day)`; JSON `[2024, 4, 1]`.
    pub started_at: Option<(i32, u8, u8)>,
    pub completed_at: Option<(i32, u8, u8)>,
}

impl Default for FakeListEntry {
    fn default() -> Self {
        Self {
            media_id: 0,
            status: ListStatus::Planning.as_str().to_owned(),
            progress: 0,
            score: 0,
            notes: None,
            repeat: 0,
            custom_lists: Vec::new(),
            hidden_from_status_lists: false,
            started_at: None,
            completed_at: None,
        }
    }
}

/// A change to one entry of a fake user's list, as if the user made it on AniList's site;
/// also the body of `POST /__control/users/{name}/entries`. Left-out fields keep their value;
/// an entry the list does not have yet is added (PLANNING, no progress, no score) first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct EntryEdit {
    /// Must be in the catalog.
    pub media_id: i64,
    /// A `MediaListStatus`.
    pub status: Option<String>,
    pub progress: Option<i64>,
    /// On the 0–100 scale.
    pub score: Option<i64>,
    pub notes: Option<String>,
}

/// A list entry as the fake stores it: the entry plus the id and time AniList gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredListEntry {
    pub id: i64,
    /// Unix time of the insert or the last `SaveMediaListEntry`.
    pub updated_at: u64,
    #[serde(flatten)]
    pub entry: FakeListEntry,
}

/// One applied `SaveMediaListEntry`, as [`crate::FakeAniList::mutations`] and
/// `GET /__control/mutations` report it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedMutation {
    pub user_id: i64,
    pub user_name: String,
    /// The bearer token the mutation came with.
    pub token: String,
    /// The request's `variables`, as sent.
    pub variables: Value,
    pub at_unix: u64,
}

/// AniList's `ScoreFormat`: the scale a user sees and writes `score` in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum ScoreFormat {
    #[serde(rename = "POINT_100")]
    Point100,
    #[serde(rename = "POINT_10_DECIMAL")]
    Point10Decimal,
    #[serde(rename = "POINT_10")]
    Point10,
    #[serde(rename = "POINT_5")]
    Point5,
    #[serde(rename = "POINT_3")]
    Point3,
}

impl ScoreFormat {
    /// The highest `score` the format allows.
    pub(crate) fn max(self) -> f64 {
        match self {
            ScoreFormat::Point100 => 100.0,
            ScoreFormat::Point10Decimal | ScoreFormat::Point10 => 10.0,
            ScoreFormat::Point5 => 5.0,
            ScoreFormat::Point3 => 3.0,
        }
    }

    /// A `score` in this format on the 0–100 scale the fake stores.
    pub(crate) fn to_raw(self, score: f64) -> i64 {
        let factor = match self {
            ScoreFormat::Point100 => 1.0,
            ScoreFormat::Point10Decimal | ScoreFormat::Point10 => 10.0,
            ScoreFormat::Point5 => 20.0,
            ScoreFormat::Point3 => 33.0,
        };
        // Validated to 0..=max before, so the product fits.
        (score * factor).round() as i64
    }
}

/// AniList's `MediaListStatus`, and the status list each one is grouped into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListStatus {
    Current,
    Planning,
    Completed,
    Dropped,
    Paused,
    Repeating,
}

impl ListStatus {
    /// In the order AniList shows the status lists by default.
    pub(crate) const ALL: [ListStatus; 6] = [
        ListStatus::Current,
        ListStatus::Planning,
        ListStatus::Completed,
        ListStatus::Dropped,
        ListStatus::Paused,
        ListStatus::Repeating,
    ];

    pub(crate) fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == text)
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ListStatus::Current => "CURRENT",
            ListStatus::Planning => "PLANNING",
            ListStatus::Completed => "COMPLETED",
            ListStatus::Dropped => "DROPPED",
            ListStatus::Paused => "PAUSED",
            ListStatus::Repeating => "REPEATING",
        }
    }

    /// The name of the status list on an anime list.
    pub(crate) fn list_name(self) -> &'static str {
        match self {
            ListStatus::Current => "Watching",
            ListStatus::Planning => "Planning",
            ListStatus::Completed => "Completed",
            ListStatus::Dropped => "Dropped",
            ListStatus::Paused => "Paused",
            ListStatus::Repeating => "Rewatching",
        }
    }
}

/// A fake user with the ids the fake gave it and their entries.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Account {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) private: bool,
    pub(crate) score_format: ScoreFormat,
    pub(crate) custom_lists: Vec<String>,
    /// Ascending by id (ids are handed out in order).
    pub(crate) entries: Vec<StoredListEntry>,
}

/// What `SaveMediaListEntry` changes; `None` keeps the entry's value.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct EntryChanges {
    pub(crate) status: Option<ListStatus>,
    pub(crate) progress: Option<i64>,
    /// 0–100.
    pub(crate) score: Option<i64>,
    pub(crate) notes: Option<String>,
}

pub(crate) struct Users {
    accounts: Vec<Account>,
    next_user_id: i64,
    next_entry_id: i64,
    mutations: Vec<RecordedMutation>,
}

impl Users {
    pub(crate) fn new() -> Self {
        Self {
            accounts: Vec::new(),
            next_user_id: FIRST_USER_ID,
            next_entry_id: FIRST_ENTRY_ID,
            mutations: Vec::new(),
        }
    }

    pub(crate) fn by_id(&self, id: i64) -> Option<&Account> {
        self.accounts.iter().find(|account| account.id == id)
    }

    pub(crate) fn by_name(&self, name: &str) -> Option<&Account> {
        self.accounts
            .iter()
            .find(|account| account.name.eq_ignore_ascii_case(name))
    }

    /// Adds `user` after checking it the way AniList would constrain it.
    ///
    /// # Errors
    /// A message naming what is wrong: empty or taken name, unknown score format, status or
    /// custom list, a media id not in `catalog`, the same media twice, a score outside 0–100.
    pub(crate) fn insert(
        &mut self,
        user: FakeUser,
        catalog: &Catalog,
        now_unix: u64,
    ) -> Result<i64, String> {
        if user.name.trim().is_empty() {
            return Err("a user needs a name".to_owned());
        }
        if self.by_name(&user.name).is_some() {
            return Err(format!("a user named {} exists already", user.name));
        }
        let score_format = parse_score_format(&user.score_format)?;
        for (index, entry) in user.entries.iter().enumerate() {
            check_entry(entry, &user, catalog).map_err(|problem| {
                format!("entry {index} (media {}): {problem}", entry.media_id)
            })?;
            if user.entries[..index]
                .iter()
                .any(|earlier| earlier.media_id == entry.media_id)
            {
                return Err(format!("media {} is listed twice", entry.media_id));
            }
        }
        let id = self.take_user_id();
        let entries = user
            .entries
            .into_iter()
            .map(|entry| StoredListEntry {
                id: self.take_entry_id(),
                updated_at: now_unix,
                entry,
            })
            .collect();
        self.accounts.push(Account {
            id,
            name: user.name,
            private: user.private,
            score_format,
            custom_lists: user.custom_lists,
            entries,
        });
        Ok(id)
    }

    /// The user an OAuth approval signs in as: `name`'s account (created when missing), or
    /// a brand-new `FakeUser<id>` when `name` is `None`.
    pub(crate) fn approving_user(&mut self, name: Option<&str>) -> i64 {
        if let Some(account) = name.and_then(|name| self.by_name(name)) {
            return account.id;
        }
        let id = self.take_user_id();
        let name = match name {
            Some(name) => name.to_owned(),
            None => format!("FakeUser{id}"),
        };
        self.accounts.push(Account {
            id,
            name,
            private: false,
            score_format: ScoreFormat::Point10Decimal,
            custom_lists: Vec::new(),
            entries: Vec::new(),
        });
        id
    }

    /// Applies `changes` to `user_id`'s entry for `media_id`, creating a PLANNING entry at 0
    /// progress and score if there is none. `None` when the user does not exist.
    pub(crate) fn save_entry(
        &mut self,
        user_id: i64,
        media_id: i64,
        changes: EntryChanges,
        now_unix: u64,
    ) -> Option<StoredListEntry> {
        let next_entry_id = self.next_entry_id;
        let account = self
            .accounts
            .iter_mut()
            .find(|account| account.id == user_id)?;
        let index = match account
            .entries
            .iter()
            .position(|stored| stored.entry.media_id == media_id)
        {
            Some(index) => index,
            None => {
                self.next_entry_id += 1;
                account.entries.push(StoredListEntry {
                    id: next_entry_id,
                    updated_at: now_unix,
                    entry: FakeListEntry {
                        media_id,
                        ..FakeListEntry::default()
                    },
                });
                account.entries.len() - 1
            }
        };
        let stored = account.entries.get_mut(index)?;
        let entry = &mut stored.entry;
        if let Some(status) = changes.status {
            status.as_str().clone_into(&mut entry.status);
        }
        if let Some(progress) = changes.progress {
            entry.progress = progress;
        }
        if let Some(score) = changes.score {
            entry.score = score;
        }
        if let Some(notes) = changes.notes {
            entry.notes = Some(notes);
        }
        stored.updated_at = now_unix;
        Some(stored.clone())
    }

    /// Applies `edit` to the list of the user called `name`.
    ///
    /// # Errors
    /// A message naming what is wrong: an unknown user, status or media, a score outside
    /// 0–100, negative progress.
    pub(crate) fn edit(
        &mut self,
        name: &str,
        edit: EntryEdit,
        catalog: &Catalog,
        now_unix: u64,
    ) -> Result<StoredListEntry, String> {
        let user_id = self
            .by_name(name)
            .map(|account| account.id)
            .ok_or_else(|| format!("there is no user named {name}"))?;
        if !catalog.contains(edit.media_id) {
            return Err(format!("media {} is not in the catalog", edit.media_id));
        }
        let status = edit
            .status
            .as_deref()
            .map(|text| ListStatus::parse(text).ok_or_else(|| format!("unknown status {text}")))
            .transpose()?;
        if edit.score.is_some_and(|score| !(0..=100).contains(&score)) {
            return Err("a score is within 0-100".to_owned());
        }
        if edit.progress.is_some_and(|progress| progress < 0) {
            return Err("progress may not be negative".to_owned());
        }
        let changes = EntryChanges {
            status,
            progress: edit.progress,
            score: edit.score,
            notes: edit.notes,
        };
        self.save_entry(user_id, edit.media_id, changes, now_unix)
            .ok_or_else(|| format!("there is no user named {name}"))
    }

    pub(crate) fn record(&mut self, mutation: RecordedMutation) {
        self.mutations.push(mutation);
    }

    pub(crate) fn mutations(&self) -> &[RecordedMutation] {
        &self.mutations
    }

    pub(crate) fn clear_mutations(&mut self) {
        self.mutations.clear();
    }

    /// Skips ids whose generated name a test already took for a user of its own.
    fn take_user_id(&mut self) -> i64 {
        loop {
            let id = self.next_user_id;
            self.next_user_id += 1;
            if self.by_name(&format!("FakeUser{id}")).is_none() {
                return id;
            }
        }
    }

    fn take_entry_id(&mut self) -> i64 {
        let id = self.next_entry_id;
        self.next_entry_id += 1;
        id
    }
}

pub(crate) fn parse_score_format(text: &str) -> Result<ScoreFormat, String> {
    serde_json::from_value(Value::String(text.to_owned()))
        .map_err(|_| format!("unknown score format {text}"))
}

fn check_entry(entry: &FakeListEntry, user: &FakeUser, catalog: &Catalog) -> Result<(), String> {
    if !catalog.contains(entry.media_id) {
        return Err("not in the catalog".to_owned());
    }
    if ListStatus::parse(&entry.status).is_none() {
        return Err(format!("unknown status {}", entry.status));
    }
    if !(0..=100).contains(&entry.score) {
        return Err(format!("score {} is not within 0-100", entry.score));
    }
    if entry.progress < 0 || entry.repeat < 0 {
        return Err("progress and repeat may not be negative".to_owned());
    }
    match entry
        .custom_lists
        .iter()
        .find(|list| !user.custom_lists.contains(list))
    {
        Some(unknown) => Err(format!("the user has no custom list {unknown}")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn catalog() -> Catalog {
        Catalog::bundled(0).unwrap()
    }

    #[test]
    fn users_and_entries_deserialize_with_defaults() {
        let user: FakeUser = serde_json::from_value(json!({
            "name": "Yuu", "entries": [{"mediaId": 101573, "startedAt": [2024, 4, 1]}]
        }))
        .unwrap();
        assert_eq!(user.score_format, "POINT_10_DECIMAL");
        assert!(!user.private);
        let entry = &user.entries[0];
        assert_eq!(entry.status, "PLANNING");
        assert_eq!(entry.started_at, Some((2024, 4, 1)));
        assert_eq!(entry.completed_at, None);
        assert!(serde_json::from_value::<FakeUser>(json!({"name": "x", "typo": 1})).is_err());
    }

    #[test]
    fn insert_refuses_what_anilist_would_not_store() {
        let catalog = catalog();
        let mut users = Users::new();
        let entry = |media_id| FakeListEntry {
            media_id,
            ..FakeListEntry::default()
        };
        let user = |name: &str, entries| FakeUser {
            name: name.to_owned(),
            entries,
            ..FakeUser::default()
        };
        assert_eq!(
            users.insert(user("Yuu", vec![entry(21)]), &catalog, 5),
            Ok(FIRST_USER_ID)
        );
        assert!(users.insert(user("yuu", vec![]), &catalog, 5).is_err());
        assert!(users.insert(user("", vec![]), &catalog, 5).is_err());
        assert!(users
            .insert(user("A", vec![entry(999_999_999)]), &catalog, 5)
            .is_err());
        assert!(users
            .insert(user("B", vec![entry(21), entry(21)]), &catalog, 5)
            .is_err());
        let mut bad = entry(21);
        bad.custom_lists = vec!["Faves".into()];
        assert!(users.insert(user("C", vec![bad]), &catalog, 5).is_err());
        let mut bad = entry(21);
        bad.status = "WATCHING".into();
        assert!(users.insert(user("D", vec![bad]), &catalog, 5).is_err());
        let mut bad = user("E", vec![]);
        bad.score_format = "POINT_7".into();
        assert!(users.insert(bad, &catalog, 5).is_err());
    }

    #[test]
    fn approvals_create_numbered_users_or_sign_in_by_name() {
        let catalog = catalog();
        let mut users = Users::new();
        let first = users.approving_user(None);
        assert_eq!(users.by_id(first).unwrap().name, "FakeUser700001");
        let taken = FakeUser {
            name: "FakeUser700003".into(),
            ..FakeUser::default()
        };
        assert_eq!(users.insert(taken, &catalog, 0), Ok(700_002));
        assert_eq!(users.approving_user(None), 700_004);
        let yuu = users.approving_user(Some("Yuu"));
        assert_eq!(users.approving_user(Some("YUU")), yuu);
    }

    #[test]
    fn saving_upserts_and_keeps_what_is_not_changed() {
        let mut users = Users::new();
        let user = users.approving_user(None);
        let created = users
            .save_entry(user, 21, EntryChanges::default(), 10)
            .unwrap();
        assert_eq!(created.entry.status, "PLANNING");
        assert_eq!((created.entry.progress, created.entry.score), (0, 0));
        let changes = EntryChanges {
            status: Some(ListStatus::Current),
            progress: Some(3),
            ..EntryChanges::default()
        };
        let updated = users.save_entry(user, 21, changes, 20).unwrap();
        assert_eq!(updated.id, created.id);
        assert_eq!(updated.entry.status, "CURRENT");
        assert_eq!(updated.updated_at, 20);
        let changes = EntryChanges {
            score: Some(85),
            ..EntryChanges::default()
        };
        let updated = users.save_entry(user, 21, changes, 30).unwrap();
        assert_eq!((updated.entry.progress, updated.entry.score), (3, 85));
        assert_eq!(users.by_id(user).unwrap().entries.len(), 1);
        assert!(users
            .save_entry(1, 21, EntryChanges::default(), 0)
            .is_none());
    }

    #[test]
    fn edits_change_one_entry_and_refuse_what_anilist_would() {
        let catalog = catalog();
        let mut users = Users::new();
        let yuu = FakeUser {
            name: "Yuu".into(),
            entries: vec![FakeListEntry {
                media_id: 21,
                status: "CURRENT".into(),
                progress: 3,
                score: 70,
                ..FakeListEntry::default()
            }],
            ..FakeUser::default()
        };
        users.insert(yuu, &catalog, 5).unwrap();
        let edit = |progress| EntryEdit {
            media_id: 21,
            progress: Some(progress),
            ..EntryEdit::default()
        };
        let edited = users.edit("yuu", edit(9), &catalog, 50).unwrap();
        assert_eq!((edited.entry.progress, edited.entry.score), (9, 70));
        assert_eq!(edited.entry.status, "CURRENT");
        assert_eq!(edited.updated_at, 50);
        assert!(users.edit("nobody", edit(1), &catalog, 0).is_err());
        assert!(users.edit("Yuu", edit(-1), &catalog, 0).is_err());
        let bad_status = EntryEdit {
            status: Some("WATCHING".into()),
            ..edit(1)
        };
        assert!(users.edit("Yuu", bad_status, &catalog, 0).is_err());
        let bad_media = EntryEdit {
            media_id: 999_999_999,
            ..edit(1)
        };
        assert!(users.edit("Yuu", bad_media, &catalog, 0).is_err());
        assert_eq!(users.by_name("Yuu").unwrap().entries[0].entry.progress, 9);
    }

    #[test]
    fn scores_convert_to_the_hundred_point_scale() {
        assert_eq!(ScoreFormat::Point10Decimal.to_raw(7.5), 75);
        assert_eq!(ScoreFormat::Point10.to_raw(8.0), 80);
        assert_eq!(ScoreFormat::Point100.to_raw(64.0), 64);
        assert_eq!(ScoreFormat::Point5.to_raw(4.0), 80);
        assert_eq!(ScoreFormat::Point3.to_raw(3.0), 99);
        assert_eq!(parse_score_format("POINT_3"), Ok(ScoreFormat::Point3));
        assert!(parse_score_format("point_3").is_err());
    }
}
