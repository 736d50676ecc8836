//! N-API addon exposing [`pii_scanner::Scanner`] to JavaScript.
//!
//! ```text
//! createScanner(config: object): number          compile a configuration, get a handle
//! scan(handle, text: string, mask: boolean, length?: number)
//!                                                 null when nothing was found, else
//!     → { masked: string | null, counts: number[] }   counts indexed by kind id (11 built-ins, then customs)
//! scanBuffer(handle, utf8: Buffer, mask: boolean) same, for text already encoded as UTF-8
//! releaseScanner(handle): void                    free a compiled configuration
//! kinds(): string[]                               names of the built-in kinds, by id
//! ```
//! Scanners live in a handle table (the node-api layer has no object wrapping); the JavaScript
//! side releases them through a `FinalizationRegistry`.

mod config;
mod registry;
mod text;

use node_api::{Env, Error, JsValue, Result};
use pii_scanner::{PiiKind, BUILTIN_KINDS};

/// `createScanner(config)`.
fn create_scanner<'e>(cx: &node_api::CallContext<'e>) -> Result<JsValue<'e>> {
    let config = config::read_config(cx.arg(0)?)?;
    let scanner = pii_scanner::Scanner::new(config)
        .map_err(|e| Error::range_error(format!("config.{e}")).with_code("ERR_PII_CONFIG"))?;
    cx.ret(&registry::insert(scanner))
}

/// `releaseScanner(handle)`.
fn release_scanner<'e>(cx: &node_api::CallContext<'e>) -> Result<JsValue<'e>> {
    let handle: u32 = cx.get(0)?;
    registry::remove(handle);
    cx.env.undefined()
}

/// Shared tail of `scan` and `scanBuffer`.
fn scan_text<'e>(
    cx: &node_api::CallContext<'e>,
    handle: u32,
    text: &str,
    mask: bool,
) -> Result<JsValue<'e>> {
    let scanner = registry::get(handle)?;
    let outcome = scanner.scan_text(text, mask);
    if outcome.findings.is_empty() {
        return cx.env.null();
    }
    let mut counts = vec![0u32; BUILTIN_KINDS.len() + scanner.config().custom.len()];
    for f in &outcome.findings {
        counts[f.kind.id() as usize] += 1;
    }
    let result = cx.env.object()?;
    result.set("masked", cx.ret(&outcome.masked)?)?;
    result.set("counts", cx.ret(&counts)?)?;
    Ok(result)
}

/// `scan(handle, text, mask, length?)`.
fn scan<'e>(cx: &node_api::CallContext<'e>) -> Result<JsValue<'e>> {
    let handle: u32 = cx.get(0)?;
    let mask: bool = cx.get(2)?;
    // Optional `text.length`: a wrong value costs a second copy, never a truncated scan.
    let length: Option<u32> = cx.get(3)?;
    text::with_text(
        cx.arg(1)?,
        "argument 2",
        length.map(|n| n as usize),
        |text| scan_text(cx, handle, text, mask),
    )
}

/// `scanBuffer(handle, utf8, mask)`.
fn scan_buffer<'e>(cx: &node_api::CallContext<'e>) -> Result<JsValue<'e>> {
    let handle: u32 = cx.get(0)?;
    let bytes: &[u8] = cx.get(1)?;
    let mask: bool = cx.get(2)?;
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Error::type_error(format!("argument 2: expected UTF-8 text: {e}")))?;
    scan_text(cx, handle, text, mask)
}

/// `kinds()`.
fn kinds<'e>(cx: &node_api::CallContext<'e>) -> Result<JsValue<'e>> {
    let names: Vec<&str> = BUILTIN_KINDS.iter().map(|k: &PiiKind| k.name()).collect();
    cx.ret(&names)
}

fn init<'e>(env: Env<'e>, exports: JsValue<'e>) -> Result<()> {
    let functions: [(&str, node_api::NativeFn); 5] = [
        ("createScanner", create_scanner),
        ("releaseScanner", release_scanner),
        ("scan", scan),
        ("scanBuffer", scan_buffer),
        ("kinds", kinds),
    ];
    for (name, f) in functions {
        exports.set(name, env.function(name, f)?)?;
    }
    Ok(())
}

node_api::module!(init);
