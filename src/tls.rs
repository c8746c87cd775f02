//! TLS for the meeting's port and for `xieshang join`: rustls with the `ring`
//! provider (nothing to build with cmake), certificates in PEM read through
//! rustls-pki-types.
//!
//! The server's certificate is either the chair's own (`--tls-cert`, `--tls-key`)
//! or one made for this machine (`--tls-self-signed`): on first start, for
//! `localhost` and the machine's addresses, kept beside the journal (the key only
//! its owner can read) and used again at every start, so that phones that accepted
//! it once are not asked again; made anew only when it has expired or the
//! machine's addresses are no longer all in it.
//!
//! Whatever is wrong is refused at start with a sentence naming the file: one that
//! cannot be read, one with no certificate or key in it, a key that does not match
//! the certificate. An expired certificate is a warning (browsers will say so).

use anyhow::{anyhow, bail, Context};
use rustls::crypto::CryptoProvider;
use rustls::{ClientConfig, RootCertStore, ServerConfig};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The server's side: what to answer a TLS handshake with.
#[derive(Clone)]
pub struct ServerTls {
    pub config: Arc<ServerConfig>,
    /// The certificate's file, to say which one is used.
    pub cert: PathBuf,
    /// What a chair should know (an expired certificate, a new one made).
    pub warnings: Vec<String>,
}

impl std::fmt::Debug for ServerTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerTls")
            .field("cert", &self.cert)
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

/// The one provider, named rather than left to rustls to find: the tests link
/// another one, and with two rustls would not choose.
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Where `--tls-self-signed` keeps its certificate and key: `<journal>.cert.pem`
/// and `<journal>.key.pem`.
pub fn self_signed_paths(journal: &Path) -> (PathBuf, PathBuf) {
    let with = |suffix: &str| {
        let mut name = journal.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    (with(".cert.pem"), with(".key.pem"))
}

/// The chair's own certificate (its chain) and key.
pub fn from_files(cert: &Path, key: &Path) -> anyhow::Result<ServerTls> {
    let cert_pem = std::fs::read(cert)
        .with_context(|| format!("cannot read the TLS certificate {}", cert.display()))?;
    let key_pem = crate::private::read_given(key, "the TLS key")
        .with_context(|| format!("cannot read the TLS key {}", key.display()))?;
    server(cert, &cert_pem, key, key_pem)
}

/// A certificate of this machine's own for `names` (host names and addresses),
/// made on first use and kept beside `journal`; made again when it has expired or
/// lacks one of `names`.
pub fn self_signed(journal: &Path, names: &[String]) -> anyhow::Result<ServerTls> {
    let (cert, key) = self_signed_paths(journal);
    let what = "the TLS key";
    let kept = match (std::fs::read(&cert), crate::private::read(&key, what)) {
        (Ok(c), Ok(Some(k))) => Some((c, k)),
        (Err(e), _) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(e).with_context(|| format!("cannot read {}", cert.display()))
        }
        (_, Err(e)) => return Err(e).with_context(|| format!("cannot use {}", key.display())),
        _ => None,
    };
    let mut made_because = None;
    if let Some((cert_pem, key_pem)) = kept {
        let facts = facts(&cert, &cert_pem)?;
        let missing: Vec<&String> = names
            .iter()
            .filter(|n| !facts.names.iter().any(|h| h.eq_ignore_ascii_case(n)))
            .collect();
        if facts.expired.is_none() && missing.is_empty() {
            return server(&cert, &cert_pem, &key, key_pem);
        }
        made_because = Some(match facts.expired {
            Some(when) => format!("the one kept there expired on {when}"),
            None => format!(
                "the one kept there is not for {} (this machine's addresses changed)",
                missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    let (cert_pem, key_pem) = make(names)?;
    if let Some(dir) = cert.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::private::make_dir(dir)
            .with_context(|| format!("cannot make the folder {}", dir.display()))?;
    }
    crate::private::write(&key, key_pem.as_bytes())
        .with_context(|| format!("cannot write the TLS key {}", key.display()))?;
    // The certificate is public (every client is shown it), but made owner-only
    // like everything else kept beside the journal.
    crate::private::write(&cert, cert_pem.as_bytes())
        .with_context(|| format!("cannot write the TLS certificate {}", cert.display()))?;
    let mut made = server(&cert, cert_pem.as_bytes(), &key, key_pem.into_bytes())?;
    if let Some(why) = made_because {
        made.warnings.push(format!(
            "made a new certificate {}: {why}; phones that accepted the old one will be asked again",
            cert.display()
        ));
    }
    Ok(made)
}

/// The names a self-signed certificate is for: `localhost`, loopback, the
/// machine's addresses and the host of `--public-url`.
pub fn names_for(lan: &[IpAddr], public_url: Option<&str>) -> Vec<String> {
    let mut names = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
    ];
    names.extend(
        lan.iter()
            .filter(|ip| !ip.is_loopback())
            .map(|ip| ip.to_string()),
    );
    if let Some(host) = public_url.and_then(crate::links::host_of) {
        names.push(host);
    }
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(n.to_ascii_lowercase()));
    names
}

/// A new key (ECDSA P-256) and a certificate for `names`, valid from yesterday for
/// two years and a little (what browsers accept of a certificate they are told to
/// trust).
fn make(names: &[String]) -> anyhow::Result<(String, String)> {
    let mut params = rcgen::CertificateParams::new(names.to_vec())
        .context("cannot make a certificate for these names")?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "xieshang meeting");
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, "xieshang (self-signed)");
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let day = |d: chrono::NaiveDate| {
        use chrono::Datelike;
        rcgen::date_time_ymd(d.year(), d.month() as u8, d.day() as u8)
    };
    let today = chrono::Utc::now().date_naive();
    params.not_before = day(today - chrono::Days::new(1));
    params.not_after = day(today + chrono::Days::new(800));
    let key = rcgen::KeyPair::generate().context("cannot make a key")?;
    let cert = params
        .self_signed(&key)
        .context("cannot sign the certificate")?;
    Ok((cert.pem(), key.serialize_pem()))
}

