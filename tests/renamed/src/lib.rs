//! The test lives in `tests/`; this crate has no code of its own.
