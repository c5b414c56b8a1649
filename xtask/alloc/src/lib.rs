//! The global allocator of the `xtask` binary: mimalloc.
//!
//! The generator builds and drops many small strings and trees: under glibc's allocator a
//! fifth of its instructions were `malloc` and `free`, and mimalloc runs the same generation
//! in 15 % fewer instructions (`cargo xtask bench` reports the in-process figure).
//!
//! A crate of its own because the allocator's entry points are compiled in the crate that
//! declares the `#[global_allocator]`, at that crate's optimisation level: xtask's own code
//! (disk IO, the bench's harness) is built unoptimised, which keeps its release build short,
//! while every allocation still goes through optimised code.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
