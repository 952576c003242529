//! Where arena memory comes from: the [`ChunkSource`] trait, its two built-in sources, and
//! the list of chunks an arena holds with its growth policy.

use core::alloc::Layout;
use core::ptr::NonNull;
use std::boxed::Box;
use std::vec::Vec;

use crate::addr;
use crate::error::AllocError;

/// Every chunk is aligned at least this much, so small allocations never pay for padding at
/// the start of a chunk.
pub(crate) const CHUNK_ALIGN: usize = 16;

/// Supplies the large blocks ("chunks") an arena carves allocations from.
///
/// An arena asks its source for a chunk only when the chunks it already holds are full, so
/// after the first frames a frame loop makes no calls to it at all.
///
/// # Safety
///
/// The arena writes to and hands out every byte of a chunk, so an implementation must
/// guarantee that a block returned by [`allocate`](ChunkSource::allocate) is valid for reads
/// and writes of `layout.size()` bytes, aligned to `layout.align()`, not used by anything
/// else until it is given back through [`deallocate`](ChunkSource::deallocate), and that
/// neither method touches the arena that owns the source.
pub unsafe trait ChunkSource: Send {
    /// Returns a block for `layout` (never zero-sized), or `None` when memory is exhausted.
    fn allocate(&self, layout: Layout) -> Option<NonNull<u8>>;

    /// Gives back a block.
    ///
    /// # Safety
    ///
    /// `ptr` was returned by [`allocate`](ChunkSource::allocate) on this source with this same
    /// `layout`, and has not been given back since.
    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout);
}

/// The default source: the global allocator (`std::alloc`).
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemSource;

// SAFETY: `std::alloc::alloc` returns a block valid for `layout` or null (mapped to `None`);
// the block is exclusively ours until `dealloc`, which receives the same layout. Neither
// touches an arena.
unsafe impl ChunkSource for SystemSource {
    fn allocate(&self, layout: Layout) -> Option<NonNull<u8>> {
        debug_assert!(layout.size() > 0);
        // SAFETY: the arena never asks for a zero-sized chunk (the trait says so; the debug
        // assertion checks it), which is `alloc`'s only precondition.
        NonNull::new(unsafe { std::alloc::alloc(layout) })
    }

    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        // SAFETY: the caller guarantees `ptr` came from `allocate` with this layout, i.e. from
        // `std::alloc::alloc(layout)`, and was not freed yet.
        unsafe { std::alloc::dealloc(ptr.as_ptr(), layout) }
    }
}

/// A source whose chunks start on a page boundary and span whole pages (4 KiB), from the
/// global allocator. Useful when chunks are handed to APIs that want page-aligned memory
/// (GPU upload staging, `mprotect`-based debugging).
#[derive(Clone, Copy, Debug, Default)]
pub struct PageSource;

impl PageSource {
    /// The page size this source aligns to.
    pub const PAGE_SIZE: usize = 4096;

    fn page_layout(layout: Layout) -> Option<Layout> {
        let align = layout.align().max(Self::PAGE_SIZE);
        let size = addr::round_up(layout.size(), Self::PAGE_SIZE)?;
        Layout::from_size_align(size, align).ok()
    }
}

// SAFETY: the block comes from `std::alloc::alloc` with a layout at least as large and as
// aligned as the one asked for, so it is valid for it; `deallocate` recomputes the same page
// layout from the same input layout, so `dealloc` receives the layout `alloc` did.
unsafe impl ChunkSource for PageSource {
    fn allocate(&self, layout: Layout) -> Option<NonNull<u8>> {
        let page = Self::page_layout(layout)?;
        // SAFETY: `page.size() >= layout.size() > 0`.
        NonNull::new(unsafe { std::alloc::alloc(page) })
    }

    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        let page =
            Self::page_layout(layout).expect("a layout that was allocated has a page layout");
        // SAFETY: `ptr` came from `allocate(layout)`, i.e. from `alloc(page)` with this same
        // `page`, and the caller guarantees it was not freed yet.
        unsafe { std::alloc::dealloc(ptr.as_ptr(), page) }
    }
}

