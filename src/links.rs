//! Where participants join: the one place links are built. A join link is
//! `http(s)://HOST:PORT/join#t=TOKEN`: the token in the fragment, so it reaches no
//! server log, proxy or Referer (the page sends it in its hello).
//!
//! HOST is `--public-url` when given (a name in DNS, a proxy in front); when the
//! server listens on every address (`0.0.0.0`, `[::]`), the machine's LAN
//! addresses, the first by default, since `0.0.0.0` is no address a phone can
//! reach; otherwise the address it listens on.

use std::net::{IpAddr, SocketAddr};

/// The addresses participants can reach the meeting at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    /// `http(s)://HOST:PORT`, the one links are made from first.
    pub base: String,
    /// Other bases that reach the same server (other LAN addresses).
    pub others: Vec<String>,
    /// What a person should know about these links (none of the machine's
    /// addresses is reachable from elsewhere, say).
    pub note: Option<String>,
    /// The server listens on loopback: these links open on this machine only,
    /// never on a phone (consoles say how to let phones in, in their language).
    pub loopback_only: bool,
}

impl Links {
    /// The links of a server listening on `listen`; `lan` lists the machine's
    /// addresses (`lan_addresses()`), given so that tests can choose them.
    pub fn new(listen: SocketAddr, public_url: Option<&str>, tls: bool, lan: &[IpAddr]) -> Links {
        let scheme = if tls { "https" } else { "http" };
        if let Some(url) = public_url {
            return Links::at(url);
        }
        let port = listen.port();
        if !listen.ip().is_unspecified() {
            return Links {
                base: format!("{scheme}://{}", SocketAddr::new(listen.ip(), port)),
                others: Vec::new(),
                note: None,
                loopback_only: listen.ip().is_loopback(),
            };
        }
        // Every address: the LAN's (IPv4 first, the usual way phones join), of the
        // family listened on when it is IPv4 only.
        let mut usable: Vec<IpAddr> = lan
            .iter()
            .copied()
            .filter(|ip| !ip.is_loopback() && !ip.is_unspecified())
            .filter(|ip| listen.is_ipv6() || ip.is_ipv4())
            .filter(|ip| match ip {
                // Link-local IPv6 needs a zone a phone's browser cannot take.
                IpAddr::V6(v6) => (v6.segments()[0] & 0xffc0) != 0xfe80,
                IpAddr::V4(_) => true,
            })
            .collect();
        usable.sort_by_key(|ip| ip.is_ipv6());
        let mut bases = usable
            .iter()
            .map(|ip| format!("{scheme}://{}", SocketAddr::new(*ip, port)));
        match bases.next() {
            Some(base) => Links {
                base,
                others: bases.collect(),
                note: None,
                loopback_only: false,
            },
            None => Links {
                base: format!(
                    "{scheme}://{}",
                    SocketAddr::new([127, 0, 0, 1].into(), port)
                ),
                others: Vec::new(),
                note: Some(
                    "this machine has no network address but loopback: links work on this \
                     machine only; connect it to the room's network, or give --public-url"
                        .to_string(),
                ),
                loopback_only: true,
            },
        }
    }

    /// The links of a base the chair gave (`--base-url`), already checked by
    /// [`parse_base`].
    pub fn at(base: &str) -> Links {
        Links {
            base: base.trim_end_matches('/').to_string(),
            others: Vec::new(),
            note: None,
            loopback_only: false,
        }
    }

    /// A participant's page.
    pub fn join(&self, token: &str) -> String {
        format!("{}/join#t={token}", self.base)
    }

    /// The room's big screen (an observer's token).
    pub fn projector(&self, token: &str) -> String {
        format!("{}/projector#t={token}", self.base)
    }

    /// A department's or an asker's page of the follow-up register.
    pub fn followups(&self, token: &str) -> String {
        format!("{}/followups/mine#t={token}", self.base)
    }

    /// A roster person's or a contact point's topics page.
    pub fn topics(&self, token: &str) -> String {
        format!("{}/topics/mine#t={token}", self.base)
    }

    /// The public page of topics.
    pub fn topics_public(&self) -> String {
        format!("{}/topics", self.base)
    }

    /// The register's public dashboard.
    pub fn dashboard(&self) -> String {
        format!("{}/followups", self.base)
    }

    /// The websocket, for terminals (`xieshang join`).
    pub fn websocket(&self) -> String {
        let ws = self
            .base
            .replacen("https://", "wss://", 1)
            .replacen("http://", "ws://", 1);
        format!("{ws}/ws")
    }
}

