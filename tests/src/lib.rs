//! Behaviour tests of `framealloc` live in `tests/`; this crate has no code of its own.
