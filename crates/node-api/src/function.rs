//! Native functions callable from JavaScript, with panics and errors turned into exceptions.

use std::any::Any;
use std::ffi::{c_char, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use crate::convert::{FromJs, ToJs};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::sys;
use crate::value::JsValue;

/// The signature of a native function: reads its arguments from the context, returns a value or
/// an error that is thrown into JavaScript.
pub type NativeFn = for<'e> fn(&CallContext<'e>) -> Result<JsValue<'e>>;

/// Arguments and environment of one call from JavaScript.
pub struct CallContext<'e> {
    /// The environment of this call.
    pub env: Env<'e>,
    args: Vec<JsValue<'e>>,
    this: JsValue<'e>,
}

impl<'e> CallContext<'e> {
    /// How many arguments the caller passed.
    pub fn len(&self) -> usize {
        self.args.len()
    }

    /// Whether the caller passed no arguments.
    pub fn is_empty(&self) -> bool {
        self.args.is_empty()
    }

    /// `this` of the call.
    pub fn this(&self) -> JsValue<'e> {
        self.this
    }

    /// Argument `index` (0-based) as a raw value; `undefined` when not passed.
    pub fn arg(&self, index: usize) -> Result<JsValue<'e>> {
        match self.args.get(index) {
            Some(v) => Ok(*v),
            None => self.env.undefined(),
        }
    }

    /// Argument `index` (0-based) converted to `T`; errors name it "argument N" (1-based, as
    /// people count).
    pub fn get<T: FromJs<'e>>(&self, index: usize) -> Result<T> {
        T::from_js(self.arg(index)?, &format!("argument {}", index + 1))
    }

    /// Converts a Rust value into a JavaScript return value.
    pub fn ret<T: ToJs + ?Sized>(&self, value: &T) -> Result<JsValue<'e>> {
        value.to_js(self.env)
    }
}

/// Extracts the text of a panic payload (`panic!("...")` gives `&str` or `String`).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic payload".to_owned()
    }
}

/// Runs `body` so that neither an `Err` nor a panic escapes into the engine: both become a thrown
/// JavaScript error, and the function returns null (N-API then surfaces the exception).
pub(crate) fn guard<'e>(
    env: Env<'e>,
    body: impl FnOnce() -> Result<JsValue<'e>>,
) -> sys::napi_value {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(value)) => value.raw(),
        Ok(Err(error)) => {
            env.throw(&error);
            ptr::null_mut()
        }
        Err(payload) => {
            let message = format!("panic in native code: {}", panic_message(payload.as_ref()));
            // Throwing can itself fail (e.g. out of memory); never let that unwind into C.
            let _ = catch_unwind(AssertUnwindSafe(|| {
                env.throw(&Error::new(message).with_code("ERR_NATIVE_PANIC"))
            }));
            ptr::null_mut()
        }
    }
}

unsafe extern "C" fn trampoline(
    raw_env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    // SAFETY: N-API passes the environment of this very call.
    let env = unsafe { Env::from_raw(raw_env) };
    guard(env, || {
        let mut argc = 0usize;
        let mut data: *mut c_void = ptr::null_mut();
        let mut this = ptr::null_mut();
        // First ask for the count (argv may be null), then copy the arguments.
        // SAFETY: valid env and info; out pointers are live locals.
        env.check(
            unsafe {
                sys::napi_get_cb_info(
                    raw_env,
                    info,
                    &mut argc,
                    ptr::null_mut(),
                    &mut this,
                    &mut data,
                )
            },
            "napi_get_cb_info",
        )?;
        let mut raw_args = vec![ptr::null_mut(); argc];
        // SAFETY: `raw_args` has room for `argc` handles.
        env.check(
            unsafe {
                sys::napi_get_cb_info(
                    raw_env,
                    info,
                    &mut argc,
                    raw_args.as_mut_ptr(),
                    ptr::null_mut(),
                    ptr::null_mut(),
                )
            },
            "napi_get_cb_info",
        )?;
        // SAFETY: `data` is the `NativeFn` pointer stored by `Env::function`; fn pointers and data
        // pointers have the same size on every platform Node supports.
        let f: NativeFn = unsafe { std::mem::transmute::<*mut c_void, NativeFn>(data) };
        let ctx = CallContext {
            env,
            // SAFETY: handles produced by N-API for this call.
            args: raw_args
                .into_iter()
                .map(|raw| unsafe { JsValue::from_raw(env, raw) })
                .collect(),
            // SAFETY: as above.
            this: unsafe { JsValue::from_raw(env, this) },
        };
        f(&ctx)
    })
}

impl<'e> Env<'e> {
    /// Creates a JavaScript function named `name` that runs `f`.
    pub fn function(self, name: &str, f: NativeFn) -> Result<JsValue<'e>> {
        let data = f as *const () as *mut c_void;
        self.make("napi_create_function", |e, r| unsafe {
            sys::napi_create_function(
                e,
                name.as_ptr() as *const c_char,
                name.len(),
                Some(trampoline),
                data,
                r,
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_message_reads_str_and_string_payloads() {
        let a = catch_unwind(|| panic!("static text")).unwrap_err();
        assert_eq!(panic_message(a.as_ref()), "static text");
        let n = 3;
        let b = catch_unwind(move || panic!("formatted {n}")).unwrap_err();
        assert_eq!(panic_message(b.as_ref()), "formatted 3");
        let c = catch_unwind(|| std::panic::panic_any(42u8)).unwrap_err();
        assert_eq!(panic_message(c.as_ref()), "unknown panic payload");
    }
}
