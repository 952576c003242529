//! Allocation beside bumpalo, bump-scope, blink-alloc, mimalloc, the system allocator and a hand-written bump: single values, mixed layouts, batches, vectors, scopes and resets. `cargo bench -p framealloc-benches --bench alloc`
//!
//! The workloads live in the `framealloc-benches` library (`src/cases/`), shared with the
//! `report` binary. Criterion's HTML report lands in `target/criterion/report/index.html`.

use criterion::{criterion_group, criterion_main, Criterion};

fn benches(c: &mut Criterion) {
    framealloc_benches::criterion_groups(c, &|name| {
        !name.starts_with("soa")
            && !name.starts_with("guards")
            && !name.starts_with("pool")
            && !name.starts_with("threads")
    });
}

criterion_group!(all, benches);
criterion_main!(all);
