//! Module registration: the `napi_register_module_v1` entry point Node looks for.

use crate::env::Env;
use crate::error::Result;
use crate::function::guard;
use crate::sys;
use crate::value::JsValue;

/// Runs a module initializer with panics and errors turned into a thrown exception, so a failing
/// `require()` reports the cause instead of crashing the process.
///
/// # Safety
/// `env` and `exports` must be the values Node passed to `napi_register_module_v1`.
#[doc(hidden)]
pub unsafe fn register(
    env: sys::napi_env,
    exports: sys::napi_value,
    init: for<'e> fn(Env<'e>, JsValue<'e>) -> Result<()>,
) -> sys::napi_value {
    // SAFETY: forwarded from the caller's contract.
    let env = unsafe { Env::from_raw(env) };
    // SAFETY: as above.
    let exports = unsafe { JsValue::from_raw(env, exports) };
    guard(env, || init(env, exports).map(|()| exports))
}

/// Declares the addon's entry point. `$init` is `fn(Env, exports: JsValue) -> Result<()>`.
///
/// ```text
/// fn init(env: Env, exports: JsValue) -> Result<()> {
///     exports.set("hello", env.function("hello", hello)?)
/// }
/// node_api::module!(init);
/// ```
#[macro_export]
macro_rules! module {
    ($init:path) => {
        /// Entry point Node calls when the addon is loaded.
        ///
        /// # Safety
        /// Called by Node with a valid environment and exports object.
        #[no_mangle]
        pub unsafe extern "C" fn napi_register_module_v1(
            env: $crate::sys::napi_env,
            exports: $crate::sys::napi_value,
        ) -> $crate::sys::napi_value {
            // SAFETY: Node passes the module's environment and exports object.
            unsafe { $crate::module::register(env, exports, $init) }
        }

        /// Tells Node which N-API version this addon was written against.
        #[no_mangle]
        pub extern "C" fn node_api_module_get_api_version_v1() -> i32 {
            $crate::NAPI_VERSION
        }
    };
}
