//! What the build makes from files of the repository:
//!
//! - The words, one catalogue per language (`src/lang/zh.toml`, `src/lang/en.toml`),
//!   made into what reads them: Rust structs for the consoles, the CLI and the
//!   minutes (`$OUT_DIR/words.rs`, included by `src/lang/catalogue.rs`), and the
//!   pages' words as a module (`$OUT_DIR/catalogue.js`, served as
//!   `shared/catalogue.js`). The build stops, naming the key, when one language
//!   has a word the other lacks.
//! - The pages' files: every file of `src/web/meeting/`, `src/web/office/` and
//!   `src/web/shared/`, embedded, as one table (`$OUT_DIR/assets.rs`, included by
//!   `src/web/mod.rs`): a new asset is its file, nothing more.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use toml::{Table, Value};

const LANGS: [(&str, &str); 2] = [("zh", "ZH"), ("en", "EN")];

/// Read only by the pages: made into `catalogue.js`, not into Rust.
const PAGE: &str = "page";
/// Tables of the shared words that the pages take too, under the same name.
const SHARED_WITH_PAGES: [&str; 6] = ["roles", "kinds", "modes", "sources", "followups", "topics"];

fn main() {
    let dir = Path::new("src/lang");
    let mut catalogues = BTreeMap::new();
    for (lang, _) in LANGS {
        let path = dir.join(format!("{lang}.toml"));
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let table: Table = text
            .parse()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        catalogues.insert(lang, table);
    }
    let (zh, en) = (&catalogues["zh"], &catalogues["en"]);
    same_keys(zh, en, "");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
    std::fs::write(out.join("words.rs"), rust(&catalogues)).unwrap();
    std::fs::write(out.join("catalogue.js"), js(&catalogues)).unwrap();
    std::fs::write(out.join("assets.rs"), assets(&out.join("catalogue.js"))).unwrap();
}

/// The folders of the pages' files, by audience.
const ASSET_FOLDERS: [&str; 3] = ["meeting", "office", "shared"];

/// The table of the pages' files: `(path, bytes, content type)` for each file
/// of [`ASSET_FOLDERS`] (path: `folder/name`), and the catalogue's words as
/// `shared/catalogue.js`, sorted by path.
fn assets(catalogue: &Path) -> String {
    let web = Path::new("src/web");
    println!("cargo:rerun-if-changed={}", web.display());
    let mut files = vec![("shared/catalogue.js".to_string(), catalogue.to_path_buf())];
    for folder in ASSET_FOLDERS {
        let dir = web.join(folder);
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            let name = path
                .file_name()
                .unwrap()
                .to_str()
                .expect("a file name in UTF-8");
            if name.starts_with('.') || !path.is_file() {
                continue;
            }
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
                "{}: a page's file is named with letters, digits, '.', '_' and '-' only",
                path.display()
            );
            files.push((
                format!("{folder}/{name}"),
                std::fs::canonicalize(&path).unwrap(),
            ));
        }
    }
    files.sort();
    let mut s =
        String::from("// Made by build.rs from the files of src/web/: add or edit those.\n\n");
    s.push_str("pub(crate) const FILES: &[File] = &[\n");
    for (path, file) in &files {
        let kind = match file.extension().and_then(|e| e.to_str()) {
            Some("js") => "text/javascript; charset=utf-8",
            Some("css") => "text/css; charset=utf-8",
            Some("html") => "text/html; charset=utf-8",
            Some("svg") => "image/svg+xml",
            Some("png") => "image/png",
            other => panic!("{}: no content type for {other:?}", file.display()),
        };
        let _ = writeln!(
            s,
            "    File {{ path: {path:?}, bytes: include_bytes!({:?}), content_type: {kind:?} }},",
            file.display().to_string()
        );
    }
    s.push_str("];\n");
    s
}

/// Every key of one language is in the other, in the same shape.
fn same_keys(zh: &Table, en: &Table, at: &str) {
    for (a, b, lacking) in [(zh, en, "en"), (en, zh, "zh")] {
        for (key, value) in a {
            let here = format!("{at}{key}");
            match (value, b.get(key)) {
                (_, None) => panic!("src/lang/{lacking}.toml lacks `{here}`"),
                (Value::Table(x), Some(Value::Table(y))) => same_keys(x, y, &format!("{here}.")),
                (Value::String(_), Some(Value::String(_))) => {}
                (Value::Array(x), Some(Value::Array(y))) if x.len() == y.len() => {}
                _ => panic!("`{here}` is not the same kind of word in zh.toml and en.toml"),
            }
        }
    }
}

