// #[soa] is for structs.
use framealloc::soa;

#[soa]
enum Shape {
    Circle { r: f32 },
}

fn main() {}
