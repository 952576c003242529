// A field `pos` gets the accessors `pos` and `pos_mut`; a second field named `pos_mut` would
// get an accessor of the same name.
use framealloc::soa;

#[soa]
struct Body {
    pos: f32,
    pos_mut: f32,
}

fn main() {}
