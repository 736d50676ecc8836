//! Conversions between Rust and JavaScript values.

use crate::env::Env;
use crate::error::Result;
use crate::value::{JsValue, ValueType};

/// A Rust value that can become a JavaScript value.
pub trait ToJs {
    /// Creates the JavaScript value in `env`.
    fn to_js<'e>(&self, env: Env<'e>) -> Result<JsValue<'e>>;
}

/// A Rust value that can be read from a JavaScript value; `at` names the argument or property in
/// error messages ("argument 1", "options.limit").
pub trait FromJs<'e>: Sized {
    /// Reads `value`, failing with a `TypeError`/`RangeError` that names `at`.
    fn from_js(value: JsValue<'e>, at: &str) -> Result<Self>;
}

/// Bytes that become a `Buffer` (a `Vec<u8>` would otherwise mean an array of numbers).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bytes(pub Vec<u8>);

impl ToJs for JsValue<'_> {
    fn to_js<'e>(&self, env: Env<'e>) -> Result<JsValue<'e>> {
        // SAFETY: a handle stays valid within the call that produced it; `JsValue`'s lifetime
        // guarantees both belong to the same native call.
        Ok(unsafe { JsValue::from_raw(env, self.raw()) })
    }
}
impl ToJs for str {
    fn to_js<'e>(&self, env: Env<'e>) -> Result<JsValue<'e>> {
        env.string(self)
    }
}
impl ToJs for String {
    fn to_js<'e>(&self, env: Env<'e>) -> Result<JsValue<'e>> {
        env.string(self)
    }
}
impl ToJs for bool {
    fn to_js<'e>(&self, env: Env<'e>) -> Result<JsValue<'e>> {
        env.boolean(*self)
    }
}
impl ToJs for f64 {
    fn to_js<'e>(&self, env: Env<'e>) -> Result<JsValue<'e>> {
        env.number(*self)
    }
}
impl ToJs for u32 {
    fn to_js<'e>(&self, env: Env<'e>) -> Result<JsValue<'e>> {
        env.uint32(*self)
    }
}
impl ToJs for i64 {
    fn to_js<'e>(&self, env: Env<'e>) -> Result<JsValue<'e>> {
        env.int64(*self)
    }
}
impl ToJs for usize {
    fn to_js<'e>(&self, env: Env<'e>) -> Result<JsValue<'e>> {
        env.number(*self as f64)
    }
}
impl ToJs for Bytes {
    fn to_js<'e>(&self, env: Env<'e>) -> Result<JsValue<'e>> {
        env.buffer(&self.0)
    }
}
impl ToJs for [u8] {
    fn to_js<'e>(&self, env: Env<'e>) -> Result<JsValue<'e>> {
        env.buffer(self)
    }
}
impl<T: ToJs> ToJs for Option<T> {
    fn to_js<'e>(&self, env: Env<'e>) -> Result<JsValue<'e>> {
        match self {
            Some(v) => v.to_js(env),
            None => env.null(),
        }
    }
}
impl<T: ToJs> ToJs for Vec<T> {
    fn to_js<'e>(&self, env: Env<'e>) -> Result<JsValue<'e>> {
        self.as_slice().to_js(env)
    }
}
impl<T: ToJs> ToJs for [T] {
    fn to_js<'e>(&self, env: Env<'e>) -> Result<JsValue<'e>> {
        let array = env.array(self.len())?;
        for (i, item) in self.iter().enumerate() {
            let index = u32::try_from(i)
                .map_err(|_| crate::Error::range_error("array longer than 2^32-1"))?;
            array.set_element(index, item.to_js(env)?)?;
        }
        Ok(array)
    }
}
impl<T: ToJs + ?Sized> ToJs for &T {
    fn to_js<'e>(&self, env: Env<'e>) -> Result<JsValue<'e>> {
        (**self).to_js(env)
    }
}

impl<'e> FromJs<'e> for JsValue<'e> {
    fn from_js(value: JsValue<'e>, _at: &str) -> Result<Self> {
        Ok(value)
    }
}
impl<'e> FromJs<'e> for String {
    fn from_js(value: JsValue<'e>, at: &str) -> Result<Self> {
        value.to_string_utf8(at)
    }
}
impl<'e> FromJs<'e> for f64 {
    fn from_js(value: JsValue<'e>, at: &str) -> Result<Self> {
        value.to_f64(at)
    }
}
impl<'e> FromJs<'e> for i64 {
    fn from_js(value: JsValue<'e>, at: &str) -> Result<Self> {
        value.to_i64(at)
    }
}
impl<'e> FromJs<'e> for u32 {
    fn from_js(value: JsValue<'e>, at: &str) -> Result<Self> {
        value.to_u32(at)
    }
}
impl<'e> FromJs<'e> for bool {
    fn from_js(value: JsValue<'e>, at: &str) -> Result<Self> {
        value.to_bool(at)
    }
}
impl<'e> FromJs<'e> for &'e [u8] {
    fn from_js(value: JsValue<'e>, at: &str) -> Result<Self> {
        value.buffer_bytes(at)
    }
}
impl<'e, T: FromJs<'e>> FromJs<'e> for Option<T> {
    fn from_js(value: JsValue<'e>, at: &str) -> Result<Self> {
        match value.value_type()? {
            ValueType::Undefined | ValueType::Null => Ok(None),
            _ => T::from_js(value, at).map(Some),
        }
    }
}
impl<'e, T: FromJs<'e>> FromJs<'e> for Vec<T> {
    fn from_js(value: JsValue<'e>, at: &str) -> Result<Self> {
        if !value.is_array()? {
            return Err(crate::Error::expected("an array", &value.describe(), at));
        }
        let len = value.array_length()?;
        (0..len)
            .map(|i| T::from_js(value.element(i)?, &format!("{at}[{i}]")))
            .collect()
    }
}
