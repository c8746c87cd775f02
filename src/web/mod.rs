//! The pages on the meeting's own port: `/join` (the participant's page; the token
//! travels in the link's fragment, `/join#t=TOKEN`, and reaches no log, proxy or
//! Referer) and `/projector` (the room's big screen). Plain JavaScript modules and
//! CSS in `src/web/assets/`, embedded in the binary: no bundler, no CDN, nothing
//! fetched from elsewhere (these meetings run on a LAN or offline). Their words,
//! `catalogue.js`, are made at build time from the same catalogue as every other
//! view's (`src/lang/zh.toml`, `en.toml`, by `src/build.rs`: Rust, no Node).
//!
//! Assets are served under `/assets/<version>/`, the version being a digest of all
//! of them, so they can be cached for a year and still never be stale; the pages
//! themselves are never cached. Every answer carries a Content-Security-Policy
//! with no inline script and websockets to this host only.

use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// One embedded file.
struct Asset {
    name: &'static str,
    bytes: &'static [u8],
    content_type: &'static str,
}

const JS: &str = "text/javascript; charset=utf-8";

const ASSETS: &[Asset] = &[
    Asset {
        name: "app.css",
        bytes: include_bytes!("assets/app.css"),
        content_type: "text/css; charset=utf-8",
    },
    Asset {
        name: "join.js",
        bytes: include_bytes!("assets/join.js"),
        content_type: JS,
    },
    Asset {
        name: "projector.js",
        bytes: include_bytes!("assets/projector.js"),
        content_type: JS,
    },
    Asset {
        name: "connection.js",
        bytes: include_bytes!("assets/connection.js"),
        content_type: JS,
    },
    Asset {
        name: "state.js",
        bytes: include_bytes!("assets/state.js"),
        content_type: JS,
    },
    Asset {
        name: "view.js",
        bytes: include_bytes!("assets/view.js"),
        content_type: JS,
    },
    Asset {
        name: "words.js",
        bytes: include_bytes!("assets/words.js"),
        content_type: JS,
    },
    Asset {
        name: "catalogue.js",
        bytes: crate::lang::catalogue::PAGES_JS.as_bytes(),
        content_type: JS,
    },
    Asset {
        name: "projector.css",
        bytes: include_bytes!("assets/projector.css"),
        content_type: "text/css; charset=utf-8",
    },
    Asset {
        name: "review.js",
        bytes: include_bytes!("assets/review.js"),
        content_type: JS,
    },
    Asset {
        name: "followups.css",
        bytes: include_bytes!("assets/followups.css"),
        content_type: "text/css; charset=utf-8",
    },
    Asset {
        name: "followups.js",
        bytes: include_bytes!("assets/followups.js"),
        content_type: JS,
    },
    Asset {
        name: "dashboard.js",
        bytes: include_bytes!("assets/dashboard.js"),
        content_type: JS,
    },
    Asset {
        name: "mine.js",
        bytes: include_bytes!("assets/mine.js"),
        content_type: JS,
    },
    Asset {
        name: "qr.js",
        bytes: include_bytes!("assets/qr.js"),
        content_type: JS,
    },
];

/// What only the projector loads (not counted in a phone's page).
const PROJECTOR_ONLY: [&str; 3] = ["projector.js", "projector.css", "qr.js"];

/// What only the register's pages load (not counted in a phone's page).
const REGISTER_ONLY: [&str; 4] = ["followups.css", "followups.js", "dashboard.js", "mine.js"];

const JOIN: &str = include_str!("assets/join.html");
const PROJECTOR: &str = include_str!("assets/projector.html");
const DASHBOARD: &str = include_str!("assets/dashboard.html");
const MINE: &str = include_str!("assets/mine.html");

/// The pages and the version of their assets, made once.
struct Site {
    version: String,
    join: String,
    projector: String,
    dashboard: String,
    mine: String,
}

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let mut digest = Sha256::new();
        for a in ASSETS {
            digest.update(a.name.as_bytes());
            digest.update(a.bytes);
        }
        let version = hex::encode(&digest.finalize()[..6]);
        let prefix = format!("/assets/{version}");
        Site {
            join: JOIN.replace("{{assets}}", &prefix),
            projector: PROJECTOR.replace("{{assets}}", &prefix),
            dashboard: DASHBOARD.replace("{{assets}}", &prefix),
            mine: MINE.replace("{{assets}}", &prefix),
            version,
        }
    })
}

