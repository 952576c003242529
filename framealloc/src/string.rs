//! [`FrameString<'b, 'f>`](FrameString): a growable UTF-8 string in frame memory, and
//! [`frame_format!`](crate::frame_format!), `format!` into a frame.

use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::{Deref, DerefMut};

use crate::error::{infallible, AllocError};
use crate::frame::Frame;
use crate::vec::FrameVec;

/// A growable UTF-8 string whose buffer lives in a frame: [`String`] for frames. It grows in
/// place when it is the frame's newest allocation, takes `write!` ([`fmt::Write`]), and
/// freezes into a `&'f mut str` with [`into_str`](Self::into_str).
///
/// Like a [`FrameVec`] it borrows its frame (`'b`) while it can grow, so the frame cannot open
/// a scope meanwhile.
///
/// ```
/// use core::fmt::Write;
/// use framealloc::FrameArena;
///
/// let mut arena = FrameArena::new();
/// arena.frame(|f| {
///     let mut s = f.string();
///     s.push_str("hp: ");
///     write!(s, "{}/{}", 40, 100).unwrap();
///     s.push('!');
///     s.insert_str(0, "player ");
///     assert_eq!(s, "player hp: 40/100!");
///     let frozen: &mut str = s.into_str();
///     frozen.make_ascii_uppercase();
///     assert_eq!(frozen, "PLAYER HP: 40/100!");
/// });
/// ```
pub struct FrameString<'b, 'f> {
    /// Always valid UTF-8.
    bytes: FrameVec<'b, 'f, u8>,
}

impl<'b, 'f> FrameString<'b, 'f> {
    /// An empty string in `frame`; allocates nothing until text is added.
    #[inline]
    pub fn new_in(frame: &'b Frame<'f, '_>) -> Self {
        FrameString {
            bytes: FrameVec::new_in(frame),
        }
    }

    /// An empty string with room for `capacity` bytes.
    ///
    /// # Panics
    ///
    /// When allocating fails; see [`try_with_capacity_in`](Self::try_with_capacity_in).
    #[inline]
    #[track_caller]
    pub fn with_capacity_in(capacity: usize, frame: &'b Frame<'f, '_>) -> Self {
        infallible(Self::try_with_capacity_in(capacity, frame))
    }

    /// [`with_capacity_in`](Self::with_capacity_in), or the error.
    #[inline]
    pub fn try_with_capacity_in(
        capacity: usize,
        frame: &'b Frame<'f, '_>,
    ) -> Result<Self, AllocError> {
        Ok(FrameString {
            bytes: FrameVec::try_with_capacity_in(capacity, frame)?,
        })
    }

    /// A copy of `s` in `frame`, with room for exactly it.
    #[track_caller]
    pub fn from_str_in(s: &str, frame: &'b Frame<'f, '_>) -> Self {
        let mut out = Self::with_capacity_in(s.len(), frame);
        out.push_str(s);
        out
    }

    /// The text.
    #[inline]
    pub fn as_str(&self) -> &str {
        // SAFETY: the bytes are valid UTF-8 (every method keeps them so).
        unsafe { core::str::from_utf8_unchecked(&self.bytes) }
    }

    /// The text, mutably.
    #[inline]
    pub fn as_mut_str(&mut self) -> &mut str {
        // SAFETY: as in `as_str`; `&mut str` only allows changes that keep it UTF-8.
        unsafe { core::str::from_utf8_unchecked_mut(&mut self.bytes) }
    }

    /// Length in bytes.
    #[inline]
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the string is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Bytes the string can hold without growing.
    #[inline]
    pub fn capacity(&self) -> usize {
        self.bytes.capacity()
    }

    /// Makes room for at least `additional` more bytes.
    ///
    /// # Panics
    ///
    /// When growing fails.
    #[track_caller]
    pub fn reserve(&mut self, additional: usize) {
        self.bytes.reserve(additional);
    }

    /// [`reserve`](Self::reserve), or the error.
    pub fn try_reserve(&mut self, additional: usize) -> Result<(), AllocError> {
        self.bytes.try_reserve(additional)
    }

    /// Appends `s`.
    ///
    /// # Panics
    ///
    /// When growing fails; see [`try_push_str`](Self::try_push_str).
    #[inline]
    #[track_caller]
    pub fn push_str(&mut self, s: &str) {
        infallible(self.bytes.try_extend_copy(s.as_bytes()));
    }

    /// [`push_str`](Self::push_str), or the error (the string is unchanged then).
    #[inline]
    pub fn try_push_str(&mut self, s: &str) -> Result<(), AllocError> {
        self.bytes.try_extend_copy(s.as_bytes())
    }

    /// Appends `c`.
    #[inline]
    #[track_caller]
    pub fn push(&mut self, c: char) {
        match c.len_utf8() {
            1 => self.bytes.push(c as u8),
            _ => self.push_str(c.encode_utf8(&mut [0; 4])),
        }
    }

