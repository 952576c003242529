//! Debug guards: canaries around frame allocations, poison and fill patterns, and the
//! [`GuardReport`] a violation becomes.
//!
//! # What guards do
//!
//! With guards on, every frame allocation is followed by [`CANARY_LEN`] bytes of
//! [`CANARY`] (and, with [`ArenaConfig::guard_underruns`](crate::ArenaConfig::guard_underruns),
//! preceded by them) and recorded in a side table. The canaries are checked when a scope
//! rewinds, when the frame ends, and on demand ([`Frame::check_guards`](crate::Frame::check_guards)).
//! Memory released by a rewind or reset is filled with [`POISON`] (`0xDD`), fresh memory with
//! [`FILL`] (`0xCD`), so a debugger shows stale and uninitialised reads at a glance.
//!
//! A damaged canary becomes a [`GuardReport`]: which allocation (its source line, tag, size,
//! alignment, frame) and the first corrupted byte. It goes to the arena's [`GuardHandler`]:
//! a panic with the report (the default), a list the caller reads
//! ([`FrameArena::take_guard_reports`](crate::FrameArena::take_guard_reports)), or a callback.
//!
//! # When they are on
//!
//! Arena-wide guards are compiled in with `debug_assertions` or the `guards` cargo feature
//! ([`COMPILED_IN`]), and then on unless [`ArenaConfig::guards`](crate::ArenaConfig::guards)
//! turns them off. In a release build without the feature they compile to nothing: the
//! allocation fast path is the same instructions as without any guard code, because a guarded
//! arena diverts every allocation to the cold path (its fast-path limit is set to null)
//! instead of testing a flag.
//!
//! Types marked `#[frame(guard)]` (see [`Guarded`]) are guarded through
//! [`Frame::alloc_guarded`](crate::Frame::alloc_guarded) and its family in every build, even
//! when arena-wide guards are off.
//!
//! # What they cost
//!
//! When on, each allocation takes the cold path, writes its canaries and the fill pattern,
//! and pushes one record; each rewind and reset reads every canary it releases and poisons
//! the released memory. The side table keeps its capacity across frames, so after warm-up
//! guards make no system allocations either.
//!
//! ```
//! use framealloc::guard::{GuardHandler, GuardKind};
//! use framealloc::{ArenaConfig, FrameArena};
//!
//! let mut arena = FrameArena::with_config(
//!     ArenaConfig::new().guards(true).guard_handler(GuardHandler::Collect),
//! );
//! if arena.guards_enabled() {
//!     arena.frame_tagged("physics", |f| {
//!         let buf = f.alloc_layout(core::alloc::Layout::new::<[u32; 4]>());
//!         // A write one element past the end: the bug a canary is there to catch.
//!         // SAFETY: the byte written is the canary after the block, which the
//!         // arena owns; no Rust value lives there.
//!         unsafe { buf.as_ptr().add(16).write(0x2a) };
//!     });
//!     let reports = arena.take_guard_reports();
//!     assert_eq!(reports.len(), 1);
//!     assert_eq!(reports[0].kind, GuardKind::Overrun);
//!     assert_eq!(reports[0].offset, 16);
//!     assert_eq!(reports[0].tag, Some("physics"));
//! }
//! ```

use core::fmt;
use core::panic::Location;
use std::boxed::Box;
use std::vec::Vec;

use crate::layout::FrameLayout;

/// Whether the arena-wide guard code is in this build: `debug_assertions` or the `guards`
/// feature. When it is not, [`ArenaConfig::guards`](crate::ArenaConfig::guards) has nothing to
/// turn on, and only [`Guarded`] types are guarded.
pub const COMPILED_IN: bool = cfg!(any(debug_assertions, feature = "guards"));

/// The byte canaries are made of (`0xFD`, the "no man's land" byte of common debug heaps).
pub const CANARY: u8 = 0xFD;

/// How many canary bytes follow (and, when asked, precede) each guarded allocation.
pub const CANARY_LEN: usize = 16;

/// The byte released memory is filled with when a scope rewinds or a frame ends (`0xDD`).
pub const POISON: u8 = 0xDD;

/// The byte fresh guarded memory is filled with before it is handed out (`0xCD`).
pub const FILL: u8 = 0xCD;

