//! A real browser for the page tests: Debian's headless Chromium driven over
//! WebDriver (chromedriver on a free port, its own profile in a temporary
//! directory). Where Chromium or its driver is missing, the tests say so and are
//! skipped; under `CI=true` a missing browser fails the run.

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Browser {
    driver: Child,
    port: u16,
    _profiles: tempfile::TempDir,
    profile: usize,
}

fn find(names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| {
        let path = std::path::Path::new(n);
        if path.is_absolute() {
            return path.exists().then(|| n.to_string());
        }
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(n))
                .find(|p| p.exists())
                .map(|p| p.display().to_string())
        })
    })
}

pub fn chromium() -> Option<String> {
    find(&[
        "chromium",
        "chromium-browser",
        "google-chrome",
        "/usr/bin/chromium",
    ])
}

impl Browser {
    /// The browser, or `None` (with the reason printed) where there is none.
    pub fn start() -> Option<Browser> {
        let (Some(driver), Some(_)) =
            (find(&["chromedriver", "/usr/bin/chromedriver"]), chromium())
        else {
            let why = "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)";
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("CI=true and {why}: the browser tests cannot be skipped there");
            }
            eprintln!("skipped: {why}");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not listen"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Browser {
            driver,
            port,
            _profiles: tempfile::tempdir().unwrap(),
            profile: 0,
        })
    }

    /// A new window (its own profile) of `width`x`height`.
    pub async fn window(&mut self, width: u32, height: u32) -> Client {
        self.window_with(width, height, &[]).await
    }

    /// A new window with more of Chromium's switches (`--ignore-certificate-errors-spki-list=…`).
    pub async fn window_with(&mut self, width: u32, height: u32, switches: &[String]) -> Client {
        self.profile += 1;
        let profile = self._profiles.path().join(format!("p{}", self.profile));
        let mut args: Vec<String> = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--lang=zh-CN",
        ]
        .map(String::from)
        .to_vec();
        args.push(format!("--window-size={},{}", width.max(500), height));
        args.push(format!("--user-data-dir={}", profile.display()));
        args.extend_from_slice(switches);
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": chromium().unwrap(),
                "args": args,
                "prefs": {"intl.accept_languages": "zh-CN,zh"},
                // The viewport itself (a window is never narrower than 500): a
                // phone's screen, touch included.
                "mobileEmulation": {
                    "deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0, "touch": true},
                },
            }),
        );
        ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a browser session")
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Waits until `css` matches an element whose text contains `text`; fails with the
/// page's text after `secs`.
pub async fn wait_text(c: &Client, css: &str, text: &str, secs: u64) -> String {
    let started = Instant::now();
    loop {
        if let Ok(elements) = c.find_all(Locator::Css(css)).await {
            for e in elements {
                if let Ok(t) = e.text().await {
                    if t.contains(text) {
                        return t;
                    }
                }
            }
        }
        if started.elapsed() > Duration::from_secs(secs) {
            let body = match c.find(Locator::Css("body")).await {
                Ok(b) => b.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            panic!("{css} never showed {text:?}; the page says:\n{body}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Clicks the first button whose text contains `text`.
pub async fn click_button(c: &Client, scope: &str, text: &str) {
    let started = Instant::now();
    loop {
        for b in c
            .find_all(Locator::Css(&format!("{scope} button")))
            .await
            .unwrap_or_default()
        {
            if b.text().await.is_ok_and(|t| t.contains(text)) {
                b.click().await.expect("the button clicks");
                return;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no button {text:?} in {scope}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
