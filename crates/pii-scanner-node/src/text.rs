//! Reads a JavaScript string into a per-thread buffer that is reused from call to call.
//!
//! `String::from_js` allocates a fresh `Vec` per call and asks N-API twice (once for the UTF-8
//! length, once for the bytes); for multi-megabyte payloads that is a new `mmap`, page faults and an
//! extra pass over the text every time. Scanning only borrows the text for the duration of the
//! call, so one growing buffer per thread serves every call, and the caller's `text.length` (three
//! UTF-8 bytes per UTF-16 unit at most) makes one N-API call enough.

use std::cell::RefCell;
use std::ffi::c_char;

use node_api::{sys, Error, JsValue, Result, ValueType};

/// Buffers above this size are released after the call instead of being kept for the next one.
const KEEP_AT_MOST: usize = 64 * 1024 * 1024;

thread_local! {
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

fn utf8_len(env: sys::napi_env, value: JsValue<'_>, at: &str) -> Result<usize> {
    let mut len = 0usize;
    // SAFETY: a null buffer asks for the UTF-8 length (bytes, without terminator); `value` is a
    // string handle of the current call and `len` a live out pointer.
    let status = unsafe {
        sys::napi_get_value_string_utf8(env, value.raw(), std::ptr::null_mut(), 0, &mut len)
    };
    if status != sys::NAPI_OK {
        return Err(Error::new(format!(
            "{at}: cannot read the string (napi_status {status})"
        )));
    }
    Ok(len)
}

/// Calls `f` with the UTF-8 text of `value` (a JS string), borrowed from the thread's buffer.
/// `at` names the argument in the `TypeError` for a non-string; `utf16_len` is the string's
/// JavaScript `length` when the caller knows it.
pub fn with_text<R>(
    value: JsValue<'_>,
    at: &str,
    utf16_len: Option<usize>,
    f: impl FnOnce(&str) -> Result<R>,
) -> Result<R> {
    if value.value_type()? != ValueType::String {
        return Err(Error::expected("a string", &value.describe(), at));
    }
    let env = value.env().raw();
    let bound = match utf16_len.and_then(|n| n.checked_mul(3)) {
        Some(bound) => bound,
        None => utf8_len(env, value, at)?,
    };
    let copied = BUFFER.with(|cell| -> Result<bool> {
        let mut buffer = cell.borrow_mut();
        buffer.clear();
        buffer.reserve(bound + 1);
        let mut written = 0usize;
        // SAFETY: the buffer has capacity for `bound` bytes plus the terminator N-API writes; only
        // the `written` bytes N-API reports are exposed afterwards.
        let status = unsafe {
            sys::napi_get_value_string_utf8(
                env,
                value.raw(),
                buffer.as_mut_ptr() as *mut c_char,
                bound + 1,
                &mut written,
            )
        };
        if status != sys::NAPI_OK {
            return Err(Error::new(format!(
                "{at}: cannot read the string (napi_status {status})"
            )));
        }
        // SAFETY: N-API initialised `written` bytes (≤ capacity).
        unsafe { buffer.set_len(written) };
        // A copy that (nearly) fills the buffer may have been cut short: a wrong length hint, or
        // text made only of 3-byte characters. Never scan a truncated text.
        Ok(utf16_len.is_none() || written + 4 <= bound)
    })?;
    if !copied {
        return with_text(value, at, None, f);
    }
    BUFFER.with(|cell| {
        let mut buffer = cell.borrow_mut();
        // N-API writes lone surrogates as U+FFFD, so the bytes are UTF-8; stay defensive anyway.
        let result = match std::str::from_utf8(&buffer) {
            Ok(text) => f(text),
            Err(_) => f(&String::from_utf8_lossy(&buffer)),
        };
        if buffer.capacity() > KEEP_AT_MOST {
            *buffer = Vec::new();
        }
        result
    })
}
