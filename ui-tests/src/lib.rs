//! The cases live in `cases/`, driven by `tests/ui.rs`; this crate has no code of its own.
