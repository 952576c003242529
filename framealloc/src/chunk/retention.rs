//! [`Retention`]: how much of its chunk memory an arena keeps when a frame ends.

use std::collections::VecDeque;

/// How much of its chunk memory an arena keeps when a frame ends.
///
/// A frame loop's frames are not all alike: a level load, a crowd, a physics explosion make a
/// frame many times the usual size. Keeping every chunk ([`KeepAll`](Self::KeepAll)) holds
/// that spike's memory for the rest of the run; a fixed limit ([`UpTo`](Self::UpTo)) gives it
/// back but also gives back memory every frame of a loop larger than the limit, which then
/// asks its source again each frame. [`Adaptive`](Self::Adaptive), the default, keeps what
/// the recent frames needed:
///
/// - it remembers the furthest each of the last `frames` frames reached into the arena's
///   chunks (its high-water mark, alignment padding and chunk ends included);
/// - when a frame ends, chunks that start beyond the highest of those marks plus
///   `slack_percent` of it go back to the source; with a source that can give pages back
///   ([`VirtualSource`](crate::VirtualSource)) the pages past it in the chunk that straddles
///   it go back too;
/// - while a frame among the last `frames` reached every chunk held, nothing is given back.
///
/// So a loop whose frames never reach past what its last `frames` frames reached makes no
/// calls to its source after warm-up, as with `KeepAll`; memory a spike took is given back
/// `frames` frames after it. The per-frame cost is a compare in the reset while the frames
/// reach every chunk, and a few dozen instructions otherwise.
///
/// ```
/// use framealloc::{ArenaConfig, FrameArena, Retention};
///
/// let mut arena = FrameArena::with_config(
///     ArenaConfig::new().guards(false).retention(Retention::adaptive(10, 50)),
/// );
/// // Frames of 100 KB, and one of 8 MiB (`alloc_batch`: the room, not written).
/// let steady = |arena: &mut FrameArena| arena.frame(|f| f.alloc_batch::<u8>(100_000).len());
/// steady(&mut arena);
/// let normal = arena.stats().capacity;
/// arena.frame(|f| f.alloc_batch::<u8>(8 << 20).len()); // a spike
/// assert!(arena.stats().capacity >= 8 << 20);
/// for _ in 0..10 {
///     steady(&mut arena);
/// }
/// assert_eq!(arena.stats().capacity, normal, "the spike's chunks went back");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Retention {
    /// Keep every chunk: after warm-up the arena never calls its source, and holds what its
    /// largest frame needed for as long as it lives.
    KeepAll,
    /// Keep at most this many bytes of chunks (newest given back first). A source that can
    /// give pages back keeps a chunk that straddles the limit and gives back its pages past
    /// it instead.
    UpTo(usize),
    /// Keep what the last `frames` frames reached, plus `slack_percent` of it (see the type's
    /// documentation). Build it with [`Retention::adaptive`].
    Adaptive {
        /// How many frames back the arena remembers (at least 1, at most
        /// [`Retention::MAX_FRAMES`]).
        frames: u32,
        /// How much more than the highest recent mark is kept, in percent of it.
        slack_percent: u32,
    },
}

impl Retention {
    /// The longest window [`Adaptive`](Self::Adaptive) remembers: 65,536 frames (18 minutes
    /// at 60 frames per second). The window's memory is 16 bytes per frame at most.
    pub const MAX_FRAMES: u32 = 1 << 16;

    /// The default: adaptive over 300 frames (5 seconds at 60 frames per second) with 20%
    /// slack.
    pub const DEFAULT: Retention = Retention::adaptive(300, 20);

    /// [`Adaptive`](Self::Adaptive) over the last `frames` frames (clamped to
    /// `1..=MAX_FRAMES`), keeping `slack_percent` percent more than their highest mark.
    ///
    /// ```
    /// use framealloc::Retention;
    ///
    /// assert_eq!(Retention::adaptive(0, 25), Retention::Adaptive { frames: 1, slack_percent: 25 });
    /// assert_eq!(Retention::default(), Retention::adaptive(300, 20));
    /// ```
    pub const fn adaptive(frames: u32, slack_percent: u32) -> Self {
        let frames = if frames == 0 {
            1
        } else if frames > Self::MAX_FRAMES {
            Self::MAX_FRAMES
        } else {
            frames
        };
        Retention::Adaptive {
            frames,
            slack_percent,
        }
    }

    /// The policy [`ArenaConfig::retain_bytes`](crate::ArenaConfig::retain_bytes) names:
    /// `None` keeps everything, `Some(bytes)` keeps up to `bytes`.
    pub const fn from_limit(bytes: Option<usize>) -> Self {
        match bytes {
            None => Retention::KeepAll,
            Some(bytes) => Retention::UpTo(bytes),
        }
    }
}

impl Default for Retention {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// What a frame's end asks of the chunk list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Keep {
    /// Keep every chunk and page.
    Everything,
    /// Keep the chunks that start below `mark` (a position: bytes from the start of the first
    /// chunk, chunks laid end to end), then further chunks while they end at or below
    /// `limit`, and pages up to `limit`.
    Below { mark: usize, limit: usize },
}

