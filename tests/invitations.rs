//! Printed invitations: `xieshang invitations` writes a card per participant whose
//! code opens that participant's page; read back in a real browser, then opened
//! over https from a meeting served with a self-signed certificate.

use crate::common::browser::{wait_text, Browser};
use crate::common::serve::Serve;
use fantoccini::Locator;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use crate::common::room::{free_port, tokens_of, zh_plan};

const BIN: &str = env!("CARGO_BIN_EXE_xieshang");

fn invitations(args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("invitations")
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn cards_use_the_tokens_the_meeting_will_run_with_and_stay_private() {
    let dir = tempfile::tempdir().unwrap();
    let plan = zh_plan(dir.path());
    let journal = dir.path().join("m.journal");
    let cards = dir.path().join("cards.html");
    let (p, j, c) = (
        plan.display().to_string(),
        journal.display().to_string(),
        cards.display().to_string(),
    );
    let out = invitations(&[
        &p,
        "--journal",
        &j,
        "--base-url",
        "https://10.1.2.3:7878/",
        "-o",
        &c,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(&cards).unwrap();
    // A card for each participant; the hall's link (the audience's) is on no
    // card: it is on the wall.
    let mut made = tokens_of(&journal);
    assert!(made.remove("audience").is_some());
    assert_eq!(page.matches("<article class=\"card\"").count(), made.len());
    for token in made.values() {
        assert!(page.contains(&format!("https://10.1.2.3:7878/join#t={token}")));
    }
    let mode = std::fs::metadata(&cards).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "the cards hold tokens: {mode:o}");

    // The meeting then runs on the same journal: the same tokens.
    let server = Serve::start(&plan, &journal, "127.0.0.1:0");
    drop(server);
    let mut kept = tokens_of(&journal);
    kept.remove("audience");
    assert_eq!(kept, made, "serve kept the printed tokens");

    // One group.
    let only = dir.path().join("members.html");
    let o = only.display().to_string();
    let out = invitations(&[
        &p,
        "--journal",
        &j,
        "--base-url",
        "https://10.1.2.3:7878",
        "--only",
        "member",
        "-o",
        &o,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(&only).unwrap();
    let members = crate::common::PLAN.matches("role = \"member\"").count();
    assert_eq!(page.matches("<article class=\"card\"").count(), members);
    assert!(!page.contains(&made["chair"]));
}

#[test]
fn a_missing_or_wrong_base_url_or_role_is_refused_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let plan = zh_plan(dir.path());
    let p = plan.display().to_string();
    let j = dir.path().join("m.journal").display().to_string();
    let out = invitations(&[&p, "--journal", &j]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("give --base-url"), "{}", stderr(&out));
    for bad in [
        "ftp://10.0.0.1",
        "https://u@h/",
        "https://h/?t=1",
        "not a url",
    ] {
        let out = invitations(&[&p, "--journal", &j, "--base-url", bad]);
        assert_eq!(out.status.code(), Some(1), "{bad}");
        assert!(
            stderr(&out).contains("is not an address participants can open"),
            "{bad}: {}",
            stderr(&out)
        );
    }
    let out = invitations(&[
        &p,
        "--journal",
        &j,
        "--base-url",
        "https://h",
        "--only",
        "mayor",
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("is not a role"), "{}", stderr(&out));
    assert!(
        !xieshang::server::tokens::path_for(dir.path().join("m.journal").as_path()).exists(),
        "nothing made for a refused command"
    );
    let out = invitations(&[
        &p,
        "--journal",
        &j,
        "--base-url",
        "http://h:7878",
        "-o",
        "-",
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("<!DOCTYPE html>"));
    assert!(
        stderr(&out).contains("in clear"),
        "http is warned about: {}",
        stderr(&out)
    );
}

/// Chromium's switch that trusts exactly this certificate's key: the SHA-256 of
/// its SubjectPublicKeyInfo, in base64.
fn trust_only(cert_pem: &Path) -> String {
    let pem = std::fs::read(cert_pem).unwrap();
    let (_, pem) = x509_parser::pem::parse_x509_pem(&pem).unwrap();
    let cert = pem.parse_x509().unwrap();
    let digest = Sha256::digest(cert.public_key().raw);
    format!("--ignore-certificate-errors-spki-list={}", base64(&digest))
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_printed_code_opens_its_participants_page_over_https() {
    let Some(mut browser) = Browser::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let plan = zh_plan(dir.path());
    let journal = dir.path().join("m.journal");
    let cards = dir.path().join("cards.html");
    let port = free_port();
    let base = format!("https://127.0.0.1:{port}");
    let (p, j, c) = (
        plan.display().to_string(),
        journal.display().to_string(),
        cards.display().to_string(),
    );
    let out = invitations(&[&p, "--journal", &j, "--base-url", &base, "-o", &c]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut tokens = tokens_of(&journal);
    tokens.remove("audience");
    let listen = format!("127.0.0.1:{port}");
    let _server = Serve::with_args(&[
        "serve",
        &p,
        "--journal",
        &j,
        "--listen",
        &listen,
        "--tls-self-signed",
    ]);
    let (cert, _) = xieshang::tls::self_signed_paths(&journal);

    let page = browser.window_with(900, 1300, &[trust_only(&cert)]).await;
    page.goto(&format!("file://{}", cards.display()))
        .await
        .unwrap();
    let found = page.find_all(Locator::Css("article.card")).await.unwrap();
    assert_eq!(found.len(), tokens.len(), "one card per participant");
    let mut read = BTreeMap::new();
    for card in found {
        let id = card
            .attr("data-id")
            .await
            .unwrap()
            .expect("a card says whose");
        let svg = card.find(Locator::Css(".qr svg")).await.unwrap();
        let codes = crate::common::qr::decode_png(&svg.screenshot().await.unwrap());
        assert_eq!(codes.len(), 1, "{id}'s card has one readable code");
        let text = card
            .find(Locator::Css(".link"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(
            text.replace('\n', ""),
            codes[0],
            "the link in text is the code's"
        );
        read.insert(id, codes[0].clone());
    }
    for (id, token) in &tokens {
        assert_eq!(read[id], format!("{base}/join#t={token}"), "{id}'s card");
    }

    // Scanned: the member's page opens over https and connects over wss.
    page.goto(&read["m01"]).await.unwrap();
    wait_text(&page, "#who", "马文静", 10).await;
    wait_text(&page, "#link", "已连接", 10).await;
    let url = page.current_url().await.unwrap();
    assert_eq!(url.scheme(), "https");
    page.close().await.unwrap();
}
