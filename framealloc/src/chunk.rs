//! Where arena memory comes from: the [`ChunkSource`] trait, its built-in sources, and
//! the list of chunks an arena holds with its growth and [`Retention`] policies.

use core::alloc::Layout;
use core::ptr::NonNull;
use std::borrow::Cow;
use std::boxed::Box;
use std::string::String;
use std::vec::Vec;

use crate::addr;
use crate::error::AllocError;
mod retention;
mod virtual_memory;
pub use retention::Retention;
use retention::{Keep, Window};
pub use virtual_memory::VirtualSource;

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
///
/// On 64-bit targets a block that reaches into the upper half of the address space (which
/// no mainstream operating system gives a user process) is given back unused at once and
/// counts as no memory: the arena's bump relies on its cursor staying below that.
///
/// A source that counts the chunks it hands out:
///
/// ```
/// use core::alloc::Layout;
/// use core::ptr::NonNull;
/// use framealloc::{ArenaConfig, ChunkSource, FrameArena, SystemSource};
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
///
/// /// Counts the chunks it hands out, from the system allocator.
/// struct Counting(Arc<AtomicUsize>);
///
/// // SAFETY: every call is forwarded to `SystemSource`, which upholds the contract; the
/// // counter touches no arena.
/// unsafe impl ChunkSource for Counting {
///     fn allocate(&self, layout: Layout) -> Option<NonNull<u8>> {
///         self.0.fetch_add(1, Ordering::Relaxed);
///         SystemSource.allocate(layout)
///     }
///     unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
///         // SAFETY: forwarded from the caller: `ptr` came from `allocate(layout)`.
///         unsafe { SystemSource.deallocate(ptr, layout) }
///     }
/// }
///
/// let chunks = Arc::new(AtomicUsize::new(0));
/// let mut arena = FrameArena::with_config(ArenaConfig::new().source(Counting(chunks.clone())));
/// for _ in 0..10 {
///     arena.frame(|f| { f.alloc_slice_fill_copy(1000, 0u64); });
/// }
/// assert_eq!(chunks.load(Ordering::Relaxed), 1, "chunks are kept across frames");
/// ```
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

    /// A short description of where chunks come from, shown in statistics (for example
    /// whether a [`NumaSource`] is bound to its node or fell back).
    fn describe(&self) -> Cow<'static, str> {
        Cow::Borrowed("custom chunk source")
    }

    /// Whether [`discard`](ChunkSource::discard) gives memory back. When it does, an arena
    /// whose [`Retention`] gives memory back discards the pages of the
    /// chunks it keeps past what recent frames needed, and the pages of each chunk it returns
    /// before returning it (an allocator may keep a freed block's pages in the process). The
    /// default is `false`; the built-in sources say `true` on Linux.
    fn can_discard(&self) -> bool {
        false
    }

    /// Tells the source that the bytes of a block from `offset` to its end hold nothing the
    /// arena needs: a source may give their physical pages back to the system. The block
    /// stays the arena's and valid for reads and writes; what those bytes read as afterwards
    /// is unspecified (zero, or what they held). The default does nothing.
    ///
    /// # Safety
    ///
    /// `ptr` was returned by [`allocate`](ChunkSource::allocate) on this source with this same
    /// `layout` and has not been given back, `offset <= layout.size()`, and no reference to
    /// any byte from `offset` on is used again before it is written.
    unsafe fn discard(&self, ptr: NonNull<u8>, layout: Layout, offset: usize) {
        let _ = (ptr, layout, offset);
    }
}

/// The default source: the global allocator (`std::alloc`).
///
/// ```
/// use framealloc::{ArenaConfig, ChunkSource, FrameArena, SystemSource};
///
/// let mut arena = FrameArena::with_config(ArenaConfig::new().source(SystemSource));
/// assert_eq!(arena.frame(|f| *f.alloc(3u8)), 3);
/// assert_eq!(SystemSource.describe(), "system allocator");
/// ```
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

    fn describe(&self) -> Cow<'static, str> {
        Cow::Borrowed("system allocator")
    }

    fn can_discard(&self) -> bool {
        pages::CAN_DISCARD
    }

    unsafe fn discard(&self, ptr: NonNull<u8>, layout: Layout, offset: usize) {
        // SAFETY: forwarded from the caller: `[ptr + offset, ptr + size)` is this block's and
        // holds nothing in use.
        unsafe { pages::discard(ptr, layout.size(), offset) }
    }
}

