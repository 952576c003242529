// The refusal holds for a generic struct too, whatever its parameters are.
use framealloc::soa;

#[soa]
struct Slot<T: Copy> {
    value: T,
    live: bool,
}

impl<T: Copy> Drop for Slot<T> {
    fn drop(&mut self) {}
}

fn main() {
    let mut soa = SlotSoa::<u32>::new();
    soa.insert(0, Slot { value: 1, live: true });
}
