//! Which address a request comes from, for throttling: the peer, or, when the peer is a
//! proxy named in `BLOOMWATCH_TRUSTED_PROXIES`, the address that proxy says it forwarded for
//! (`X-Forwarded-For`). Without trusted proxies (the default) the header is ignored, since
//! anyone can send one.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use app::services::ClientAddress;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

const FORWARDED_FOR: &str = "x-forwarded-for";

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// A comma-separated list of addresses (`10.0.0.7`) and networks (`10.0.0.0/8`).
    ///
    /// # Errors
    /// The entry that is neither.
    pub fn parse(raw: &str) -> Result<Self, String> {
        raw.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        format!(
                            "{entry:?} is neither an address (10.0.0.7) nor a network (10.0.0.0/8)"
                        )
                    })
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(&address))
    }

    /// The client behind `peer`: `X-Forwarded-For` read from its end (each proxy appends
    /// whom it heard from) while the hop is a trusted proxy; the first other hop is the
    /// client. A malformed entry ends the walk at the last hop known.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let forwarded: Vec<&str> = headers
            .get_all(FORWARDED_FOR)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        let mut hops = forwarded.into_iter().rev();
        while self.trusts(client) {
            match hops.next().and_then(hop_address) {
                Some(hop) => client = hop,
                None => break,
            }
        }
        client
    }
}

/// An `X-Forwarded-For` entry: an address, perhaps with a port (`[::1]:80`, `10.0.0.1:80`).
fn hop_address(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|socket| socket.ip()))
}

/// Puts the request's `ClientAddress` into its extensions, for the login handlers.
pub async fn attach(
    State(proxies): State<Arc<TrustedProxies>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| peer.ip());
    if let Some(peer) = peer {
        let client = proxies.client(peer, request.headers());
        request.extensions_mut().insert(ClientAddress(client));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(raw: &str) -> IpAddr {
        raw.parse().unwrap()
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(FORWARDED_FOR, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let headers = forwarded(&["198.51.100.1"]);
        assert_eq!(
            TrustedProxies::default().client(ip("203.0.113.9"), &headers),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn the_walk_stops_at_the_first_hop_that_is_not_a_trusted_proxy() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, 192.0.2.1").unwrap();
        // A client may put anything first; only what our proxies appended counts.
        let headers = forwarded(&["6.6.6.6, 198.51.100.1", "10.1.2.3:443"]);
        assert_eq!(
            proxies.client(ip("192.0.2.1"), &headers),
            ip("198.51.100.1")
        );
        // A request that did not come through a trusted proxy is its own client.
        assert_eq!(
            proxies.client(ip("203.0.113.9"), &headers),
            ip("203.0.113.9")
        );
        // A proxy that names nobody, or garbage, leaves the last proxy as the client.
        assert_eq!(
            proxies.client(ip("10.0.0.1"), &HeaderMap::new()),
            ip("10.0.0.1")
        );
        assert_eq!(
            proxies.client(ip("10.0.0.1"), &forwarded(&["unknown"])),
            ip("10.0.0.1")
        );
        assert_eq!(
            proxies.client(ip("10.0.0.1"), &forwarded(&["[2001:db8::1]:8080"])),
            ip("2001:db8::1")
        );
    }

    #[test]
    fn entries_are_addresses_or_networks() {
        assert_eq!(
            TrustedProxies::parse(" , ").unwrap(),
            TrustedProxies::default()
        );
        assert!(TrustedProxies::parse("10.0.0.1,::1,fd00::/8").is_ok());
        let error = TrustedProxies::parse("10.0.0.1, proxy.local").unwrap_err();
        assert!(error.contains("\"proxy.local\""), "{error}");
    }
}