/// A source whose chunks start on a page boundary and span whole pages (4 KiB), from the
/// global allocator. Useful when chunks are handed to APIs that want page-aligned memory
/// (GPU upload staging, `mprotect`-based debugging).
///
/// ```
/// use framealloc::{ArenaConfig, FrameArena, PageSource};
///
/// let mut arena = FrameArena::with_config(ArenaConfig::new().source(PageSource));
/// arena.frame(|f| {
///     let first = f.alloc(0u8) as *const u8 as usize;
///     assert_eq!(first % PageSource::PAGE_SIZE, 0, "a chunk starts on a page boundary");
/// });
/// ```
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

    fn describe(&self) -> Cow<'static, str> {
        Cow::Borrowed("page-aligned (4 KiB pages)")
    }

    fn can_discard(&self) -> bool {
        pages::CAN_DISCARD
    }

    unsafe fn discard(&self, ptr: NonNull<u8>, layout: Layout, offset: usize) {
        // SAFETY: forwarded from the caller: `[ptr + offset, ptr + size)` is this block's and
        // holds nothing in use.
        unsafe { pages::discard(ptr, layout.size(), offset) }
    }
}

/// Giving the pages of a block's unused part back to the system.
mod pages {
    use core::ptr::NonNull;

    /// Whether [`discard`] gives pages back (Linux outside Miri).
    pub(super) const CAN_DISCARD: bool = cfg!(all(target_os = "linux", not(miri)));

    /// Gives back the whole pages inside `[ptr + offset, ptr + len)` with
    /// `madvise(MADV_DONTNEED)`: they read as zero when next touched. Bytes outside the range
    /// (an allocator's headers around the block) are on other pages and untouched.
    ///
    /// # Safety
    ///
    /// `[ptr, ptr + len)` is one block the caller owns, `offset <= len`, and nothing from
    /// `ptr + offset` on is used again before it is written.
    #[cfg_attr(not(all(target_os = "linux", not(miri))), allow(unused_variables))]
    pub(super) unsafe fn discard(ptr: NonNull<u8>, len: usize, offset: usize) {
        #[cfg(all(target_os = "linux", not(miri)))]
        {
            const PAGE: usize = super::PageSource::PAGE_SIZE;
            let start = ptr.as_ptr().addr();
            let Some(from) = start
                .checked_add(offset)
                .and_then(|a| crate::addr::round_up(a, PAGE))
            else {
                return;
            };
            let to = (start + len) & !(PAGE - 1);
            if from < to {
                // SAFETY: `[from, to)` is whole pages inside `[ptr + offset, ptr + len)`,
                // which the caller owns and no longer needs; on the private anonymous memory
                // allocators hand out, `MADV_DONTNEED` drops the pages and keeps the range
                // valid, zero-filled on the next touch. The pointer is derived from `ptr`.
                unsafe {
                    libc::madvise(
                        ptr.as_ptr().wrapping_add(from - start).cast(),
                        to - from,
                        libc::MADV_DONTNEED,
                    )
                };
            }
        }
    }
}

/// A source whose chunks are page-aligned and, on Linux, bound to one NUMA node with the
/// kernel's memory-policy call (`mbind(2)` with `MPOL_BIND`), so the threads of that node
/// touch local memory.
///
/// Where binding cannot help or cannot be done, it falls back to plain page-aligned chunks
/// ([`PageSource`]) and says why in [`fallback_reason`](Self::fallback_reason) and in
/// [`describe`](ChunkSource::describe) (which `SmartAlloc`'s statistics show): on a machine
/// with one NUMA node, for a node that is not online, and on other systems than Linux. A
/// chunk whose `mbind` call fails is still handed out (unbound) and counted in
/// [`bind_failures`](Self::bind_failures).
///
/// ```
/// use framealloc::{ChunkSource, NumaSource};
///
/// let source = NumaSource::new(0);
/// if let Some(why) = source.fallback_reason() {
///     println!("not bound: {why}");
/// }
/// assert!(source.describe().contains("NUMA node 0"));
/// ```
#[derive(Debug)]
pub struct NumaSource {
    node: usize,
    fallback: Option<String>,
    bind_failures: core::sync::atomic::AtomicUsize,
}

