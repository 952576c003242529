#[derive(Clone, Copy, Default)]
pub struct Particle {
    pub pos: [f32; 3],
    vel: [f32; 3],
    mass: f32,
}
///Struct-of-arrays storage of [`Particle`]: one column per field, all in one allocation, each column starting on a 64-byte boundary. `A` is the allocator: the heap by default, or a frame (`ParticleSoa::new_in(&frame)`).
pub struct ParticleSoa<
    A: ::framealloc::__private::Allocator = ::framealloc::__private::Global,
> {
    inner: ::framealloc::__private::SoaVec<([f32; 3], [f32; 3], f32), A>,
}
///Shared references to the fields of one element of a [`ParticleSoa`].
#[allow(dead_code)]
#[derive(::core::clone::Clone, ::core::marker::Copy)]
pub struct ParticleRef<'__soa> {
    #[allow(missing_docs)]
    pub pos: &'__soa [f32; 3],
    #[allow(missing_docs)]
    vel: &'__soa [f32; 3],
    #[allow(missing_docs)]
    mass: &'__soa f32,
}
///Mutable references to the fields of one element of a [`ParticleSoa`].
#[allow(dead_code)]
pub struct ParticleMut<'__soa> {
    #[allow(missing_docs)]
    pub pos: &'__soa mut [f32; 3],
    #[allow(missing_docs)]
    vel: &'__soa mut [f32; 3],
    #[allow(missing_docs)]
    mass: &'__soa mut f32,
}
///Every column of a [`ParticleSoa`] as a slice.
#[allow(dead_code)]
#[derive(::core::clone::Clone, ::core::marker::Copy)]
pub struct ParticleSlices<'__soa> {
    #[allow(missing_docs)]
    pub pos: &'__soa [[f32; 3]],
    #[allow(missing_docs)]
    vel: &'__soa [[f32; 3]],
    #[allow(missing_docs)]
    mass: &'__soa [f32],
}
///Every column of a [`ParticleSoa`] as a mutable slice, all at once: an update loop can write one column while reading another.
#[allow(dead_code)]
pub struct ParticleSlicesMut<'__soa> {
    #[allow(missing_docs)]
    pub pos: &'__soa mut [[f32; 3]],
    #[allow(missing_docs)]
    vel: &'__soa mut [[f32; 3]],
    #[allow(missing_docs)]
    mass: &'__soa mut [f32],
}
impl ParticleSoa<::framealloc::__private::Global> {
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
impl<A: ::framealloc::__private::Allocator> ParticleSoa<A> {
    /// An empty container that allocates from `alloc` (for example `&frame`).
    #[inline]
    #[track_caller]
    pub fn new_in(alloc: A) -> Self {
        ParticleSoa {
            inner: ::framealloc::__private::SoaVec::new_in(64usize, alloc)
                .named(
                    &[
                        ::core::stringify!(pos),
                        ::core::stringify!(vel),
                        ::core::stringify!(mass),
                    ],
                ),
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
    pub fn push(&mut self, value: Particle) {
        {
            use ::framealloc::__private::drop_check::{
                ProbeImplementsDrop as _, ProbeNotDrop as _,
            };
            ::framealloc::__private::drop_check::assert_no_drop::<
                Particle,
                _,
            >(
                (&::framealloc::__private::drop_check::DropProbe::<Particle>::new())
                    .probe(),
            );
        }
        self.inner.push((value.pos, value.vel, value.mass))
    }
    /// Removes the last element and puts it back together.
    #[inline]
    pub fn pop(&mut self) -> ::core::option::Option<Particle> {
        self.inner.pop().map(|(pos, vel, mass)| Particle { pos, vel, mass })
    }
    /// Removes the element at `index`, moving the last one into its place.
    ///
    /// # Panics
    ///
    /// If `index >= len`.
    #[inline]
    #[track_caller]
    pub fn swap_remove(&mut self, index: usize) -> Particle {
        let (pos, vel, mass) = self.inner.swap_remove(index);
        Particle { pos, vel, mass }
    }
    /// Inserts an element at `index`, shifting the elements after it up in every column.
    ///
    /// # Panics
    ///
    /// If `index > len`, or when growing fails.
    #[inline]
    #[track_caller]
    pub fn insert(&mut self, index: usize, value: Particle) {
        {
            use ::framealloc::__private::drop_check::{
                ProbeImplementsDrop as _, ProbeNotDrop as _,
            };
            ::framealloc::__private::drop_check::assert_no_drop::<
                Particle,
                _,
            >(
                (&::framealloc::__private::drop_check::DropProbe::<Particle>::new())
                    .probe(),
            );
        }
        self.inner.insert(index, (value.pos, value.vel, value.mass))
    }
    /// Removes the element at `index`, shifting the elements after it down in every
    /// column, and puts it back together.
    ///
    /// # Panics
    ///
    /// If `index >= len`.
    #[inline]
    #[track_caller]
    pub fn remove(&mut self, index: usize) -> Particle {
        let (pos, vel, mass) = self.inner.remove(index);
        Particle { pos, vel, mass }
    }
    /// Keeps only the elements for which `keep` returns `true`, in order. `keep` sees
    /// every element first; if it panics, nothing is removed. Every column stays the
    /// same length even if a destructor panics.
    pub fn retain(
        &mut self,
        mut keep: impl ::core::ops::FnMut(ParticleRef<'_>) -> bool,
    ) {
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
            ParticleRef<'_>,
            ParticleRef<'_>,
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
        mut key: impl ::core::ops::FnMut(ParticleRef<'_>) -> __K,
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
    ) -> ParticleSlices<'_> {
        let (pos, vel, mass) = self.inner.slices_range(range);
        ParticleSlices { pos, vel, mass }
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
    ) -> ParticleSlicesMut<'_> {
        let (pos, vel, mass) = self.inner.slices_range_mut(range);
        ParticleSlicesMut {
            pos,
            vel,
            mass,
        }
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
        ParticleSoa {
            inner: self.inner.split_off(at),
        }
    }
    /// Moves every element of `other` to the end of this container.
    #[inline]
    #[track_caller]
    pub fn append<__B: ::framealloc::__private::Allocator>(
        &mut self,
        other: &mut ParticleSoa<__B>,
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
        Item = Particle,
    > + ::core::iter::ExactSizeIterator + '_ {
        self.inner.drain(range).map(|(pos, vel, mass)| Particle { pos, vel, mass })
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
    pub fn get(&self, index: usize) -> ::core::option::Option<ParticleRef<'_>> {
        self.inner.get(index).map(|(pos, vel, mass)| ParticleRef { pos, vel, mass })
    }
    /// The fields of the element at `index`, mutably.
    #[inline]
    pub fn get_mut(&mut self, index: usize) -> ::core::option::Option<ParticleMut<'_>> {
        self.inner.get_mut(index).map(|(pos, vel, mass)| ParticleMut { pos, vel, mass })
    }
    /// Every column as a slice.
    #[inline]
    pub fn slices(&self) -> ParticleSlices<'_> {
        let (pos, vel, mass) = self.inner.slices();
        ParticleSlices { pos, vel, mass }
    }
    /// Every column as a mutable slice, all at once.
    #[inline]
    pub fn slices_mut(&mut self) -> ParticleSlicesMut<'_> {
        let (pos, vel, mass) = self.inner.slices_mut();
        ParticleSlicesMut {
            pos,
            vel,
            mass,
        }
    }
    /// Iterates over the elements' fields (as fast as zipping the column slices).
    #[inline]
    pub fn iter<'__soa>(
        &'__soa self,
    ) -> impl ::core::iter::ExactSizeIterator<
        Item = ParticleRef<'__soa>,
    > + ::core::iter::DoubleEndedIterator + '__soa {
        let __slices = self.inner.slices();
        __slices
            .0
            .iter()
            .zip(__slices.1.iter())
            .zip(__slices.2.iter())
            .map(|((pos, vel), mass)| ParticleRef { pos, vel, mass })
    }
    /// Iterates over the elements' fields mutably.
    #[inline]
    pub fn iter_mut<'__soa>(
        &'__soa mut self,
    ) -> impl ::core::iter::ExactSizeIterator<
        Item = ParticleMut<'__soa>,
    > + ::core::iter::DoubleEndedIterator + '__soa {
        let __slices = self.inner.slices_mut();
        __slices
            .0
            .iter_mut()
            .zip(__slices.1.iter_mut())
            .zip(__slices.2.iter_mut())
            .map(|((pos, vel), mass)| ParticleMut { pos, vel, mass })
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
    ///The `pos` column as a slice.
    #[inline]
    pub fn pos(&self) -> &[[f32; 3]] {
        self.inner.slices().0
    }
    ///The `pos` column as a mutable slice.
    #[inline]
    pub fn pos_mut(&mut self) -> &mut [[f32; 3]] {
        self.inner.slices_mut().0
    }
    ///The `pos` column as flat scalar lanes: element `i`'s components are `[i * N..(i + 1) * N]`.
    #[inline]
    pub fn pos_lanes(&self) -> &[f32] {
        self.pos().as_flattened()
    }
    ///The `pos` column as mutable flat scalar lanes, for loops the compiler vectorizes.
    #[inline]
    pub fn pos_lanes_mut(&mut self) -> &mut [f32] {
        self.pos_mut().as_flattened_mut()
    }
    ///The `vel` column as a slice.
    #[inline]
    fn vel(&self) -> &[[f32; 3]] {
        self.inner.slices().1
    }
    ///The `vel` column as a mutable slice.
    #[inline]
    fn vel_mut(&mut self) -> &mut [[f32; 3]] {
        self.inner.slices_mut().1
    }
    ///The `vel` column as flat scalar lanes: element `i`'s components are `[i * N..(i + 1) * N]`.
    #[inline]
    fn vel_lanes(&self) -> &[f32] {
        self.vel().as_flattened()
    }
    ///The `vel` column as mutable flat scalar lanes, for loops the compiler vectorizes.
    #[inline]
    fn vel_lanes_mut(&mut self) -> &mut [f32] {
        self.vel_mut().as_flattened_mut()
    }
    ///The `mass` column as a slice.
    #[inline]
    fn mass(&self) -> &[f32] {
        self.inner.slices().2
    }
    ///The `mass` column as a mutable slice.
    #[inline]
    fn mass_mut(&mut self) -> &mut [f32] {
        self.inner.slices_mut().2
    }
}
#[automatically_derived]
impl<A: ::framealloc::__private::Allocator> ::core::iter::Extend<Particle>
for ParticleSoa<A> {
    fn extend<__I: ::core::iter::IntoIterator<Item = Particle>>(&mut self, iter: __I) {
        let iter = ::core::iter::IntoIterator::into_iter(iter);
        self.reserve(::core::iter::Iterator::size_hint(&iter).0);
        for value in iter {
            self.push(value);
        }
    }
}
#[automatically_derived]
impl ::core::iter::FromIterator<Particle>
for ParticleSoa<::framealloc::__private::Global> {
    fn from_iter<__I: ::core::iter::IntoIterator<Item = Particle>>(iter: __I) -> Self {
        let mut soa = Self::new();
        ::core::iter::Extend::extend(&mut soa, iter);
        soa
    }
}
#[automatically_derived]
impl ::core::default::Default for ParticleSoa<::framealloc::__private::Global> {
    fn default() -> Self {
        Self::new()
    }
}
///The elements of a [`ParticleSoa`], by shared reference: `for x in &container`.
pub struct ParticleSoaIter<'__soa> {
    rest: ParticleSlices<'__soa>,
    len: usize,
}
impl<'__soa> ::core::iter::Iterator for ParticleSoaIter<'__soa> {
    type Item = ParticleRef<'__soa>;
    #[inline]
    fn next(&mut self) -> ::core::option::Option<Self::Item> {
        if self.len == 0 {
            return ::core::option::Option::None;
        }
        self.len -= 1;
        ::core::option::Option::Some(ParticleRef {
            pos: match self.rest.pos.split_first() {
                ::core::option::Option::Some((first, rest)) => {
                    self.rest.pos = rest;
                    first
                }
                ::core::option::Option::None => {
                    ::core::unreachable!("columns have equal lengths")
                }
            },
            vel: match self.rest.vel.split_first() {
                ::core::option::Option::Some((first, rest)) => {
                    self.rest.vel = rest;
                    first
                }
                ::core::option::Option::None => {
                    ::core::unreachable!("columns have equal lengths")
                }
            },
            mass: match self.rest.mass.split_first() {
                ::core::option::Option::Some((first, rest)) => {
                    self.rest.mass = rest;
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
impl<'__soa> ::core::iter::ExactSizeIterator for ParticleSoaIter<'__soa> {}
///The elements of a [`ParticleSoa`], by mutable reference: `for x in &mut container`.
pub struct ParticleSoaIterMut<'__soa> {
    rest: ParticleSlicesMut<'__soa>,
    len: usize,
}
impl<'__soa> ::core::iter::Iterator for ParticleSoaIterMut<'__soa> {
    type Item = ParticleMut<'__soa>;
    #[inline]
    fn next(&mut self) -> ::core::option::Option<Self::Item> {
        if self.len == 0 {
            return ::core::option::Option::None;
        }
        self.len -= 1;
        ::core::option::Option::Some(ParticleMut {
            pos: match ::core::mem::take(&mut self.rest.pos).split_first_mut() {
                ::core::option::Option::Some((first, rest)) => {
                    self.rest.pos = rest;
                    first
                }
                ::core::option::Option::None => {
                    ::core::unreachable!("columns have equal lengths")
                }
            },
            vel: match ::core::mem::take(&mut self.rest.vel).split_first_mut() {
                ::core::option::Option::Some((first, rest)) => {
                    self.rest.vel = rest;
                    first
                }
                ::core::option::Option::None => {
                    ::core::unreachable!("columns have equal lengths")
                }
            },
            mass: match ::core::mem::take(&mut self.rest.mass).split_first_mut() {
                ::core::option::Option::Some((first, rest)) => {
                    self.rest.mass = rest;
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
impl<'__soa> ::core::iter::ExactSizeIterator for ParticleSoaIterMut<'__soa> {}
impl<'__soa, A: ::framealloc::__private::Allocator> ::core::iter::IntoIterator
for &'__soa ParticleSoa<A> {
    type Item = ParticleRef<'__soa>;
    type IntoIter = ParticleSoaIter<'__soa>;
    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        ParticleSoaIter {
            rest: self.slices(),
            len: self.len(),
        }
    }
}
impl<'__soa, A: ::framealloc::__private::Allocator> ::core::iter::IntoIterator
for &'__soa mut ParticleSoa<A> {
    type Item = ParticleMut<'__soa>;
    type IntoIter = ParticleSoaIterMut<'__soa>;
    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        let len = self.len();
        ParticleSoaIterMut {
            rest: self.slices_mut(),
            len,
        }
    }
}
impl<A: ::framealloc::__private::Allocator> ::framealloc::__private::SoaContainer
for ParticleSoa<A> {
    type Item = Particle;
    type Ref<'__soa> = ParticleRef<'__soa> where Self: '__soa;
    #[inline]
    fn len(&self) -> usize {
        ParticleSoa::len(self)
    }
    #[inline]
    fn push(&mut self, item: Self::Item) {
        ParticleSoa::push(self, item)
    }
    #[inline]
    fn pop(&mut self) -> ::core::option::Option<Self::Item> {
        ParticleSoa::pop(self)
    }
    #[inline]
    fn get(&self, index: usize) -> ::core::option::Option<Self::Ref<'_>> {
        ParticleSoa::get(self, index)
    }
    #[inline]
    fn insert(&mut self, index: usize, item: Self::Item) {
        ParticleSoa::insert(self, index, item)
    }
    #[inline]
    fn remove(&mut self, index: usize) -> Self::Item {
        ParticleSoa::remove(self, index)
    }
    #[inline]
    fn swap_remove(&mut self, index: usize) -> Self::Item {
        ParticleSoa::swap_remove(self, index)
    }
    #[inline]
    fn truncate(&mut self, len: usize) {
        ParticleSoa::truncate(self, len)
    }
}
impl<'__soa> ::core::fmt::Debug for ParticleRef<'__soa>
where
    for<'__fmt> [f32; 3]: ::core::fmt::Debug,
    for<'__fmt> [f32; 3]: ::core::fmt::Debug,
    for<'__fmt> f32: ::core::fmt::Debug,
{
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        f.debug_struct("ParticleRef")
            .field("pos", &self.pos)
            .field("vel", &self.vel)
            .field("mass", &self.mass)
            .finish()
    }
}
impl<'__soa> ::core::cmp::PartialEq for ParticleRef<'__soa>
where
    for<'__eq> [f32; 3]: ::core::cmp::PartialEq,
    for<'__eq> [f32; 3]: ::core::cmp::PartialEq,
    for<'__eq> f32: ::core::cmp::PartialEq,
{
    fn eq(&self, other: &Self) -> bool {
        true && self.pos == other.pos && self.vel == other.vel && self.mass == other.mass
    }
}
impl<A: ::framealloc::__private::Allocator> ::core::fmt::Debug for ParticleSoa<A>
where
    for<'__fmt> [f32; 3]: ::core::fmt::Debug,
    for<'__fmt> [f32; 3]: ::core::fmt::Debug,
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
> ::core::cmp::PartialEq<ParticleSoa<__B>> for ParticleSoa<A>
where
    for<'__eq> [f32; 3]: ::core::cmp::PartialEq,
    for<'__eq> [f32; 3]: ::core::cmp::PartialEq,
    for<'__eq> f32: ::core::cmp::PartialEq,
{
    /// Equal lengths and equal elements, field by field.
    fn eq(&self, other: &ParticleSoa<__B>) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}
impl<A: ::framealloc::__private::Allocator> ::core::clone::Clone for ParticleSoa<A>
where
    A: ::core::clone::Clone,
    for<'__clone> [f32; 3]: ::core::clone::Clone,
    for<'__clone> [f32; 3]: ::core::clone::Clone,
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
            copy.push(Particle {
                pos: ::core::clone::Clone::clone(r.pos),
                vel: ::core::clone::Clone::clone(r.vel),
                mass: ::core::clone::Clone::clone(r.mass),
            });
        }
        copy
    }
}
#[automatically_derived]
impl<'__soa> ::core::convert::From<ParticleRef<'__soa>> for Particle
where
    for<'__clone> [f32; 3]: ::core::clone::Clone,
    for<'__clone> [f32; 3]: ::core::clone::Clone,
    for<'__clone> f32: ::core::clone::Clone,
{
    /// Clones the element's fields into a whole value.
    fn from(r: ParticleRef<'__soa>) -> Self {
        Particle {
            pos: ::core::clone::Clone::clone(r.pos),
            vel: ::core::clone::Clone::clone(r.vel),
            mass: ::core::clone::Clone::clone(r.mass),
        }
    }
}