    /// Removes and returns the last character.
    pub fn pop(&mut self) -> Option<char> {
        let c = self.as_str().chars().next_back()?;
        self.bytes.truncate(self.len() - c.len_utf8());
        Some(c)
    }

    /// Inserts `c` at byte `index`.
    ///
    /// # Panics
    ///
    /// If `index` is not on a character boundary (or past the end), or when growing fails.
    #[track_caller]
    pub fn insert(&mut self, index: usize, c: char) {
        self.insert_str(index, c.encode_utf8(&mut [0; 4]));
    }

    /// Inserts `s` at byte `index`.
    ///
    /// # Panics
    ///
    /// If `index` is not on a character boundary (or past the end), or when growing fails.
    #[track_caller]
    pub fn insert_str(&mut self, index: usize, s: &str) {
        self.assert_boundary(index, "insertion index");
        let len = self.len();
        self.bytes.reserve(s.len());
        // Appended, then rotated into place: both steps keep every byte initialized, and the
        // string is valid UTF-8 again once the rotation is done (nothing in between runs user
        // code or panics).
        self.bytes.extend_from_slice(s.as_bytes());
        self.bytes[index..].rotate_right(s.len());
        debug_assert_eq!(self.len(), len + s.len());
    }

    /// Removes and returns the character at byte `index`.
    ///
    /// # Panics
    ///
    /// If `index` is not the start of a character.
    #[track_caller]
    pub fn remove(&mut self, index: usize) -> char {
        self.assert_boundary(index, "removal index");
        let Some(c) = self.as_str()[index..].chars().next() else {
            boundary_panic("removal index", index, self.len());
        };
        self.bytes.drain(index..index + c.len_utf8());
        c
    }

    /// Keeps only the characters for which `keep` returns `true`.
    pub fn retain(&mut self, mut keep: impl FnMut(char) -> bool) {
        let mut read = 0;
        let mut write = 0;
        let len = self.len();
        while read < len {
            let c = self.as_str()[read..]
                .chars()
                .next()
                .expect("read is on a character boundary");
            let n = c.len_utf8();
            // Between `write` and `read` lie the bytes of removed and already moved
            // characters: if `keep` panics, the guard closes that gap so the string stays
            // UTF-8 (the character being looked at is kept).
            let guard = CloseGap {
                bytes: &mut self.bytes,
                read,
                write,
            };
            let kept = keep(c);
            core::mem::forget(guard);
            if kept {
                self.bytes.copy_within(read..read + n, write);
                write += n;
            }
            read += n;
        }
        self.bytes.truncate(write);
    }

    /// Shortens the string to `new_len` bytes; does nothing if it is not longer.
    ///
    /// # Panics
    ///
    /// If `new_len` is not on a character boundary.
    #[track_caller]
    pub fn truncate(&mut self, new_len: usize) {
        if new_len < self.len() {
            self.assert_boundary(new_len, "truncation length");
            self.bytes.truncate(new_len);
        }
    }

    /// Removes all text, keeping the capacity.
    #[inline]
    pub fn clear(&mut self) {
        self.bytes.clear();
    }

    /// Freezes the string into a `&mut str` that lives for the whole frame, and gives the
    /// frame back; gives unused capacity back when the buffer is the newest allocation.
    pub fn into_str(self) -> &'f mut str {
        let bytes = self.bytes.into_slice();
        // SAFETY: the bytes are valid UTF-8.
        unsafe { core::str::from_utf8_unchecked_mut(bytes) }
    }

    /// The bytes, as a vector.
    pub fn into_bytes(self) -> FrameVec<'b, 'f, u8> {
        self.bytes
    }

    #[track_caller]
    fn assert_boundary(&self, index: usize, what: &str) {
        if !self.as_str().is_char_boundary(index) {
            boundary_panic(what, index, self.len());
        }
    }
}

/// Closes the gap a panicking `retain` predicate leaves: the kept bytes before `write`, the
/// unvisited ones from `read`.
struct CloseGap<'a, 'b, 'f> {
    bytes: &'a mut FrameVec<'b, 'f, u8>,
    read: usize,
    write: usize,
}