impl NumaSource {
    /// A source for node `node`, bound if the machine has more than one NUMA node and `node`
    /// is online.
    ///
    /// ```
    /// use framealloc::{ArenaConfig, FrameArena, NumaSource};
    ///
    /// let source = NumaSource::new(0);
    /// assert_eq!(source.node(), 0);
    /// if !source.is_bound() {
    ///     // Not Linux, or one node only: chunks come from the system allocator, and it says why.
    ///     println!("fallback: {:?}", source.fallback_reason());
    /// }
    /// let mut arena = FrameArena::with_config(ArenaConfig::new().source(source));
    /// arena.frame(|f| assert_eq!(*f.alloc(3u8), 3));
    /// ```
    pub fn new(node: usize) -> Self {
        NumaSource {
            node,
            fallback: numa::fallback_reason(node),
            bind_failures: core::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// The node chunks are meant for.
    pub fn node(&self) -> usize {
        self.node
    }

    /// Whether chunks are bound to the node.
    pub fn is_bound(&self) -> bool {
        self.fallback.is_none()
    }

    /// Why chunks are not bound, if they are not.
    pub fn fallback_reason(&self) -> Option<&str> {
        self.fallback.as_deref()
    }

    /// How many chunks were handed out unbound because the kernel refused to bind them.
    pub fn bind_failures(&self) -> usize {
        self.bind_failures
            .load(core::sync::atomic::Ordering::Relaxed)
    }
}

impl Clone for NumaSource {
    fn clone(&self) -> Self {
        NumaSource {
            node: self.node,
            fallback: self.fallback.clone(),
            bind_failures: core::sync::atomic::AtomicUsize::new(0),
        }
    }
}

// SAFETY: chunks come from `PageSource`, which upholds the contract; binding only changes
// which physical memory backs the pages, not their validity, and `deallocate` hands the
// same layout back to `PageSource`.
unsafe impl ChunkSource for NumaSource {
    fn allocate(&self, layout: Layout) -> Option<NonNull<u8>> {
        let block = PageSource.allocate(layout)?;
        if self.fallback.is_none() {
            let len = PageSource::page_layout(layout)?.size();
            if !numa::bind(block, len, self.node) {
                self.bind_failures
                    .fetch_add(1, core::sync::atomic::Ordering::Relaxed);
            }
        }
        Some(block)
    }

    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        // SAFETY: `ptr` came from `PageSource.allocate(layout)` in `allocate`, and the caller
        // guarantees it was not given back yet.
        unsafe { PageSource.deallocate(ptr, layout) }
    }

    fn describe(&self) -> Cow<'static, str> {
        match &self.fallback {
            None => Cow::Owned(format!("NUMA node {} (bound with mbind)", self.node)),
            Some(why) => Cow::Owned(format!(
                "NUMA node {} not bound, page-aligned fallback: {why}",
                self.node
            )),
        }
    }
}

/// The operating-system side of [`NumaSource`].
mod numa {
    use core::ptr::NonNull;
    use std::string::String;

