//! Pure address arithmetic for the bump allocator.
//!
//! Everything here works on plain `usize` addresses and has no unsafe code, so it can be
//! unit- and property-tested on its own. The unsafe core in [`crate::raw`] calls these
//! functions and turns their answers into pointers.
#![forbid(unsafe_code)]

use core::ptr::NonNull;

/// The pointer every zero-sized block gets: non-null, aligned to `align` (the address is
/// `align` itself), and without provenance, since nothing is ever read or written through it.
#[inline]
pub(crate) fn dangling(align: usize) -> NonNull<u8> {
    NonNull::new(core::ptr::without_provenance_mut(align)).expect("alignments are non-zero")
}

/// The highest address a chunk may reach (its last byte plus one): on 64-bit targets
/// `isize::MAX`, which no mainstream operating system hands to a user process (the upper
/// half is the kernel's), so that [`bump`]'s typed path needs no carry check; elsewhere
/// (32-bit targets routinely use the upper half) any address. A chunk source that returns
/// a block reaching past it gets the block refused (see `ChunkList::prepare`).
pub(crate) const ADDRESS_LIMIT: usize = if cfg!(target_pointer_width = "64") {
    isize::MAX as usize
} else {
    usize::MAX
};

/// Where an allocation of `size` bytes aligned to `align`, placed at the first aligned
/// address at or after `cursor`, ends: the new cursor, or `None` when that is past `end`.
/// The allocation starts at `new_cursor - size`.
///
/// Requires `1 <= cursor <= ADDRESS_LIMIT` (cursors are non-null pointers into chunks, or
/// the sentinel 1), `align` a power of two and `size <= isize::MAX` (every `Layout` size
/// is). An `end` below `cursor` fits nothing: a guarded arena
/// sets its fast-path end to 0 so that every request takes the cold path. Never overflows.
///
/// # Performance
///
/// The cursor is a loop-carried value in an allocation loop, so what matters is the chain of
/// operations from the old cursor to the new one. When `size` is a multiple of `align` (every
/// Rust type's size is a multiple of its alignment, so every typed allocation, and with a
/// constant layout this is decided at compile time), the aligned start plus `size` is
/// `cursor + size + align - 1` rounded down to `align`: an add and an and on the chain (just
/// the add when `align` is 1), and the compare against the end beside it. On 64-bit targets
/// that addition cannot wrap (`cursor <= isize::MAX` and `size + align - 1 <= isize::MAX`),
/// so it has no carry check; elsewhere it is checked. Other layouts take
/// `((cursor - 1) | (align - 1)) + 1 + size`, one operation longer.
#[inline(always)]
pub(crate) const fn bump(cursor: usize, end: usize, size: usize, align: usize) -> Option<usize> {
    debug_assert!(cursor >= 1 && cursor <= ADDRESS_LIMIT && align.is_power_of_two());
    debug_assert!(size <= isize::MAX as usize);
    if size & (align - 1) == 0 {
        // `size + align - 1` cannot wrap, and is at most `isize::MAX`: `size` is a multiple of
        // `align` no larger than `isize::MAX`, so at most `isize::MAX + 1 - align`. round_up(cursor, align) + size == round_down(cursor + size +
        // align - 1, align), because `size` is a multiple of `align`.
        let sum = if ADDRESS_LIMIT <= isize::MAX as usize {
            // Both terms are at most `isize::MAX`, so the sum is below `usize::MAX`.
            Some(cursor + (size + (align - 1)))
        } else {
            cursor.checked_add(size + (align - 1))
        };
        match sum {
            Some(sum) => {
                let new = sum & !(align - 1);
                if new <= end {
                    Some(new)
                } else {
                    None
                }
            }
            None => None,
        }
    } else {
        // The aligned start, minus one: `cursor - 1` rounded up to one below a multiple of
        // `align`; it only sets low bits, and `size + 1` cannot wrap.
        let before_start = (cursor - 1) | (align - 1);
        match before_start.checked_add(size + 1) {
            Some(new) if new <= end => Some(new),
            _ => None,
        }
    }
}

