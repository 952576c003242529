// #[soa] needs named fields: each becomes a named column.
use framealloc::soa;

#[soa]
struct Pair(u32, u32);

fn main() {}