    /// The nodes the kernel lists as online, parsed from a list like `0-1,4`.
    pub(super) fn parse_node_list(list: &str) -> Option<Vec<usize>> {
        let mut nodes = Vec::new();
        for part in list.trim().split(',').filter(|p| !p.is_empty()) {
            match part.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (a.parse::<usize>().ok()?, b.parse::<usize>().ok()?);
                    if b < a || b - a > 4096 {
                        return None;
                    }
                    nodes.extend(a..=b);
                }
                None => nodes.push(part.parse().ok()?),
            }
        }
        Some(nodes)
    }

    #[cfg(all(target_os = "linux", not(miri)))]
    pub(super) fn fallback_reason(node: usize) -> Option<String> {
        let online = match std::fs::read_to_string("/sys/devices/system/node/online") {
            Ok(text) => text,
            Err(e) => return Some(format!("cannot read /sys/devices/system/node/online ({e})")),
        };
        let Some(nodes) = parse_node_list(&online) else {
            return Some(format!(
                "cannot parse the online node list {:?}",
                online.trim()
            ));
        };
        if nodes.len() <= 1 {
            return Some("this machine has one NUMA node".into());
        }
        if !nodes.contains(&node) || node >= MAX_NODES {
            return Some(format!(
                "node {node} is not online (online: {})",
                online.trim()
            ));
        }
        None
    }

    #[cfg(not(target_os = "linux"))]
    pub(super) fn fallback_reason(_node: usize) -> Option<String> {
        Some("NUMA binding is implemented on Linux only".into())
    }

    /// Miri cannot read the kernel's node list (or bind memory).
    #[cfg(all(target_os = "linux", miri))]
    pub(super) fn fallback_reason(_node: usize) -> Option<String> {
        Some("NUMA binding is not available under Miri".into())
    }

    /// Nodes a binding mask can name.
    pub(super) const MAX_NODES: usize = 1024;

    /// Binds the pages of `[ptr, ptr + len)` to `node`, moving pages already touched.
    /// Returns whether the kernel accepted it.
    #[cfg(target_os = "linux")]
    pub(super) fn bind(ptr: NonNull<u8>, len: usize, node: usize) -> bool {
        const MPOL_BIND: libc::c_long = 2;
        const MPOL_MF_MOVE: libc::c_long = 1 << 1;
        if node >= MAX_NODES {
            return false;
        }
        let mut mask = [0 as libc::c_ulong; MAX_NODES / libc::c_ulong::BITS as usize];
        let bits = libc::c_ulong::BITS as usize;
        mask[node / bits] |= 1 << (node % bits);
        // SAFETY: `mbind` reads `mask` (valid for `MAX_NODES` bits, the `maxnode` passed) and
        // changes the memory policy of the page range `[ptr, ptr + len)`, which is a whole
        // page-aligned block this source owns; it neither reads nor writes the memory's
        // contents, so no reference to it is affected.
        let rc = unsafe {
            libc::syscall(
                libc::SYS_mbind,
                ptr.as_ptr(),
                len as libc::c_ulong,
                MPOL_BIND,
                mask.as_ptr(),
                MAX_NODES as libc::c_ulong,
                MPOL_MF_MOVE,
            )
        };
        rc == 0
    }

    #[cfg(not(target_os = "linux"))]
    pub(super) fn bind(_ptr: NonNull<u8>, _len: usize, _node: usize) -> bool {
        false
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::chunk::ChunkSource;

        #[test]
        fn node_lists() {
            assert_eq!(parse_node_list("0\n"), Some(vec![0]));
            assert_eq!(parse_node_list("0-3,8"), Some(vec![0, 1, 2, 3, 8]));
            assert_eq!(parse_node_list(""), Some(vec![]));
            assert_eq!(parse_node_list("3-1"), None);
            assert_eq!(parse_node_list("x"), None);
        }

        /// Binding to node 0, which every Linux machine has, is accepted by the kernel.
        #[test]
        #[cfg(all(target_os = "linux", not(miri)))]
        fn binds_to_node_zero() {
            let layout = core::alloc::Layout::from_size_align(1 << 16, 4096).unwrap();
            let block = crate::chunk::PageSource.allocate(layout).unwrap();
            assert!(bind(block, layout.size(), 0));
            // SAFETY: `block` came from `PageSource.allocate(layout)` just above.
            unsafe { crate::chunk::PageSource.deallocate(block, layout) };
        }
    }
}

