//! Layout facts about types, known at compile time: the [`FrameLayout`] trait, implemented by
//! `#[derive(FrameLayout)]`, and a cache-line [`report`] people can read.
//!
//! ```
//! use framealloc::layout::{report, FrameLayout};
//!
//! #[derive(FrameLayout)]
//! #[frame(max_size = 64, hot(pos, vel))]
//! struct Particle {
//!     pos: [f32; 3],
//!     vel: [f32; 3],
//!     age: u16,
//!     alive: bool,
//! }
//!
//! let info = Particle::LAYOUT;
//! assert_eq!((info.size, info.align, info.padding_bytes()), (28, 4, 1));
//! assert_eq!(info.field("vel").unwrap().offset, 12);
//! println!("{}", report::<Particle>());
//! ```

use core::fmt;
use std::vec::Vec;

#[cfg(feature = "derive")]
pub use framealloc_derive::FrameLayout;

/// Layout facts about a type, as a compile-time constant.
///
/// Implement it with `#[derive(FrameLayout)]`, which also turns layout intentions
/// (`#[frame(max_size = 64)]`, `#[frame(hot(a, b))]`, ...) into compile errors. See the
/// derive's documentation for the options.
///
/// ```
/// use framealloc::layout::{report, FrameLayout};
///
/// #[derive(FrameLayout)]
/// #[repr(C)]
/// struct Command { kind: u8, mesh: u32, transform: [f32; 16] }
///
/// let info = Command::LAYOUT; // LayoutInfo
/// assert_eq!((info.size, info.align, info.cache_line), (72, 4, 64));
/// let kind = info.field("kind").unwrap(); // FieldInfo
/// assert_eq!((kind.offset, kind.size), (0, 1));
/// let gaps = info.gaps(); // Gap
/// assert_eq!((gaps[0].offset, gaps[0].size), (1, 3));
/// assert_eq!(info.padding_bytes(), 3);
/// let map = report::<Command>(); // LayoutReport
/// assert!(map.to_string().contains("Command: 72 bytes"));
/// ```
pub trait FrameLayout {
    /// The type's layout: size, alignment and every field's offset, as the compiler laid
    /// them out.
    const LAYOUT: LayoutInfo;
}

/// The layout of a struct: what `size_of`, `align_of` and `offset_of!` say about it.
///
/// ```
/// use framealloc::layout::{report, FrameLayout};
///
/// #[derive(FrameLayout)]
/// #[repr(C)]
/// struct Command { kind: u8, mesh: u32, transform: [f32; 16] }
///
/// let info = Command::LAYOUT; // LayoutInfo
/// assert_eq!((info.size, info.align, info.cache_line), (72, 4, 64));
/// let kind = info.field("kind").unwrap(); // FieldInfo
/// assert_eq!((kind.offset, kind.size), (0, 1));
/// let gaps = info.gaps(); // Gap
/// assert_eq!((gaps[0].offset, gaps[0].size), (1, 3));
/// assert_eq!(info.padding_bytes(), 3);
/// let map = report::<Command>(); // LayoutReport
/// assert!(map.to_string().contains("Command: 72 bytes"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayoutInfo {
    /// The type's name, without generic arguments (`Slot` for `Slot<u8>`).
    pub name: &'static str,
    /// `size_of::<T>()`.
    pub size: usize,
    /// `align_of::<T>()`.
    pub align: usize,
    /// The fields, in declaration order (see [`fields_in_memory_order`](Self::fields_in_memory_order)).
    pub fields: &'static [FieldInfo],
    /// The cache-line size the facts and the report use: 64 unless `#[frame(cache_line = N)]`.
    pub cache_line: usize,
}

/// One field of a [`LayoutInfo`].
///
/// ```
/// use framealloc::layout::{report, FrameLayout};
///
/// #[derive(FrameLayout)]
/// #[repr(C)]
/// struct Command { kind: u8, mesh: u32, transform: [f32; 16] }
///
/// let info = Command::LAYOUT; // LayoutInfo
/// assert_eq!((info.size, info.align, info.cache_line), (72, 4, 64));
/// let kind = info.field("kind").unwrap(); // FieldInfo
/// assert_eq!((kind.offset, kind.size), (0, 1));
/// let gaps = info.gaps(); // Gap
/// assert_eq!((gaps[0].offset, gaps[0].size), (1, 3));
/// assert_eq!(info.padding_bytes(), 3);
/// let map = report::<Command>(); // LayoutReport
/// assert!(map.to_string().contains("Command: 72 bytes"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldInfo {
    /// The field's name; tuple fields are named by index (`"0"`, `"1"`, ...).
    pub name: &'static str,
    /// The field's type as written in the struct.
    pub type_name: &'static str,
    /// `offset_of!(T, field)`.
    pub offset: usize,
    /// `size_of` of the field's type.
    pub size: usize,
    /// `align_of` of the field's type (its natural alignment, even in a packed struct).
    pub align: usize,
}

