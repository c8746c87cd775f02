//! Journal throughput on the machine's real disk (under target/, never tmpfs):
//! fsynced appends one by one (target: 5,000/s), group commit (target: 100,000
//! events/s), and the replay of a 1,000,000-event journal (target: under 1.5 s).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::PathBuf;
use std::time::Duration;
use xieshang::journal::{self, Journal};

#[path = "workload.rs"]
mod workload;

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-journal");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

fn open(name: &str) -> Journal {
    let plan = workload::plan();
    Journal::open_or_create(
        &scratch(name),
        &plan,
        &journal::digest(workload::SCENARIO.as_bytes()),
        workload::T0,
    )
    .unwrap()
    .journal
}

fn appends(c: &mut Criterion) {
    let events = workload::run(&mut workload::started(), 100);
    let mut group = c.benchmark_group("journal");
    group.measurement_time(Duration::from_secs(5));

    group.throughput(Throughput::Elements(1));
    let mut j = open("one-by-one.journal");
    let mut i = 0;
    group.bench_function("append one event, fsynced", |b| {
        b.iter(|| {
            i = (i + 1) % events.len();
            j.append(vec![events[i].clone()]).unwrap()
        })
    });
    drop(j);

    for batch in [10usize, 100, 1000] {
        group.throughput(Throughput::Elements(batch as u64));
        let mut j = open("group.journal");
        let chunk: Vec<_> = events.iter().cycle().take(batch).cloned().collect();
        group.bench_function(format!("group commit, {batch} events per fsync"), |b| {
            b.iter(|| j.append(chunk.clone()).unwrap())
        });
    }
    group.finish();
}

fn replay(c: &mut Criterion) {
    const EVENTS: usize = 1_000_000;
    let path = scratch("million.journal");
    {
        let mut j = open("million.journal");
        let mut state = workload::started();
        let events = workload::run(&mut state, (EVENTS / 16 + 1) as u64);
        for chunk in events[..EVENTS].chunks(20_000) {
            j.append(chunk.to_vec()).unwrap();
        }
        j.close().unwrap();
    }
    let size = std::fs::metadata(&path).unwrap().len();
    println!("replay: {EVENTS} events, {:.1} MB", size as f64 / 1e6);
    let mut group = c.benchmark_group("replay");
    group.sample_size(10);
    group.throughput(Throughput::Elements(EVENTS as u64));
    group.bench_function("read and fold a 1,000,000-event journal", |b| {
        b.iter(|| {
            let (state, scan) = journal::replay_file(&path).unwrap();
            assert_eq!(scan.last_seq, EVENTS as u64);
            state
        })
    });
    group.finish();
}

criterion_group!(benches, appends, replay);
criterion_main!(benches);