/// A base URL as the chair gives it (`--public-url`, `--base-url`): `http(s)://HOST[:PORT][/PATH]`,
/// nothing else (no user, query or fragment), without its last `/`; or why not.
pub fn parse_base(url: &str) -> Result<String, String> {
    let url = url.trim().trim_end_matches('/');
    let wrong = |why: &str| {
        Err(format!(
            "{} is not an address participants can open ({why}): give one like \
             https://192.168.1.23:7878 or https://meet.example.org",
            crate::text::shown(url)
        ))
    };
    let Ok(uri) = url.parse::<axum::http::Uri>() else {
        return wrong("not a URL");
    };
    if !matches!(uri.scheme_str(), Some("http" | "https")) {
        return wrong("it must start with http:// or https://");
    }
    let Some(authority) = uri.authority() else {
        return wrong("no host");
    };
    if authority.host().is_empty() || authority.as_str().contains('@') {
        return wrong("no host, or a user in it");
    }
    if uri.query().is_some() || url.contains('#') {
        return wrong("a query or fragment has no place in it");
    }
    Ok(url.to_string())
}

/// The host of a URL, without brackets around an IPv6 address.
pub fn host_of(url: &str) -> Option<String> {
    let uri = url.parse::<axum::http::Uri>().ok()?;
    let host = uri.host()?;
    Some(
        host.trim_start_matches('[')
            .trim_end_matches(']')
            .to_string(),
    )
}

/// The machine's own addresses, loopback left out, in the order the system lists
/// its interfaces.
pub fn lan_addresses() -> Vec<IpAddr> {
    if_addrs::get_if_addrs()
        .map(|all| {
            all.into_iter()
                .filter(|i| !i.is_loopback())
                .map(|i| i.ip())
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lan() -> Vec<IpAddr> {
        vec![
            "fe80::1".parse().unwrap(),
            "2001:db8::5".parse().unwrap(),
            "192.168.1.23".parse().unwrap(),
            "10.0.0.7".parse().unwrap(),
            "127.0.0.1".parse().unwrap(),
        ]
    }

    #[test]
    fn a_public_url_wins_and_keeps_its_path() {
        let l = Links::new(
            "0.0.0.0:7878".parse().unwrap(),
            Some("https://meet.example.org/hall/"),
            true,
            &lan(),
        );
        assert_eq!(l.join("abc"), "https://meet.example.org/hall/join#t=abc");
        assert_eq!(l.websocket(), "wss://meet.example.org/hall/ws");
    }

    #[test]
    fn every_address_means_the_lans_ipv4_first() {
        let l = Links::new("0.0.0.0:7878".parse().unwrap(), None, false, &lan());
        assert_eq!(l.base, "http://192.168.1.23:7878");
        assert_eq!(l.others, ["http://10.0.0.7:7878"]);
        assert_eq!(l.note, None);
        let l6 = Links::new("[::]:7878".parse().unwrap(), None, true, &lan());
        assert_eq!(l6.base, "https://192.168.1.23:7878");
        assert!(
            l6.others
                .contains(&"https://[2001:db8::5]:7878".to_string()),
            "{l6:?}"
        );
        assert!(!l6.others.iter().any(|o| o.contains("fe80")), "{l6:?}");
    }

    #[test]
    fn a_named_address_is_used_as_it_is_ipv6_in_brackets() {
        let l = Links::new("[::1]:9000".parse().unwrap(), None, false, &lan());
        assert_eq!(l.join("t0"), "http://[::1]:9000/join#t=t0");
        assert_eq!(l.websocket(), "ws://[::1]:9000/ws");
        let l = Links::new("127.0.0.1:7878".parse().unwrap(), None, true, &lan());
        assert_eq!(l.projector("o"), "https://127.0.0.1:7878/projector#t=o");
    }

    #[test]
    fn a_base_url_is_checked_and_its_host_found() {
        assert_eq!(
            parse_base("https://meet.example.org/hall/").unwrap(),
            "https://meet.example.org/hall"
        );
        assert_eq!(
            parse_base(" http://[fd00::5]:7878 ").unwrap(),
            "http://[fd00::5]:7878"
        );
        for bad in [
            "meet.example.org",
            "ftp://x",
            "https://",
            "https://u@x",
            "https://x/?a=1",
            "https://x/#t",
            "https://x y",
        ] {
            assert!(parse_base(bad).is_err(), "{bad}");
        }
        assert_eq!(
            host_of("https://[fd00::5]:7878/x").as_deref(),
            Some("fd00::5")
        );
        assert_eq!(
            host_of("https://meet.example.org").as_deref(),
            Some("meet.example.org")
        );
    }

    #[test]
    fn no_address_but_loopback_is_said_plainly() {
        let l = Links::new(
            "0.0.0.0:7878".parse().unwrap(),
            None,
            false,
            &["127.0.0.1".parse().unwrap()],
        );
        assert_eq!(l.base, "http://127.0.0.1:7878");
        assert!(l.note.unwrap().contains("no network address"));
    }
}
