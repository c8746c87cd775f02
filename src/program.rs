//! How a person runs this program again, for the commands it prints: `xieshang`
//! when that is on the PATH, `cargo run --release --` from a checkout's build
//! (the README's way in), else the program's own path.

use std::path::{Path, PathBuf};

/// The words that start a command line of this program.
pub fn invocation() -> String {
    let exe = std::env::current_exe().ok();
    let path = std::env::var_os("PATH").unwrap_or_default();
    invocation_for(
        exe.as_deref(),
        &std::env::split_paths(&path).collect::<Vec<_>>(),
    )
}

/// `invocation` for a program at `exe`, with `path` the directories searched.
pub fn invocation_for(exe: Option<&Path>, path: &[PathBuf]) -> String {
    let Some(exe) = exe else {
        return "xieshang".into();
    };
    let same = |candidate: &Path| {
        let (a, b) = (candidate.canonicalize(), exe.canonicalize());
        matches!((a, b), (Ok(a), Ok(b)) if a == b)
    };
    if path.iter().any(|dir| same(&dir.join("xieshang"))) {
        return "xieshang".into();
    }
    let shown = exe.display().to_string();
    if shown.contains("/target/release/") {
        "cargo run --release --".into()
    } else if shown.contains("/target/debug/") {
        "cargo run --".into()
    } else {
        crate::text::shown(&shown).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkout_build_is_run_with_cargo_and_an_installed_one_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let release = dir.path().join("target/release");
        std::fs::create_dir_all(&release).unwrap();
        let exe = release.join("xieshang");
        std::fs::write(&exe, b"").unwrap();
        assert_eq!(invocation_for(Some(&exe), &[]), "cargo run --release --");
        assert_eq!(
            invocation_for(Some(&exe), std::slice::from_ref(&release)),
            "xieshang"
        );
        let elsewhere = dir.path().join("opt/xieshang");
        assert_eq!(
            invocation_for(Some(&elsewhere), &[]),
            elsewhere.display().to_string()
        );
    }
}
