//! JavaScript values borrowed from the current call's handle scope.

use std::ffi::{c_char, CString};
use std::ptr;

use crate::env::Env;
use crate::error::{Error, Result};
use crate::sys;

/// The type of a JavaScript value, as `typeof` distinguishes them (plus `null`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// `undefined`
    Undefined,
    /// `null`
    Null,
    /// a boolean
    Boolean,
    /// a number
    Number,
    /// a string
    String,
    /// a symbol
    Symbol,
    /// an object (arrays and buffers included)
    Object,
    /// a function
    Function,
    /// an N-API external
    External,
    /// a bigint
    BigInt,
}

impl ValueType {
    /// Maps an `napi_valuetype`; unknown future tags read as `Object`.
    pub fn from_raw(raw: sys::napi_valuetype) -> Self {
        match raw {
            sys::NAPI_UNDEFINED => Self::Undefined,
            sys::NAPI_NULL => Self::Null,
            sys::NAPI_BOOLEAN => Self::Boolean,
            sys::NAPI_NUMBER => Self::Number,
            sys::NAPI_STRING => Self::String,
            sys::NAPI_SYMBOL => Self::Symbol,
            sys::NAPI_FUNCTION => Self::Function,
            sys::NAPI_EXTERNAL => Self::External,
            sys::NAPI_BIGINT => Self::BigInt,
            _ => Self::Object,
        }
    }

    /// The name JavaScript's `typeof` would print (`null` for null).
    pub fn name(self) -> &'static str {
        match self {
            Self::Undefined => "undefined",
            Self::Null => "null",
            Self::Boolean => "boolean",
            Self::Number => "number",
            Self::String => "string",
            Self::Symbol => "symbol",
            Self::Object => "object",
            Self::Function => "function",
            Self::External => "external",
            Self::BigInt => "bigint",
        }
    }
}

/// A JavaScript value of the current call. `Copy`: it is only a handle.
#[derive(Clone, Copy)]
pub struct JsValue<'e> {
    env: Env<'e>,
    raw: sys::napi_value,
}

fn c_name(name: &str) -> Result<CString> {
    CString::new(name)
        .map_err(|_| Error::type_error(format!("property name {name:?} contains a NUL byte")))
}

impl<'e> JsValue<'e> {
    /// Wraps a raw handle.
    ///
    /// # Safety
    /// `raw` must be a live handle of `env`'s current scope.
    pub unsafe fn from_raw(env: Env<'e>, raw: sys::napi_value) -> Self {
        Self { env, raw }
    }

    /// The raw handle.
    pub fn raw(self) -> sys::napi_value {
        self.raw
    }