/// A type whose frame allocations are always guarded, whatever the arena's setting: written
/// `#[frame(guard)]` next to `#[derive(FrameLayout)]`.
///
/// A generic `Frame::alloc::<T>` cannot ask whether an arbitrary `T` carries an attribute
/// (stable Rust has no specialization), so guarded types are allocated through the methods
/// that can see this bound: [`Frame::alloc_guarded`](crate::Frame::alloc_guarded),
/// [`Frame::alloc_slice_guarded`](crate::Frame::alloc_slice_guarded) and
/// [`Frame::alloc_batch_guarded`](crate::Frame::alloc_batch_guarded) (each with a `try_`
/// twin). They are guarded in release builds too, at the cost of the cold path per call.
///
/// ```
/// use framealloc::{FrameArena, FrameLayout};
///
/// #[derive(FrameLayout, Clone, Copy)]
/// #[frame(guard)]
/// struct Packet { len: u32, bytes: [u8; 60] }
///
/// let mut arena = FrameArena::new();
/// arena.frame(|f| {
///     let p = f.alloc_guarded(Packet { len: 0, bytes: [0; 60] });
///     p.len = 60;
///     assert_eq!(f.check_guards(), 0);
/// });
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not marked `#[frame(guard)]`",
    label = "the guarded allocation methods need a type marked `#[frame(guard)]`",
    note = "add `#[frame(guard)]` next to `#[derive(FrameLayout)]` on `{Self}`, or allocate it with the unguarded `Frame::alloc` family"
)]
pub trait Guarded: FrameLayout {}

/// Which side of an allocation was written.
///
/// ```
/// use core::alloc::Layout;
/// use framealloc::guard::{GuardCheck, GuardHandler, GuardKind};
/// use framealloc::{ArenaConfig, FrameArena};
///
/// let mut arena = FrameArena::with_config(
///     ArenaConfig::new().guards(true).guard_handler(GuardHandler::Collect),
/// );
/// arena.frame(|f| {
///     let block = f.alloc_layout(Layout::from_size_align(8, 8).unwrap());
///     // SAFETY: deliberately one byte past the 8-byte block, into its canary (which lies
///     // inside the arena's chunk), to show the report.
///     unsafe { block.as_ptr().add(8).write(0x2a) };
/// });
/// for report in arena.take_guard_reports() {
///     assert_eq!(report.kind, GuardKind::Overrun);
///     assert_eq!(report.checked_at, GuardCheck::FrameEnd);
///     assert_eq!((report.size, report.offset, report.found), (8, 8, 0x2a));
///     println!("{report}");
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GuardKind {
    /// Bytes after the end of the allocation were written.
    Overrun,
    /// Bytes before the start of the allocation were written.
    Underrun,
}

/// When a violation was found.
///
/// ```
/// use core::alloc::Layout;
/// use framealloc::guard::{GuardCheck, GuardHandler, GuardKind};
/// use framealloc::{ArenaConfig, FrameArena};
///
/// let mut arena = FrameArena::with_config(
///     ArenaConfig::new().guards(true).guard_handler(GuardHandler::Collect),
/// );
/// arena.frame(|f| {
///     let block = f.alloc_layout(Layout::from_size_align(8, 8).unwrap());
///     // SAFETY: deliberately one byte past the 8-byte block, into its canary (which lies
///     // inside the arena's chunk), to show the report.
///     unsafe { block.as_ptr().add(8).write(0x2a) };
/// });
/// for report in arena.take_guard_reports() {
///     assert_eq!(report.kind, GuardKind::Overrun);
///     assert_eq!(report.checked_at, GuardCheck::FrameEnd);
///     assert_eq!((report.size, report.offset, report.found), (8, 8, 0x2a));
///     println!("{report}");
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GuardCheck {
    /// When the scope holding the allocation rewound.
    ScopeEnd,
    /// When the frame holding the allocation ended (or the arena was reset).
    FrameEnd,
    /// On request: [`Frame::check_guards`](crate::Frame::check_guards) or a `check_guards`
    /// of struct-of-arrays storage.
    OnDemand,
    /// When struct-of-arrays storage was dropped or moved to a bigger block.
    StorageRelease,
}

