// `no_drop` on a struct whose field has a destructor says what to do.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
#[frame(no_drop)]
struct Named {
    id: u32,
    name: String,
}

fn main() {}
