::core::compile_error! {
    "#[soa(column_align = 3)]: must be a power of two, like 64"
}
struct Dot {
    x: f32,
}
///Struct-of-arrays storage of [`Dot`]: one column per field, all in one allocation, each column starting on a 64-byte boundary. `A` is the allocator: the heap by default, or a frame (`DotSoa::new_in(&frame)`).
struct DotSoa<A: ::framealloc::__private::Allocator = ::framealloc::__private::Global> {
    inner: ::framealloc::__private::SoaVec<(f32,), A>,
}
///Shared references to the fields of one element of a [`DotSoa`].
#[allow(dead_code)]
#[derive(::core::clone::Clone, ::core::marker::Copy)]
struct DotRef<'__soa> {
    #[allow(missing_docs)]
    x: &'__soa f32,
}
///Mutable references to the fields of one element of a [`DotSoa`].
#[allow(dead_code)]
struct DotMut<'__soa> {
    #[allow(missing_docs)]
    x: &'__soa mut f32,
}
///Every column of a [`DotSoa`] as a slice.
#[allow(dead_code)]
#[derive(::core::clone::Clone, ::core::marker::Copy)]
struct DotSlices<'__soa> {
    #[allow(missing_docs)]
    x: &'__soa [f32],
}
///Every column of a [`DotSoa`] as a mutable slice, all at once: an update loop can write one column while reading another.
#[allow(dead_code)]
struct DotSlicesMut<'__soa> {
    #[allow(missing_docs)]
    x: &'__soa mut [f32],
}
impl DotSoa<::framealloc::__private::Global> {
    /// An empty container on the heap. Allocates nothing yet.
    #[inline]
    #[track_caller]
    pub fn new() -> Self {
        Self::new_in(::framealloc::__private::Global)
    }
    /// A container on the heap with room for `capacity` elements.
    #[inline]
    #[track_caller]
    pub fn with_capacity(capacity: usize) -> Self {
        Self::with_capacity_in(capacity, ::framealloc::__private::Global)
    }
}
impl<A: ::framealloc::__private::Allocator> DotSoa<A> {
    /// An empty container that allocates from `alloc` (for example `&frame`).
    #[inline]
    #[track_caller]
    pub fn new_in(alloc: A) -> Self {
        DotSoa {
            inner: ::framealloc::__private::SoaVec::new_in(64usize, alloc)
                .named(&[::core::stringify!(x)]),
        }
    }
    /// A container with room for `capacity` elements, allocated from `alloc`.
    #[inline]
    #[track_caller]
    pub fn with_capacity_in(capacity: usize, alloc: A) -> Self {
        let mut soa = Self::new_in(alloc);
        soa.reserve(capacity);
        soa
    }
    /// Number of elements.
    #[inline]
    pub fn len(&self) -> usize {
        self.inner.len()
    }
    /// Whether there are no elements.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }
    /// Elements every column has room for.
    #[inline]
    pub fn capacity(&self) -> usize {
        self.inner.capacity()
    }
    /// Makes room for `additional` more elements (one allocation for all columns).
    #[inline]
    #[track_caller]
    pub fn reserve(&mut self, additional: usize) {
        self.inner.reserve(additional)
    }
    /// Fallible twin of [`reserve`](Self::reserve).
    #[inline]
    #[track_caller]
    pub fn try_reserve(
        &mut self,
        additional: usize,
    ) -> ::core::result::Result<(), ::framealloc::__private::AllocError> {
        self.inner.try_reserve(additional)
    }
    /// Appends an element, split into its columns. Panic-safe: the value is whole
    /// before anything is written, and a failed growth writes nothing.
    #[inline]
    #[track_caller]
    pub fn push(&mut self, value: Dot) {
        {
            use ::framealloc::__private::drop_check::{
                ProbeImplementsDrop as _, ProbeNotDrop as _,
            };
            ::framealloc::__private::drop_check::assert_no_drop::<
                Dot,
                _,
            >((&::framealloc::__private::drop_check::DropProbe::<Dot>::new()).probe());
        }
        self.inner.push((value.x,))
    }
    /// Removes the last element and puts it back together.
    #[inline]
    pub fn pop(&mut self) -> ::core::option::Option<Dot> {
        self.inner.pop().map(|(x,)| Dot { x })
    }
    /// Removes the element at `index`, moving the last one into its place.
    ///
    /// # Panics
    ///
    /// If `index >= len`.
    #[inline]
    #[track_caller]
    pub fn swap_remove(&mut self, index: usize) -> Dot {
        let (x,) = self.inner.swap_remove(index);
        Dot { x }
    }
    /// Inserts an element at `index`, shifting the elements after it up in every column.
    ///
    /// # Panics
    ///
    /// If `index > len`, or when growing fails.
    #[inline]
    #[track_caller]
    pub fn insert(&mut self, index: usize, value: Dot) {
        {
            use ::framealloc::__private::drop_check::{
                ProbeImplementsDrop as _, ProbeNotDrop as _,
            };
            ::framealloc::__private::drop_check::assert_no_drop::<
                Dot,
                _,
            >((&::framealloc::__private::drop_check::DropProbe::<Dot>::new()).probe());
        }
        self.inner.insert(index, (value.x,))
    }
    /// Removes the element at `index`, shifting the elements after it down in every
    /// column, and puts it back together.
    ///
    /// # Panics
    ///
    /// If `index >= len`.
    #[inline]
    #[track_caller]
    pub fn remove(&mut self, index: usize) -> Dot {
        let (x,) = self.inner.remove(index);
        Dot { x }
    }
    /// Keeps only the elements for which `keep` returns `true`, in order. `keep` sees
    /// every element first; if it panics, nothing is removed. Every column stays the
    /// same length even if a destructor panics.
    pub fn retain(&mut self, mut keep: impl ::core::ops::FnMut(DotRef<'_>) -> bool) {
        let flags: ::framealloc::__private::Vec<bool> = self
            .iter()
            .map(|r| keep(r))
            .collect();
        self.inner.retain_mask(&flags)
    }
    /// Sorts the elements by `compare` (stable), moving every column alike. The order
    /// is found first; if `compare` panics, nothing has moved.
    pub fn sort_by(
        &mut self,
        mut compare: impl ::core::ops::FnMut(
            DotRef<'_>,
            DotRef<'_>,
        ) -> ::core::cmp::Ordering,
    ) {
        let mut order: ::framealloc::__private::Vec<usize> = (0..self.len()).collect();
        order
            .sort_by(|&a, &b| {
                match (self.get(a), self.get(b)) {
                    (
                        ::core::option::Option::Some(x),
                        ::core::option::Option::Some(y),
                    ) => compare(x, y),
                    _ => ::core::unreachable!("sort indices are below the length"),
                }
            });
        self.inner.permute(&order)
    }
    /// Sorts the elements by a key (stable), moving every column alike.
    pub fn sort_by_key<__K: ::core::cmp::Ord>(
        &mut self,
        mut key: impl ::core::ops::FnMut(DotRef<'_>) -> __K,
    ) {
        self.sort_by(|a, b| key(a).cmp(&key(b)))
    }
    /// The columns of the elements in `range`, as slices.
    ///
    /// # Panics
    ///
    /// If the range is out of bounds.
    #[inline]
    #[track_caller]
    pub fn slices_range(
        &self,
        range: impl ::core::ops::RangeBounds<usize>,
    ) -> DotSlices<'_> {
        let (x,) = self.inner.slices_range(range);
        DotSlices { x }
    }
    /// The columns of the elements in `range`, as mutable slices.
    ///
    /// # Panics
    ///
    /// If the range is out of bounds.
    #[inline]
    #[track_caller]
    pub fn slices_range_mut(
        &mut self,
        range: impl ::core::ops::RangeBounds<usize>,
    ) -> DotSlicesMut<'_> {
        let (x,) = self.inner.slices_range_mut(range);
        DotSlicesMut { x }
    }
    /// Splits off the elements from `at` on into a new container in a clone of the
    /// allocator (the same frame, for a frame's container).
    ///
    /// # Panics
    ///
    /// If `at > len`, or when allocating fails.
    #[inline]
    #[track_caller]
    pub fn split_off(&mut self, at: usize) -> Self
    where
        A: ::core::clone::Clone,
    {
        DotSoa {
            inner: self.inner.split_off(at),
        }
    }
    /// Moves every element of `other` to the end of this container.
    #[inline]
    #[track_caller]
    pub fn append<__B: ::framealloc::__private::Allocator>(
        &mut self,
        other: &mut DotSoa<__B>,
    ) {
        self.inner.append(&mut other.inner)
    }
    /// Removes the elements in `range` and returns them, put back together; the
    /// elements after the range move down when the iterator is dropped.
    ///
    /// # Panics
    ///
    /// If the range is out of bounds.
    #[inline]
    #[track_caller]
    pub fn drain(
        &mut self,
        range: impl ::core::ops::RangeBounds<usize>,
    ) -> impl ::core::iter::DoubleEndedIterator<
        Item = Dot,
    > + ::core::iter::ExactSizeIterator + '_ {
        self.inner.drain(range).map(|(x,)| Dot { x })
    }
    /// Drops the elements from `len` on.
    #[inline]
    pub fn truncate(&mut self, len: usize) {
        self.inner.truncate(len)
    }
    /// Drops every element; keeps the allocation.
    #[inline]
    pub fn clear(&mut self) {
        self.inner.clear()
    }
    /// The fields of the element at `index`.
    #[inline]
    pub fn get(&self, index: usize) -> ::core::option::Option<DotRef<'_>> {
        self.inner.get(index).map(|(x,)| DotRef { x })
    }
    /// The fields of the element at `index`, mutably.
    #[inline]
    pub fn get_mut(&mut self, index: usize) -> ::core::option::Option<DotMut<'_>> {
        self.inner.get_mut(index).map(|(x,)| DotMut { x })
    }
    /// Every column as a slice.
    #[inline]
    pub fn slices(&self) -> DotSlices<'_> {
        let (x,) = self.inner.slices();
        DotSlices { x }
    }
    /// Every column as a mutable slice, all at once.
    #[inline]
    pub fn slices_mut(&mut self) -> DotSlicesMut<'_> {
        let (x,) = self.inner.slices_mut();
        DotSlicesMut { x }
    }
    /// Iterates over the elements' fields (as fast as zipping the column slices).
    #[inline]
    pub fn iter<'__soa>(
        &'__soa self,
    ) -> impl ::core::iter::ExactSizeIterator<
        Item = DotRef<'__soa>,
    > + ::core::iter::DoubleEndedIterator + '__soa {
        let __slices = self.inner.slices();
        __slices.0.iter().map(|x| DotRef { x })
    }
    /// Iterates over the elements' fields mutably.
    #[inline]
    pub fn iter_mut<'__soa>(
        &'__soa mut self,
    ) -> impl ::core::iter::ExactSizeIterator<
        Item = DotMut<'__soa>,
    > + ::core::iter::DoubleEndedIterator + '__soa {
        let __slices = self.inner.slices_mut();
        __slices.0.iter_mut().map(|x| DotMut { x })
    }
    /// The start of each column (for checking alignment), in field order.
    pub fn column_ptrs(&self) -> [*const u8; ::framealloc::__private::MAX_COLUMNS] {
        self.inner.column_ptrs()
    }
    /// The allocator.
    pub fn allocator(&self) -> &A {
        self.inner.allocator()
    }
    /// Checks the canary after each column (present in builds with framealloc's
    /// guards compiled in: `debug_assertions` or its `guards` feature) and returns the
    /// first damaged one, naming the field. Also checked on drop and before growing,
    /// which panic with the report.
    pub fn check_guards(
        &self,
    ) -> ::core::result::Result<(), ::framealloc::__private::GuardReport> {
        self.inner.check_guards()
    }
    ///The `x` column as a slice.
    #[inline]
    fn x(&self) -> &[f32] {
        self.inner.slices().0
    }
    ///The `x` column as a mutable slice.
    #[inline]
    fn x_mut(&mut self) -> &mut [f32] {
        self.inner.slices_mut().0
    }
}
#[automatically_derived]
impl<A: ::framealloc::__private::Allocator> ::core::iter::Extend<Dot> for DotSoa<A> {
    fn extend<__I: ::core::iter::IntoIterator<Item = Dot>>(&mut self, iter: __I) {
        let iter = ::core::iter::IntoIterator::into_iter(iter);
        self.reserve(::core::iter::Iterator::size_hint(&iter).0);
        for value in iter {
            self.push(value);
        }
    }
}
#[automatically_derived]
impl ::core::iter::FromIterator<Dot> for DotSoa<::framealloc::__private::Global> {
    fn from_iter<__I: ::core::iter::IntoIterator<Item = Dot>>(iter: __I) -> Self {
        let mut soa = Self::new();
        ::core::iter::Extend::extend(&mut soa, iter);
        soa
    }
}
#[automatically_derived]
impl ::core::default::Default for DotSoa<::framealloc::__private::Global> {
    fn default() -> Self {
        Self::new()
    }
}
///The elements of a [`DotSoa`], by shared reference: `for x in &container`.
struct DotSoaIter<'__soa> {
    rest: DotSlices<'__soa>,
    len: usize,
}
impl<'__soa> ::core::iter::Iterator for DotSoaIter<'__soa> {
    type Item = DotRef<'__soa>;
    #[inline]
    fn next(&mut self) -> ::core::option::Option<Self::Item> {
        if self.len == 0 {
            return ::core::option::Option::None;
        }
        self.len -= 1;
        ::core::option::Option::Some(DotRef {
            x: match self.rest.x.split_first() {
                ::core::option::Option::Some((first, rest)) => {
                    self.rest.x = rest;
                    first
                }
                ::core::option::Option::None => {
                    ::core::unreachable!("columns have equal lengths")
                }
            },
        })
    }
    #[inline]
    fn size_hint(&self) -> (usize, ::core::option::Option<usize>) {
        (self.len, ::core::option::Option::Some(self.len))
    }
}
impl<'__soa> ::core::iter::ExactSizeIterator for DotSoaIter<'__soa> {}
///The elements of a [`DotSoa`], by mutable reference: `for x in &mut container`.
struct DotSoaIterMut<'__soa> {
    rest: DotSlicesMut<'__soa>,
    len: usize,
}
impl<'__soa> ::core::iter::Iterator for DotSoaIterMut<'__soa> {
    type Item = DotMut<'__soa>;
    #[inline]
    fn next(&mut self) -> ::core::option::Option<Self::Item> {
        if self.len == 0 {
            return ::core::option::Option::None;
        }
        self.len -= 1;
        ::core::option::Option::Some(DotMut {
            x: match ::core::mem::take(&mut self.rest.x).split_first_mut() {
                ::core::option::Option::Some((first, rest)) => {
                    self.rest.x = rest;
                    first
                }
                ::core::option::Option::None => {
                    ::core::unreachable!("columns have equal lengths")
                }
            },
        })
    }
    #[inline]
    fn size_hint(&self) -> (usize, ::core::option::Option<usize>) {
        (self.len, ::core::option::Option::Some(self.len))
    }
}
impl<'__soa> ::core::iter::ExactSizeIterator for DotSoaIterMut<'__soa> {}
impl<'__soa, A: ::framealloc::__private::Allocator> ::core::iter::IntoIterator
for &'__soa DotSoa<A> {
    type Item = DotRef<'__soa>;
    type IntoIter = DotSoaIter<'__soa>;
    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        DotSoaIter {
            rest: self.slices(),
            len: self.len(),
        }
    }
}
impl<'__soa, A: ::framealloc::__private::Allocator> ::core::iter::IntoIterator
for &'__soa mut DotSoa<A> {
    type Item = DotMut<'__soa>;
    type IntoIter = DotSoaIterMut<'__soa>;
    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        let len = self.len();
        DotSoaIterMut {
            rest: self.slices_mut(),
            len,
        }
    }
}
impl<A: ::framealloc::__private::Allocator> ::framealloc::__private::SoaContainer
for DotSoa<A> {
    type Item = Dot;
    type Ref<'__soa> = DotRef<'__soa> where Self: '__soa;
    #[inline]
    fn len(&self) -> usize {
        DotSoa::len(self)
    }
    #[inline]
    fn push(&mut self, item: Self::Item) {
        DotSoa::push(self, item)
    }
    #[inline]
    fn pop(&mut self) -> ::core::option::Option<Self::Item> {
        DotSoa::pop(self)
    }
    #[inline]
    fn get(&self, index: usize) -> ::core::option::Option<Self::Ref<'_>> {
        DotSoa::get(self, index)
    }
    #[inline]
    fn insert(&mut self, index: usize, item: Self::Item) {
        DotSoa::insert(self, index, item)
    }
    #[inline]
    fn remove(&mut self, index: usize) -> Self::Item {
        DotSoa::remove(self, index)
    }
    #[inline]
    fn swap_remove(&mut self, index: usize) -> Self::Item {
        DotSoa::swap_remove(self, index)
    }
    #[inline]
    fn truncate(&mut self, len: usize) {
        DotSoa::truncate(self, len)
    }
}
impl<'__soa> ::core::fmt::Debug for DotRef<'__soa>
where
    for<'__fmt> f32: ::core::fmt::Debug,
{
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        f.debug_struct("DotRef").field("x", &self.x).finish()
    }
}
impl<'__soa> ::core::cmp::PartialEq for DotRef<'__soa>
where
    for<'__eq> f32: ::core::cmp::PartialEq,
{
    fn eq(&self, other: &Self) -> bool {
        true && self.x == other.x
    }
}
impl<A: ::framealloc::__private::Allocator> ::core::fmt::Debug for DotSoa<A>
where
    for<'__fmt> f32: ::core::fmt::Debug,
{
    /// The elements, as a list of their field views.
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}
impl<
    A: ::framealloc::__private::Allocator,
    __B: ::framealloc::__private::Allocator,
> ::core::cmp::PartialEq<DotSoa<__B>> for DotSoa<A>
where
    for<'__eq> f32: ::core::cmp::PartialEq,
{
    /// Equal lengths and equal elements, field by field.
    fn eq(&self, other: &DotSoa<__B>) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}
impl<A: ::framealloc::__private::Allocator> ::core::clone::Clone for DotSoa<A>
where
    A: ::core::clone::Clone,
    for<'__clone> f32: ::core::clone::Clone,
{
    /// A copy in a clone of the allocator (the same frame, for a frame's container).
    #[track_caller]
    fn clone(&self) -> Self {
        let mut copy = Self::with_capacity_in(
            self.len(),
            ::core::clone::Clone::clone(self.allocator()),
        );
        for r in self.iter() {
            copy.push(Dot {
                x: ::core::clone::Clone::clone(r.x),
            });
        }
        copy
    }
}
#[automatically_derived]
impl<'__soa> ::core::convert::From<DotRef<'__soa>> for Dot
where
    for<'__clone> f32: ::core::clone::Clone,
{
    /// Clones the element's fields into a whole value.
    fn from(r: DotRef<'__soa>) -> Self {
        Dot {
            x: ::core::clone::Clone::clone(r.x),
        }
    }
}
