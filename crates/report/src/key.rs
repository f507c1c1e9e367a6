//! Keys of figures: an indicator code and a split, written `3.5.1[field=ho-tich,level=xa]`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// A split: dimension id → value id, e.g. `{level: xa, field: ho-tich}`. Empty for the total.
pub type Split = BTreeMap<String, String>;

/// The key of a figure.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Key {
    pub code: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub split: Split,
}

impl Key {
    /// The total of an indicator.
    pub fn total(code: &str) -> Key {
        Key { code: code.to_string(), split: Split::new() }
    }

    /// One split of an indicator.
    pub fn split(code: &str, pairs: &[(&str, &str)]) -> Key {
        Key { code: code.to_string(), split: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect() }
    }

    /// The same split of another indicator.
    pub fn with_code(&self, code: &str) -> Key {
        Key { code: code.to_string(), split: self.split.clone() }
    }

    pub fn is_total(&self) -> bool {
        self.split.is_empty()
    }

    /// Parses `CODE` or `CODE[dim=value,…]`.
    pub fn parse(text: &str) -> Option<Key> {
        cchc_catalogue::expr::parse_reference_body(text).map(|r| Key { code: r.code, split: r.split })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)?;
        if !self.split.is_empty() {
            let parts: Vec<String> = self.split.iter().map(|(k, v)| format!("{k}={v}")).collect();
            write!(f, "[{}]", parts.join(","))?;
        }
        Ok(())
    }
}
