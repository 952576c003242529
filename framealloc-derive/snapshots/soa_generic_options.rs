struct Tagged<'a, T: Clone>
where
    T: Send,
{
    name: &'a str,
    value: T,
}
///Struct-of-arrays storage of [`Tagged`]: one column per field, all in one allocation, each column starting on a 128-byte boundary. `A` is the allocator: the heap by default, or a frame (`Columns::new_in(&frame)`).
struct Columns<'a, T: Clone, A: fa::__private::Allocator = fa::__private::Global>
where
    T: Send,
{
    inner: fa::__private::SoaVec<(&'a str, T), A>,
}
///Shared references to the fields of one element of a [`Columns`].
#[allow(dead_code)]
#[derive(::core::clone::Clone, ::core::marker::Copy)]
struct TaggedRef<'__soa, 'a, T: Clone>
where
    T: Send,
{
    #[allow(missing_docs)]
    name: &'__soa &'a str,
    #[allow(missing_docs)]
    value: &'__soa T,
}
///Mutable references to the fields of one element of a [`Columns`].
#[allow(dead_code)]
struct TaggedMut<'__soa, 'a, T: Clone>
where
    T: Send,
{
    #[allow(missing_docs)]
    name: &'__soa mut &'a str,
    #[allow(missing_docs)]
    value: &'__soa mut T,
}
///Every column of a [`Columns`] as a slice.
#[allow(dead_code)]
#[derive(::core::clone::Clone, ::core::marker::Copy)]
struct TaggedSlices<'__soa, 'a, T: Clone>
where
    T: Send,
{
    #[allow(missing_docs)]
    name: &'__soa [&'a str],
    #[allow(missing_docs)]
    value: &'__soa [T],
}
///Every column of a [`Columns`] as a mutable slice, all at once: an update loop can write one column while reading another.
#[allow(dead_code)]
struct TaggedSlicesMut<'__soa, 'a, T: Clone>
where
    T: Send,
{
    #[allow(missing_docs)]
    name: &'__soa mut [&'a str],
    #[allow(missing_docs)]
    value: &'__soa mut [T],
}
impl<'a, T: Clone> Columns<'a, T, fa::__private::Global>
where
    T: Send,
{
    /// An empty container on the heap. Allocates nothing yet.
    #[inline]
    #[track_caller]
    pub fn new() -> Self {
        Self::new_in(fa::__private::Global)
    }
    /// A container on the heap with room for `capacity` elements.
    #[inline]
    #[track_caller]
    pub fn with_capacity(capacity: usize) -> Self {
        Self::with_capacity_in(capacity, fa::__private::Global)
    }
}
impl<'a, T: Clone, A: fa::__private::Allocator> Columns<'a, T, A>
where
    T: Send,
{
    /// An empty container that allocates from `alloc` (for example `&frame`).
    #[inline]
    #[track_caller]
    pub fn new_in(alloc: A) -> Self {
        Columns {
            inner: fa::__private::SoaVec::new_in(128usize, alloc)
                .named(&[::core::stringify!(name), ::core::stringify!(value)]),
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
    ) -> ::core::result::Result<(), fa::__private::AllocError> {
        self.inner.try_reserve(additional)
    }
    /// Appends an element, split into its columns. Panic-safe: the value is whole
    /// before anything is written, and a failed growth writes nothing.
    #[inline]
    #[track_caller]
    pub fn push(&mut self, value: Tagged<'a, T>) {
        {
            use fa::__private::drop_check::{ProbeImplementsDrop as _, ProbeNotDrop as _};
            fa::__private::drop_check::assert_no_drop::<
                Tagged<'a, T>,
                _,
            >((&fa::__private::drop_check::DropProbe::<Tagged<'a, T>>::new()).probe());
        }
        self.inner.push((value.name, value.value))
    }
    /// Removes the last element and puts it back together.
    #[inline]
    pub fn pop(&mut self) -> ::core::option::Option<Tagged<'a, T>> {
        self.inner.pop().map(|(name, value)| Tagged { name, value })
    }
    /// Removes the element at `index`, moving the last one into its place.
    ///
    /// # Panics
    ///
    /// If `index >= len`.
    #[inline]
    #[track_caller]
    pub fn swap_remove(&mut self, index: usize) -> Tagged<'a, T> {
        let (name, value) = self.inner.swap_remove(index);
        Tagged { name, value }
    }
    /// Inserts an element at `index`, shifting the elements after it up in every column.
    ///
    /// # Panics
    ///
    /// If `index > len`, or when growing fails.
    #[inline]
    #[track_caller]
    pub fn insert(&mut self, index: usize, value: Tagged<'a, T>) {
        {
            use fa::__private::drop_check::{ProbeImplementsDrop as _, ProbeNotDrop as _};
            fa::__private::drop_check::assert_no_drop::<
                Tagged<'a, T>,
                _,
            >((&fa::__private::drop_check::DropProbe::<Tagged<'a, T>>::new()).probe());
        }
        self.inner.insert(index, (value.name, value.value))
    }
    /// Removes the element at `index`, shifting the elements after it down in every
    /// column, and puts it back together.
    ///
    /// # Panics
    ///
    /// If `index >= len`.
    #[inline]
    #[track_caller]
    pub fn remove(&mut self, index: usize) -> Tagged<'a, T> {
        let (name, value) = self.inner.remove(index);
        Tagged { name, value }
    }
    /// Keeps only the elements for which `keep` returns `true`, in order. `keep` sees
    /// every element first; if it panics, nothing is removed. Every column stays the
    /// same length even if a destructor panics.
    pub fn retain(
        &mut self,
        mut keep: impl ::core::ops::FnMut(TaggedRef<'_, 'a, T>) -> bool,
    ) {
        let flags: fa::__private::Vec<bool> = self.iter().map(|r| keep(r)).collect();
        self.inner.retain_mask(&flags)
    }
    /// Sorts the elements by `compare` (stable), moving every column alike. The order
    /// is found first; if `compare` panics, nothing has moved.
    pub fn sort_by(
        &mut self,
        mut compare: impl ::core::ops::FnMut(
            TaggedRef<'_, 'a, T>,
            TaggedRef<'_, 'a, T>,
        ) -> ::core::cmp::Ordering,
    ) {
        let mut order: fa::__private::Vec<usize> = (0..self.len()).collect();
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
        mut key: impl ::core::ops::FnMut(TaggedRef<'_, 'a, T>) -> __K,
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
    ) -> TaggedSlices<'_, 'a, T> {
        let (name, value) = self.inner.slices_range(range);
        TaggedSlices { name, value }
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
    ) -> TaggedSlicesMut<'_, 'a, T> {
        let (name, value) = self.inner.slices_range_mut(range);
        TaggedSlicesMut { name, value }
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
        Columns {
            inner: self.inner.split_off(at),
        }
    }
    /// Moves every element of `other` to the end of this container.
    #[inline]
    #[track_caller]
    pub fn append<__B: fa::__private::Allocator>(
        &mut self,
        other: &mut Columns<'a, T, __B>,
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
        Item = Tagged<'a, T>,
    > + ::core::iter::ExactSizeIterator + '_ {
        self.inner.drain(range).map(|(name, value)| Tagged { name, value })
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
    pub fn get(&self, index: usize) -> ::core::option::Option<TaggedRef<'_, 'a, T>> {
        self.inner.get(index).map(|(name, value)| TaggedRef { name, value })
    }
    /// The fields of the element at `index`, mutably.
    #[inline]
    pub fn get_mut(
        &mut self,
        index: usize,
    ) -> ::core::option::Option<TaggedMut<'_, 'a, T>> {
        self.inner.get_mut(index).map(|(name, value)| TaggedMut { name, value })
    }
    /// Every column as a slice.
    #[inline]
    pub fn slices(&self) -> TaggedSlices<'_, 'a, T> {
        let (name, value) = self.inner.slices();
        TaggedSlices { name, value }
    }
    /// Every column as a mutable slice, all at once.
    #[inline]
    pub fn slices_mut(&mut self) -> TaggedSlicesMut<'_, 'a, T> {
        let (name, value) = self.inner.slices_mut();
        TaggedSlicesMut { name, value }
    }
    /// Iterates over the elements' fields (as fast as zipping the column slices).
    #[inline]
    pub fn iter<'__soa>(
        &'__soa self,
    ) -> impl ::core::iter::ExactSizeIterator<
        Item = TaggedRef<'__soa, 'a, T>,
    > + ::core::iter::DoubleEndedIterator + '__soa {
        let __slices = self.inner.slices();
        __slices
            .0
            .iter()
            .zip(__slices.1.iter())
            .map(|(name, value)| TaggedRef { name, value })
    }
    /// Iterates over the elements' fields mutably.
    #[inline]
    pub fn iter_mut<'__soa>(
        &'__soa mut self,
    ) -> impl ::core::iter::ExactSizeIterator<
        Item = TaggedMut<'__soa, 'a, T>,
    > + ::core::iter::DoubleEndedIterator + '__soa {
        let __slices = self.inner.slices_mut();
        __slices
            .0
            .iter_mut()
            .zip(__slices.1.iter_mut())
            .map(|(name, value)| TaggedMut { name, value })
    }
    /// The start of each column (for checking alignment), in field order.
    pub fn column_ptrs(&self) -> [*const u8; fa::__private::MAX_COLUMNS] {
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
    ) -> ::core::result::Result<(), fa::__private::GuardReport> {
        self.inner.check_guards()
    }
    ///The `name` column as a slice.
    #[inline]
    fn name(&self) -> &[&'a str] {
        self.inner.slices().0
    }
    ///The `name` column as a mutable slice.
    #[inline]
    fn name_mut(&mut self) -> &mut [&'a str] {
        self.inner.slices_mut().0
    }
    ///The `value` column as a slice.
    #[inline]
    fn value(&self) -> &[T] {
        self.inner.slices().1
    }
    ///The `value` column as a mutable slice.
    #[inline]
    fn value_mut(&mut self) -> &mut [T] {
        self.inner.slices_mut().1
    }
}
#[automatically_derived]
impl<'a, T: Clone, A: fa::__private::Allocator> ::core::iter::Extend<Tagged<'a, T>>
for Columns<'a, T, A>
where
    T: Send,
{
    fn extend<__I: ::core::iter::IntoIterator<Item = Tagged<'a, T>>>(
        &mut self,
        iter: __I,
    ) {
        let iter = ::core::iter::IntoIterator::into_iter(iter);
        self.reserve(::core::iter::Iterator::size_hint(&iter).0);
        for value in iter {
            self.push(value);
        }
    }
}
#[automatically_derived]
impl<'a, T: Clone> ::core::iter::FromIterator<Tagged<'a, T>>
for Columns<'a, T, fa::__private::Global>
where
    T: Send,
{
    fn from_iter<__I: ::core::iter::IntoIterator<Item = Tagged<'a, T>>>(
        iter: __I,
    ) -> Self {
        let mut soa = Self::new();
        ::core::iter::Extend::extend(&mut soa, iter);
        soa
    }
}
#[automatically_derived]
impl<'a, T: Clone> ::core::default::Default for Columns<'a, T, fa::__private::Global>
where
    T: Send,
{
    fn default() -> Self {
        Self::new()
    }
}
///The elements of a [`Columns`], by shared reference: `for x in &container`.
struct ColumnsIter<'__soa, 'a, T: Clone>
where
    T: Send,
{
    rest: TaggedSlices<'__soa, 'a, T>,
    len: usize,
}
impl<'__soa, 'a, T: Clone> ::core::iter::Iterator for ColumnsIter<'__soa, 'a, T>
where
    T: Send,
{
    type Item = TaggedRef<'__soa, 'a, T>;
    #[inline]
    fn next(&mut self) -> ::core::option::Option<Self::Item> {
        if self.len == 0 {
            return ::core::option::Option::None;
        }
        self.len -= 1;
        ::core::option::Option::Some(TaggedRef {
            name: match self.rest.name.split_first() {
                ::core::option::Option::Some((first, rest)) => {
                    self.rest.name = rest;
                    first
                }
                ::core::option::Option::None => {
                    ::core::unreachable!("columns have equal lengths")
                }
            },
            value: match self.rest.value.split_first() {
                ::core::option::Option::Some((first, rest)) => {
                    self.rest.value = rest;
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
impl<'__soa, 'a, T: Clone> ::core::iter::ExactSizeIterator for ColumnsIter<'__soa, 'a, T>
where
    T: Send,
{}
///The elements of a [`Columns`], by mutable reference: `for x in &mut container`.
struct ColumnsIterMut<'__soa, 'a, T: Clone>
where
    T: Send,
{
    rest: TaggedSlicesMut<'__soa, 'a, T>,
    len: usize,
}
impl<'__soa, 'a, T: Clone> ::core::iter::Iterator for ColumnsIterMut<'__soa, 'a, T>
where
    T: Send,
{
    type Item = TaggedMut<'__soa, 'a, T>;
    #[inline]
    fn next(&mut self) -> ::core::option::Option<Self::Item> {
        if self.len == 0 {
            return ::core::option::Option::None;
        }
        self.len -= 1;
        ::core::option::Option::Some(TaggedMut {
            name: match ::core::mem::take(&mut self.rest.name).split_first_mut() {
                ::core::option::Option::Some((first, rest)) => {
                    self.rest.name = rest;
                    first
                }
                ::core::option::Option::None => {
                    ::core::unreachable!("columns have equal lengths")
                }
            },
            value: match ::core::mem::take(&mut self.rest.value).split_first_mut() {
                ::core::option::Option::Some((first, rest)) => {
                    self.rest.value = rest;
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
impl<'__soa, 'a, T: Clone> ::core::iter::ExactSizeIterator
for ColumnsIterMut<'__soa, 'a, T>
where
    T: Send,
{}
impl<'__soa, 'a, T: Clone, A: fa::__private::Allocator> ::core::iter::IntoIterator
for &'__soa Columns<'a, T, A>
where
    T: Send,
{
    type Item = TaggedRef<'__soa, 'a, T>;
    type IntoIter = ColumnsIter<'__soa, 'a, T>;
    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        ColumnsIter {
            rest: self.slices(),
            len: self.len(),
        }
    }
}
impl<'__soa, 'a, T: Clone, A: fa::__private::Allocator> ::core::iter::IntoIterator
for &'__soa mut Columns<'a, T, A>
where
    T: Send,
{
    type Item = TaggedMut<'__soa, 'a, T>;
    type IntoIter = ColumnsIterMut<'__soa, 'a, T>;
    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        let len = self.len();
        ColumnsIterMut {
            rest: self.slices_mut(),
            len,
        }
    }
}
impl<'a, T: Clone, A: fa::__private::Allocator> fa::__private::SoaContainer
for Columns<'a, T, A>
where
    T: Send,
{
    type Item = Tagged<'a, T>;
    type Ref<'__soa> = TaggedRef<'__soa, 'a, T> where Self: '__soa;
    #[inline]
    fn len(&self) -> usize {
        Columns::len(self)
    }
    #[inline]
    fn push(&mut self, item: Self::Item) {
        Columns::push(self, item)
    }
    #[inline]
    fn pop(&mut self) -> ::core::option::Option<Self::Item> {
        Columns::pop(self)
    }
    #[inline]
    fn get(&self, index: usize) -> ::core::option::Option<Self::Ref<'_>> {
        Columns::get(self, index)
    }
    #[inline]
    fn insert(&mut self, index: usize, item: Self::Item) {
        Columns::insert(self, index, item)
    }
    #[inline]
    fn remove(&mut self, index: usize) -> Self::Item {
        Columns::remove(self, index)
    }
    #[inline]
    fn swap_remove(&mut self, index: usize) -> Self::Item {
        Columns::swap_remove(self, index)
    }
    #[inline]
    fn truncate(&mut self, len: usize) {
        Columns::truncate(self, len)
    }
}
impl<'__soa, 'a, T: Clone> ::core::fmt::Debug for TaggedRef<'__soa, 'a, T>
where
    T: Send,
    for<'__fmt> &'a str: ::core::fmt::Debug,
    for<'__fmt> T: ::core::fmt::Debug,
{
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        f.debug_struct("TaggedRef")
            .field("name", &self.name)
            .field("value", &self.value)
            .finish()
    }
}
impl<'__soa, 'a, T: Clone> ::core::cmp::PartialEq for TaggedRef<'__soa, 'a, T>
where
    T: Send,
    for<'__eq> &'a str: ::core::cmp::PartialEq,
    for<'__eq> T: ::core::cmp::PartialEq,
{
    fn eq(&self, other: &Self) -> bool {
        true && self.name == other.name && self.value == other.value
    }
}
impl<'a, T: Clone, A: fa::__private::Allocator> ::core::fmt::Debug for Columns<'a, T, A>
where
    T: Send,
    for<'__fmt> &'a str: ::core::fmt::Debug,
    for<'__fmt> T: ::core::fmt::Debug,
{
    /// The elements, as a list of their field views.
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}
impl<
    'a,
    T: Clone,
    A: fa::__private::Allocator,
    __B: fa::__private::Allocator,
> ::core::cmp::PartialEq<Columns<'a, T, __B>> for Columns<'a, T, A>
where
    T: Send,
    for<'__eq> &'a str: ::core::cmp::PartialEq,
    for<'__eq> T: ::core::cmp::PartialEq,
{
    /// Equal lengths and equal elements, field by field.
    fn eq(&self, other: &Columns<'a, T, __B>) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}
impl<'a, T: Clone, A: fa::__private::Allocator> ::core::clone::Clone
for Columns<'a, T, A>
where
    A: ::core::clone::Clone,
    T: Send,
    for<'__clone> &'a str: ::core::clone::Clone,
    for<'__clone> T: ::core::clone::Clone,
{
    /// A copy in a clone of the allocator (the same frame, for a frame's container).
    #[track_caller]
    fn clone(&self) -> Self {
        let mut copy = Self::with_capacity_in(
            self.len(),
            ::core::clone::Clone::clone(self.allocator()),
        );
        for r in self.iter() {
            copy.push(Tagged {
                name: ::core::clone::Clone::clone(r.name),
                value: ::core::clone::Clone::clone(r.value),
            });
        }
        copy
    }
}
#[automatically_derived]
impl<'__soa, 'a, T: Clone> ::core::convert::From<TaggedRef<'__soa, 'a, T>>
for Tagged<'a, T>
where
    T: Send,
    for<'__clone> &'a str: ::core::clone::Clone,
    for<'__clone> T: ::core::clone::Clone,
{
    /// Clones the element's fields into a whole value.
    fn from(r: TaggedRef<'__soa, 'a, T>) -> Self {
        Tagged {
            name: ::core::clone::Clone::clone(r.name),
            value: ::core::clone::Clone::clone(r.value),
        }
    }
}
