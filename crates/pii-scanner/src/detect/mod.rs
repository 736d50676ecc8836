//! The detectors. Each is anchored on a trigger byte and answers with the span it recognised
//! (already validated), or `None`.

pub mod aws;
pub mod email;
pub mod iban;
pub mod ipv6;
pub mod jwt;
pub mod numeric;
pub mod private_key;
