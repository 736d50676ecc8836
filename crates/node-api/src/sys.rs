//! Raw N-API declarations (from `js_native_api.h` / `node_api.h`, N-API version ≤ 9).
//!
//! The functions are resolved from the host process at first use rather than linked: Node exports
//! them from its own executable, which Linux resolves lazily, macOS only with
//! `-undefined dynamic_lookup`, and Windows only through an import library for `node.exe`. Looking
//! them up ourselves gives one code path on every platform and lets `cargo test` link without Node.

#![allow(non_camel_case_types, missing_docs)]

use std::ffi::{c_char, c_int, c_void};

/// Opaque N-API environment handle.
#[repr(C)]
pub struct napi_env__ {
    _private: [u8; 0],
}
/// Opaque N-API value handle.
#[repr(C)]
pub struct napi_value__ {
    _private: [u8; 0],
}
/// Opaque callback-info handle.
#[repr(C)]
pub struct napi_callback_info__ {
    _private: [u8; 0],
}

pub type napi_env = *mut napi_env__;
pub type napi_value = *mut napi_value__;
pub type napi_callback_info = *mut napi_callback_info__;
pub type napi_status = c_int;
pub type napi_valuetype = c_int;
pub type napi_callback =
    Option<unsafe extern "C" fn(env: napi_env, info: napi_callback_info) -> napi_value>;

/// `napi_extended_error_info` as returned by `napi_get_last_error_info`.
#[repr(C)]
pub struct napi_extended_error_info {
    pub error_message: *const c_char,
    pub engine_reserved: *mut c_void,
    pub engine_error_code: u32,
    pub error_code: napi_status,
}

pub const NAPI_OK: napi_status = 0;
pub const NAPI_PENDING_EXCEPTION: napi_status = 10;

pub const NAPI_UNDEFINED: napi_valuetype = 0;
pub const NAPI_NULL: napi_valuetype = 1;
pub const NAPI_BOOLEAN: napi_valuetype = 2;
pub const NAPI_NUMBER: napi_valuetype = 3;
pub const NAPI_STRING: napi_valuetype = 4;
pub const NAPI_SYMBOL: napi_valuetype = 5;
pub const NAPI_OBJECT: napi_valuetype = 6;
pub const NAPI_FUNCTION: napi_valuetype = 7;
pub const NAPI_EXTERNAL: napi_valuetype = 8;
pub const NAPI_BIGINT: napi_valuetype = 9;

/// Declares each N-API function as an `unsafe fn` that calls the host's implementation through a
/// pointer looked up once and cached.
macro_rules! napi_functions {
    ($( fn $name:ident ( $( $arg:ident : $ty:ty ),* $(,)? ) ; )*) => {
        $(
            /// Calls the host process's N-API function of the same name.
            ///
            /// # Safety
            /// Same contract as the C function: valid `env` and handles of the current scope.
            #[inline]
            pub unsafe fn $name( $( $arg : $ty ),* ) -> napi_status {
                use std::sync::atomic::{AtomicPtr, Ordering};
                static SLOT: AtomicPtr<c_void> = AtomicPtr::new(std::ptr::null_mut());
                let mut ptr = SLOT.load(Ordering::Acquire);
                if ptr.is_null() {
                    ptr = crate::symbols::require(concat!(stringify!($name), "\0"));
                    SLOT.store(ptr, Ordering::Release);
                }
                // SAFETY: the symbol was exported by the host under this exact name, whose C
                // signature is the one declared here (js_native_api.h, N-API ≤ 9).
                let f: unsafe extern "C" fn( $( $ty ),* ) -> napi_status = unsafe { std::mem::transmute(ptr) };
                // SAFETY: forwarded to the caller's contract.
                unsafe { f( $( $arg ),* ) }
            }
        )*
    };
}

