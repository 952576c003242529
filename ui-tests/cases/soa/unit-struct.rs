// A struct without fields has no columns.
use framealloc::soa;

#[soa]
struct Marker;

fn main() {}
