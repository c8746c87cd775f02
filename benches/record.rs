//! The recorded meeting put to use: minutes of a 100,000-event journal (target:
//! under 1 s, read, folded and written as Markdown, JSON and HTML), and seeking
//! in a replay of a four-hour meeting (target: under 50 ms anywhere), both the
//! timeline's fold and the console's whole seek (state, log, bar).

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::PathBuf;
use std::time::Duration;
use xieshang::journal::{self, Entry, Journal};
use xieshang::minutes::{from_journal, Format};
use xieshang::replay::Timeline;

#[path = "workload.rs"]
mod workload;

/// A journal of at least `n` events of the workload, `spacing_ms` apart.
fn journal(name: &str, n: usize, spacing_ms: u64) -> (PathBuf, Vec<Entry>) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-record");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    let plan = workload::plan();
    let mut j = Journal::open_or_create(
        &path,
        &plan,
        &journal::digest(workload::SCENARIO.as_bytes()),
        workload::T0,
    )
    .unwrap()
    .journal;
    // The meeting's start and the move to its discussion are in the journal too.
    use xieshang::meeting::{execute, Command, Ctx, State};
    let mut state = State::new(plan.clone());
    let mut events = execute(
        &mut state,
        Command::StartMeeting,
        Ctx::by("chair", workload::T0),
    )
    .unwrap();
    let goto = Command::GotoStep { item: 0, step: 3 };
    events.extend(execute(&mut state, goto, Ctx::by("chair", workload::T0)).unwrap());
    let rounds = (n / 16 + 1) as u64;
    events.extend(workload::run(&mut state, rounds));
    for (i, e) in events.iter_mut().enumerate() {
        e.at_ms = workload::T0 + i as u64 * spacing_ms;
    }
    let mut entries = Vec::new();
    for chunk in events.chunks(10_000) {
        entries.extend(j.append(chunk.to_vec()).unwrap());
    }
    j.close().unwrap();
    (path, entries)
}

fn minutes(c: &mut Criterion) {
    let (path, entries) = journal("100k.journal", 100_000, 1_000);
    println!("minutes: a journal of {} events", entries.len());
    let mut group = c.benchmark_group("minutes");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for format in [Format::Md, Format::Json, Format::Html] {
        group.bench_function(format!("100k events, read + fold + {format:?}"), |b| {
            b.iter(|| {
                let (_, m, _) = from_journal(&path, Some(8 * 3600)).unwrap();
                format.render(&m).len()
            })
        });
    }
    group.finish();
}

fn seek(c: &mut Criterion) {
    // Four hours: 14,400 s with an event every 0.9 s (16,000 events), and a
    // hundred-thousand-event one for the worst case.
    let (_, four_hours) = journal("4h.journal", 16_000, 900);
    let (_, dense) = journal("dense.journal", 100_000, 144);
    let mut group = c.benchmark_group("seek");
    for (name, entries) in [("4 h, 16k events", four_hours), ("4 h, 100k events", dense)] {
        let n = entries.len();
        let timeline = Timeline::new(workload::plan(), entries, None);
        let total = timeline.total_ms();
        println!("seek: {name}: {n} events over {} s", total / 1000);
        let mut i = 0u64;
        group.bench_function(format!("{name}: timeline state_at"), |b| {
            b.iter(|| {
                i = (i + 7_919) % 1_000;
                timeline.state_at(total / 1_000 * i).turns.len()
            })
        });
        let mut player = xieshang::tui::replay::Player::new(
            timeline,
            xieshang::meeting::plan::Language::Zh,
            "bench".into(),
            1.0,
        );
        group.bench_function(format!("{name}: console seek (state, log, bar)"), |b| {
            b.iter(|| {
                i = (i + 7_919) % 1_000;
                player.seek(total / 1_000 * i);
                player.applied()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, minutes, seek);
criterion_main!(benches);