fn camel(name: &str) -> String {
    name.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// The Rust structs (one per table but the pages'), and a `Catalogue` per language.
fn rust(catalogues: &BTreeMap<&str, Table>) -> String {
    let mut s = String::from(
        "// Made by build.rs from src/lang/zh.toml and src/lang/en.toml: edit those.\n\n",
    );
    let zh = &catalogues["zh"];
    let tables: Vec<(&String, &Table)> = zh
        .iter()
        .filter(|(k, _)| k.as_str() != PAGE)
        .map(|(k, v)| (k, v.as_table().expect("a table at the top")))
        .collect();
    for (name, table) in &tables {
        let _ = writeln!(
            s,
            "/// The `[{name}]` words.\npub struct {} {{",
            camel(name)
        );
        for (key, value) in *table {
            let ty = match value {
                Value::String(_) => "&'static str".to_string(),
                Value::Array(items) => format!("[&'static str; {}]", items.len()),
                _ => panic!("`{name}.{key}`: a word or a list of words"),
            };
            let _ = writeln!(s, "    pub {key}: {ty},");
        }
        s.push_str("}\n\n");
    }
    s.push_str("/// Every word of one language but the pages'.\npub struct Catalogue {\n");
    for (name, _) in &tables {
        let _ = writeln!(s, "    pub {name}: {},", camel(name));
    }
    s.push_str("}\n\n");
    for (lang, constant) in LANGS {
        let catalogue = &catalogues[lang];
        let _ = writeln!(s, "pub const {constant}: Catalogue = Catalogue {{");
        for (name, _) in &tables {
            let table = catalogue[name.as_str()].as_table().unwrap();
            let _ = writeln!(s, "    {name}: {} {{", camel(name));
            for (key, value) in table {
                let v = match value {
                    Value::String(t) => format!("{t:?}"),
                    Value::Array(items) => format!(
                        "[{}]",
                        items
                            .iter()
                            .map(|i| format!("{:?}", i.as_str().expect("a list of words")))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    _ => unreachable!(),
                };
                let _ = writeln!(s, "        {key}: {v},");
            }
            s.push_str("    },\n");
        }
        s.push_str("};\n\n");
    }
    s
}

/// The pages' words: `[page]` and the shared tables the pages take, as
/// `export const ZH = {…}` and `EN`; a word with `{name}` in it becomes a
/// function of `name`.
fn js(catalogues: &BTreeMap<&str, Table>) -> String {
    let mut s = String::from(
        "// Made by build.rs from src/lang/zh.toml and src/lang/en.toml: edit those.\n",
    );
    for (lang, constant) in LANGS {
        let catalogue = &catalogues[lang];
        let mut page = catalogue[PAGE].as_table().expect("a [page] table").clone();
        for shared in SHARED_WITH_PAGES {
            let before = page.insert(shared.to_string(), catalogue[shared].clone());
            assert!(
                before.is_none(),
                "[page.{shared}] would be hidden by the shared table [{shared}]: rename it"
            );
        }
        let _ = writeln!(
            s,
            "export const {constant} = {};",
            js_value(&Value::Table(page))
        );
    }
    s
}

fn js_value(value: &Value) -> String {
    match value {
        Value::Table(t) => format!(
            "{{ {} }}",
            t.iter()
                .map(|(k, v)| format!("{k}: {}", js_value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::String(text) => js_word(text),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(js_value).collect::<Vec<_>>().join(", ")
        ),
        other => panic!("a page's word is text: {other}"),
    }
}

/// `"text"`, or `(n) => \`… ${n} …\`` for a word with `{n}` in it.
fn js_word(text: &str) -> String {
    let mut args: Vec<&str> = Vec::new();
    let mut body = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .unwrap_or_else(|| panic!("an unclosed {{ in {text:?}"));
        let name = &rest[open + 1..close];
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic()),
            "{{{name}}} in {text:?}: a value's name, letters only"
        );
        body.push_str(&template(&rest[..open]));
        let _ = write!(body, "${{{name}}}");
        if !args.contains(&name) {
            args.push(name);
        }
        rest = &rest[close + 1..];
    }
    if args.is_empty() {
        return format!("{text:?}");
    }
    body.push_str(&template(rest));
    format!("({}) => `{body}`", args.join(", "))
}

/// Text as it goes into a template literal.
fn template(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('`', "\\`")
        .replace("${", "\\${")
}
