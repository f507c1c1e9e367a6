//! Typed figures.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A figure, typed by the indicator's kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "v", rename_all = "kebab-case")]
pub enum Value {
    /// A count (số lượng).
    Int(i64),
    /// Money, or a percentage as stated ("92,85" keeps its two decimals).
    Dec(Decimal),
    /// Yes/no (Có = 1 / Không = 0).
    Bool(bool),
    /// The number of an option of a choice indicator.
    Choice(u8),
    /// Free text.
    Text(String),
    /// A compiled yes/no: `yes` of `of` units answered yes ("n/m đơn vị").
    Tally { yes: u32, of: u32 },
    /// A compiled choice: how many units chose each option.
    OptionCounts(BTreeMap<u8, u32>),
}

impl Value {
    /// The number used in rule expressions: counts, money and stated percentages; yes/no as 1/0;
    /// a choice as its option number; a tally as its yes count.
    pub fn number(&self) -> Option<Decimal> {
        match self {
            Value::Int(n) => Some(Decimal::from(*n)),
            Value::Dec(d) => Some(*d),
            Value::Bool(b) => Some(Decimal::from(*b as u8)),
            Value::Choice(c) => Some(Decimal::from(*c)),
            Value::Tally { yes, .. } => Some(Decimal::from(*yes)),
            Value::Text(_) | Value::OptionCounts(_) => None,
        }
    }

    /// Vietnamese display: `8.803`, `92,85`, `Có`/`Không` are left to the caller (it knows the
    /// labels); here yes/no shows as 1/0 and a tally as "3/5 đơn vị".
    pub fn display(&self) -> String {
        match self {
            Value::Int(n) => cchc_format::int(*n),
            Value::Dec(d) => cchc_format::decimal(*d),
            Value::Bool(b) => (*b as u8).to_string(),
            Value::Choice(c) => c.to_string(),
            Value::Text(t) => t.clone(),
            Value::Tally { yes, of } => format!("{yes}/{of} đơn vị"),
            Value::OptionCounts(m) => m.iter().map(|(k, n)| format!("{k}: {n} đơn vị")).collect::<Vec<_>>().join("; "),
        }
    }
}

/// How a stated figure is meant: exactly, or as a bound ("trên 80%").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Qualifier {
    /// "trên": strictly above.
    Above,
    /// "từ … trở lên", "ít nhất".
    AtLeast,
    /// "dưới": strictly below.
    Below,
    /// "không quá", "tối đa".
    AtMost,
    /// "khoảng", "gần": approximately (within 1 percentage point or 1%).
    About,
}

impl Qualifier {
    pub fn name_vi(self) -> &'static str {
        match self {
            Qualifier::Above => "trên",
            Qualifier::AtLeast => "từ",
            Qualifier::Below => "dưới",
            Qualifier::AtMost => "không quá",
            Qualifier::About => "khoảng",
        }
    }
}