/// `range` as `start..end` within `0..len`, or a panic that names the container (`who`) and
/// the bad bound: the range check of every container's `drain` and range methods.
#[track_caller]
pub(crate) fn checked_range(
    who: &'static str,
    range: impl core::ops::RangeBounds<usize>,
    len: usize,
) -> (usize, usize) {
    use core::ops::Bound;
    let start = match range.start_bound() {
        Bound::Included(&s) => Some(s),
        Bound::Excluded(&s) => s.checked_add(1),
        Bound::Unbounded => Some(0),
    };
    let end = match range.end_bound() {
        Bound::Included(&e) => e.checked_add(1),
        Bound::Excluded(&e) => Some(e),
        Bound::Unbounded => Some(len),
    };
    match (start, end) {
        (Some(start), Some(end)) if start <= end && end <= len => (start, end),
        (Some(start), Some(end)) if start > end => range_panic(
            who,
            format_args!("range starts at {start} but ends at {end}"),
        ),
        (Some(_), Some(end)) => range_panic(
            who,
            format_args!("range end {end} is out of bounds of a container of length {len}"),
        ),
        _ => range_panic(who, format_args!("range bound overflows usize")),
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn range_panic(who: &str, why: core::fmt::Arguments<'_>) -> ! {
    panic!("{who}: {why}")
}

/// Rounds `n` up to a multiple of `align` (a power of two), or `None` on overflow.
#[inline]
pub(crate) const fn round_up(n: usize, align: usize) -> Option<usize> {
    debug_assert!(align.is_power_of_two());
    match n.checked_add(align - 1) {
        Some(v) => Some(v & !(align - 1)),
        None => None,
    }
}

/// Size of the `index`-th chunk (0-based) under the growth policy: `first` doubling each
/// time, capped at `max`.
#[inline]
pub(crate) const fn policy_chunk_size(first: usize, max: usize, index: usize) -> usize {
    if index >= usize::BITS as usize {
        return max;
    }
    match first.checked_shl(index as u32) {
        // `checked_shl` only rejects shift amounts, so detect bits shifted out by hand.
        Some(v) if v >> index == first && v <= max => v,
        _ => max,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bump_respects_both_ends() {
        assert_eq!(bump(16, 32, 16, 8), Some(32));
        assert_eq!(bump(17, 40, 8, 8), Some(32));
        assert_eq!(bump(17, 40, 17, 8), None);
        assert_eq!(bump(10, 10, 0, 1), Some(10));
        assert_eq!(bump(9, 10, 0, 8), None);
        assert_eq!(bump(1, 100, isize::MAX as usize, 1), None);
        assert_eq!(
            bump(1, usize::MAX, isize::MAX as usize, 1),
            Some(isize::MAX as usize + 1)
        );
        // At the highest cursor allowed, with the largest sizes, against exact arithmetic:
        // no sum wraps into a small address that would pass the end check.
        let exact = |cursor: usize, end: usize, size: usize, align: usize| {
            let new = (cursor as u128).next_multiple_of(align as u128) + size as u128;
            (new <= end as u128).then_some(new as usize)
        };
        let top = ADDRESS_LIMIT;
        let max_size = |align: usize| (isize::MAX as usize) & !(align - 1);
        for cursor in [top, top - 1, top - 7, top / 2] {
            for end in [cursor, top, usize::MAX - 1, usize::MAX] {
                for align in [1usize, 8, 1 << 29] {
                    for size in [0, 1, align, max_size(align), max_size(align) - align] {
                        assert_eq!(
                            bump(cursor, end, size, align),
                            exact(cursor, end, size, align),
                            "cursor {cursor:#x} end {end:#x} size {size:#x} align {align}"
                        );
                    }
                }
            }
        }
        // A guarded arena's fast-path end of 0 fits nothing, not even a zero-sized request.
        assert_eq!(bump(1, 0, 0, 1), None);
        assert_eq!(bump(4096, 0, 8, 8), None);
        assert_eq!(bump(top, 0, 0, 1), None);
    }

    #[test]
    fn bump_exhaustive_small() {
        // Smaller under Miri, which interprets every iteration.
        let (cursors, sizes) = if cfg!(miri) { (9, 5) } else { (40, 20) };
        for cursor in 1..cursors {
            for end in 0..cursors + 8 {
                for size in 0..sizes {
                    for align in [1usize, 2, 4, 8, 16, 32] {
                        let got = bump(cursor, end, size, align);
                        let start = cursor.next_multiple_of(align);
                        let want = (start + size <= end).then_some(start + size);
                        assert_eq!(
                            got, want,
                            "cursor {cursor} end {end} size {size} align {align}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn round_up_overflows_to_none() {
        assert_eq!(round_up(0, 16), Some(0));
        assert_eq!(round_up(17, 16), Some(32));
        assert_eq!(round_up(usize::MAX, 16), None);
    }

    #[test]
    fn policy_doubles_then_caps() {
        let sizes: Vec<_> = (0..7)
            .map(|i| policy_chunk_size(64 << 10, 1 << 20, i))
            .collect();
        assert_eq!(
            sizes,
            [
                64 << 10,
                128 << 10,
                256 << 10,
                512 << 10,
                1 << 20,
                1 << 20,
                1 << 20
            ]
        );
        assert_eq!(policy_chunk_size(1 << 40, usize::MAX, 40), usize::MAX);
        assert_eq!(policy_chunk_size(3, usize::MAX, 200), usize::MAX);
    }
}