/// A run of padding bytes inside a struct.
///
/// ```
/// use framealloc::layout::{report, FrameLayout};
///
/// #[derive(FrameLayout)]
/// #[repr(C)]
/// struct Command { kind: u8, mesh: u32, transform: [f32; 16] }
///
/// let info = Command::LAYOUT; // LayoutInfo
/// assert_eq!((info.size, info.align, info.cache_line), (72, 4, 64));
/// let kind = info.field("kind").unwrap(); // FieldInfo
/// assert_eq!((kind.offset, kind.size), (0, 1));
/// let gaps = info.gaps(); // Gap
/// assert_eq!((gaps[0].offset, gaps[0].size), (1, 3));
/// assert_eq!(info.padding_bytes(), 3);
/// let map = report::<Command>(); // LayoutReport
/// assert!(map.to_string().contains("Command: 72 bytes"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gap {
    /// Offset of the first padding byte.
    pub offset: usize,
    /// Number of padding bytes.
    pub size: usize,
}

impl FieldInfo {
    /// One past the field's last byte.
    pub const fn end(&self) -> usize {
        self.offset.saturating_add(self.size)
    }

    /// Whether the field crosses a `line`-byte boundary (a zero-sized field never does).
    pub const fn straddles(&self, line: usize) -> bool {
        let line = if line == 0 { 1 } else { line };
        self.size > 0 && self.offset / line != (self.end() - 1) / line
    }
}

impl LayoutInfo {
    /// Bytes of the type not covered by any field: padding between fields and at the end.
    pub const fn padding_bytes(&self) -> usize {
        let mut covered: usize = 0;
        let mut i = 0;
        while i < self.fields.len() {
            covered = covered.saturating_add(self.fields[i].size);
            i += 1;
        }
        self.size.saturating_sub(covered)
    }

    /// Cache lines the type spans when it starts on a line boundary (0 for a zero-sized type).
    /// A `cache_line` of 0 (possible only in a hand-written [`FrameLayout`]) counts as 1.
    pub const fn cache_lines(&self) -> usize {
        let line = if self.cache_line == 0 {
            1
        } else {
            self.cache_line
        };
        self.size.div_ceil(line)
    }

    /// The field with this name.
    pub fn field(&self, name: &str) -> Option<&'static FieldInfo> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The fields sorted by offset (the compiler may reorder fields of a `repr(Rust)` struct).
    ///
    /// ```
    /// use framealloc::layout::FrameLayout;
    ///
    /// #[derive(FrameLayout)]
    /// struct Hit { distance: f32, id: u64, flags: u8 }
    ///
    /// let info = Hit::LAYOUT;
    /// let order: Vec<_> = info.fields_in_memory_order().iter().map(|f| f.name).collect();
    /// assert_eq!(order.len(), 3);
    /// assert_eq!(info.cache_lines(), 1);
    /// assert!(info.straddling_fields().is_empty());
    /// assert!(!info.field("id").unwrap().straddles(info.cache_line));
    /// ```
    pub fn fields_in_memory_order(&self) -> Vec<FieldInfo> {
        let mut fields = self.fields.to_vec();
        fields.sort_by_key(|f| (f.offset, f.size));
        fields
    }

    /// Every run of padding bytes, in memory order.
    pub fn gaps(&self) -> Vec<Gap> {
        let mut gaps = Vec::new();
        let mut end = 0;
        for f in self.fields_in_memory_order() {
            if f.offset > end {
                gaps.push(Gap {
                    offset: end,
                    size: f.offset - end,
                });
            }
            end = end.max(f.end());
        }
        if self.size > end {
            gaps.push(Gap {
                offset: end,
                size: self.size - end,
            });
        }
        gaps
    }

    /// Fields that cross a cache-line boundary, in memory order.
    pub fn straddling_fields(&self) -> Vec<FieldInfo> {
        self.fields_in_memory_order()
            .into_iter()
            .filter(|f| f.straddles(self.cache_line))
            .collect()
    }
}

/// The layout of `T` as a cache-line map; print it with `{}`.
///
/// One block per cache line (at most 512: a longer type ends with the number of lines left
/// out), each field and each padding gap with its offset and size, a summary line, and a
/// warning for each field that straddles two cache lines.
///
/// ```
/// use framealloc::layout::{report, FrameLayout};
///
/// #[derive(FrameLayout)]
/// #[repr(C)]
/// struct Command { kind: u8, mesh: u32, transform: [f32; 16] }
///
/// let text = report::<Command>().to_string();
/// assert!(text.contains("Command: 72 bytes, align 4"));
/// assert!(text.contains("padding"));
/// assert!(text.contains("warning: `transform`"));
/// ```
pub fn report<T: FrameLayout>() -> LayoutReport {
    LayoutReport { info: T::LAYOUT }
}

