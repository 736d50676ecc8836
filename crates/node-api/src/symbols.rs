//! Finds N-API functions in the host process (Node's executable or shared library).

use std::ffi::{c_char, c_void, CStr};

#[cfg(unix)]
mod platform {
    use std::ffi::{c_char, c_void};

    // glibc before 2.34 keeps dlsym in libdl; newer glibc and musl keep a stub libdl, so linking
    // it is harmless everywhere on Linux.
    #[cfg_attr(all(target_os = "linux", target_env = "gnu"), link(name = "dl"))]
    extern "C" {
        fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
    }

    /// `RTLD_DEFAULT`: search the global symbol scope (the executable and its libraries).
    #[cfg(any(target_os = "macos", target_os = "ios"))]
    const RTLD_DEFAULT: *mut c_void = -2isize as *mut c_void;
    #[cfg(not(any(target_os = "macos", target_os = "ios")))]
    const RTLD_DEFAULT: *mut c_void = std::ptr::null_mut();

    pub fn find(name: *const c_char) -> *mut c_void {
        // SAFETY: `name` is a NUL-terminated string; dlsym has no other preconditions.
        unsafe { dlsym(RTLD_DEFAULT, name) }
    }
}

#[cfg(windows)]
mod platform {
    use std::ffi::{c_char, c_void};

    #[link(name = "kernel32")]
    extern "system" {
        fn GetModuleHandleW(name: *const u16) -> *mut c_void;
        fn GetProcAddress(module: *mut c_void, name: *const c_char) -> *mut c_void;
    }

    pub fn find(name: *const c_char) -> *mut c_void {
        // SAFETY: a null name asks for the executable's own module (node.exe exports N-API);
        // `name` is NUL-terminated.
        unsafe {
            let host = GetModuleHandleW(std::ptr::null());
            if host.is_null() {
                return std::ptr::null_mut();
            }
            GetProcAddress(host, name)
        }
    }
}

/// Looks up `name` (NUL-terminated) in the host process; `None` when it does not export it.
pub fn lookup(name: &str) -> Option<*mut c_void> {
    let cname = CStr::from_bytes_with_nul(name.as_bytes()).ok()?;
    let ptr = platform::find(cname.as_ptr() as *const c_char);
    (!ptr.is_null()).then_some(ptr)
}

/// Looks up `name` and panics with a message naming it when the host lacks it (the addon was loaded
/// by something that is not Node, or by a Node older than the N-API version we target). The panic
/// is caught at the N-API boundary like any other.
pub fn require(name: &str) -> *mut c_void {
    lookup(name).unwrap_or_else(|| {
        panic!(
            "N-API function {} is not exported by the host process (node-api targets N-API {})",
            name.trim_end_matches('\0'),
            crate::NAPI_VERSION
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_libc_symbol_in_the_host_process() {
        // `malloc` is exported by every host's C runtime: proves the lookup path works.
        #[cfg(unix)]
        assert!(lookup("malloc\0").is_some());
    }

    #[test]
    fn reports_a_missing_napi_symbol_by_name() {
        // A test binary is not Node, so N-API is absent and the panic must name the function.
        let caught = std::panic::catch_unwind(|| require("napi_create_object\0")).unwrap_err();
        let message = crate::function::panic_message(caught.as_ref());
        assert!(
            message.contains("napi_create_object is not exported"),
            "{message}"
        );
    }

    #[test]
    fn rejects_names_without_a_terminator() {
        assert!(lookup("napi_create_object").is_none());
    }
}
