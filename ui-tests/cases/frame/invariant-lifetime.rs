// Rule 2: `Frame<'f, 'env>` is invariant in `'f`: a frame cannot be passed off as one of
// another lifetime, so frames of different scopes can never be confused for one another.
use framealloc::Frame;

fn shorten<'long: 'short, 'short, 'env: 'long>(f: Frame<'long, 'env>) -> Frame<'short, 'env> {
    f
}

fn lengthen<'long: 'short, 'short, 'env: 'long>(f: Frame<'short, 'env>) -> Frame<'long, 'env> {
    f
}

fn main() {
    let _ = (shorten, lengthen);
}