/// The server's configuration of a certificate chain and its key, or why not.
fn server(cert: &Path, cert_pem: &[u8], key: &Path, key_pem: Vec<u8>) -> anyhow::Result<ServerTls> {
    let chain = certificates(cert, cert_pem)?;
    let private = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| {
        anyhow!(
            "{} holds no private key that can be read ({}): it should be PEM, \
             -----BEGIN PRIVATE KEY----- (or RSA / EC PRIVATE KEY)",
            key.display(),
            pem_error(&e)
        )
    })?;
    drop(key_pem);
    let mut warnings = Vec::new();
    let facts = facts(cert, cert_pem)?;
    if let Some(when) = facts.expired {
        warnings.push(format!(
            "the TLS certificate {} expired on {when}: browsers will warn everyone who \
             opens a link; renew it (or use --tls-self-signed)",
            cert.display()
        ));
    }
    if let Some(when) = facts.not_yet {
        warnings.push(format!(
            "the TLS certificate {} is valid only from {when}: check this machine's clock",
            cert.display()
        ));
    }
    let mut config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default versions")
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .map_err(|e| match e {
            rustls::Error::InconsistentKeys(_) => anyhow!(
                "the TLS key {} does not match the certificate {}: give the key the \
                 certificate was made for",
                key.display(),
                cert.display()
            ),
            other => anyhow!(
                "the TLS key {} cannot be used with {}: {other}",
                key.display(),
                cert.display()
            ),
        })?;
    // The port speaks HTTP/1.1 only (the websocket upgrades from it).
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(ServerTls {
        config: Arc::new(config),
        cert: cert.to_path_buf(),
        warnings,
    })
}

/// The certificates of a PEM file, in order; refused when it holds none.
fn certificates(file: &Path, pem: &[u8]) -> anyhow::Result<Vec<CertificateDer<'static>>> {
    let chain = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            anyhow!(
                "{} is not a PEM certificate: {}",
                file.display(),
                pem_error(&e)
            )
        })?;
    if chain.is_empty() {
        bail!(
            "{} holds no certificate: it should be PEM, -----BEGIN CERTIFICATE-----",
            file.display()
        );
    }
    Ok(chain)
}

fn pem_error(e: &rustls_pki_types::pem::Error) -> String {
    match e {
        rustls_pki_types::pem::Error::NoItemsFound => "none found".into(),
        other => format!("{other:?}"),
    }
}

/// What is said about a certificate: the names it is for, and whether it is
/// valid today.
struct Facts {
    names: Vec<String>,
    expired: Option<String>,
    not_yet: Option<String>,
}

