//! N-API addon exposing [`secrets_scanner::SecretsScanner`] to JavaScript.
//!
//! ```text
//! createScanner(enabled: string[]): number               kinds to detect (ContextForge names)
//! scan(handle, text: string, redaction: string | null)   null when nothing was found, else
//!     → { masked: string | null, counts: number[] }       counts indexed like kinds()
//! releaseScanner(handle): void
//! kinds(): string[]
//! ```

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use node_api::{CallContext, Env, Error, JsValue, Result};
use secrets_scanner::{SecretKind, SecretsScanner, SECRET_KINDS};

type Table = RwLock<HashMap<u32, Arc<SecretsScanner>>>;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| RwLock::new(HashMap::new()))
}

static NEXT: AtomicU32 = AtomicU32::new(1);

fn lookup(handle: u32) -> Result<Arc<SecretsScanner>> {
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

/// `createScanner(enabled)`.
fn create_scanner<'e>(cx: &CallContext<'e>) -> Result<JsValue<'e>> {
    let names: Vec<String> = cx.get(0)?;
    let mut kinds = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        kinds.push(SecretKind::from_name(name).ok_or_else(|| {
            Error::range_error(format!("argument 1[{i}]: unknown secret kind {name:?}"))
        })?);
    }
    let handle = NEXT.fetch_add(1, Ordering::Relaxed);
    table()
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(handle, Arc::new(SecretsScanner::new(&kinds)));
    cx.ret(&handle)
}

/// `releaseScanner(handle)`.
fn release_scanner<'e>(cx: &CallContext<'e>) -> Result<JsValue<'e>> {
    let handle: u32 = cx.get(0)?;
    table()
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&handle);
    cx.env.undefined()
}

/// `scan(handle, text, redaction)`.
fn scan<'e>(cx: &CallContext<'e>) -> Result<JsValue<'e>> {
    let scanner = lookup(cx.get(0)?)?;
    let text: String = cx.get(1)?;
    let redaction: Option<String> = cx.get(2)?;
    let findings = scanner.scan(&text);
    if findings.is_empty() {
        return cx.env.null();
    }
    let mut counts = vec![0u32; SECRET_KINDS.len()];
    for f in &findings {
        counts[f.kind.id()] += 1;
    }
    let masked = redaction.map(|r| scanner.redact(&text, &findings, &r));
    let out = cx.env.object()?;
    out.set("masked", cx.ret(&masked)?)?;
    out.set("counts", cx.ret(&counts)?)?;
    Ok(out)
}

/// `kinds()`.
fn kinds<'e>(cx: &CallContext<'e>) -> Result<JsValue<'e>> {
    let names: Vec<&str> = SECRET_KINDS.iter().map(|k| k.name()).collect();
    cx.ret(&names)
}

fn init<'e>(env: Env<'e>, exports: JsValue<'e>) -> Result<()> {
    let functions: [(&str, node_api::NativeFn); 4] = [
        ("createScanner", create_scanner),
        ("releaseScanner", release_scanner),
        ("scan", scan),
        ("kinds", kinds),
    ];
    for (name, f) in functions {
        exports.set(name, env.function(name, f)?)?;
    }
    Ok(())
}

node_api::module!(init);