/// A [`LayoutInfo`] rendered as a cache-line map by its `Display`; made by [`report`].
///
/// ```
/// use framealloc::layout::{report, FrameLayout};
///
/// #[derive(FrameLayout)]
/// #[repr(C)]
/// struct Command { kind: u8, mesh: u32, transform: [f32; 16] }
///
/// let info = Command::LAYOUT; // LayoutInfo
/// assert_eq!((info.size, info.align, info.cache_line), (72, 4, 64));
/// let kind = info.field("kind").unwrap(); // FieldInfo
/// assert_eq!((kind.offset, kind.size), (0, 1));
/// let gaps = info.gaps(); // Gap
/// assert_eq!((gaps[0].offset, gaps[0].size), (1, 3));
/// assert_eq!(info.padding_bytes(), 3);
/// let map = report::<Command>(); // LayoutReport
/// assert!(map.to_string().contains("Command: 72 bytes"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayoutReport {
    /// The facts being reported.
    pub info: LayoutInfo,
}

enum Row {
    Field(FieldInfo),
    Pad(Gap),
}

impl Row {
    fn offset(&self) -> usize {
        match self {
            Row::Field(f) => f.offset,
            Row::Pad(g) => g.offset,
        }
    }
}

impl fmt::Display for LayoutReport {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = &self.info;
        // A hand-written `FrameLayout` may hold anything: no division by zero, no overflow,
        // and at most `MAX_BLOCKS` line blocks printed.
        const MAX_BLOCKS: usize = 512;
        let line = info.cache_line.max(1);
        let padding = info.padding_bytes();
        let percent = if info.size == 0 {
            0.0
        } else {
            padding as f64 * 100.0 / info.size as f64
        };
        let lines = info.cache_lines();
        writeln!(
            out,
            "{}: {} bytes, align {}, {} padding bytes ({:.1}%), spans {} cache line{} of {} bytes",
            info.name,
            info.size,
            info.align,
            padding,
            percent,
            lines,
            if lines == 1 { "" } else { "s" },
            line
        )?;
        let mut rows: Vec<Row> = info
            .fields_in_memory_order()
            .into_iter()
            .map(Row::Field)
            .collect();
        rows.extend(info.gaps().into_iter().map(Row::Pad));
        rows.sort_by_key(|r| (r.offset(), matches!(r, Row::Pad(_))));
        let name_width = info
            .fields
            .iter()
            .map(|f| f.name.len())
            .max()
            .unwrap_or(0)
            .max(9);
        // Every line the type spans gets a block, including lines that only continue a field
        // from the line before (and a line holding only a zero-sized field at the very end).
        let last_line = rows.iter().map(|r| r.offset() / line).max();
        let blocks = last_line.map_or(0, |l| l.saturating_add(1).max(lines));
        for block in 0..blocks.min(MAX_BLOCKS) {
            writeln!(
                out,
                "  line {} [{}..{})",
                block,
                block.saturating_mul(line),
                block.saturating_add(1).saturating_mul(line)
            )?;
            let mut any = false;
            for row in rows.iter().filter(|r| r.offset() / line == block) {
                any = true;
                match row {
                    Row::Field(f) => writeln!(
                        out,
                        "    {:>5}..{:<5} {:<name_width$}  {:>5} B  align {:<3} {}",
                        f.offset,
                        f.end(),
                        f.name,
                        f.size,
                        f.align,
                        f.type_name
                    )?,
                    Row::Pad(g) => writeln!(
                        out,
                        "    {:>5}..{:<5} {:<name_width$}  {:>5} B",
                        g.offset,
                        g.offset.saturating_add(g.size),
                        "(padding)",
                        g.size
                    )?,
                }
            }
            if !any {
                let start = block.saturating_mul(line);
                let covering = rows.iter().find(|r| match r {
                    Row::Field(f) => f.offset < start && f.end() > start,
                    Row::Pad(g) => g.offset < start && g.offset.saturating_add(g.size) > start,
                });
                match covering {
                    Some(Row::Field(f)) => writeln!(
                        out,
                        "    {:>5}..{:<5} {:<name_width$}  (continued)",
                        f.offset,
                        f.end(),
                        f.name
                    )?,
                    Some(Row::Pad(g)) => writeln!(
                        out,
                        "    {:>5}..{:<5} {:<name_width$}  (continued)",
                        g.offset,
                        g.offset.saturating_add(g.size),
                        "(padding)"
                    )?,
                    None => {}
                }
            }
        }
        if blocks > MAX_BLOCKS {
            writeln!(out, "  ... {} more cache lines", blocks - MAX_BLOCKS)?;
        }
        for f in info.straddling_fields() {
            writeln!(
                out,
                "  warning: `{}` ({} B at offset {}) straddles cache lines {} and {}",
                f.name,
                f.size,
                f.offset,
                f.offset / line,
                (f.end() - 1) / line
            )?;
        }
        Ok(())
    }
}