/// Reads the first certificate of `pem`: its names and its dates against today.
fn facts(file: &Path, pem: &[u8]) -> anyhow::Result<Facts> {
    let chain = certificates(file, pem)?;
    let (_, parsed) = x509_parser::parse_x509_certificate(&chain[0]).map_err(|e| {
        anyhow!(
            "{} holds a certificate that cannot be read: {e}",
            file.display()
        )
    })?;
    let now = chrono::Utc::now().timestamp();
    let validity = parsed.validity();
    let date = |t: &x509_parser::time::ASN1Time| {
        chrono::DateTime::from_timestamp(t.timestamp(), 0).map_or_else(
            || t.to_string(),
            |d| d.format("%Y-%m-%d %H:%M UTC").to_string(),
        )
    };
    let mut names = Vec::new();
    if let Ok(Some(san)) = parsed.subject_alternative_name() {
        for name in &san.value.general_names {
            match name {
                x509_parser::extensions::GeneralName::DNSName(d) => names.push(d.to_string()),
                x509_parser::extensions::GeneralName::IPAddress(bytes) => {
                    let ip = match bytes.len() {
                        4 => <[u8; 4]>::try_from(*bytes).map(IpAddr::from).ok(),
                        16 => <[u8; 16]>::try_from(*bytes).map(IpAddr::from).ok(),
                        _ => None,
                    };
                    names.extend(ip.map(|ip| ip.to_string()));
                }
                _ => {}
            }
        }
    }
    Ok(Facts {
        names,
        expired: (validity.not_after.timestamp() < now).then(|| date(&validity.not_after)),
        not_yet: (validity.not_before.timestamp() > now).then(|| date(&validity.not_before)),
    })
}

/// The client's side (`xieshang join`): the web's usual authorities, and those of
/// `ca` when given (a meeting's self-signed certificate, say). There is no way to
/// accept any certificate at all.
pub fn client(ca: Option<&Path>) -> anyhow::Result<Arc<ClientConfig>> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(ca) = ca {
        let pem = std::fs::read(ca)
            .with_context(|| format!("cannot read the certificate to trust {}", ca.display()))?;
        for cert in certificates(ca, &pem)? {
            roots.add(cert).map_err(|e| {
                anyhow!(
                    "{} holds a certificate that cannot be trusted: {e}",
                    ca.display()
                )
            })?;
        }
    }
    let mut config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_made_certificate_is_kept_and_used_again_until_the_names_change() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("m.journal");
        let names = names_for(&["192.168.1.23".parse().unwrap()], None);
        let first = self_signed(&journal, &names).unwrap();
        assert!(first.warnings.is_empty(), "{:?}", first.warnings);
        let (cert, key) = self_signed_paths(&journal);
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let pem = std::fs::read(&cert).unwrap();
        let facts = facts(&cert, &pem).unwrap();
        for n in ["localhost", "127.0.0.1", "::1", "192.168.1.23"] {
            assert!(
                facts.names.contains(&n.to_string()),
                "{n} in {:?}",
                facts.names
            );
        }
        assert!(facts.expired.is_none() && facts.not_yet.is_none());
        // The same names: the same certificate.
        self_signed(&journal, &names).unwrap();
        assert_eq!(std::fs::read(&cert).unwrap(), pem);
        // Another network: a new one, with a word about it.
        let moved = names_for(
            &["10.1.2.3".parse().unwrap()],
            Some("https://meet.example.org"),
        );
        let again = self_signed(&journal, &moved).unwrap();
        assert_ne!(std::fs::read(&cert).unwrap(), pem);
        assert!(
            again.warnings[0].contains("10.1.2.3"),
            "{:?}",
            again.warnings
        );
        let pem = std::fs::read(&cert).unwrap();
        assert!(facts_names(&cert, &pem).contains(&"meet.example.org".to_string()));
    }

    fn facts_names(cert: &Path, pem: &[u8]) -> Vec<String> {
        facts(cert, pem).unwrap().names
    }

    #[test]
    fn a_client_trusts_a_file_of_certificates_and_refuses_a_file_of_none() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("m.journal");
        self_signed(&journal, &names_for(&[], None)).unwrap();
        let (cert, key) = self_signed_paths(&journal);
        assert!(client(Some(&cert)).is_ok());
        let err = client(Some(&key)).unwrap_err().to_string();
        assert!(err.contains("holds no certificate"), "{err}");
        let err = format!(
            "{:#}",
            client(Some(&dir.path().join("none.pem"))).unwrap_err()
        );
        assert!(err.contains("none.pem"), "{err}");
    }
}