impl Drop for CloseGap<'_, '_, '_> {
    fn drop(&mut self) {
        let len = self.bytes.len();
        self.bytes.copy_within(self.read..len, self.write);
        self.bytes.truncate(self.write + (len - self.read));
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn boundary_panic(what: &str, index: usize, len: usize) -> ! {
    panic!("FrameString: {what} {index} is not a character boundary of a string of {len} bytes")
}

impl<'f> Frame<'f, '_> {
    /// An empty [`FrameString`] in this frame.
    #[inline]
    pub fn string(&self) -> FrameString<'_, 'f> {
        FrameString::new_in(self)
    }

    /// The text of `args` in a [`FrameString`] of this frame, written straight into the
    /// arena; what [`frame_format!`](crate::frame_format!) calls.
    ///
    /// # Panics
    ///
    /// When allocating fails; see [`try_format`](Self::try_format).
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let s = f.format(format_args!("{}-{:03}", "unit", 7));
    ///     assert_eq!(s, "unit-007");
    /// });
    /// ```
    #[track_caller]
    pub fn format(&self, args: fmt::Arguments<'_>) -> FrameString<'_, 'f> {
        infallible(self.try_format(args))
    }

    /// [`format`](Self::format), or the allocation error.
    pub fn try_format(&self, args: fmt::Arguments<'_>) -> Result<FrameString<'_, 'f>, AllocError> {
        if let Some(s) = args.as_str() {
            let mut out = FrameString::try_with_capacity_in(s.len(), self)?;
            out.try_push_str(s)?;
            return Ok(out);
        }
        // A first guess at the length, as `format!` makes one: most formatted text is short,
        // and growing from empty would take three steps to reach it. A string frozen with
        // `into_str` gives what it did not use back.
        let mut out = FrameString::try_with_capacity_in(32, self)?;
        let mut w = Writer {
            out: &mut out,
            error: None,
        };
        if fmt::write(&mut w, args).is_err() {
            return Err(w.error.unwrap_or(AllocError::LayoutOverflow));
        }
        Ok(out)
    }
}

/// Formats into a string, keeping the allocation error that `fmt::Error` cannot carry.
struct Writer<'a, 'b, 'f> {
    out: &'a mut FrameString<'b, 'f>,
    error: Option<AllocError>,
}

impl fmt::Write for Writer<'_, '_, '_> {
    #[inline]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.out.try_push_str(s).map_err(|e| {
            self.error = Some(e);
            fmt::Error
        })
    }
}

/// `format!` into a frame: the text goes straight into the frame's arena, in a
/// [`FrameString`].
///
/// ```
/// use framealloc::{frame_format, FrameArena};
///
/// let mut arena = FrameArena::new();
/// arena.frame(|f| {
///     let (hp, max) = (40, 100);
///     let label = frame_format!(in &f, "hp {hp}/{max}");
///     assert_eq!(label, "hp 40/100");
/// });
/// ```
#[macro_export]
macro_rules! frame_format {
    (in $frame:expr, $($arg:tt)*) => {
        $crate::Frame::format($frame, ::core::format_args!($($arg)*))
    };
}

impl fmt::Write for FrameString<'_, '_> {
    /// Appends `s`; an allocation failure panics (use [`Frame::try_format`] to get it as an
    /// error).
    #[inline]
    #[track_caller]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push_str(s);
        Ok(())
    }

    #[inline]
    #[track_caller]
    fn write_char(&mut self, c: char) -> fmt::Result {
        self.push(c);
        Ok(())
    }
}

impl Deref for FrameString<'_, '_> {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl DerefMut for FrameString<'_, '_> {
    #[inline]
    fn deref_mut(&mut self) -> &mut str {
        self.as_mut_str()
    }
}

impl AsRef<str> for FrameString<'_, '_> {
    fn as_ref(&self) -> &str {
        self
    }
}

impl AsRef<[u8]> for FrameString<'_, '_> {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl core::borrow::Borrow<str> for FrameString<'_, '_> {
    fn borrow(&self) -> &str {
        self
    }
}

impl fmt::Display for FrameString<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for FrameString<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Clone for FrameString<'_, '_> {
    #[track_caller]
    fn clone(&self) -> Self {
        FrameString {
            bytes: self.bytes.clone(),
        }
    }
}

impl Extend<char> for FrameString<'_, '_> {
    #[track_caller]
    fn extend<I: IntoIterator<Item = char>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        self.reserve(iter.size_hint().0);
        iter.for_each(|c| self.push(c));
    }
}

impl<'a> Extend<&'a str> for FrameString<'_, '_> {
    #[track_caller]
    fn extend<I: IntoIterator<Item = &'a str>>(&mut self, iter: I) {
        iter.into_iter().for_each(|s| self.push_str(s));
    }
}

macro_rules! str_eq {
    ($($rhs:ty),*) => {$(
        impl PartialEq<$rhs> for FrameString<'_, '_> {
            #[inline]
            fn eq(&self, other: &$rhs) -> bool {
                self.as_str() == &other[..]
            }
        }
        impl PartialEq<FrameString<'_, '_>> for $rhs {
            #[inline]
            fn eq(&self, other: &FrameString<'_, '_>) -> bool {
                &self[..] == other.as_str()
            }
        }
    )*};
}

str_eq!(str, &str, std::string::String);

impl PartialEq for FrameString<'_, '_> {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for FrameString<'_, '_> {}

impl PartialOrd for FrameString<'_, '_> {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for FrameString<'_, '_> {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for FrameString<'_, '_> {
    /// Hashes as `str` does, so it agrees with `String` and `&str`.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}