/// One block obtained from the source.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Chunk {
    /// Start of the block; aligned to `layout.align() >= CHUNK_ALIGN`.
    pub(crate) start: NonNull<u8>,
    /// The layout it was obtained with; `layout.size()` bytes from `start` belong to the arena.
    pub(crate) layout: Layout,
}

impl Chunk {
    #[inline]
    pub(crate) fn size(&self) -> usize {
        self.layout.size()
    }

    /// Whether an allocation of `size` bytes aligned to `align` fits at the start of this chunk.
    pub(crate) fn fits_from_start(&self, size: usize, align: usize) -> bool {
        let start = self.start.as_ptr().addr();
        addr::bump(start, start + self.size(), size, align).is_some()
    }
}

/// The chunks an arena holds, in the order the arena fills them, and the policy that sizes
/// new ones: `first` bytes, doubling with each chunk held, capped at `max`; an allocation
/// larger than that gets a chunk of its own size.
pub(crate) struct ChunkList {
    chunks: Vec<Chunk>,
    source: Box<dyn ChunkSource>,
    first: usize,
    max: usize,
    /// Sum of the sizes of `chunks`.
    capacity: usize,
}

impl ChunkList {
    pub(crate) fn new(source: Box<dyn ChunkSource>, first: usize, max: usize) -> Self {
        debug_assert!(first > 0 && max >= first);
        ChunkList {
            chunks: Vec::new(),
            source,
            first,
            max,
            capacity: 0,
        }
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.chunks.len()
    }

    #[inline]
    pub(crate) fn get(&self, index: usize) -> Option<&Chunk> {
        self.chunks.get(index)
    }

    #[inline]
    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    /// Makes chunk `index` (at most `self.len()`) one that can hold `size` bytes aligned to
    /// `align` from its start. Chunks before `index` are not moved.
    ///
    /// Prefers a chunk already held at `index` or after it (moved into place), and otherwise
    /// obtains a new one from the source and inserts it at `index`.
    pub(crate) fn prepare(
        &mut self,
        index: usize,
        size: usize,
        align: usize,
    ) -> Result<(), AllocError> {
        debug_assert!(index <= self.chunks.len());
        if let Some(found) = self.chunks[index..]
            .iter()
            .position(|c| c.fits_from_start(size, align))
        {
            self.chunks.swap(index, index + found);
            return Ok(());
        }
        let policy = addr::policy_chunk_size(self.first, self.max, self.chunks.len());
        let needed = addr::round_up(size, CHUNK_ALIGN).ok_or(AllocError::LayoutOverflow)?;
        let layout = Layout::from_size_align(policy.max(needed), align.max(CHUNK_ALIGN))
            .map_err(|_| AllocError::LayoutOverflow)?;
        self.chunks
            .try_reserve(1)
            .map_err(|_| AllocError::OutOfMemory {
                requested: core::mem::size_of::<Chunk>(),
            })?;
        let start = self
            .source
            .allocate(layout)
            .ok_or(AllocError::OutOfMemory {
                requested: layout.size(),
            })?;
        debug_assert!(
            start.as_ptr().addr().is_multiple_of(layout.align()),
            "chunk source returned a misaligned block"
        );
        self.chunks.insert(index, Chunk { start, layout });
        self.capacity += layout.size();
        Ok(())
    }

    /// Gives chunks back to the source, last first, until at most `retain` bytes are held.
    pub(crate) fn release_above(&mut self, retain: usize) {
        while self.capacity > retain {
            let Some(chunk) = self.chunks.pop() else {
                break;
            };
            self.capacity -= chunk.size();
            // SAFETY: the chunk was obtained from this source with this layout in `prepare`,
            // and popping it from the list means it is given back exactly once.
            unsafe { self.source.deallocate(chunk.start, chunk.layout) };
        }
    }
}

impl Drop for ChunkList {
    fn drop(&mut self) {
        self.release_above(0);
    }
}

impl core::fmt::Debug for ChunkList {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ChunkList")
            .field("chunks", &self.chunks.len())
            .field("capacity", &self.capacity)
            .field("first", &self.first)
            .field("max", &self.max)
            .finish_non_exhaustive()
    }
}