/// One block obtained from the source.
#[derive(Debug)]
pub(crate) struct Chunk {
    /// Start of the block; aligned to `layout.align() >= CHUNK_ALIGN`.
    pub(crate) start: NonNull<u8>,
    /// The layout it was obtained with; `layout.size()` bytes from `start` belong to the arena.
    pub(crate) layout: Layout,
    /// The arena's bytes used and wasted in the chunks before this one when it last became
    /// the current chunk, so that a rewind into it needs to remember only the chunk's index.
    pub(crate) entered: core::cell::Cell<(usize, usize)>,
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

/// The chunks an arena holds, in the order the arena fills them, the policy that sizes new
/// ones (`first` bytes, doubling with each chunk held, capped at `max`; an allocation larger
/// than that gets a chunk of its own size), and the [`Retention`] that decides which are kept
/// when a frame ends.
pub(crate) struct ChunkList {
    chunks: Vec<Chunk>,
    source: Box<dyn ChunkSource>,
    first: usize,
    max: usize,
    /// Sum of the sizes of `chunks`.
    capacity: usize,
    retention: Retention,
    /// The adaptive policy's recent frames.
    window: Option<Window>,
    /// The source's [`can_discard`](ChunkSource::can_discard), asked once.
    discards: bool,
    /// Look at every frame's end, not only at frames that leave chunks unused: chunks are
    /// reserved address space a frame never leaves, so only the frame's mark tells what its
    /// pages are worth.
    every_frame: bool,
    /// With a discarding source: the position (chunks laid end to end) below which pages may
    /// be in memory, as far as frames' marks and discards tell.
    resident: usize,
}

impl ChunkList {
    pub(crate) fn new(
        source: Box<dyn ChunkSource>,
        first: usize,
        max: usize,
        retention: Retention,
        every_frame: bool,
    ) -> Self {
        debug_assert!(first > 0 && max >= first);
        let window = match retention {
            Retention::Adaptive {
                frames,
                slack_percent,
            } => Some(Window::new(frames, slack_percent)),
            _ => None,
        };
        ChunkList {
            chunks: Vec::new(),
            discards: source.can_discard(),
            every_frame,
            source,
            first,
            max,
            capacity: 0,
            retention,
            window,
            resident: 0,
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

    /// The number of chunks a frame must reach for its reset to have nothing to give back
    /// (the arena's quick reset compares the frame's reach with it): 0 when the retention
    /// policy has nothing to do, `usize::MAX` when every frame's end must be looked at.
    pub(crate) fn quiet_reach(&self) -> usize {
        match self.retention {
            Retention::KeepAll => 0,
            Retention::UpTo(_) if self.every_frame => usize::MAX,
            Retention::UpTo(limit) => {
                if self.capacity > limit {
                    usize::MAX
                } else {
                    0
                }
            }
            Retention::Adaptive { .. } if self.every_frame => usize::MAX,
            Retention::Adaptive { .. } => self.chunks.len(),
        }
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
        // The bump's typed path relies on every cursor staying at or below `ADDRESS_LIMIT`
        // (the top half of a 64-bit address space is no user process's); a block reaching
        // past it is given back unused, as if the source had none.
        let within = start
            .as_ptr()
            .addr()
            .checked_add(layout.size())
            .is_some_and(|end| end <= addr::ADDRESS_LIMIT);
        if !within {
            // SAFETY: obtained from this source with this layout just above, given back once
            // and never used.
            unsafe { self.source.deallocate(start, layout) };
            return Err(AllocError::OutOfMemory {
                requested: layout.size(),
            });
        }
        self.chunks.insert(
            index,
            Chunk {
                start,
                layout,
                entered: core::cell::Cell::new((0, 0)),
            },
        );
        self.capacity += layout.size();
        if let Some(window) = &mut self.window {
            window.reserve();
        }
        Ok(())
    }

    /// Applies the retention policy at the end of frame `frame`, which reached `reach` chunks
    /// and position `mark` at most (chunks laid end to end). Returns whether the list changed.
    ///
    /// # Safety
    ///
    /// No block of any chunk is in use (the arena is being reset).
    pub(crate) unsafe fn end_frame(&mut self, frame: u64, reach: usize, mark: usize) -> bool {
        let keep = match self.retention {
            Retention::KeepAll => return false,
            Retention::UpTo(limit) if !self.every_frame => {
                let before = self.chunks.len();
                // SAFETY: the caller guarantees no block is in use.
                unsafe { self.release_above(limit, true) };
                return self.chunks.len() != before;
            }
            Retention::UpTo(limit) => Keep::Below { mark: limit, limit },
            Retention::Adaptive { .. } => {
                // Reserved address space is never left for another chunk: only the marks
                // tell, so no frame counts as reaching everything.
                let full = reach >= self.chunks.len() && !self.every_frame;
                let window = self.window.as_mut().expect("an adaptive list has a window");
                // Frames the window was not told about took the arena's quick reset: they
                // reached every chunk, and may have touched all of it.
                if !self.every_frame && (full || window.skipped(frame)) {
                    self.resident = self.capacity;
                }
                window.end_frame(frame, full, mark)
            }
        };
        self.resident = self.resident.max(mark);
        let Keep::Below { mark, limit } = keep else {
            return false;
        };
        // A chunk made for one large request is inserted where that request needed it, so a
        // spike's chunk may sit before the ones the usual frames use, and would be kept while
        // they are given back. Nothing is in use now: move such chunks behind the others (in
        // place, keeping their order), so that the usual frames fill the policy chunks first.
        let reordered = self.oversized_last();
        // Keep every chunk this frame reached, the chunks recent frames reached (those that
        // start below `mark`), and then chunks while they end within `limit`.
        let mut kept = 0;
        let mut start = 0usize;
        for chunk in &self.chunks {
            let end = start.saturating_add(chunk.size());
            if kept >= reach && start >= mark && end > limit {
                break;
            }
            start = end;
            kept += 1;
        }
        let changed = kept < self.chunks.len();
        // `start` is the kept chunks' bytes: giving back down to it gives back the rest.
        // SAFETY: the caller guarantees no block is in use.
        unsafe { self.release_above(start, true) };
        if self.discards && self.resident > limit {
            // Past `limit` pages are in memory that recent frames did not need: give back
            // everything past `mark` in the kept chunks (the source rounds to its pages).
            let mut chunk_start = 0usize;
            for chunk in &self.chunks {
                let chunk_end = chunk_start + chunk.size();
                if chunk_end > mark {
                    let offset = mark.saturating_sub(chunk_start).min(chunk.size());
                    // SAFETY: the chunk came from this source with this layout and is held;
                    // `offset <= size`; the caller guarantees no block of it is in use.
                    unsafe { self.source.discard(chunk.start, chunk.layout, offset) };
                }
                chunk_start = chunk_end;
            }
            self.resident = mark;
        }
        changed || reordered
    }

    /// Moves the chunks larger than the policy's largest behind the others, keeping the order
    /// within both groups. Returns whether anything moved.
    fn oversized_last(&mut self) -> bool {
        let max = self.max;
        let mut moved = false;
        let mut end = self.chunks.len();
        for i in (0..self.chunks.len()).rev() {
            if self.chunks[i].size() > max {
                if i + 1 < end {
                    self.chunks[i..end].rotate_left(1);
                    moved = true;
                }
                end -= 1;
            }
        }
        moved
    }

    /// Gives chunks back to the source, last first, until at most `retain` bytes are held.
    /// With `discard`, a source that can give pages back to the system does so for each
    /// chunk first (a retention policy's give-back: an allocator may keep a freed block's
    /// pages in the process).
    ///
    /// # Safety
    ///
    /// No block of the chunks given back is in use.
    pub(crate) unsafe fn release_above(&mut self, retain: usize, discard: bool) {
        while self.capacity > retain {
            let Some(chunk) = self.chunks.pop() else {
                break;
            };
            self.capacity -= chunk.size();
            if discard && self.discards && !self.every_frame {
                // SAFETY: the chunk came from this source with this layout and is not given
                // back yet (popped just above); the caller guarantees none of it is in use,
                // and it is given back just below without being read.
                unsafe { self.source.discard(chunk.start, chunk.layout, 0) };
            }
            // SAFETY: the chunk was obtained from this source with this layout in `prepare`,
            // and popping it from the list means it is given back exactly once; the caller
            // guarantees none of its blocks is in use.
            unsafe { self.source.deallocate(chunk.start, chunk.layout) };
        }
        self.resident = self.resident.min(self.capacity);
    }
}

impl Drop for ChunkList {
    fn drop(&mut self) {
        // SAFETY: the list is dropped with the arena that owns it, and every block handed
        // out borrows that arena, so none is in use.
        unsafe { self.release_above(0, false) };
    }
}

impl core::fmt::Debug for ChunkList {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ChunkList")
            .field("chunks", &self.chunks.len())
            .field("capacity", &self.capacity)
            .field("first", &self.first)
            .field("max", &self.max)
            .field("retention", &self.retention)
            .finish_non_exhaustive()
    }
}