/// A page by its path (`/join`, `/projector`, `/followups`, `/followups/mine`).
pub fn page(path: &str) -> Option<&'static str> {
    match path {
        "/join" => Some(&site().join),
        "/projector" => Some(&site().projector),
        "/followups" => Some(&site().dashboard),
        "/followups/mine" => Some(&site().mine),
        _ => None,
    }
}

/// An asset of this build: its bytes and content type; `None` for another
/// version's (a page loaded before a restart asks again and gets the new one).
pub fn asset(version: &str, name: &str) -> Option<(&'static [u8], &'static str)> {
    if version != site().version {
        return None;
    }
    ASSETS
        .iter()
        .find(|a| a.name == name)
        .map(|a| (a.bytes, a.content_type))
}

/// The same bytes gzipped, for a client that takes it (every phone's browser):
/// made once, on first asking, and kept.
pub fn gzipped(bytes: &'static [u8]) -> &'static [u8] {
    use std::collections::HashMap;
    use std::sync::Mutex;
    static MADE: OnceLock<Mutex<HashMap<usize, &'static [u8]>>> = OnceLock::new();
    let made = MADE.get_or_init(Mutex::default);
    let mut made = made.lock().unwrap_or_else(|e| e.into_inner());
    made.entry(bytes.as_ptr() as usize).or_insert_with(|| {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zipped = gz
            .write_all(bytes)
            .and_then(|()| gz.finish())
            .expect("gzip into memory");
        // Kept for the process's life, like the assets themselves.
        Box::leak(zipped.into_boxed_slice())
    })
}

/// The version in this build's asset paths.
pub fn version() -> &'static str {
    &site().version
}

/// What a phone loads for the participant's page, in bytes: plain, and as it
/// travels (gzipped; every phone's browser takes gzip).
pub fn weight() -> (usize, usize) {
    let phone = ASSETS
        .iter()
        .filter(|a| !PROJECTOR_ONLY.contains(&a.name) && !REGISTER_ONLY.contains(&a.name));
    let join = site().join.as_bytes();
    let plain = join.len() + phone.clone().map(|a| a.bytes.len()).sum::<usize>();
    let zipped = gzipped(join).len() + phone.map(|a| gzipped(a.bytes).len()).sum::<usize>();
    (plain, zipped)
}

/// The Content-Security-Policy for an answer to a request for `host`: nothing
/// but this host's scripts, styles and websocket; no framing, no forms elsewhere.
pub fn content_security_policy(host: Option<&str>) -> String {
    // A Host header is the client's to write: only the characters of a host and
    // port go into the header we send back.
    let host = host.filter(|h| {
        !h.is_empty()
            && h.len() <= 255
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
    });
    let sockets = host.map_or(String::new(), |h| format!(" ws://{h} wss://{h}"));
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'{sockets}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_name_their_assets_by_version_and_stay_light() {
        let join = page("/join").unwrap();
        assert!(join.contains(&format!("/assets/{}/join.js", version())));
        assert!(!join.contains("{{"));
        assert!(asset(version(), "state.js").is_some());
        assert!(asset("0000", "state.js").is_none());
        assert!(asset(version(), "../Cargo.toml").is_none());
        let (plain, zipped) = weight();
        assert!(
            zipped <= 60 * 1024,
            "one page load is {zipped} bytes as it travels ({plain} plain)"
        );
    }

    #[test]
    fn the_policy_names_only_a_well_formed_host() {
        assert!(content_security_policy(Some("192.168.1.5:7878"))
            .contains("connect-src 'self' ws://192.168.1.5:7878 wss://192.168.1.5:7878;"));
        assert!(
            content_security_policy(Some("evil.com; script-src *")).contains("connect-src 'self';")
        );
        assert!(!content_security_policy(None).contains("unsafe"));
    }
}
