//! decide + apply throughput: how many events per second the meeting core decides
//! and folds into the state. Target: at least 1,000,000 events/s.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

#[path = "workload.rs"]
mod workload;

const ROUNDS: u64 = 1_000;

fn decide_and_apply(c: &mut Criterion) {
    let events = workload::run(&mut workload::started(), ROUNDS).len() as u64;
    let mut group = c.benchmark_group("core");
    group.throughput(Throughput::Elements(events));
    group.bench_function(format!("decide+apply ({events} events)"), |b| {
        b.iter_batched(
            workload::started,
            |mut state| workload::run(&mut state, ROUNDS),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, decide_and_apply);
criterion_main!(benches);
