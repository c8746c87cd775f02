//! What signing the broadcast costs (`src/relay/signature.rs`): per event, the
//! chair's server signs its frame (Ed25519) and makes its message id (HMAC); each
//! relay verifies the signature. A frame of 500 bytes, about a question's.

use criterion::{criterion_group, criterion_main, Criterion};
use xieshang::relay::signature::Signer;

fn signing(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let signer = Signer::for_journal(&dir.path().join("m.journal")).unwrap();
    let key = signer.public();
    let subject = "xieshang.bench.events";
    let frame = vec![b'x'; 500];
    let sig = signer.sign(subject, &frame);
    let mut group = c.benchmark_group("signature");
    group.bench_function("sign a 500-byte event (publisher)", |b| {
        b.iter(|| signer.sign(subject, &frame))
    });
    group.bench_function("message id (publisher)", |b| {
        b.iter(|| signer.message_id(subject, 12_345))
    });
    group.bench_function("verify a 500-byte event (relay)", |b| {
        b.iter(|| key.verifies(subject, &frame, &sig))
    });
    group.finish();
}

criterion_group!(benches, signing);
criterion_main!(benches);