napi_functions! {
    fn napi_get_last_error_info(env: napi_env, result: *mut *const napi_extended_error_info);
    fn napi_get_undefined(env: napi_env, result: *mut napi_value);
    fn napi_get_null(env: napi_env, result: *mut napi_value);
    fn napi_get_global(env: napi_env, result: *mut napi_value);
    fn napi_get_boolean(env: napi_env, value: bool, result: *mut napi_value);
    fn napi_create_object(env: napi_env, result: *mut napi_value);
    fn napi_create_array_with_length(env: napi_env, length: usize, result: *mut napi_value);
    fn napi_create_double(env: napi_env, value: f64, result: *mut napi_value);
    fn napi_create_int64(env: napi_env, value: i64, result: *mut napi_value);
    fn napi_create_uint32(env: napi_env, value: u32, result: *mut napi_value);
    fn napi_create_string_utf8(env: napi_env, str: *const c_char, length: usize, result: *mut napi_value);
    fn napi_create_error(env: napi_env, code: napi_value, msg: napi_value, result: *mut napi_value);
    fn napi_create_type_error(env: napi_env, code: napi_value, msg: napi_value, result: *mut napi_value);
    fn napi_create_range_error(env: napi_env, code: napi_value, msg: napi_value, result: *mut napi_value);
    fn napi_typeof(env: napi_env, value: napi_value, result: *mut napi_valuetype);
    fn napi_get_value_double(env: napi_env, value: napi_value, result: *mut f64);
    fn napi_get_value_int64(env: napi_env, value: napi_value, result: *mut i64);
    fn napi_get_value_uint32(env: napi_env, value: napi_value, result: *mut u32);
    fn napi_get_value_bool(env: napi_env, value: napi_value, result: *mut bool);
    fn napi_get_value_string_utf8(env: napi_env, value: napi_value, buf: *mut c_char, bufsize: usize, result: *mut usize);
    fn napi_get_property_names(env: napi_env, object: napi_value, result: *mut napi_value);
    fn napi_set_named_property(env: napi_env, object: napi_value, utf8name: *const c_char, value: napi_value);
    fn napi_get_named_property(env: napi_env, object: napi_value, utf8name: *const c_char, result: *mut napi_value);
    fn napi_has_named_property(env: napi_env, object: napi_value, utf8name: *const c_char, result: *mut bool);
    fn napi_set_property(env: napi_env, object: napi_value, key: napi_value, value: napi_value);
    fn napi_get_property(env: napi_env, object: napi_value, key: napi_value, result: *mut napi_value);
    fn napi_set_element(env: napi_env, object: napi_value, index: u32, value: napi_value);
    fn napi_get_element(env: napi_env, object: napi_value, index: u32, result: *mut napi_value);
    fn napi_is_array(env: napi_env, value: napi_value, result: *mut bool);
    fn napi_get_array_length(env: napi_env, value: napi_value, result: *mut u32);
    fn napi_create_function(env: napi_env, utf8name: *const c_char, length: usize, cb: napi_callback, data: *mut c_void, result: *mut napi_value);
    fn napi_get_cb_info(env: napi_env, cbinfo: napi_callback_info, argc: *mut usize, argv: *mut napi_value, this_arg: *mut napi_value, data: *mut *mut c_void);
    fn napi_call_function(env: napi_env, recv: napi_value, func: napi_value, argc: usize, argv: *const napi_value, result: *mut napi_value);
    fn napi_throw(env: napi_env, error: napi_value);
    fn napi_is_exception_pending(env: napi_env, result: *mut bool);
    fn napi_is_error(env: napi_env, value: napi_value, result: *mut bool);
    fn napi_create_buffer_copy(env: napi_env, length: usize, data: *const c_void, result_data: *mut *mut c_void, result: *mut napi_value);
    fn napi_is_buffer(env: napi_env, value: napi_value, result: *mut bool);
    fn napi_get_buffer_info(env: napi_env, value: napi_value, data: *mut *mut c_void, length: *mut usize);
}