    /// The environment this value belongs to.
    pub fn env(self) -> Env<'e> {
        self.env
    }

    /// The value's type.
    pub fn value_type(self) -> Result<ValueType> {
        let mut raw = 0;
        // SAFETY: valid env and handle.
        self.env.check(
            unsafe { sys::napi_typeof(self.env.raw(), self.raw, &mut raw) },
            "napi_typeof",
        )?;
        Ok(ValueType::from_raw(raw))
    }

    /// A short description of the value for error messages (`number`, `array`, `Buffer`, …).
    pub fn describe(self) -> String {
        match self.value_type() {
            Ok(ValueType::Object) if self.is_array().unwrap_or(false) => "array".into(),
            Ok(ValueType::Object) if self.is_buffer().unwrap_or(false) => "Buffer".into(),
            Ok(t) => t.name().into(),
            Err(_) => "an unreadable value".into(),
        }
    }

    fn expect_type(self, wanted: ValueType, what: &str, at: &str) -> Result<()> {
        if self.value_type()? == wanted {
            Ok(())
        } else {
            Err(Error::expected(what, &self.describe(), at))
        }
    }

    /// Reads a string (UTF-8). `at` names the argument or property for the error message.
    pub fn to_string_utf8(self, at: &str) -> Result<String> {
        self.expect_type(ValueType::String, "a string", at)?;
        let (env, raw) = (self.env.raw(), self.raw);
        let mut len = 0usize;
        // SAFETY: a null buffer asks for the length in bytes, excluding the terminator.
        self.env.check(
            unsafe { sys::napi_get_value_string_utf8(env, raw, ptr::null_mut(), 0, &mut len) },
            "napi_get_value_string_utf8",
        )?;
        let mut buf = vec![0u8; len + 1];
        let mut written = 0usize;
        // SAFETY: `buf` has room for `len` bytes plus the terminator N-API writes.
        self.env.check(
            unsafe {
                sys::napi_get_value_string_utf8(
                    env,
                    raw,
                    buf.as_mut_ptr() as *mut c_char,
                    buf.len(),
                    &mut written,
                )
            },
            "napi_get_value_string_utf8",
        )?;
        buf.truncate(written);
        // N-API encodes lone surrogates as U+FFFD, so the bytes are valid UTF-8; stay lossy anyway.
        Ok(String::from_utf8(buf)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    /// Reads a number.
    pub fn to_f64(self, at: &str) -> Result<f64> {
        self.expect_type(ValueType::Number, "a number", at)?;
        let mut out = 0f64;
        // SAFETY: valid env, a number handle and an out pointer.
        self.env.check(
            unsafe { sys::napi_get_value_double(self.env.raw(), self.raw, &mut out) },
            "napi_get_value_double",
        )?;
        Ok(out)
    }

    /// Reads a number that must be an integer in `i64`'s safe range (±2^53).
    pub fn to_i64(self, at: &str) -> Result<i64> {
        let n = self.to_f64(at)?;
        const SAFE: f64 = 9_007_199_254_740_991.0;
        if n.fract() != 0.0 || !n.is_finite() || n.abs() > SAFE {
            return Err(Error::range_error(format!(
                "{at}: expected a safe integer, received {n}"
            )));
        }
        Ok(n as i64)
    }

    /// Reads a number that must be an integer in `u32`'s range.
    pub fn to_u32(self, at: &str) -> Result<u32> {
        let n = self.to_i64(at)?;
        u32::try_from(n).map_err(|_| {
            Error::range_error(format!(
                "{at}: expected an integer from 0 to 4294967295, received {n}"
            ))
        })
    }

    /// Reads a boolean.
    pub fn to_bool(self, at: &str) -> Result<bool> {
        self.expect_type(ValueType::Boolean, "a boolean", at)?;
        let mut out = false;
        // SAFETY: valid env, a boolean handle and an out pointer.
        self.env.check(
            unsafe { sys::napi_get_value_bool(self.env.raw(), self.raw, &mut out) },
            "napi_get_value_bool",
        )?;
        Ok(out)
    }

    /// Whether the value is an array.
    pub fn is_array(self) -> Result<bool> {
        let mut out = false;
        // SAFETY: valid env and handle.
        self.env.check(
            unsafe { sys::napi_is_array(self.env.raw(), self.raw, &mut out) },
            "napi_is_array",
        )?;
        Ok(out)
    }

    /// Whether the value is a `Buffer` (or another `Uint8Array` where Node treats it as one).
    pub fn is_buffer(self) -> Result<bool> {
        let mut out = false;
        // SAFETY: valid env and handle.
        self.env.check(
            unsafe { sys::napi_is_buffer(self.env.raw(), self.raw, &mut out) },
            "napi_is_buffer",
        )?;
        Ok(out)
    }

    /// Borrows a `Buffer`'s bytes. The slice is valid while this call runs: the argument keeps the
    /// buffer alive and Node never moves a buffer's backing store.
    pub fn buffer_bytes(self, at: &str) -> Result<&'e [u8]> {
        if !self.is_buffer()? {
            return Err(Error::expected("a Buffer", &self.describe(), at));
        }
        let mut data = ptr::null_mut();
        let mut len = 0usize;
        // SAFETY: valid env and a buffer handle.
        self.env.check(
            unsafe { sys::napi_get_buffer_info(self.env.raw(), self.raw, &mut data, &mut len) },
            "napi_get_buffer_info",
        )?;
        if len == 0 || data.is_null() {
            return Ok(&[]);
        }
        // SAFETY: N-API reports `len` readable bytes at `data`, alive for this call (see above).
        Ok(unsafe { std::slice::from_raw_parts(data as *const u8, len) })
    }

    fn expect_object(self, at: &str) -> Result<()> {
        match self.value_type()? {
            ValueType::Object | ValueType::Function => Ok(()),
            _ => Err(Error::expected("an object", &self.describe(), at)),
        }
    }

    /// Reads `object[name]` (`undefined` when absent).
    pub fn get(self, name: &str) -> Result<JsValue<'e>> {
        self.expect_object("receiver")?;
        let cname = c_name(name)?;
        self.env.make("napi_get_named_property", |e, r| unsafe {
            sys::napi_get_named_property(e, self.raw, cname.as_ptr(), r)
        })
    }

    /// Whether `name in object` (own or inherited).
    pub fn has(self, name: &str) -> Result<bool> {
        self.expect_object("receiver")?;
        let cname = c_name(name)?;
        let mut out = false;
        // SAFETY: valid env, an object handle and a NUL-terminated name.
        self.env.check(
            unsafe {
                sys::napi_has_named_property(self.env.raw(), self.raw, cname.as_ptr(), &mut out)
            },
            "napi_has_named_property",
        )?;
        Ok(out)
    }

    /// Sets `object[name] = value`.
    pub fn set(self, name: &str, value: JsValue<'e>) -> Result<()> {
        self.expect_object("receiver")?;
        let cname = c_name(name)?;
        // SAFETY: valid env, handles of this scope and a NUL-terminated name.
        self.env.check(
            unsafe {
                sys::napi_set_named_property(self.env.raw(), self.raw, cname.as_ptr(), value.raw)
            },
            "napi_set_named_property",
        )
    }

    /// The object's own enumerable string keys, in property order.
    pub fn keys(self) -> Result<Vec<String>> {
        self.expect_object("receiver")?;
        let names = self.env.make("napi_get_property_names", |e, r| unsafe {
            sys::napi_get_property_names(e, self.raw, r)
        })?;
        let len = names.array_length()?;
        (0..len)
            .map(|i| names.element(i)?.to_string_utf8("property name"))
            .collect()
    }

    /// An array's `length`.
    pub fn array_length(self) -> Result<u32> {
        if !self.is_array()? {
            return Err(Error::expected("an array", &self.describe(), "receiver"));
        }
        let mut len = 0u32;
        // SAFETY: valid env and an array handle.
        self.env.check(
            unsafe { sys::napi_get_array_length(self.env.raw(), self.raw, &mut len) },
            "napi_get_array_length",
        )?;
        Ok(len)
    }

    /// Reads `array[index]`.
    pub fn element(self, index: u32) -> Result<JsValue<'e>> {
        self.expect_object("receiver")?;
        self.env.make("napi_get_element", |e, r| unsafe {
            sys::napi_get_element(e, self.raw, index, r)
        })
    }

    /// Sets `array[index] = value`.
    pub fn set_element(self, index: u32, value: JsValue<'e>) -> Result<()> {
        self.expect_object("receiver")?;
        // SAFETY: valid env and handles of this scope.
        self.env.check(
            unsafe { sys::napi_set_element(self.env.raw(), self.raw, index, value.raw) },
            "napi_set_element",
        )
    }

    /// Calls this function with `this = undefined`; a JavaScript exception it throws comes back as
    /// an error of kind `Pending` and is rethrown unchanged when the native call returns.
    pub fn call(self, args: &[JsValue<'e>]) -> Result<JsValue<'e>> {
        if self.value_type()? != ValueType::Function {
            return Err(Error::expected("a function", &self.describe(), "callee"));
        }
        let recv = self.env.undefined()?;
        let argv: Vec<sys::napi_value> = args.iter().map(|a| a.raw).collect();
        self.env.make("napi_call_function", |e, r| unsafe {
            sys::napi_call_function(e, recv.raw, self.raw, argv.len(), argv.as_ptr(), r)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_every_napi_type_tag_to_its_typeof_name() {
        let names: Vec<_> = (0..10).map(|t| ValueType::from_raw(t).name()).collect();
        assert_eq!(
            names,
            [
                "undefined",
                "null",
                "boolean",
                "number",
                "string",
                "symbol",
                "object",
                "function",
                "external",
                "bigint"
            ]
        );
    }

    #[test]
    fn property_names_with_nul_bytes_are_rejected_with_a_type_error() {
        let err = c_name("a\0b").unwrap_err();
        assert!(err.message.contains("NUL byte"), "{}", err.message);
    }
}
