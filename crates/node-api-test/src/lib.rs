//! Test addon for the `node-api` crate: one function per kind of value and failure, called from
//! vitest in `tools/native-test`.

use node_api::{Bytes, CallContext, Env, Error, JsValue, Result};

/// `greet(name: string): string`
fn greet<'e>(cx: &CallContext<'e>) -> Result<JsValue<'e>> {
    let name: String = cx.get(0)?;
    cx.ret(&format!("hello, {name}"))
}

/// `add(a: number, b: number): number`
fn add<'e>(cx: &CallContext<'e>) -> Result<JsValue<'e>> {
    let a: f64 = cx.get(0)?;
    let b: f64 = cx.get(1)?;
    cx.ret(&(a + b))
}

/// `sum(values: number[]): number`
fn sum<'e>(cx: &CallContext<'e>) -> Result<JsValue<'e>> {
    let values: Vec<f64> = cx.get(0)?;
    // `Iterator::sum` of f64 starts at -0.0, which JS would see as -0; fold from +0.0.
    cx.ret(&values.iter().fold(0.0, |acc, v| acc + v))
}

/// `repeat(text: string, times: integer 0..=1000): string[]`
fn repeat<'e>(cx: &CallContext<'e>) -> Result<JsValue<'e>> {
    let text: String = cx.get(0)?;
    let times: u32 = cx.get(1)?;
    if times > 1000 {
        return Err(Error::range_error(format!(
            "argument 2: expected at most 1000, received {times}"
        )));
    }
    cx.ret(&vec![text; times as usize])
}

/// `reverseBytes(data: Buffer): Buffer` — a new buffer, the input untouched.
fn reverse_bytes<'e>(cx: &CallContext<'e>) -> Result<JsValue<'e>> {
    let data: &[u8] = cx.get(0)?;
    let mut out = data.to_vec();
    out.reverse();
    cx.ret(&Bytes(out))
}

/// `describe(value): { type: string, keys: string[] | null, length: number | null }`
fn describe<'e>(cx: &CallContext<'e>) -> Result<JsValue<'e>> {
    let value = cx.arg(0)?;
    let out = cx.env.object()?;
    out.set("type", cx.env.string(&value.describe())?)?;
    let is_object = value.value_type()? == node_api::ValueType::Object;
    let keys = if is_object && !value.is_array()? {
        Some(value.keys()?)
    } else {
        None
    };
    out.set("keys", cx.ret(&keys)?)?;
    let length = if value.is_array()? {
        Some(value.array_length()?)
    } else {
        None
    };
    out.set("length", cx.ret(&length)?)?;
    Ok(out)
}

/// `pick(object, name: string): unknown` — `object[name]`, or throws naming the missing key.
fn pick<'e>(cx: &CallContext<'e>) -> Result<JsValue<'e>> {
    let object = cx.arg(0)?;
    let name: String = cx.get(1)?;
    if !object.has(&name)? {
        return Err(Error::new(format!("property {name:?} not found")).with_code("ERR_NOT_FOUND"));
    }
    object.get(&name)
}

/// `fail(message: string, code?: string): never` — throws an `Error` with that message and code.
fn fail<'e>(cx: &CallContext<'e>) -> Result<JsValue<'e>> {
    let message: String = cx.get(0)?;
    let code: Option<String> = cx.get(1)?;
    let error = Error::new(message);
    Err(match code {
        Some(code) => error.with_code(code),
        None => error,
    })
}

/// `panics(): never` — panics inside native code; must surface as a JS error, not a crash.
fn panics<'e>(cx: &CallContext<'e>) -> Result<JsValue<'e>> {
    let items: Vec<u32> = Vec::new();
    // An out-of-bounds index panics; the node-api boundary must catch it.
    let index = items.len() + 2;
    cx.ret(&items[index])
}

/// `callBack(fn, value): unknown` — calls `fn(value)`; a JS exception it throws propagates.
fn call_back<'e>(cx: &CallContext<'e>) -> Result<JsValue<'e>> {
    let callee = cx.arg(0)?;
    callee.call(&[cx.arg(1)?])
}

fn init<'e>(env: Env<'e>, exports: JsValue<'e>) -> Result<()> {
    let functions: [(&str, node_api::NativeFn); 9] = [
        ("greet", greet),
        ("add", add),
        ("sum", sum),
        ("repeat", repeat),
        ("reverseBytes", reverse_bytes),
        ("describe", describe),
        ("pick", pick),
        ("fail", fail),
        ("panics", panics),
    ];
    for (name, f) in functions {
        exports.set(name, env.function(name, f)?)?;
    }
    exports.set("callBack", env.function("callBack", call_back)?)?;
    exports.set(
        "napiVersion",
        env.number(f64::from(node_api::NAPI_VERSION))?,
    )?;
    Ok(())
}

node_api::module!(init);
