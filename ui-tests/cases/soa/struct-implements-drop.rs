// A struct with its own destructor cannot be split into columns: the destructor needs the
// whole value, and a column store never has one.
use framealloc::soa;

#[soa]
struct Handle {
    id: u32,
    name: String,
}

impl Drop for Handle {
    fn drop(&mut self) {
        println!("closing {}", self.id);
    }
}

fn main() {
    let mut soa = HandleSoa::new();
    soa.push(Handle { id: 1, name: String::new() });
}
