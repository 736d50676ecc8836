//! A small, safe layer over hand-written N-API bindings.
//!
//! The `napi`/`napi-derive` crates are not available to our offline builds, so this crate declares
//! the N-API functions itself ([`sys`]) and wraps them in a few safe types:
//!
//! - [`Env`] creates values and throws errors; [`JsValue`] reads strings, numbers, booleans,
//!   buffers, objects and arrays, with `TypeError`s that say what was expected and received;
//! - [`ToJs`] / [`FromJs`] convert Rust values both ways;
//! - [`Env::function`] exposes `fn(&CallContext) -> Result<JsValue>` to JavaScript: an `Err`
//!   becomes a thrown JS error and a panic is caught at the boundary and thrown as an `Error`
//!   with code `ERR_NATIVE_PANIC` — no panic ever unwinds into the engine;
//! - [`module!`] registers the addon (`napi_register_module_v1`).
//!
//! Lifetimes tie every value to the native call that produced it, so handles cannot escape
//! their handle scope.

pub mod convert;
pub mod env;
pub mod error;
pub mod function;
#[doc(hidden)]
pub mod module;
mod symbols;
pub mod sys;
pub mod value;

pub use convert::{Bytes, FromJs, ToJs};
pub use env::Env;
pub use error::{Error, ErrorKind, Result};
pub use function::{CallContext, NativeFn};
pub use value::{JsValue, ValueType};

/// The N-API version this crate targets (Node 20 provides 9).
pub const NAPI_VERSION: i32 = 8;
