//! TLS on the meeting's port, as a chair and participants meet it: a certificate
//! made for the machine and used again, pages over https and the websocket over
//! wss, `xieshang join --ca`, plain http sent to https, and every certificate a
//! chair might get wrong refused at start with a sentence naming the file.

use crate::common::serve::Serve;
use crate::common::tmux::Tmux;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use xieshang::client::{Client, ClientError, Remote};
use xieshang::meeting::{Command as Action, EventKind};

use crate::common::room::{tokens_of, until, zh_plan};

const BIN: &str = env!("CARGO_BIN_EXE_xieshang");

fn serve_tls(dir: &Path, extra: &[&str]) -> Serve {
    let plan = zh_plan(dir);
    let journal = dir.join("m.journal");
    let mut args = vec![
        "serve".to_string(),
        plan.display().to_string(),
        "--listen".into(),
        "127.0.0.1:0".into(),
        "--journal".into(),
        journal.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    Serve::with_args(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn tokens(dir: &Path) -> BTreeMap<String, String> {
    tokens_of(&dir.join("m.journal"))
}

fn cert(dir: &Path) -> PathBuf {
    xieshang::tls::self_signed_paths(&dir.join("m.journal")).0
}

/// `GET path` over TLS, trusting `ca`: the whole answer, headers and body.
async fn https_get(addr: &str, ca: &Path, path: &str) -> String {
    let config = xieshang::tls::client(Some(ca)).unwrap();
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let name = rustls_pki_types::ServerName::try_from("127.0.0.1").unwrap();
    let mut tls = tokio_rustls::TlsConnector::from(config)
        .connect(name, tcp)
        .await
        .expect("the handshake succeeds with the meeting's certificate trusted");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    tls.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    let _ = tls.read_to_string(&mut answer).await;
    answer
}

fn address(url: &str) -> String {
    url.trim_start_matches("wss://")
        .trim_end_matches("/ws")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_signed_meeting_serves_https_and_wss_and_trusts_nothing_silently() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve_tls(dir.path(), &["--tls-self-signed"]);
    assert!(server.url.starts_with("wss://127.0.0.1:"), "{}", server.url);
    let addr = address(&server.url);
    let ca = cert(dir.path());
    let tokens = tokens(dir.path());

    // The pages and the health check, over https.
    let health = https_get(&addr, &ca, "/healthz").await;
    assert!(
        health.starts_with("HTTP/1.1 200") && health.contains("ok seq="),
        "{health}"
    );
    let page = https_get(&addr, &ca, "/join").await;
    assert!(
        page.contains("wss://127.0.0.1"),
        "the page may open its wss: {page:.600}"
    );

    // The websocket over wss, with the certificate trusted: a whole exchange.
    let remote = Remote {
        url: server.url.clone(),
        tls: Some(xieshang::tls::client(Some(&ca)).unwrap()),
    };
    let mut chair = Client::connect_to(&remote, &tokens["chair"], None)
        .await
        .unwrap();
    chair.intent(Action::StartMeeting).await.unwrap().unwrap();
    assert_eq!(chair.you.id, "chair");

    // Without it, the certificate is refused, and the client says what to do
    // rather than trying again.
    let err = Client::connect(&server.url, &tokens["m01"], None)
        .await
        .err()
        .expect("an unknown certificate is refused");
    assert!(matches!(err, ClientError::Untrusted(_)), "{err:?}");
    assert!(err.is_final());
    assert!(err.to_string().contains("--ca"), "{err}");

    // Someone who typed http:// is sent to the same page over https.
    let mut plain = tokio::net::TcpStream::connect(&addr).await.unwrap();
    plain
        .write_all(format!("GET /join HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut answer = String::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), plain.read_to_string(&mut answer)).await;
    assert!(answer.starts_with("HTTP/1.1 308"), "{answer}");
    assert!(
        answer.contains(&format!("location: https://{addr}/join")),
        "{answer}"
    );

    // Started again, the same certificate: phones that accepted it are not asked
    // again.
    let pem = std::fs::read(&ca).unwrap();
    drop(chair);
    drop(server);
    let again = serve_tls(dir.path(), &["--tls-self-signed"]);
    assert_eq!(std::fs::read(&ca).unwrap(), pem);
    let health = https_get(&address(&again.url), &ca, "/healthz").await;
    assert!(health.contains("ok seq="), "{health}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminal_joins_over_wss_with_the_meetings_certificate_and_not_without() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve_tls(dir.path(), &["--tls-self-signed"]);
    let ca = cert(dir.path());
    let tokens = tokens(dir.path());
    let url = &server.url;
    let member = Tmux::start(
        "wss-member",
        &format!(
            "sh -c 'XIESHANG_TOKEN={} {BIN} join --ca {} {url}; echo join exited $?; sleep 60'",
            tokens["m01"],
            ca.display()
        ),
    );
    member.wait_for("已连接");
    let remote = Remote {
        url: url.clone(),
        tls: Some(xieshang::tls::client(Some(&ca)).unwrap()),
    };
    let mut chair = Client::connect_to(&remote, &tokens["chair"], None)
        .await
        .unwrap();
    chair.intent(Action::StartMeeting).await.unwrap().unwrap();
    member.wait_for("已进行");
    member.keys(&["h"]);
    until(
        &mut chair,
        |e| matches!(e, EventKind::HandRaised { participant, .. } if participant == "m01"),
    )
    .await;
    member.wait_for("排队 1");
    member.keys(&["q", "y"]);
    member.wait_for("join exited 0");

    // Without --ca: said plainly, once, and no retrying.
    let stranger = Tmux::start(
        "wss-untrusted",
        &format!(
            "sh -c 'XIESHANG_TOKEN={} {BIN} join {url}; echo join exited $?; sleep 60'",
            tokens["m02"]
        ),
    );
    let screen = stranger.wait_for("join exited 1");
    assert!(screen.contains("--ca"), "{screen}");
    // --ca on a plain meeting is a mistake worth saying.
    let out = Command::new(BIN)
        .args([
            "join",
            "--ca",
            &ca.display().to_string(),
            "ws://127.0.0.1:9/ws",
        ])
        .env("XIESHANG_TOKEN", "x")
        .output()
        .unwrap();
    assert!(!out.status.success());
}

/// `serve` with these arguments, expected to stop at once: what it said.
fn refused(dir: &Path, extra: &[&str]) -> String {
    let plan = zh_plan(dir);
    let journal = dir.join("m.journal");
    let out = Command::new(BIN)
        .arg("serve")
        .arg(&plan)
        .args(["--listen", "127.0.0.1:0", "--journal"])
        .arg(&journal)
        .args(extra)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success(), "refused: {extra:?}");
    assert!(out.stdout.is_empty(), "nothing served: {extra:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A certificate and key made with rcgen, valid from `from` to `to` (years).
fn pair(dir: &Path, name: &str, from: i32, to: i32) -> (PathBuf, PathBuf) {
    let mut params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap();
    params.not_before = rcgen::date_time_ymd(from, 1, 1);
    params.not_after = rcgen::date_time_ymd(to, 1, 1);
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    let (c, k) = (
        dir.join(format!("{name}.crt")),
        dir.join(format!("{name}.key")),
    );
    std::fs::write(&c, cert.pem()).unwrap();
    std::fs::write(&k, key.serialize_pem()).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&k, std::fs::Permissions::from_mode(0o600)).unwrap();
    (c, k)
}

#[test]
fn every_certificate_a_chair_can_get_wrong_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (good_cert, good_key) = pair(d, "good", 2020, 2090);
    let (_, other_key) = pair(d, "other", 2020, 2090);
    let garbage = d.join("garbage.pem");
    std::fs::write(&garbage, "not a certificate\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&garbage, std::fs::Permissions::from_mode(0o600)).unwrap();
    let missing = d.join("missing.pem");
    let s = |p: &Path| p.display().to_string();
    let cases: [(&[String], &str, &Path); 5] = [
        (
            &[
                "--tls-cert".into(),
                s(&missing),
                "--tls-key".into(),
                s(&good_key),
            ],
            "cannot read the TLS certificate",
            &missing,
        ),
        (
            &[
                "--tls-cert".into(),
                s(&garbage),
                "--tls-key".into(),
                s(&good_key),
            ],
            "holds no certificate",
            &garbage,
        ),
        (
            &[
                "--tls-cert".into(),
                s(&good_cert),
                "--tls-key".into(),
                s(&garbage),
            ],
            "holds no private key",
            &garbage,
        ),
        (
            &[
                "--tls-cert".into(),
                s(&good_cert),
                "--tls-key".into(),
                s(&other_key),
            ],
            "does not match",
            &other_key,
        ),
        (
            &[
                "--tls-cert".into(),
                s(&good_cert),
                "--tls-key".into(),
                s(&missing),
            ],
            "cannot read the TLS key",
            &missing,
        ),
    ];
    for (args, says, file) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = refused(d, &args);
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(err.contains(&s(file)), "names {}: {err}", file.display());
    }
    // A certificate without its key, or both ways at once: the command line says.
    let err = refused(d, &["--tls-cert", &s(&good_cert)]);
    assert!(err.contains("--tls-key"), "{err}");
    let err = refused(
        d,
        &[
            "--tls-cert",
            &s(&good_cert),
            "--tls-key",
            &s(&good_key),
            "--tls-self-signed",
        ],
    );
    assert!(err.contains("cannot be used with"), "{err}");
    // A given key its group or others can read is refused, with what to do.
    std::fs::set_permissions(&other_key, std::fs::Permissions::from_mode(0o640)).unwrap();
    let err = refused(
        d,
        &["--tls-cert", &s(&good_cert), "--tls-key", &s(&other_key)],
    );
    assert!(
        err.contains("chmod 600") && err.contains(&s(&other_key)),
        "{err}"
    );
    // A kept key others can read is refused, with what to do.
    let journal = d.join("m.journal");
    let (_, kept_key) = xieshang::tls::self_signed_paths(&journal);
    std::fs::write(&kept_key, "x").unwrap();
    std::fs::set_permissions(&kept_key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = refused(d, &["--tls-self-signed"]);
    assert!(
        err.contains("chmod 600") && err.contains(&s(&kept_key)),
        "{err}"
    );
}

#[test]
fn an_expired_certificate_serves_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (cert, key) = pair(d, "old", 2019, 2020);
    let mut child = Command::new(BIN)
        .arg("serve")
        .arg(zh_plan(d))
        .args(["--listen", "127.0.0.1:0", "--journal"])
        .arg(d.join("m.journal"))
        .arg("--tls-cert")
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("wss://127.0.0.1:"), "it serves: {first}");
    child.kill().unwrap();
    child.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(err.contains("expired on 2020-01-01"), "{err}");
    assert!(err.contains(&cert.display().to_string()), "{err}");
}

#[test]
fn links_say_https_and_the_public_url_when_given() {
    // Links hold tokens: serve prints them to a terminal only.
    let dir = tempfile::tempdir().unwrap();
    let cmd = format!(
        "{BIN} serve {} --listen 127.0.0.1:0 --journal {} --tls-self-signed \
         --public-url https://meet.example.org/hall/",
        zh_plan(dir.path()).display(),
        dir.path().join("m.journal").display()
    );
    let t = Tmux::start_sized("links", &cmd, 220, 40);
    // The announcement ends with the last participant's line.
    let all = t.wait_for("周教授");
    let tokens = tokens(dir.path());
    assert!(
        all.contains(&format!(
            "https://meet.example.org/hall/join#t={}",
            tokens["m01"]
        )),
        "{all}"
    );
    assert!(all.contains("wss://meet.example.org/hall/ws"), "{all}");
    assert!(all.contains("--ca"), "how a terminal trusts it: {all}");
}
