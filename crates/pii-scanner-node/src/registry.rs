//! Handle table of compiled scanners (handles are never reused, so a stale handle fails loudly).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use node_api::{Error, Result};
use pii_scanner::Scanner;

fn table() -> &'static RwLock<HashMap<u32, Arc<Scanner>>> {
    static TABLE: OnceLock<RwLock<HashMap<u32, Arc<Scanner>>>> = OnceLock::new();
    TABLE.get_or_init(|| RwLock::new(HashMap::new()))
}

static NEXT: AtomicU32 = AtomicU32::new(1);

/// Stores `scanner`, returning its handle.
pub fn insert(scanner: Scanner) -> u32 {
    let handle = NEXT.fetch_add(1, Ordering::Relaxed);
    table()
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(handle, Arc::new(scanner));
    handle
}

/// The scanner of `handle`.
pub fn get(handle: u32) -> Result<Arc<Scanner>> {
    table()
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(&handle)
        .cloned()
        .ok_or_else(|| {
            Error::range_error(format!(
                "argument 1: no scanner with handle {handle} (released?)"
            ))
        })
}

/// Drops the scanner of `handle` (no-op when already gone).
pub fn remove(handle: u32) {
    table()
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&handle);
}
