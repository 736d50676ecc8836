//! Reads the JavaScript configuration object into a [`ScannerConfig`], with errors naming the
//! property (`config.customPatterns[1].pattern: expected a string, received number`).

use node_api::{Error, FromJs, JsValue, Result, ValueType};
use pii_scanner::{CustomPattern, DetectorSet, MaskStrategy, PiiKind, ScannerConfig};

fn optional<'e, T: FromJs<'e>>(object: JsValue<'e>, name: &str) -> Result<Option<T>> {
    let value = object.get(name)?;
    Option::<T>::from_js(value, &format!("config.{name}"))
}

fn strategy(name: &str, at: &str) -> Result<MaskStrategy> {
    MaskStrategy::parse(name).ok_or_else(|| {
        Error::range_error(format!(
            "{at}: expected one of redact, partial, hash, tokenize, remove, received {name:?}"
        ))
    })
}

/// Reads `{ detectors?, mask?, maskOverrides?, redactionText?, hashSalt?, customPatterns?, allowlist? }`.
pub fn read_config(value: JsValue<'_>) -> Result<ScannerConfig> {
    if value.value_type()? != ValueType::Object || value.is_array()? {
        return Err(Error::expected(
            "a configuration object",
            &value.describe(),
            "argument 1",
        ));
    }
    let mut config = ScannerConfig::default();
    if let Some(names) = optional::<Vec<String>>(value, "detectors")? {
        let mut set = DetectorSet::none();
        for (i, name) in names.iter().enumerate() {
            let kind = PiiKind::from_name(name).ok_or_else(|| {
                Error::range_error(format!("config.detectors[{i}]: unknown detector {name:?}"))
            })?;
            set = set.with(kind);
        }
        config.detectors = set;
    }
    if let Some(name) = optional::<String>(value, "mask")? {
        config.mask = strategy(&name, "config.mask")?;
    }
    let overrides = value.get("maskOverrides")?;
    if overrides.value_type()? == ValueType::Object {
        for key in overrides.keys()? {
            let at = format!("config.maskOverrides.{key}");
            let kind = PiiKind::from_name(&key)
                .ok_or_else(|| Error::range_error(format!("{at}: unknown detector")))?;
            let name: String = String::from_js(overrides.get(&key)?, &at)?;
            config.mask_overrides.push((kind, strategy(&name, &at)?));
        }
    }
    config.redaction_text = optional::<String>(value, "redactionText")?.unwrap_or_default();
    config.hash_salt = optional::<String>(value, "hashSalt")?.unwrap_or_default();
    config.allowlist = optional::<Vec<String>>(value, "allowlist")?.unwrap_or_default();
    let patterns = value.get("customPatterns")?;
    if !matches!(
        patterns.value_type()?,
        ValueType::Undefined | ValueType::Null
    ) {
        if !patterns.is_array()? {
            return Err(Error::expected(
                "an array",
                &patterns.describe(),
                "config.customPatterns",
            ));
        }
        for i in 0..patterns.array_length()? {
            let item = patterns.element(i)?;
            let at = format!("config.customPatterns[{i}]");
            if item.value_type()? != ValueType::Object {
                return Err(Error::expected("an object", &item.describe(), &at));
            }
            let name = Option::<String>::from_js(item.get("name")?, &format!("{at}.name"))?
                .unwrap_or_else(|| "custom".into());
            let pattern = String::from_js(item.get("pattern")?, &format!("{at}.pattern"))?;
            let mask = match Option::<String>::from_js(item.get("mask")?, &format!("{at}.mask"))? {
                Some(s) => Some(strategy(&s, &format!("{at}.mask"))?),
                None => None,
            };
            config.custom.push(CustomPattern {
                name,
                pattern,
                mask,
            });
        }
    }
    Ok(config)
}
