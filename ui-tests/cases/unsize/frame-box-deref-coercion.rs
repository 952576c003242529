// `frame_box!` unsizes (`FrameBox<T>` to `FrameBox<dyn Trait>` or `FrameBox<[T]>`) and
// nothing else. A deref coercion would hand the new box a value that another owner still
// drops: here the zero-sized `Token` field of `holder`, which sits at exactly the address the
// new box gets (one past the end of `holder`'s block), so an address check cannot tell.
use framealloc::{frame_box, FrameArena, FrameBox};

struct Token;

impl Drop for Token {
    fn drop(&mut self) {
        println!("token dropped");
    }
}

#[repr(C)]
struct Holder {
    x: u64,
    token: Token,
}

struct Wrapper<'a>(&'a mut Token);

impl std::ops::Deref for Wrapper<'_> {
    type Target = Token;
    fn deref(&self) -> &Token {
        self.0
    }
}

impl std::ops::DerefMut for Wrapper<'_> {
    fn deref_mut(&mut self) -> &mut Token {
        self.0
    }
}

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|mut f| {
        let mut holder = f.boxed(Holder { x: 1, token: Token });
        f.scope(|g| {
            let stolen: FrameBox<'_, Token> = frame_box!(g, Wrapper(&mut holder.token));
            drop(stolen); // would drop `holder.token`
        });
        drop(holder); // and again here
    });
}
