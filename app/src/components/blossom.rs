//! BloomWatch's blossom: five petals around a warm centre. The logo, and the decoration of
//! empty states and lists (inline SVG: no icon font, no emoji font needed).

use leptos::prelude::*;

#[component]
pub fn Blossom(
    #[prop(default = 32)] size: u32,
    #[prop(default = "logo")] class: &'static str,
) -> impl IntoView {
    view! {
        <svg class=class viewBox="0 0 32 32" width=size height=size aria-hidden="true" focusable="false">
            <g class="logo-petals">
                <circle cx="16" cy="8.5" r="6.5"/>
                <circle cx="23.1" cy="13.7" r="6.5"/>
                <circle cx="20.4" cy="22.1" r="6.5"/>
                <circle cx="11.6" cy="22.1" r="6.5"/>
                <circle cx="8.9" cy="13.7" r="6.5"/>
            </g>
            <circle class="logo-centre" cx="16" cy="16" r="4.5"/>
        </svg>
    }
}
