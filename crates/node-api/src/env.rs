//! The N-API environment of one call: creates values and throws errors.

use std::ffi::{c_char, CStr};
use std::marker::PhantomData;
use std::ptr;

use crate::error::{Error, ErrorKind, Result};
use crate::sys;
use crate::value::JsValue;

/// The environment of the current native call. Values created through it live until the call
/// returns (the lifetime `'e` keeps them from escaping the handle scope).
#[derive(Clone, Copy)]
pub struct Env<'e> {
    raw: sys::napi_env,
    _scope: PhantomData<&'e ()>,
}

impl<'e> Env<'e> {
    /// Wraps a raw environment handle.
    ///
    /// # Safety
    /// `raw` must be the environment N-API passed to the current callback or module initializer,
    /// and the returned `Env` must not outlive that call.
    pub unsafe fn from_raw(raw: sys::napi_env) -> Self {
        Self {
            raw,
            _scope: PhantomData,
        }
    }

    /// The raw handle, for calling N-API functions this crate does not wrap.
    pub fn raw(self) -> sys::napi_env {
        self.raw
    }

    /// Turns an N-API status into a `Result`, fetching the engine's message on failure.
    pub(crate) fn check(self, status: sys::napi_status, what: &str) -> Result<()> {
        if status == sys::NAPI_OK {
            return Ok(());
        }
        if status == sys::NAPI_PENDING_EXCEPTION || self.is_exception_pending() {
            return Err(Error::pending());
        }
        let mut info: *const sys::napi_extended_error_info = ptr::null();
        // SAFETY: valid env; `info` receives a pointer owned by the engine, read immediately.
        let detail = unsafe {
            if sys::napi_get_last_error_info(self.raw, &mut info) == sys::NAPI_OK
                && !info.is_null()
                && !(*info).error_message.is_null()
            {
                CStr::from_ptr((*info).error_message)
                    .to_string_lossy()
                    .into_owned()
            } else {
                "unknown failure".to_owned()
            }
        };
        Err(
            Error::new(format!("{what} failed: {detail} (napi_status {status})"))
                .with_code("ERR_NAPI"),
        )
    }

    /// Whether a JavaScript exception is pending in this environment.
    pub fn is_exception_pending(self) -> bool {
        let mut pending = false;
        // SAFETY: valid env and out pointer.
        unsafe { sys::napi_is_exception_pending(self.raw, &mut pending) };
        pending
    }

    /// Runs an N-API function that produces a value.
    pub(crate) fn make(
        self,
        what: &str,
        f: impl FnOnce(sys::napi_env, *mut sys::napi_value) -> sys::napi_status,
    ) -> Result<JsValue<'e>> {
        let mut raw = ptr::null_mut();
        self.check(f(self.raw, &mut raw), what)?;
        // SAFETY: N-API produced `raw` in this environment's current scope.
        Ok(unsafe { JsValue::from_raw(self, raw) })
    }

    /// `undefined`.
    pub fn undefined(self) -> Result<JsValue<'e>> {
        // SAFETY: valid env and out pointer (same for every `make` closure below).
        self.make("napi_get_undefined", |e, r| unsafe {
            sys::napi_get_undefined(e, r)
        })
    }

    /// `null`.
    pub fn null(self) -> Result<JsValue<'e>> {
        self.make("napi_get_null", |e, r| unsafe { sys::napi_get_null(e, r) })
    }

    /// The global object.
    pub fn global(self) -> Result<JsValue<'e>> {
        self.make("napi_get_global", |e, r| unsafe {
            sys::napi_get_global(e, r)
        })
    }

    /// A boolean.
    pub fn boolean(self, value: bool) -> Result<JsValue<'e>> {
        self.make("napi_get_boolean", |e, r| unsafe {
            sys::napi_get_boolean(e, value, r)
        })
    }

    /// A number.
    pub fn number(self, value: f64) -> Result<JsValue<'e>> {
        self.make("napi_create_double", |e, r| unsafe {
            sys::napi_create_double(e, value, r)
        })
    }

    /// A number from an `i64`; values beyond ±2^53 lose precision, as in JavaScript itself.
    pub fn int64(self, value: i64) -> Result<JsValue<'e>> {
        self.make("napi_create_int64", |e, r| unsafe {
            sys::napi_create_int64(e, value, r)
        })
    }

    /// A number from a `u32` (exact).
    pub fn uint32(self, value: u32) -> Result<JsValue<'e>> {
        self.make("napi_create_uint32", |e, r| unsafe {
            sys::napi_create_uint32(e, value, r)
        })
    }

    /// A string, copied from UTF-8 (interior NULs are kept: the length is passed explicitly).
    pub fn string(self, value: &str) -> Result<JsValue<'e>> {
        self.make("napi_create_string_utf8", |e, r| unsafe {
            sys::napi_create_string_utf8(e, value.as_ptr() as *const c_char, value.len(), r)
        })
    }

    /// A new empty object.
    pub fn object(self) -> Result<JsValue<'e>> {
        self.make("napi_create_object", |e, r| unsafe {
            sys::napi_create_object(e, r)
        })
    }

    /// A new array of `length` holes.
    pub fn array(self, length: usize) -> Result<JsValue<'e>> {
        self.make("napi_create_array_with_length", |e, r| unsafe {
            sys::napi_create_array_with_length(e, length, r)
        })
    }

    /// A new `Buffer` holding a copy of `bytes`.
    pub fn buffer(self, bytes: &[u8]) -> Result<JsValue<'e>> {
        let mut data = ptr::null_mut();
        self.make("napi_create_buffer_copy", |e, r| unsafe {
            sys::napi_create_buffer_copy(e, bytes.len(), bytes.as_ptr().cast(), &mut data, r)
        })
    }

    /// Creates the JavaScript error object for `error` (without throwing it).
    pub fn error_object(self, error: &Error) -> Result<JsValue<'e>> {
        let message = self.string(&error.message)?;
        let code = match &error.code {
            Some(code) => self.string(code)?.raw(),
            None => ptr::null_mut(),
        };
        let create = match error.kind {
            ErrorKind::TypeError => sys::napi_create_type_error,
            ErrorKind::RangeError => sys::napi_create_range_error,
            ErrorKind::Error | ErrorKind::Pending => sys::napi_create_error,
        };
        self.make("napi_create_error", |e, r| unsafe {
            create(e, code, message.raw(), r)
        })
    }

    /// Throws `error` into JavaScript unless an exception is already pending (which then wins: it
    /// is the original cause).
    pub fn throw(self, error: &Error) {
        if error.kind == ErrorKind::Pending || self.is_exception_pending() {
            return;
        }
        if let Ok(object) = self.error_object(error) {
            // SAFETY: valid env and a value of this scope.
            unsafe { sys::napi_throw(self.raw, object.raw()) };
        }
    }
}