/// The adaptive policy's memory of recent frames: the marks of the frames that did not reach
/// every chunk, as a monotonic queue (marks decrease from front to back, frames increase), so
/// that the highest mark of the window is the front one.
#[derive(Debug)]
pub(crate) struct Window {
    frames: u64,
    slack_percent: u32,
    /// `(frame, mark)` of recent frames that did not reach every chunk; each entry's mark is
    /// higher than every later entry's.
    marks: VecDeque<(u64, usize)>,
    /// The last frame that reached every chunk held then.
    last_full: u64,
    /// The last frame this window was told about; frames after it (or from the first, if
    /// none) and before the next one it is told about reached every chunk (the arena's reset
    /// took its quick path for them).
    last_seen: Option<u64>,
}

impl Window {
    pub(crate) fn new(frames: u32, slack_percent: u32) -> Self {
        Window {
            frames: u64::from(frames.max(1)),
            slack_percent,
            marks: VecDeque::new(),
            last_full: 0,
            last_seen: None,
        }
    }

    /// Makes room for a full window, so that no frame's end allocates. Called when the arena
    /// obtains a chunk (it is allocating then anyway); failure is harmless (the queue grows
    /// later).
    pub(crate) fn reserve(&mut self) {
        let want = usize::try_from(self.frames).unwrap_or(usize::MAX);
        if self.marks.capacity() < want {
            let _ = self.marks.try_reserve_exact(want - self.marks.len());
        }
    }

    /// Whether frames before `frame` ended without the window being told (they reached every
    /// chunk).
    pub(crate) fn skipped(&self, frame: u64) -> bool {
        match self.last_seen {
            Some(seen) => frame > seen + 1,
            // Every frame so far; the window is told about each frame that did not.
            None => frame > 0,
        }
    }

    /// Notes the end of frame `frame`, which reached every chunk (`full`) or reached
    /// position `mark` at most, and says what to keep.
    pub(crate) fn end_frame(&mut self, frame: u64, full: bool, mark: usize) -> Keep {
        if self.skipped(frame) {
            self.last_full = self.last_full.max(frame - 1);
        }
        self.last_seen = Some(frame);
        if full {
            self.last_full = frame;
            self.marks.clear();
            return Keep::Everything;
        }
        while self
            .marks
            .front()
            .is_some_and(|&(f, _)| f + self.frames <= frame || f <= self.last_full)
        {
            self.marks.pop_front();
        }
        while self.marks.back().is_some_and(|&(_, m)| m <= mark) {
            self.marks.pop_back();
        }
        self.marks.push_back((frame, mark));
        if frame - self.last_full < self.frames {
            return Keep::Everything;
        }
        let highest = self.marks.front().map_or(mark, |&(_, m)| m);
        // `highest * slack_percent / 100` without a wide division (this runs every frame for
        // virtual-memory arenas).
        let pct = self.slack_percent as usize;
        let slack = (highest / 100)
            .saturating_mul(pct)
            .saturating_add(highest % 100 * pct / 100);
        Keep::Below {
            mark: highest,
            limit: highest.saturating_add(slack),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamps() {
        assert_eq!(
            Retention::adaptive(u32::MAX, 0),
            Retention::Adaptive {
                frames: Retention::MAX_FRAMES,
                slack_percent: 0
            }
        );
        assert_eq!(Retention::from_limit(None), Retention::KeepAll);
        assert_eq!(Retention::from_limit(Some(5)), Retention::UpTo(5));
    }

    #[allow(non_snake_case)]
    fn Below(mark: usize) -> Keep {
        Keep::Below { mark, limit: mark }
    }

    #[test]
    fn keeps_everything_while_a_full_frame_is_in_the_window() {
        let mut w = Window::new(3, 0);
        assert_eq!(w.end_frame(0, true, 0), Keep::Everything);
        assert_eq!(w.end_frame(1, false, 10), Keep::Everything);
        assert_eq!(w.end_frame(2, false, 30), Keep::Everything);
        // Frame 0 leaves the window: the highest of frames 1..=3.
        assert_eq!(w.end_frame(3, false, 20), Below(30));
        assert_eq!(w.end_frame(4, false, 5), Below(30));
        // Frame 2 (30) leaves: 20 from frame 3.
        assert_eq!(w.end_frame(5, false, 5), Below(20));
        assert_eq!(w.end_frame(6, false, 5), Below(5));
    }

    #[test]
    fn frames_it_was_not_told_about_were_full() {
        let mut w = Window::new(3, 50);
        w.end_frame(0, false, 100);
        // Frames 1..=9 took the quick path: full.
        assert_eq!(w.end_frame(10, false, 10), Keep::Everything);
        assert_eq!(w.end_frame(11, false, 10), Keep::Everything);
        assert_eq!(
            w.end_frame(12, false, 10),
            Keep::Below {
                mark: 10,
                limit: 15
            }
        );
    }

    #[test]
    fn slack_saturates() {
        let mut w = Window::new(1, 1000);
        w.end_frame(0, true, 0);
        assert_eq!(
            w.end_frame(1, false, usize::MAX / 2),
            Keep::Below {
                mark: usize::MAX / 2,
                limit: usize::MAX
            }
        );
    }
}
