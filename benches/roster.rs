//! The roster at a city's size: 10,000 people read from a spreadsheet (UTF-8,
//! and GBK as a Chinese Excel saves it) into a fresh office file, and a plan of
//! 300 seats that name roster people loaded as `check` loads it (read, checked
//! against the roster, who each is). (A person's own page at 100,000 items is
//! `--bench register`'s.)
//!
//! `cargo bench --bench roster`

use std::time::{Duration, Instant};
use xieshang::office::roster::import;
use xieshang::office::Office;

const SECTORS: [&str; 8] = [
    "经济界",
    "科技界",
    "民建",
    "农工党",
    "社会福利和社会保障界",
    "教育界",
    "医药卫生界",
    "文化艺术界",
];

fn main() {
    let people = 10_000;
    let mut csv = String::from("编号,姓名,身份,界别,党派,单位,联系方式\n");
    for n in 0..people {
        csv.push_str(&format!(
            "W{n:05},委员{n:05}号,委员,{},民建,,1380000{n:04}\n",
            SECTORS[n % SECTORS.len()]
        ));
    }
    let gbk = encoding_rs::GBK.encode(&csv).0.into_owned();
    for (what, bytes) in [("UTF-8", csv.as_bytes().to_vec()), ("GBK", gbk)] {
        timed(
            &format!("import {people} people ({what}), read and written"),
            10,
            || {
                let dir = tempfile::tempdir().unwrap();
                let mut office = Office::open(&dir.path().join("office.db")).unwrap();
                let read = import::people(&bytes, &[]).unwrap();
                let put = office.put_people(&read.rows, 1).unwrap();
                assert_eq!(put.added, people);
            },
        );
    }

    // A plan of 300 seats naming roster people, checked against them.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
    let mut office = Office::open(&db).unwrap();
    let read = import::people(csv.as_bytes(), &[]).unwrap();
    office.put_people(&read.rows, 1).unwrap();
    drop(office);
    let mut plan = String::from(
        "[meeting]\ntitle = \"全体会议\"\nregister = \"register.db\"\n\n[[participants]]\nid = \"chair\"\nname = \"主持人\"\nrole = \"chair\"\n",
    );
    for n in 0..300 {
        plan.push_str(&format!(
            "\n[[participants]]\nid = \"m{n:03}\"\nname = \"委员{n:05}号\"\nrole = \"member\"\nperson = \"W{n:05}\"\n"
        ));
    }
    plan.push_str(
        "\n[[agenda]]\ntitle = \"议题\"\n[[agenda.steps]]\nkind = \"discuss\"\ntitle = \"讨论\"\n",
    );
    let file = dir.path().join("plan.toml");
    std::fs::write(&file, plan).unwrap();
    timed("check a plan of 300 roster people", 50, || {
        let loaded = xieshang::cmd::plan::load(&file).unwrap();
        assert_eq!(loaded.who.len(), 300);
    });
}

fn timed(what: &str, n: usize, mut f: impl FnMut()) {
    f();
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.1} ms, p99 {:.1} ms ({n} runs)",
        ms(times[n / 2]),
        ms(times[(n * 99 / 100).min(n - 1)])
    );
}
