//! Custom patterns and the allowlist, compiled once per scanner.

use regex::{Regex, RegexSet};

use crate::config::{ConfigError, CustomPattern};

/// Compiled custom patterns: a set to find which ones occur (one pass), then each one's matches.
pub struct CustomMatcher {
    set: RegexSet,
    patterns: Vec<Regex>,
}

/// Upper bound on the size of a compiled pattern (protects against pathological expressions).
const SIZE_LIMIT: usize = 8 * 1024 * 1024;

impl CustomMatcher {
    /// Compiles `patterns`; `None` when there are none.
    pub fn new(patterns: &[CustomPattern]) -> Result<Option<Self>, ConfigError> {
        if patterns.is_empty() {
            return Ok(None);
        }
        if patterns.len() > u16::MAX as usize {
            return Err(ConfigError {
                at: "custom_patterns".into(),
                message: format!("at most {} patterns are supported", u16::MAX),
            });
        }
        let compiled = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| compile(&p.pattern, &format!("custom_patterns[{i}].pattern")))
            .collect::<Result<Vec<_>, _>>()?;
        let set = RegexSet::new(patterns.iter().map(|p| p.pattern.as_str())).map_err(|e| {
            ConfigError {
                at: "custom_patterns".into(),
                message: e.to_string(),
            }
        })?;
        Ok(Some(Self {
            set,
            patterns: compiled,
        }))
    }

    /// Every match as `(start, end, pattern index)`.
    pub fn find_all(&self, text: &str, out: &mut Vec<(usize, usize, u16)>) {
        for index in self.set.matches(text).iter() {
            for m in self.patterns[index].find_iter(text) {
                if m.start() < m.end() {
                    out.push((m.start(), m.end(), index as u16));
                }
            }
        }
    }
}

/// Compiles the allowlist into one set.
pub fn compile_allowlist(patterns: &[String]) -> Result<Option<RegexSet>, ConfigError> {
    if patterns.is_empty() {
        return Ok(None);
    }
    for (i, p) in patterns.iter().enumerate() {
        compile(p, &format!("whitelist_patterns[{i}]"))?;
    }
    RegexSet::new(patterns).map(Some).map_err(|e| ConfigError {
        at: "whitelist_patterns".into(),
        message: e.to_string(),
    })
}

fn compile(pattern: &str, at: &str) -> Result<Regex, ConfigError> {
    regex::RegexBuilder::new(pattern)
        .size_limit(SIZE_LIMIT)
        .build()
        .map_err(|e| ConfigError {
            at: at.to_owned(),
            message: e
                .to_string()
                .lines()
                .last()
                .unwrap_or("invalid regular expression")
                .trim()
                .to_owned(),
        })
}