/// A damaged canary: which allocation, and where it was damaged.
///
/// Its `Display` is a message a person can act on; the fields are there for tests and tools.
///
/// A report collected from a deliberate overrun:
///
/// ```
/// use core::alloc::Layout;
/// use framealloc::guard::{GuardCheck, GuardHandler, GuardKind};
/// use framealloc::{ArenaConfig, FrameArena};
///
/// let mut arena = FrameArena::with_config(
///     ArenaConfig::new().guards(true).guard_handler(GuardHandler::Collect),
/// );
/// arena.frame(|f| {
///     let block = f.alloc_layout(Layout::from_size_align(8, 8).unwrap());
///     // SAFETY: deliberately one byte past the 8-byte block, into its canary (which lies
///     // inside the arena's chunk), to show the report.
///     unsafe { block.as_ptr().add(8).write(0x2a) };
/// });
/// for report in arena.take_guard_reports() {
///     assert_eq!(report.kind, GuardKind::Overrun);
///     assert_eq!(report.checked_at, GuardCheck::FrameEnd);
///     assert_eq!((report.size, report.offset, report.found), (8, 8, 0x2a));
///     println!("{report}");
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct GuardReport {
    /// Overrun (written past the end) or underrun (written before the start).
    pub kind: GuardKind,
    /// Where the allocation was made (the caller of the allocating method).
    pub site: &'static Location<'static>,
    /// The tag of the frame it was made in, if any.
    pub tag: Option<&'static str>,
    /// Its size in bytes (without canaries).
    pub size: usize,
    /// Its alignment.
    pub align: usize,
    /// The number of the frame it was made in; `None` for struct-of-arrays storage outside
    /// an arena.
    pub frame: Option<u64>,
    /// The first (lowest-addressed) corrupted byte, as an offset from the allocation's
    /// start: `size` or more for an overrun, negative for an underrun.
    pub offset: isize,
    /// The value found in that byte (the canary is [`CANARY`]).
    pub found: u8,
    /// For struct-of-arrays storage, the column (field index) whose end was overrun.
    pub column: Option<usize>,
    /// That column's field name, when the storage knows it (`#[soa]` storage does).
    pub column_name: Option<&'static str>,
    /// When the damage was found.
    pub checked_at: GuardCheck,
}

impl fmt::Display for GuardReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            GuardKind::Overrun => "overrun",
            GuardKind::Underrun => "underrun",
        };
        write!(f, "frame memory {what}: ")?;
        match self.column {
            Some(column) => {
                write!(f, "column {column} (")?;
                if let Some(name) = self.column_name {
                    write!(f, "`{name}`, ")?;
                }
                write!(
                    f,
                    "{size} bytes, align {align}) of the struct-of-arrays storage",
                    size = self.size,
                    align = self.align
                )?
            }
            None => write!(
                f,
                "the {size}-byte allocation (align {align})",
                size = self.size,
                align = self.align
            )?,
        }
        write!(f, " made at {}", self.site)?;
        if let Some(frame) = self.frame {
            write!(f, " in frame {frame}")?;
        }
        if let Some(tag) = self.tag {
            write!(f, " (tag `{tag}`)")?;
        }
        match self.kind {
            GuardKind::Overrun => {
                let past = self.offset.unsigned_abs().saturating_sub(self.size);
                write!(
                    f,
                    " was written past its end: byte {offset}, {past} bytes past the end, \
                     holds {found:#04x} instead of the canary {CANARY:#04x}",
                    offset = self.offset,
                    found = self.found
                )?;
            }
            GuardKind::Underrun => write!(
                f,
                " was written before its start: the byte {before} bytes before it holds \
                 {found:#04x} instead of the canary {CANARY:#04x}",
                before = self.offset.unsigned_abs(),
                found = self.found
            )?,
        }
        let when = match self.checked_at {
            GuardCheck::ScopeEnd => "when its scope ended",
            GuardCheck::FrameEnd => "when its frame ended",
            GuardCheck::OnDemand => "by check_guards",
            GuardCheck::StorageRelease => "when the storage was released",
        };
        write!(
            f,
            "; found {when}. Look for a write through a raw pointer, an unchecked index or a \
             SIMD store that goes past this allocation's bounds"
        )
    }
}

impl std::error::Error for GuardReport {}

/// What an arena does with a [`GuardReport`]; set with
/// [`ArenaConfig::guard_handler`](crate::ArenaConfig::guard_handler).
///
/// ```
/// use core::alloc::Layout;
/// use framealloc::guard::{GuardCheck, GuardHandler, GuardKind};
/// use framealloc::{ArenaConfig, FrameArena};
///
/// let mut arena = FrameArena::with_config(
///     ArenaConfig::new().guards(true).guard_handler(GuardHandler::Collect),
/// );
/// arena.frame(|f| {
///     let block = f.alloc_layout(Layout::from_size_align(8, 8).unwrap());
///     // SAFETY: deliberately one byte past the 8-byte block, into its canary (which lies
///     // inside the arena's chunk), to show the report.
///     unsafe { block.as_ptr().add(8).write(0x2a) };
/// });
/// for report in arena.take_guard_reports() {
///     assert_eq!(report.kind, GuardKind::Overrun);
///     assert_eq!(report.checked_at, GuardCheck::FrameEnd);
///     assert_eq!((report.size, report.offset, report.found), (8, 8, 0x2a));
///     println!("{report}");
/// }
/// ```
#[derive(Default)]
pub enum GuardHandler {
    #[default]
    /// Panic with the report (the default). A violation found while the thread is already
    /// panicking (a scope unwinding) is printed to standard error instead, since a second
    /// panic would abort the process.
    Panic,
    /// Keep the reports; read them with
    /// [`FrameArena::take_guard_reports`](crate::FrameArena::take_guard_reports).
    Collect,
    /// Call this function with each report.
    Callback(Box<dyn FnMut(&GuardReport) + Send>),
}

