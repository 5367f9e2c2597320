//! A member's initial in a circle of their colour, with their name beside it or, in compact
//! places, as the accessible name and tooltip.

use leptos::either::Either;
use leptos::prelude::*;

/// How many member colours the theme defines (`--member-1` … `--member-6`).
const MEMBER_COLOURS: usize = 6;

#[component]
pub fn MemberBadge(
    name: String,
    /// The member's colour slot in the space (see `spaces::member_list`), so people side by
    /// side get different colours.
    position: usize,
    /// Show the name next to the circle (otherwise it is the tooltip and accessible name).
    #[prop(optional)]
    with_name: bool,
) -> impl IntoView {
    let initial = name
        .chars()
        .next()
        .map(|first| first.to_uppercase().collect::<String>())
        .unwrap_or_default();
    let class = format!(
        "member-initial member-colour-{}",
        position % MEMBER_COLOURS + 1
    );
    if with_name {
        Either::Left(view! {
            <span class="member-badge">
                <span class=class aria-hidden="true">{initial}</span>
                <span class="member-name">{name}</span>
            </span>
        })
    } else {
        Either::Right(view! {
            <span class="member-badge">
                <span class=class role="img" aria-label=name.clone() title=name>{initial}</span>
            </span>
        })
    }
}
