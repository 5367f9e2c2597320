use anime_tracking::contracts::{RatingScore, WatchSpaceAnimeDto};
use identity::contracts::UserId;
use watch_spaces::contracts::WatchSpaceId;

use super::{current_members, member_ref, Analytics, Error};
use crate::contracts::{AnalyticsError, MemberRatingDto, RatingGapDto, RatingGapsDto};
use crate::domain::rating_gaps::{biggest_first, gap_in_halves, smallest_first, HIGHLIGHTS};

impl Analytics {
    /// Where the members' ratings differ most, and where they meet.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space))]
    pub async fn rating_gaps(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<RatingGapsDto, AnalyticsError> {
        let anime = self
            .tracked_anime(actor, space)
            .await
            .map_err(Error::into_public)?;
        Ok(rating_gaps_of(space, &anime))
    }
}

/// The rating gaps of the space's tracked anime, by its current members.
pub(super) fn rating_gaps_of(space: WatchSpaceId, anime: &[WatchSpaceAnimeDto]) -> RatingGapsDto {
    let gaps: Vec<Option<u8>> = anime
        .iter()
        .map(|anime| {
            let ratings: Vec<RatingScore> = current_members(anime)
                .filter_map(|entry| entry.rating_score)
                .collect();
            gap_in_halves(&ratings)
        })
        .collect();
    let gap_dto = |index: usize| gap_dto(&anime[index], gaps[index].unwrap_or(0));
    RatingGapsDto {
        watch_space_id: space,
        biggest_gaps: biggest_first(&gaps)
            .into_iter()
            .filter(|index| gaps[*index] > Some(0))
            .take(HIGHLIGHTS)
            .map(gap_dto)
            .collect(),
        most_aligned: smallest_first(&gaps)
            .into_iter()
            .take(HIGHLIGHTS)
            .map(gap_dto)
            .collect(),
        all: biggest_first(&gaps).into_iter().map(gap_dto).collect(),
    }
}

fn gap_dto(anime: &WatchSpaceAnimeDto, gap_in_halves: u8) -> RatingGapDto {
    let mut ratings: Vec<MemberRatingDto> = current_members(anime)
        .filter_map(|entry| {
            Some(MemberRatingDto {
                member: member_ref(entry),
                rating_score: entry.rating_score?,
                rating_notes: entry.rating_notes.clone(),
            })
        })
        .collect();
    ratings.sort_by_key(|rating| std::cmp::Reverse(rating.rating_score));
    RatingGapDto {
        watch_space_anime_id: anime.id,
        title: anime.display_title().to_owned(),
        cover_image_url: anime.cover_image_url_snapshot.clone(),
        gap: f64::from(gap_in_halves) / 2.0,
        ratings,
    }
}
