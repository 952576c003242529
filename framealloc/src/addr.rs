//! Pure address arithmetic for the bump allocator.
//!
//! Everything here works on plain `usize` addresses and has no unsafe code, so it can be
//! unit- and property-tested on its own. The unsafe core in [`crate::raw`] calls these
//! functions and turns their answers into pointers.
#![forbid(unsafe_code)]

/// Bytes needed to move `addr` up to the next multiple of `align`.
///
/// `align` must be a power of two (every `Layout` alignment is); the result is below `align`.
#[inline(always)]
pub(crate) const fn pad_to_align(addr: usize, align: usize) -> usize {
    debug_assert!(align.is_power_of_two());
    addr.wrapping_neg() & (align - 1)
}

/// Where an allocation of `size` bytes aligned to `align` lands in the free range
/// `[cursor, end)`, as the offset of its start from `cursor`, or `None` when it does not fit.
///
/// Never overflows: `cursor <= end` is required, and the comparisons are done on the
/// remaining length, not on end addresses.
#[inline(always)]
pub(crate) const fn fit(cursor: usize, end: usize, size: usize, align: usize) -> Option<usize> {
    debug_assert!(cursor <= end);
    let remaining = end - cursor;
    let pad = pad_to_align(cursor, align);
    // `pad <= remaining` first, so `remaining - pad` cannot underflow.
    if pad <= remaining && size <= remaining - pad {
        Some(pad)
    } else {
        None
    }
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
    fn pad_is_distance_to_next_multiple() {
        assert_eq!(pad_to_align(0, 8), 0);
        assert_eq!(pad_to_align(1, 8), 7);
        assert_eq!(pad_to_align(8, 8), 0);
        assert_eq!(pad_to_align(9, 1), 0);
        assert_eq!(pad_to_align(usize::MAX, 2), 1);
        assert_eq!(pad_to_align(3, 1 << 29), (1 << 29) - 3);
    }

    #[test]
    fn fit_respects_both_ends() {
        assert_eq!(fit(0, 16, 16, 8), Some(0));
        assert_eq!(fit(1, 16, 8, 8), Some(7));
        assert_eq!(fit(1, 16, 9, 8), None);
        assert_eq!(fit(10, 10, 0, 1), Some(0));
        assert_eq!(fit(9, 10, 0, 8), None);
        assert_eq!(fit(0, 100, usize::MAX, 1), None);
        assert_eq!(fit(usize::MAX - 1, usize::MAX, 1, 1 << 29), None);
    }

    #[test]
    fn fit_exhaustive_small() {
        // Smaller under Miri, which interprets every iteration.
        let (cursors, sizes) = if cfg!(miri) { (9, 5) } else { (40, 20) };
        for cursor in 0..cursors {
            for end in cursor..cursors + 8 {
                for size in 0..sizes {
                    for align in [1usize, 2, 4, 8, 16, 32] {
                        let got = fit(cursor, end, size, align);
                        let start = cursor.next_multiple_of(align);
                        let want = (start + size <= end).then_some(start - cursor);
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
