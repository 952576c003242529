//! [`VirtualSource`]: chunks carved from reserved address space, whose pages the system backs
//! as they are touched and takes back when the arena's retention gives them up.

use core::alloc::Layout;
use core::ptr::NonNull;
use std::borrow::Cow;
use std::string::String;

use super::{ChunkSource, PageSource};
use crate::addr;

/// A source of huge, lazily backed chunks: each chunk is a reserved range of address space
/// (64 GiB by default) that the system backs with memory page by page as the arena's cursor
/// first touches it, with a guard page past its end.
///
/// With it, a frame of any size is one contiguous chunk: the arena never moves on to a
/// second chunk, and a 1 GiB frame resets as quickly as a 64 KiB one. Pages past what the
/// arena's [`Retention`](crate::Retention) keeps are given back with `madvise(MADV_DONTNEED)`
/// at a frame's end, so resident memory follows recent frames instead of the largest one.
///
/// Use it through [`ArenaConfig::virtual_memory`](crate::ArenaConfig::virtual_memory), which
/// also sizes the arena's chunks to the reservation.
///
/// On Linux (outside Miri) the range is mapped with `mmap(MAP_PRIVATE | MAP_ANONYMOUS |
/// MAP_NORESERVE)`, which reserves address space without charging it to the system's commit
/// limit: a page is committed when it is first written. Under strict overcommit
/// (`vm.overcommit_memory = 2`) the kernel charges the whole range, and a large reservation
/// fails with [`AllocError::OutOfMemory`](crate::AllocError::OutOfMemory): reserve less there.
/// [`huge_pages`](Self::huge_pages) asks for transparent huge pages (`MADV_HUGEPAGE`).
///
/// Elsewhere (other systems, and Miri, which cannot map memory) it falls back to page-aligned
/// chunks of the requested size ([`PageSource`]) and says why in
/// [`fallback_reason`](Self::fallback_reason) and [`describe`](ChunkSource::describe).
///
/// ```
/// use framealloc::{ArenaConfig, ChunkSource, FrameArena, VirtualSource};
///
/// let source = VirtualSource::new(1 << 30);
/// println!("{}", source.describe());
/// let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false).virtual_memory(source));
/// arena.frame(|f| {
///     let big = f.alloc_batch::<u8>(4 << 20); // pages are backed as they are written
///     big[0].write(1);
///     big[(4 << 20) - 1].write(1);
///     assert_eq!(big.len(), 4 << 20);
/// });
/// if VirtualSource::new(1 << 30).is_virtual() {
///     assert_eq!(arena.stats().chunks, 1);
///     assert_eq!(arena.stats().capacity, 1 << 30);
/// }
/// ```
#[derive(Clone, Debug)]
pub struct VirtualSource {
    reserve: usize,
    huge_pages: bool,
    fallback: Option<String>,
}

impl VirtualSource {
    /// The default reservation per chunk: 64 GiB of address space (a 47-bit address space
    /// holds two thousand of them).
    pub const DEFAULT_RESERVE: usize = 64 << 30;

    /// The page size ranges are rounded to and discarded in.
    pub const PAGE_SIZE: usize = PageSource::PAGE_SIZE;

    /// A source whose chunks reserve `reserve` bytes of address space each (rounded up to
    /// whole pages, at least one page).
    ///
    /// ```
    /// use framealloc::VirtualSource;
    ///
    /// let source = VirtualSource::new(1000);
    /// assert_eq!(source.reserve(), 4096);
    /// if let Some(why) = source.fallback_reason() {
    ///     println!("no virtual memory here: {why}");
    /// }
    /// ```
    pub fn new(reserve: usize) -> Self {
        let reserve = addr::round_up(reserve.max(1), Self::PAGE_SIZE)
            .unwrap_or(crate::ArenaConfig::LARGEST_CHUNK & !(Self::PAGE_SIZE - 1))
            .min(crate::ArenaConfig::LARGEST_CHUNK & !(Self::PAGE_SIZE - 1));
        VirtualSource {
            reserve,
            huge_pages: false,
            fallback: os::fallback_reason(),
        }
    }

    /// Asks the system to back the chunks with transparent huge pages (2 MiB on x86-64), which
    /// saves page faults and TLB misses on large frames, at the cost of memory in 2 MiB steps.
    /// Off by default; the system may ignore it (`/sys/kernel/mm/transparent_hugepage`).
    pub fn huge_pages(mut self, on: bool) -> Self {
        self.huge_pages = on;
        self
    }

    /// The bytes each chunk reserves.
    pub fn reserve(&self) -> usize {
        self.reserve
    }

    /// Whether chunks are reserved address space (`false`: the fallback).
    pub fn is_virtual(&self) -> bool {
        self.fallback.is_none()
    }

    /// Why chunks are not reserved address space, if they are not.
    pub fn fallback_reason(&self) -> Option<&str> {
        self.fallback.as_deref()
    }

    /// Whether a chunk for `layout` is a mapping of its own (rather than the fallback's):
    /// this source maps, and the alignment is no more than a page's.
    fn maps(&self, layout: Layout) -> bool {
        self.fallback.is_none() && layout.align() <= Self::PAGE_SIZE
    }
}

impl Default for VirtualSource {
    fn default() -> Self {
        Self::new(Self::DEFAULT_RESERVE)
    }
}