impl GuardHandler {
    /// A [`GuardHandler::Callback`] from a closure.
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use framealloc::guard::GuardHandler;
    /// use framealloc::{ArenaConfig, FrameArena};
    ///
    /// let log = Arc::new(Mutex::new(Vec::new()));
    /// let sink = Arc::clone(&log);
    /// let handler = GuardHandler::callback(move |report| sink.lock().unwrap().push(report.to_string()));
    /// let mut arena = FrameArena::with_config(ArenaConfig::new().guard_handler(handler));
    /// arena.frame(|f| {
    ///     f.alloc(1u64);
    /// });
    /// assert!(log.lock().unwrap().is_empty()); // nothing overran
    /// ```
    pub fn callback(f: impl FnMut(&GuardReport) + Send + 'static) -> Self {
        GuardHandler::Callback(Box::new(f))
    }
}

impl fmt::Debug for GuardHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GuardHandler::Panic => "Panic",
            GuardHandler::Collect => "Collect",
            GuardHandler::Callback(_) => "Callback(..)",
        })
    }
}

/// Sends `reports` to `handler` (or `collected`).
pub(crate) fn dispatch(
    handler: &mut GuardHandler,
    collected: &mut Vec<GuardReport>,
    reports: Vec<GuardReport>,
) {
    if reports.is_empty() {
        return;
    }
    match handler {
        GuardHandler::Collect => collected.extend(reports),
        GuardHandler::Callback(f) => reports.iter().for_each(f),
        GuardHandler::Panic => panic_with(&reports),
    }
}

/// The default handler: one panic naming the first report and counting the rest.
#[cold]
#[inline(never)]
pub(crate) fn panic_with(reports: &[GuardReport]) {
    let Some(first) = reports.first() else { return };
    let more = match reports.len() - 1 {
        0 => String::new(),
        1 => " (and 1 more guard violation)".to_owned(),
        n => format!(" (and {n} more guard violations)"),
    };
    if std::thread::panicking() {
        for report in reports {
            std::eprintln!("{report}");
        }
    } else {
        panic!("{first}{more}");
    }
}

/// The first byte in `bytes` that is not the canary, as `(index, value)`.
pub(crate) fn first_damaged(bytes: &[u8]) -> Option<(usize, u8)> {
    bytes
        .iter()
        .position(|&b| b != CANARY)
        .map(|i| (i, bytes[i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(kind: GuardKind, offset: isize) -> GuardReport {
        GuardReport {
            kind,
            site: Location::caller(),
            tag: Some("physics"),
            size: 16,
            align: 8,
            frame: Some(3),
            offset,
            found: 0x2a,
            column: None,
            column_name: None,
            checked_at: GuardCheck::ScopeEnd,
        }
    }

    #[test]
    fn display_names_everything_a_person_needs() {
        let text = report(GuardKind::Overrun, 17).to_string();
        assert!(text.starts_with("frame memory overrun: the 16-byte allocation (align 8) made at "));
        assert!(text.contains("src/guard.rs"), "{text}");
        assert!(text.contains("in frame 3 (tag `physics`)"), "{text}");
        assert!(
            text.contains("byte 17, 1 bytes past the end, holds 0x2a instead of the canary 0xfd"),
            "{text}"
        );
        assert!(text.contains("found when its scope ended"), "{text}");

        let text = report(GuardKind::Underrun, -3).to_string();
        assert!(
            text.contains("the byte 3 bytes before it holds 0x2a"),
            "{text}"
        );
    }

    #[test]
    fn first_damaged_finds_the_lowest_byte() {
        assert_eq!(first_damaged(&[CANARY; 16]), None);
        let mut bytes = [CANARY; 16];
        bytes[5] = 0;
        bytes[9] = 1;
        assert_eq!(first_damaged(&bytes), Some((5, 0)));
    }
}
