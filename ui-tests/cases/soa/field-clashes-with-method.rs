// A field whose accessor would shadow a container method is an error on the field.
use framealloc::soa;

#[soa]
struct Item {
    len: f32,
    weight: f32,
}

fn main() {}
