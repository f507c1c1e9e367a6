//! What a catalogue says about checks beyond its rules: the severity of each automatic check,
//! which indicators a report must state (chỉ tiêu bắt buộc), and the plausible range and change
//! of a figure against earlier periods and against the unit's peers.

use std::collections::BTreeMap;

use cchc_periods::PeriodKind;
use serde::{Deserialize, Serialize};

use crate::model::Severity;

/// The checks that follow from the catalogue's structure, which nobody writes as rules. Their
/// ids (`auto:…`) are what findings carry and what `[severity]` configures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AutoCheck {
    /// Two statements of one figure that differ.
    Conflict,
    /// Splits adding up to more than their total (or not to it when complete).
    SplitSum,
    /// A ratio's numerator above its denominator.
    RatioBound,
    /// A stated ratio or claim that is not the one computed from its counts.
    StatedRatio,
    /// A ratio stated without the counts it is computed from.
    RatioWithoutCounts,
    /// A percentage above 100.
    PercentBound,
    /// A cumulative figure falling between two periods of a year.
    Cumulative,
    /// A figure outside the `[[limits]]` range.
    Range,
    /// A figure that changed more than the `[[limits]]` factor against an earlier period.
    Change,
    /// A report that lacks indicators the catalogue marks as required.
    Required,
    /// A stated data window that differs from the province's rule (judged in `cchc_app`, which
    /// knows the rule).
    Window,
}

impl AutoCheck {
    pub const ALL: [AutoCheck; 11] = [
        AutoCheck::Conflict,
        AutoCheck::SplitSum,
        AutoCheck::RatioBound,
        AutoCheck::StatedRatio,
        AutoCheck::RatioWithoutCounts,
        AutoCheck::PercentBound,
        AutoCheck::Cumulative,
        AutoCheck::Range,
        AutoCheck::Change,
        AutoCheck::Required,
        AutoCheck::Window,
    ];

    /// The id findings carry and `[severity]` names: `auto:split-sum`.
    pub fn id(self) -> &'static str {
        match self {
            AutoCheck::Conflict => "auto:conflict",
            AutoCheck::SplitSum => "auto:split-sum",
            AutoCheck::RatioBound => "auto:ratio-bound",
            AutoCheck::StatedRatio => "auto:stated-ratio",
            AutoCheck::RatioWithoutCounts => "auto:ratio-without-counts",
            AutoCheck::PercentBound => "auto:percent-bound",
            AutoCheck::Cumulative => "auto:cumulative",
            AutoCheck::Range => "auto:range",
            AutoCheck::Change => "auto:change",
            AutoCheck::Required => "auto:required",
            AutoCheck::Window => "auto:window",
        }
    }

    /// The severity when the catalogue does not set one: the arithmetic of the figures is an
    /// error; what is only implausible or incomplete is a warning the clerk explains.
    pub fn default_severity(self) -> Severity {
        match self {
            AutoCheck::Conflict
            | AutoCheck::SplitSum
            | AutoCheck::RatioBound
            | AutoCheck::StatedRatio
            | AutoCheck::PercentBound
            | AutoCheck::Cumulative => Severity::Error,
            AutoCheck::RatioWithoutCounts | AutoCheck::Range | AutoCheck::Change | AutoCheck::Required | AutoCheck::Window => {
                Severity::Warning
            }
        }
    }

    pub fn from_id(id: &str) -> Option<AutoCheck> {
        AutoCheck::ALL.into_iter().find(|c| c.id() == id)
    }
}

/// Indicators a report must state (chỉ tiêu bắt buộc) for some unit kinds and period kinds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Required {
    /// Unique among the `[[required]]` sets; a variant replaces one by its id.
    pub id: String,
    /// Codes of indicators holding a figure; a ratio counts as stated when its counts are.
    pub indicators: Vec<String>,
    /// Unit kinds (slugs of `cchc_units::UnitKind`) it applies to; empty: all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unit_kinds: Vec<String>,
    /// Period kinds (`month`, `quarter`, `half`, `nine-months`, `year`); empty: all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub periods: Vec<PeriodKind>,
    /// A report lacking one of them cannot be sent at all (true), or only with an explanation
    /// (false, the default).
    #[serde(default, skip_serializing_if = "crate::model::is_false")]
    pub refuse: bool,
}

impl Required {
    /// Whether the set applies to a report of this unit kind and period kind.
    pub fn applies(&self, unit_kind: &str, period: PeriodKind) -> bool {
        (self.unit_kinds.is_empty() || self.unit_kinds.iter().any(|k| k == unit_kind))
            && (self.periods.is_empty() || self.periods.contains(&period))
    }
}

/// The plausible values of one indicator: a range, a change against earlier periods, and how
/// far from its peers a unit may be before the reviewer is shown it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    /// Unique among the `[[limits]]`; a variant replaces one by its id.
    pub id: String,
    /// The indicator (a count, money or percent, or a ratio: its computed percentage).
    pub indicator: String,
    /// Unit kinds it applies to; empty: all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unit_kinds: Vec<String>,
    /// Smallest plausible figure of the period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest plausible figure of the period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// `min` and `max` are per month of the period (a half-year's maximum is six times it).
    #[serde(default, skip_serializing_if = "crate::model::is_false")]
    pub per_month: bool,
    /// A figure more than `change` times, or less than 1/`change` of, the same figure of the same
    /// period last year or of the previous period is flagged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<f64>,
    /// Changes are judged only when the larger of the two figures is at least this (a jump from
    /// 1 to 4 documents says nothing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_floor: Option<f64>,
    /// Modified z-score over the units of the same parent above which the reviewer is shown the
    /// unit (3,5 is the usual threshold of Iglewicz and Hoaglin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peers: Option<f64>,
}

impl Limit {
    pub fn applies_to_kind(&self, unit_kind: &str) -> bool {
        self.unit_kinds.is_empty() || self.unit_kinds.iter().any(|k| k == unit_kind)
    }
}

/// How a catalogue sets an automatic check: as an error, a warning, or not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckSeverity {
    Error,
    Warning,
    /// The check is not made.
    Off,
}

impl CheckSeverity {
    /// The severity of the findings, `None` when the check is off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            CheckSeverity::Error => Some(Severity::Error),
            CheckSeverity::Warning => Some(Severity::Warning),
            CheckSeverity::Off => None,
        }
    }
}

/// `[severity]`: the severity of each automatic check, by id (`"auto:stated-ratio" = "warning"`).
pub type Severities = BTreeMap<String, CheckSeverity>;
