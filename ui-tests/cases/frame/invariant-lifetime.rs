// Rule 2: `Frame<'f>` is invariant in `'f`: a frame cannot be passed off as one of another
// lifetime, so frames of different scopes can never be confused for one another.
use framealloc::Frame;

fn shorten<'long: 'short, 'short>(f: Frame<'long>) -> Frame<'short> {
    f
}

fn lengthen<'long: 'short, 'short>(f: Frame<'short>) -> Frame<'long> {
    f
}

fn main() {
    let _ = (shorten, lengthen);
}
