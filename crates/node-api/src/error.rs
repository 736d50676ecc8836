//! Errors that cross into JavaScript as thrown exceptions.

use std::fmt;

/// Which JavaScript error constructor an [`Error`] becomes when thrown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// `Error`
    Error,
    /// `TypeError`: a value of the wrong type was passed.
    TypeError,
    /// `RangeError`: a value outside the accepted range was passed.
    RangeError,
    /// A JavaScript exception is already pending (a callback or getter threw); it propagates as is.
    Pending,
}

/// An error returned from native code; thrown into JavaScript at the N-API boundary with its
/// message and, when set, its `code` property (e.g. `ERR_INVALID_ARG_TYPE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The JavaScript error class.
    pub kind: ErrorKind,
    /// Optional `error.code`.
    pub code: Option<String>,
    /// `error.message`.
    pub message: String,
}

/// Result type of every fallible node-api operation.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A plain `Error` with `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Error,
            code: None,
            message: message.into(),
        }
    }

    /// A `TypeError` with `message`.
    pub fn type_error(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::TypeError,
            code: Some("ERR_INVALID_ARG_TYPE".into()),
            message: message.into(),
        }
    }

    /// A `RangeError` with `message`.
    pub fn range_error(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::RangeError,
            code: Some("ERR_OUT_OF_RANGE".into()),
            message: message.into(),
        }
    }

    /// Marks that a JavaScript exception is already pending and must not be replaced.
    pub(crate) fn pending() -> Self {
        Self {
            kind: ErrorKind::Pending,
            code: None,
            message: "a JavaScript exception is pending".into(),
        }
    }

    /// Sets `error.code`.
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Builds the `TypeError` for a value of the wrong type: says what was expected, what was
    /// received and where.
    pub fn expected(what: &str, received: &str, at: &str) -> Self {
        Self::type_error(format!("{at}: expected {what}, received {received}"))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{} [{}]", self.message, code),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_names_the_place_the_expectation_and_the_value() {
        let e = Error::expected("a string", "number", "argument 1");
        assert_eq!(e.kind, ErrorKind::TypeError);
        assert_eq!(e.message, "argument 1: expected a string, received number");
        assert_eq!(e.code.as_deref(), Some("ERR_INVALID_ARG_TYPE"));
    }

    #[test]
    fn display_includes_the_code_when_set() {
        assert_eq!(
            Error::new("boom").with_code("E_BOOM").to_string(),
            "boom [E_BOOM]"
        );
        assert_eq!(Error::new("boom").to_string(), "boom");
    }
}
