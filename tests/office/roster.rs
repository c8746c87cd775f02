//! The roster (委员名册) from the command line, as a secretariat keeps it:
//! spreadsheets saved by Excel (UTF-8 with its byte-order mark, or GBK), every
//! bad row said as FILE:LINE with nothing taken, an export that reads back the
//! same, and plans checked against it.

use std::path::Path;
use std::process::Command;

fn xieshang(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn roster(db: &Path, args: &[&str]) -> (bool, String, String) {
    let mut all = vec!["roster", "--register", db.to_str().unwrap()];
    all.extend_from_slice(args);
    xieshang(&all)
}

const PEOPLE: &str = "序号,编号,姓名,身份,界别,党派,联系方式\n\
1,W0001,林志远,委员,经济界,民建,13800000001\n\
2,W0002,何静,委员,社会福利和社会保障界,,\n\
3,W0003,许律师,专家,,,\n";

#[test]
fn a_roster_saved_by_excel_in_utf8_or_gbk_is_imported_and_exported_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.db");
    let bom = dir.path().join("bom.csv");
    std::fs::write(
        &bom,
        [b"\xEF\xBB\xBF".as_slice(), PEOPLE.as_bytes()].concat(),
    )
    .unwrap();
    let (ok, out, err) = roster(&db, &["import", "people", bom.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("新增 3"), "{out}");
    // The same people again, saved by a Chinese Excel (GBK), one changed.
    let gbk = dir.path().join("gbk.csv");
    let changed = PEOPLE.replace("社会福利和社会保障界", "社会科学界");
    std::fs::write(&gbk, encoding_rs::GBK.encode(&changed).0).unwrap();
    let (ok, out, err) = roster(
        &db,
        &["--lang", "en", "import", "people", gbk.to_str().unwrap()],
    );
    assert!(ok, "{err}");
    assert!(out.contains("0 new, 1 changed, 2 as they were"), "{out}");
    assert!(err.contains("GB18030"), "says how it read it: {err}");
    let (ok, shown, _) = roster(&db, &["show", "W0002"]);
    assert!(
        ok && shown.contains("何静") && shown.contains("社会科学界"),
        "{shown}"
    );
    // Exported for Excel, and read back: nothing changes.
    let export = dir.path().join("export.csv");
    let (ok, _, err) = roster(&db, &["export", "people", "-o", export.to_str().unwrap()]);
    assert!(ok, "{err}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&export).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "a roster holds how to reach people");
    let bytes = std::fs::read(&export).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a byte-order mark for Excel"
    );
    let (ok, out, _) = roster(
        &db,
        &["--lang", "en", "import", "people", export.to_str().unwrap()],
    );
    assert!(
        ok && out.contains("0 new, 0 changed, 3 as they were"),
        "{out}"
    );
    let (_, json, _) = roster(&db, &["list", "people", "--format", "json"]);
    let people: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(people.len(), 3);
    assert_eq!(people[0]["party"], "民建");
    assert_eq!(people[2]["role"], "expert");
}

#[test]
fn every_bad_row_is_said_at_its_line_and_nothing_of_the_file_is_taken() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.db");
    let bad = dir.path().join("名册.csv");
    std::fs::write(
        &bad,
        "编号,姓名,身份\nW1,林志远,委员\nW1,王,委员\nW2,,委员\nW3,李,总统\nW4,\"周\u{1b}]0;x\u{7}\",委员\nW5,赵,专家\n",
    )
    .unwrap();
    let (ok, out, err) = roster(&db, &["import", "people", bad.to_str().unwrap()]);
    assert!(!ok, "{out}");
    for line in [3, 4, 5, 6] {
        assert!(
            err.contains(&format!("名册.csv:{line}: ")),
            "line {line}: {err}"
        );
    }
    assert!(
        !err.contains("名册.csv:2:") && !err.contains("名册.csv:7:"),
        "{err}"
    );
    assert!(err.contains("4 处错误"), "{err}");
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{7}'),
        "shown safely"
    );
    let (_, listed, _) = roster(&db, &["list"]);
    assert!(listed.contains("名册中还没有人"), "nothing taken: {listed}");
    // Not a spreadsheet at all.
    let binary = dir.path().join("x.csv");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x81, 0xff]).unwrap();
    let (ok, _, err) = roster(
        &db,
        &["--lang", "en", "import", "people", binary.to_str().unwrap()],
    );
    assert!(!ok && err.contains("neither UTF-8 nor GB18030"), "{err}");
    // Organisations need their id.
    let orgs = dir.path().join("orgs.csv");
    std::fs::write(&orgs, "名称,类别\n市房屋管理局,部门\n").unwrap();
    let (ok, _, err) = roster(
        &db,
        &[
            "--lang",
            "en",
            "import",
            "organisations",
            orgs.to_str().unwrap(),
        ],
    );
    assert!(
        !ok && err.contains("orgs.csv:1: the header has no \"id\" column"),
        "{err}"
    );
}

/// A plan that names roster people: `check` shows who each is, and refuses a
/// name that is not the roster's or an id it does not hold.
#[test]
fn check_shows_who_each_seat_is_and_refuses_a_name_the_roster_does_not_have() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (sheet, file) in [
        ("people", "people.csv"),
        ("organisations", "organisations.csv"),
    ] {
        let csv = root.join("scenarios/roster").join(file);
        let (ok, _, err) = roster(&db, &["import", sheet, csv.to_str().unwrap()]);
        assert!(ok, "{err}");
    }
    let text = std::fs::read_to_string(root.join("scenarios/huishang-supervision.toml"))
        .unwrap()
        .replace(
            "register = \"../meetings/register.db\"",
            "register = \"register.db\"",
        );
    let plan = dir.path().join("plan.toml");
    std::fs::write(&plan, &text).unwrap();
    let (ok, out, err) = xieshang(&["check", plan.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("m01 → hs-lin 林志远 (民建 · 民建)"), "{out}");
    assert!(out.contains("fangguan → fangguan 市房屋管理局"), "{out}");
    std::fs::write(&plan, text.replace("name = \"林志远\"", "name = \"林志\"")).unwrap();
    let (ok, _, err) = xieshang(&["check", plan.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("“林志”") && err.contains("“林志远”"), "{err}");
    std::fs::write(
        &plan,
        text.replace("person = \"hs-lin\"", "person = \"hs-nobody\""),
    )
    .unwrap();
    let (ok, _, err) = xieshang(&["check", plan.to_str().unwrap()]);
    assert!(!ok && err.contains("hs-nobody"), "{err}");
    // Two seats may not be one person.
    std::fs::write(
        &plan,
        text.replace("person = \"hs-he\"", "person = \"hs-lin\""),
    )
    .unwrap();
    let (ok, _, err) = xieshang(&["check", plan.to_str().unwrap()]);
    assert!(!ok && err.contains("hs-lin"), "{err}");
}