// SAFETY: a mapped chunk is a fresh private anonymous mapping of at least `layout.size()`
// bytes, readable and writable, page-aligned (so aligned to any `layout.align() <= 4096`;
// larger alignments take the fallback), owned by this chunk alone until `deallocate` unmaps
// exactly that mapping (its length follows from the same layout). Discarding pages keeps the
// range mapped and writable; its contents read as zero afterwards. The fallback is
// `PageSource`, which upholds the contract; `maps` decides the same way for a layout in
// `allocate` and `deallocate`.
unsafe impl ChunkSource for VirtualSource {
    fn allocate(&self, layout: Layout) -> Option<NonNull<u8>> {
        if !self.maps(layout) {
            return PageSource.allocate(layout);
        }
        let len = addr::round_up(layout.size(), Self::PAGE_SIZE)?;
        os::map(len, self.huge_pages)
    }

    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        if !self.maps(layout) {
            // SAFETY: the caller guarantees `ptr` came from `allocate(layout)`, which for this
            // layout is `PageSource.allocate(layout)`, and was not given back.
            return unsafe { PageSource.deallocate(ptr, layout) };
        }
        let len = addr::round_up(layout.size(), Self::PAGE_SIZE)
            .expect("a layout that was mapped has a page-rounded size");
        // SAFETY: `ptr` came from `os::map(len, ..)` in `allocate` with this same `len`, and
        // the caller guarantees it was not given back yet.
        unsafe { os::unmap(ptr, len) }
    }

    fn describe(&self) -> Cow<'static, str> {
        match &self.fallback {
            None => Cow::Owned(format!(
                "virtual memory ({} MiB reserved per chunk{})",
                self.reserve >> 20,
                if self.huge_pages {
                    ", transparent huge pages"
                } else {
                    ""
                }
            )),
            Some(why) => Cow::Owned(format!("page-aligned fallback for virtual memory: {why}")),
        }
    }

    fn can_discard(&self) -> bool {
        self.fallback.is_none()
    }

    unsafe fn discard(&self, ptr: NonNull<u8>, layout: Layout, offset: usize) {
        // The same page-wise give-back as the other sources (a mapping's pages are private
        // anonymous memory).
        // SAFETY: forwarded from the caller: `[ptr, ptr + size)` is one block of this source,
        // `offset <= size`, and nothing from `ptr + offset` on is used before it is written.
        unsafe { super::pages::discard(ptr, layout.size(), offset) }
    }
}

/// The operating-system side of [`VirtualSource`].
#[cfg(all(target_os = "linux", not(miri)))]
mod os {
    use core::ptr::NonNull;
    use std::string::String;

    use super::VirtualSource;

    pub(super) fn fallback_reason() -> Option<String> {
        None
    }

    /// Maps `len` bytes (a whole number of pages) readable and writable, without reserving
    /// commit charge, followed by one inaccessible guard page.
    pub(super) fn map(len: usize, huge_pages: bool) -> Option<NonNull<u8>> {
        let total = len.checked_add(VirtualSource::PAGE_SIZE)?;
        // SAFETY: a fresh anonymous private mapping at an address the kernel picks: it
        // touches no existing memory.
        let base = unsafe {
            libc::mmap(
                core::ptr::null_mut(),
                total,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if base == libc::MAP_FAILED {
            return None;
        }
        let base = base.cast::<u8>();
        let guard = base.wrapping_add(len);
        // SAFETY: `[guard, guard + PAGE_SIZE)` is the last page of the mapping just made,
        // which nothing uses; making it inaccessible turns an overrun into a fault.
        let protected =
            unsafe { libc::mprotect(guard.cast(), VirtualSource::PAGE_SIZE, libc::PROT_NONE) };
        if protected != 0 {
            // SAFETY: the whole mapping made above, unused.
            unsafe { libc::munmap(base.cast(), total) };
            return None;
        }
        if huge_pages {
            // Advice only: a kernel without transparent huge pages refuses it, which is fine.
            // SAFETY: the usable part of the mapping made above; advice does not change
            // what the memory holds.
            unsafe { libc::madvise(base.cast(), len, libc::MADV_HUGEPAGE) };
        }
        NonNull::new(base)
    }

    /// Unmaps a mapping `map(len, ..)` returned, guard page included.
    ///
    /// # Safety
    ///
    /// `ptr` came from `map(len, ..)` and is not used again.
    pub(super) unsafe fn unmap(ptr: NonNull<u8>, len: usize) {
        // SAFETY: the caller's guarantee: this is exactly the mapping `map` made, `len` plus
        // its guard page, and nothing uses it again.
        let rc = unsafe { libc::munmap(ptr.as_ptr().cast(), len + VirtualSource::PAGE_SIZE) };
        debug_assert_eq!(rc, 0, "munmap of a chunk failed");
    }
}

#[cfg(not(all(target_os = "linux", not(miri))))]
mod os {
    use core::ptr::NonNull;
    use std::string::String;

    pub(super) fn fallback_reason() -> Option<String> {
        Some(if cfg!(miri) {
            "Miri cannot map memory".into()
        } else {
            "virtual-memory chunks are implemented on Linux only".into()
        })
    }

    pub(super) fn map(_len: usize, _huge_pages: bool) -> Option<NonNull<u8>> {
        None
    }

    pub(super) unsafe fn unmap(_ptr: NonNull<u8>, _len: usize) {}
}
