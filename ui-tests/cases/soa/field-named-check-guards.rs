// The container has a `check_guards` method; a field of that name would clash with it.
use framealloc::soa;

#[soa]
struct Body {
    check_guards: u32,
}

fn main() {}
