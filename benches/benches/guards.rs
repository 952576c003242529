//! What debug guards cost, off and on, beside the hand-written bump. Without `--features guards` a release build has no guard code, so only "off" runs: `cargo bench -p framealloc-benches --features guards --bench guards`
//!
//! The workloads live in the `framealloc-benches` library (`src/cases/`), shared with the
//! `report` binary. Criterion's HTML report lands in `target/criterion/report/index.html`.

use criterion::{criterion_group, criterion_main, Criterion};

fn benches(c: &mut Criterion) {
    framealloc_benches::criterion_groups(c, &|name| name.starts_with("guards"));
}

criterion_group!(all, benches);
criterion_main!(all);
