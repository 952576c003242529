//! The particle update over `#[soa]` storage beside soa_derive and hand-written SoA. `cargo bench -p framealloc-benches --bench soa`
//!
//! The workloads live in the `framealloc-benches` library (`src/cases/`), shared with the
//! `report` binary. Criterion's HTML report lands in `target/criterion/report/index.html`.

use criterion::{criterion_group, criterion_main, Criterion};

fn benches(c: &mut Criterion) {
    framealloc_benches::criterion_groups(c, &|name| name.starts_with("soa"));
}

criterion_group!(all, benches);
criterion_main!(all);
