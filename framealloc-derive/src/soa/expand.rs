//! Expansion of `#[soa]`: the container, its element views and their methods.
//!
//! The generated code contains no `unsafe`: the container wraps
//! `framealloc::soa::SoaVec<(F0, F1, ..), A>`, whose columns are typed by the tuple,
//! and only moves fields in and out of tuples.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::parse_quote;

use super::attr::Model;

/// The generic arguments of `generics` (`'a, T, N`), for naming the type with other
/// parameters added.
fn args(generics: &syn::Generics) -> Vec<TokenStream> {
    generics
        .params
        .iter()
        .map(|p| match p {
            syn::GenericParam::Lifetime(l) => {
                let l = &l.lifetime;
                quote!(#l)
            }
            syn::GenericParam::Type(t) => {
                let t = &t.ident;
                quote!(#t)
            }
            syn::GenericParam::Const(c) => {
                let c = &c.ident;
                quote!(#c)
            }
        })
        .collect()
}

pub(crate) fn expand(model: &Model) -> TokenStream {
    let Model {
        vis,
        ident,
        krate,
        soa,
        refs,
        muts,
        slices,
        slices_mut,
        column_align,
        ..
    } = model;
    let alloc_trait = quote!(#krate::__private::Allocator);
    let global = quote!(#krate::__private::Global);
    let where_clause = &model.generics.where_clause;
    let user_args = args(&model.generics);
    let (user_impl, _, _) = model.generics.split_for_impl();

    // The container: the user's parameters plus the allocator, defaulting to the heap.
    let mut soa_generics = model.generics.clone();
    soa_generics
        .params
        .push(parse_quote!(A: #alloc_trait = #global));
    let soa_params = &soa_generics.params;
    let mut soa_impl_generics = model.generics.clone();
    soa_impl_generics.params.push(parse_quote!(A: #alloc_trait));
    let (soa_impl, _, _) = soa_impl_generics.split_for_impl();
    let soa_impl_params = &soa_impl_generics.params;

    // The views: a borrow lifetime first, then the user's parameters.
    let mut view_generics = model.generics.clone();
    view_generics.params.insert(0, parse_quote!('__soa));
    let view_params = &view_generics.params;

    let names: Vec<_> = model.fields.iter().map(|f| &f.ident).collect();
    let tys: Vec<_> = model.fields.iter().map(|f| &f.ty).collect();
    let vises: Vec<_> = model.fields.iter().map(|f| &f.vis).collect();
    let indices: Vec<syn::Index> = (0..names.len()).map(syn::Index::from).collect();
    let tuple = quote!((#(#tys,)*));

    // Zipped slice iterators, and the nested pattern that takes them apart.
    let zipped = |method: TokenStream| {
        let mut iter = quote!(__slices.0.#method());
        let mut pat = {
            let n = names[0];
            quote!(#n)
        };
        for (i, name) in indices.iter().zip(&names).skip(1) {
            iter = quote!(#iter.zip(__slices.#i.#method()));
            pat = quote!((#pat, #name));
        }
        (iter, pat)
    };
    let (iter_expr, iter_pat) = zipped(quote!(iter));
    // Named iterators for `IntoIterator` on `&container` and `&mut container` (the `iter`
    // methods return the faster zipped ones, which have no nameable type).
    let iter_ty = format_ident!("{}Iter", soa);
    let iter_mut_ty = format_ident!("{}IterMut", soa);
    let iter_doc =
        format!("The elements of a [`{soa}`], by shared reference: `for x in &container`.");
    let iter_mut_doc =
        format!("The elements of a [`{soa}`], by mutable reference: `for x in &mut container`.");
    let (iter_mut_expr, iter_mut_pat) = zipped(quote!(iter_mut));

    let accessors = model.fields.iter().zip(&indices).map(|(f, i)| {
        let (fvis, name, ty) = (&f.vis, &f.ident, &f.ty);
        let name_mut = format_ident!("{}_mut", name);
        let doc = format!("The `{name}` column as a slice.");
        let doc_mut = format!("The `{name}` column as a mutable slice.");
        let lanes = f.lane.as_ref().map(|elem| {
            let lanes = format_ident!("{}_lanes", name);
            let lanes_mut = format_ident!("{}_lanes_mut", name);
            let doc = format!("The `{name}` column as flat scalar lanes: element `i`'s components are `[i * N..(i + 1) * N]`.");
            let doc_mut = format!("The `{name}` column as mutable flat scalar lanes, for loops the compiler vectorizes.");
            quote! {
                #[doc = #doc]
                #[inline]
                #fvis fn #lanes(&self) -> &[#elem] {
                    self.#name().as_flattened()
                }
                #[doc = #doc_mut]
                #[inline]
                #fvis fn #lanes_mut(&mut self) -> &mut [#elem] {
                    self.#name_mut().as_flattened_mut()
                }
            }
        });
        quote! {
            #[doc = #doc]
            #[inline]
            #fvis fn #name(&self) -> &[#ty] {
                self.inner.slices().#i
            }
            #[doc = #doc_mut]
            #[inline]
            #fvis fn #name_mut(&mut self) -> &mut [#ty] {
                self.inner.slices_mut().#i
            }
            #lanes
        }
    });

    let soa_doc = format!(
        "Struct-of-arrays storage of [`{ident}`]: one column per field, all in one allocation, each \
         column starting on a {column_align}-byte boundary. `A` is the allocator: the heap by \
         default, or a frame (`{soa}::new_in(&frame)`)."
    );
    let refs_doc = format!("Shared references to the fields of one element of a [`{soa}`].");
    let muts_doc = format!("Mutable references to the fields of one element of a [`{soa}`].");
    let slices_doc = format!("Every column of a [`{soa}`] as a slice.");
    let slices_mut_doc = format!(
        "Every column of a [`{soa}`] as a mutable slice, all at once: an update loop can write one \
         column while reading another."
    );

    // Higher-ranked, so that for a field type that is not `Clone` the compiler takes the
    // impl as inapplicable instead of rejecting a trivially false bound (E0277 on a struct
    // that never asked to be cloned).
    let clone_bounds = quote!(#(for<'__clone> #tys: ::core::clone::Clone,)*);
    let where_preds = where_clause.iter().flat_map(|w| w.predicates.iter());
    let where_preds = quote!(#(#where_preds,)*);
    // The container and its views are `Debug` and `PartialEq` when every field type is, and
    // the container is `Clone` when every field type and the allocator are; the bounds are
    // higher-ranked for the same reason as `clone_bounds`.
    let debug_bounds = quote!(#(for<'__fmt> #tys: ::core::fmt::Debug,)*);
    let eq_bounds = quote!(#(for<'__eq> #tys: ::core::cmp::PartialEq,)*);
    let name_strs: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let refs_str = refs.to_string();
    // A second allocator parameter, for comparing containers in different allocators.
    let mut two_alloc_generics = soa_impl_generics.clone();
    two_alloc_generics
        .params
        .push(parse_quote!(__B: #alloc_trait));
    let (two_alloc_impl, _, _) = two_alloc_generics.split_for_impl();

    // A struct with its own `Drop` cannot be split into columns (its destructor needs the
    // whole value): every body that takes a value apart first asks whether it does, so the
    // refusal is one worded error instead of "cannot move out of a type that implements Drop".
    let no_drop_check = quote! {
        {
            use #krate::__private::drop_check::{ProbeImplementsDrop as _, ProbeNotDrop as _};
            #krate::__private::drop_check::assert_no_drop::<#ident<#(#user_args),*>, _>(
                (&#krate::__private::drop_check::DropProbe::<#ident<#(#user_args),*>>::new()).probe(),
            );
        }
    };

    quote! {
        #[doc = #soa_doc]
        #vis struct #soa<#soa_params> #where_clause {
            inner: #krate::__private::SoaVec<#tuple, A>,
        }

        #[doc = #refs_doc]
        #[allow(dead_code)] // a view's user need not read every field
        #[derive(::core::clone::Clone, ::core::marker::Copy)]
        #vis struct #refs<#view_params> #where_clause {
            #(#[allow(missing_docs)] #vises #names: &'__soa #tys,)*
        }

        #[doc = #muts_doc]
        #[allow(dead_code)] // a view's user need not read every field
        #vis struct #muts<#view_params> #where_clause {
            #(#[allow(missing_docs)] #vises #names: &'__soa mut #tys,)*
        }

        #[doc = #slices_doc]
        #[allow(dead_code)] // a view's user need not read every field
        #[derive(::core::clone::Clone, ::core::marker::Copy)]
        #vis struct #slices<#view_params> #where_clause {
            #(#[allow(missing_docs)] #vises #names: &'__soa [#tys],)*
        }

        #[doc = #slices_mut_doc]
        #[allow(dead_code)] // a view's user need not read every field
        #vis struct #slices_mut<#view_params> #where_clause {
            #(#[allow(missing_docs)] #vises #names: &'__soa mut [#tys],)*
        }

        impl #user_impl #soa<#(#user_args,)* #global> #where_clause {
            /// An empty container on the heap. Allocates nothing yet.
            #[inline]
            #[track_caller]
            pub fn new() -> Self {
                Self::new_in(#global)
            }

            /// A container on the heap with room for `capacity` elements.
            #[inline]
            #[track_caller]
            pub fn with_capacity(capacity: usize) -> Self {
                Self::with_capacity_in(capacity, #global)
            }
        }

        // Not `#[automatically_derived]`: the dead-code lint ignores field reads inside such
        // impls, and `push` is where a field that lives only in its column is read.
        impl #soa_impl #soa<#(#user_args,)* A> #where_clause {
            /// An empty container that allocates from `alloc` (for example `&frame`).
            #[inline]
            #[track_caller]
            pub fn new_in(alloc: A) -> Self {
                #soa {
                    inner: #krate::__private::SoaVec::new_in(#column_align, alloc)
                        .named(&[#(::core::stringify!(#names)),*]),
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
            pub fn try_reserve(&mut self, additional: usize) -> ::core::result::Result<(), #krate::__private::AllocError> {
                self.inner.try_reserve(additional)
            }

            /// Appends an element, split into its columns. Panic-safe: the value is whole
            /// before anything is written, and a failed growth writes nothing.
            #[inline]
            #[track_caller]
            pub fn push(&mut self, value: #ident<#(#user_args),*>) {
                // Field moves (not a destructuring pattern), so a field only ever read through
                // its column still counts as read for the dead-code lint.
                #no_drop_check
                self.inner.push((#(value.#names,)*))
            }

            /// Removes the last element and puts it back together.
            #[inline]
            pub fn pop(&mut self) -> ::core::option::Option<#ident<#(#user_args),*>> {
                self.inner.pop().map(|(#(#names,)*)| #ident { #(#names),* })
            }

            /// Removes the element at `index`, moving the last one into its place.
            ///
            /// # Panics
            ///
            /// If `index >= len`.
            #[inline]
            #[track_caller]
            pub fn swap_remove(&mut self, index: usize) -> #ident<#(#user_args),*> {
                let (#(#names,)*) = self.inner.swap_remove(index);
                #ident { #(#names),* }
            }

            /// Inserts an element at `index`, shifting the elements after it up in every column.
            ///
            /// # Panics
            ///
            /// If `index > len`, or when growing fails.
            #[inline]
            #[track_caller]
            pub fn insert(&mut self, index: usize, value: #ident<#(#user_args),*>) {
                #no_drop_check
                self.inner.insert(index, (#(value.#names,)*))
            }

            /// Removes the element at `index`, shifting the elements after it down in every
            /// column, and puts it back together.
            ///
            /// # Panics
            ///
            /// If `index >= len`.
            #[inline]
            #[track_caller]
            pub fn remove(&mut self, index: usize) -> #ident<#(#user_args),*> {
                let (#(#names,)*) = self.inner.remove(index);
                #ident { #(#names),* }
            }

            /// Keeps only the elements for which `keep` returns `true`, in order. `keep` sees
            /// every element first; if it panics, nothing is removed. Every column stays the
            /// same length even if a destructor panics.
            pub fn retain(&mut self, mut keep: impl ::core::ops::FnMut(#refs<'_, #(#user_args),*>) -> bool) {
                let flags: #krate::__private::Vec<bool> = self.iter().map(|r| keep(r)).collect();
                self.inner.retain_mask(&flags)
            }

            /// Sorts the elements by `compare` (stable), moving every column alike. The order
            /// is found first; if `compare` panics, nothing has moved.
            pub fn sort_by(
                &mut self,
                mut compare: impl ::core::ops::FnMut(#refs<'_, #(#user_args),*>, #refs<'_, #(#user_args),*>) -> ::core::cmp::Ordering,
            ) {
                let mut order: #krate::__private::Vec<usize> = (0..self.len()).collect();
                order.sort_by(|&a, &b| {
                    match (self.get(a), self.get(b)) {
                        (::core::option::Option::Some(x), ::core::option::Option::Some(y)) => compare(x, y),
                        _ => ::core::unreachable!("sort indices are below the length"),
                    }
                });
                self.inner.permute(&order)
            }

            /// Sorts the elements by a key (stable), moving every column alike.
            pub fn sort_by_key<__K: ::core::cmp::Ord>(&mut self, mut key: impl ::core::ops::FnMut(#refs<'_, #(#user_args),*>) -> __K) {
                self.sort_by(|a, b| key(a).cmp(&key(b)))
            }

            /// The columns of the elements in `range`, as slices.
            ///
            /// # Panics
            ///
            /// If the range is out of bounds.
            #[inline]
            #[track_caller]
            pub fn slices_range(&self, range: impl ::core::ops::RangeBounds<usize>) -> #slices<'_, #(#user_args),*> {
                let (#(#names,)*) = self.inner.slices_range(range);
                #slices { #(#names),* }
            }

            /// The columns of the elements in `range`, as mutable slices.
            ///
            /// # Panics
            ///
            /// If the range is out of bounds.
            #[inline]
            #[track_caller]
            pub fn slices_range_mut(&mut self, range: impl ::core::ops::RangeBounds<usize>) -> #slices_mut<'_, #(#user_args),*> {
                let (#(#names,)*) = self.inner.slices_range_mut(range);
                #slices_mut { #(#names),* }
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
                #soa { inner: self.inner.split_off(at) }
            }

            /// Moves every element of `other` to the end of this container.
            #[inline]
            #[track_caller]
            pub fn append<__B: #alloc_trait>(&mut self, other: &mut #soa<#(#user_args,)* __B>) {
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
            ) -> impl ::core::iter::DoubleEndedIterator<Item = #ident<#(#user_args),*>>
                   + ::core::iter::ExactSizeIterator
                   + '_ {
                self.inner.drain(range).map(|(#(#names,)*)| #ident { #(#names),* })
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
            pub fn get(&self, index: usize) -> ::core::option::Option<#refs<'_, #(#user_args),*>> {
                self.inner.get(index).map(|(#(#names,)*)| #refs { #(#names),* })
            }

            /// The fields of the element at `index`, mutably.
            #[inline]
            pub fn get_mut(&mut self, index: usize) -> ::core::option::Option<#muts<'_, #(#user_args),*>> {
                self.inner.get_mut(index).map(|(#(#names,)*)| #muts { #(#names),* })
            }

            /// Every column as a slice.
            #[inline]
            pub fn slices(&self) -> #slices<'_, #(#user_args),*> {
                let (#(#names,)*) = self.inner.slices();
                #slices { #(#names),* }
            }

            /// Every column as a mutable slice, all at once.
            #[inline]
            pub fn slices_mut(&mut self) -> #slices_mut<'_, #(#user_args),*> {
                let (#(#names,)*) = self.inner.slices_mut();
                #slices_mut { #(#names),* }
            }

            /// Iterates over the elements' fields (as fast as zipping the column slices).
            #[inline]
            pub fn iter<'__soa>(&'__soa self) -> impl ::core::iter::ExactSizeIterator<Item = #refs<'__soa, #(#user_args),*>>
                   + ::core::iter::DoubleEndedIterator + '__soa {
                let __slices = self.inner.slices();
                #iter_expr.map(|#iter_pat| #refs { #(#names),* })
            }

            /// Iterates over the elements' fields mutably.
            #[inline]
            pub fn iter_mut<'__soa>(&'__soa mut self) -> impl ::core::iter::ExactSizeIterator<Item = #muts<'__soa, #(#user_args),*>>
                   + ::core::iter::DoubleEndedIterator + '__soa {
                let __slices = self.inner.slices_mut();
                #iter_mut_expr.map(|#iter_mut_pat| #muts { #(#names),* })
            }

            /// The start of each column (for checking alignment), in field order.
            pub fn column_ptrs(&self) -> [*const u8; #krate::__private::MAX_COLUMNS] {
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
            pub fn check_guards(&self) -> ::core::result::Result<(), #krate::__private::GuardReport> {
                self.inner.check_guards()
            }

            #(#accessors)*
        }

        #[automatically_derived]
        impl #soa_impl ::core::iter::Extend<#ident<#(#user_args),*>> for #soa<#(#user_args,)* A> #where_clause {
            fn extend<__I: ::core::iter::IntoIterator<Item = #ident<#(#user_args),*>>>(&mut self, iter: __I) {
                let iter = ::core::iter::IntoIterator::into_iter(iter);
                self.reserve(::core::iter::Iterator::size_hint(&iter).0);
                for value in iter {
                    self.push(value);
                }
            }
        }

        #[automatically_derived]
        impl #user_impl ::core::iter::FromIterator<#ident<#(#user_args),*>> for #soa<#(#user_args,)* #global> #where_clause {
            fn from_iter<__I: ::core::iter::IntoIterator<Item = #ident<#(#user_args),*>>>(iter: __I) -> Self {
                let mut soa = Self::new();
                ::core::iter::Extend::extend(&mut soa, iter);
                soa
            }
        }

        #[automatically_derived]
        impl #user_impl ::core::default::Default for #soa<#(#user_args,)* #global> #where_clause {
            fn default() -> Self {
                Self::new()
            }
        }

        #[doc = #iter_doc]
        #vis struct #iter_ty<#view_params> #where_clause {
            rest: #slices<'__soa, #(#user_args),*>,
            len: usize,
        }

        impl<#view_params> ::core::iter::Iterator for #iter_ty<'__soa, #(#user_args),*> #where_clause {
            type Item = #refs<'__soa, #(#user_args),*>;

            #[inline]
            fn next(&mut self) -> ::core::option::Option<Self::Item> {
                if self.len == 0 {
                    return ::core::option::Option::None;
                }
                self.len -= 1;
                ::core::option::Option::Some(#refs {
                    #(#names: match self.rest.#names.split_first() {
                        ::core::option::Option::Some((first, rest)) => {
                            self.rest.#names = rest;
                            first
                        }
                        ::core::option::Option::None => ::core::unreachable!("columns have equal lengths"),
                    },)*
                })
            }

            #[inline]
            fn size_hint(&self) -> (usize, ::core::option::Option<usize>) {
                (self.len, ::core::option::Option::Some(self.len))
            }
        }

        impl<#view_params> ::core::iter::ExactSizeIterator for #iter_ty<'__soa, #(#user_args),*> #where_clause {}

        #[doc = #iter_mut_doc]
        #vis struct #iter_mut_ty<#view_params> #where_clause {
            rest: #slices_mut<'__soa, #(#user_args),*>,
            len: usize,
        }

        impl<#view_params> ::core::iter::Iterator for #iter_mut_ty<'__soa, #(#user_args),*> #where_clause {
            type Item = #muts<'__soa, #(#user_args),*>;

            #[inline]
            fn next(&mut self) -> ::core::option::Option<Self::Item> {
                if self.len == 0 {
                    return ::core::option::Option::None;
                }
                self.len -= 1;
                ::core::option::Option::Some(#muts {
                    #(#names: match ::core::mem::take(&mut self.rest.#names).split_first_mut() {
                        ::core::option::Option::Some((first, rest)) => {
                            self.rest.#names = rest;
                            first
                        }
                        ::core::option::Option::None => ::core::unreachable!("columns have equal lengths"),
                    },)*
                })
            }

            #[inline]
            fn size_hint(&self) -> (usize, ::core::option::Option<usize>) {
                (self.len, ::core::option::Option::Some(self.len))
            }
        }

        impl<#view_params> ::core::iter::ExactSizeIterator for #iter_mut_ty<'__soa, #(#user_args),*> #where_clause {}

        impl<'__soa, #soa_impl_params> ::core::iter::IntoIterator for &'__soa #soa<#(#user_args,)* A> #where_clause {
            type Item = #refs<'__soa, #(#user_args),*>;
            type IntoIter = #iter_ty<'__soa, #(#user_args),*>;

            #[inline]
            fn into_iter(self) -> Self::IntoIter {
                #iter_ty { rest: self.slices(), len: self.len() }
            }
        }

        impl<'__soa, #soa_impl_params> ::core::iter::IntoIterator for &'__soa mut #soa<#(#user_args,)* A> #where_clause {
            type Item = #muts<'__soa, #(#user_args),*>;
            type IntoIter = #iter_mut_ty<'__soa, #(#user_args),*>;

            #[inline]
            fn into_iter(self) -> Self::IntoIter {
                let len = self.len();
                #iter_mut_ty { rest: self.slices_mut(), len }
            }
        }

        impl #soa_impl #krate::__private::SoaContainer for #soa<#(#user_args,)* A> #where_clause {
            type Item = #ident<#(#user_args),*>;
            type Ref<'__soa> = #refs<'__soa, #(#user_args),*> where Self: '__soa;

            #[inline]
            fn len(&self) -> usize {
                #soa::len(self)
            }
            #[inline]
            fn push(&mut self, item: Self::Item) {
                #soa::push(self, item)
            }
            #[inline]
            fn pop(&mut self) -> ::core::option::Option<Self::Item> {
                #soa::pop(self)
            }
            #[inline]
            fn get(&self, index: usize) -> ::core::option::Option<Self::Ref<'_>> {
                #soa::get(self, index)
            }
            #[inline]
            fn insert(&mut self, index: usize, item: Self::Item) {
                #soa::insert(self, index, item)
            }
            #[inline]
            fn remove(&mut self, index: usize) -> Self::Item {
                #soa::remove(self, index)
            }
            #[inline]
            fn swap_remove(&mut self, index: usize) -> Self::Item {
                #soa::swap_remove(self, index)
            }
            #[inline]
            fn truncate(&mut self, len: usize) {
                #soa::truncate(self, len)
            }
        }

        impl<#view_params> ::core::fmt::Debug for #refs<'__soa, #(#user_args),*>
        where
            #where_preds
            #debug_bounds
        {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#refs_str)
                    #(.field(#name_strs, &self.#names))*
                    .finish()
            }
        }

        impl<#view_params> ::core::cmp::PartialEq for #refs<'__soa, #(#user_args),*>
        where
            #where_preds
            #eq_bounds
        {
            fn eq(&self, other: &Self) -> bool {
                true #(&& self.#names == other.#names)*
            }
        }

        impl #soa_impl ::core::fmt::Debug for #soa<#(#user_args,)* A>
        where
            #where_preds
            #debug_bounds
        {
            /// The elements, as a list of their field views.
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_list().entries(self.iter()).finish()
            }
        }

        impl #two_alloc_impl ::core::cmp::PartialEq<#soa<#(#user_args,)* __B>> for #soa<#(#user_args,)* A>
        where
            #where_preds
            #eq_bounds
        {
            /// Equal lengths and equal elements, field by field.
            fn eq(&self, other: &#soa<#(#user_args,)* __B>) -> bool {
                self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
            }
        }

        impl #soa_impl ::core::clone::Clone for #soa<#(#user_args,)* A>
        where
            A: ::core::clone::Clone,
            #where_preds
            #clone_bounds
        {
            /// A copy in a clone of the allocator (the same frame, for a frame's container).
            #[track_caller]
            fn clone(&self) -> Self {
                let mut copy = Self::with_capacity_in(self.len(), ::core::clone::Clone::clone(self.allocator()));
                for r in self.iter() {
                    copy.push(#ident { #(#names: ::core::clone::Clone::clone(r.#names)),* });
                }
                copy
            }
        }

        #[automatically_derived]
        impl<#view_params> ::core::convert::From<#refs<'__soa, #(#user_args),*>> for #ident<#(#user_args),*>
        where
            #where_preds
            #clone_bounds
        {
            /// Clones the element's fields into a whole value.
            fn from(r: #refs<'__soa, #(#user_args),*>) -> Self {
                #ident { #(#names: ::core::clone::Clone::clone(r.#names)),* }
            }
        }
    }
}
