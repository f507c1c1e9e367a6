//! A unit far from the other units of its level (đơn vị cùng cấp): the modified z-score of
//! Iglewicz and Hoaglin over the units of the same parent, for the indicators whose `[[limits]]`
//! give a `peers` threshold. What the compiling officer's review shows; it is not a finding of
//! the unit's own report, because the unit cannot see its peers.

use cchc_catalogue::Catalogue;
use cchc_report::{Key, UnitReport};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::eval::Figures;
use crate::render;

/// Fewer peers than this say nothing about what is usual.
pub const MIN_PEERS: usize = 4;

/// The modified z-score of each value: `0,6745 × (x − median) / MAD`, with MAD the median of
/// the absolute deviations. When more than half the values are equal (MAD = 0), the mean
/// absolute deviation scaled by 1,2533 stands in for it; when every value is equal, every score
/// is 0.
pub fn modified_z_scores(values: &[f64]) -> Vec<f64> {
    if values.is_empty() {
        return Vec::new();
    }
    let m = median(values);
    let deviations: Vec<f64> = values.iter().map(|x| (x - m).abs()).collect();
    let mad = median(&deviations);
    let scale = if mad > 0.0 { mad / 0.6745 } else { 1.253_314 * deviations.iter().sum::<f64>() / values.len() as f64 };
    values.iter().map(|x| if scale > 0.0 { (x - m) / scale } else { 0.0 }).collect()
}

fn median(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

/// One unit's figure far from its peers'.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outlier {
    pub unit: String,
    pub indicator: String,
    pub value: Decimal,
    /// The median of the peers' figures (the unit's own included).
    pub median: f64,
    /// The modified z-score (positive above the median).
    pub score: f64,
    /// "Xã A: chỉ tiêu 1.1 "…" 1.000, cách xa các đơn vị cùng cấp (trung vị 12, điểm lệch 45,3)".
    pub message: String,
}

/// The outliers among `reports` (the reports of one period of the units of one parent), for
/// every limit with a `peers` threshold, over the units whose kind the limit applies to and that
/// state the figure; in catalogue order, then by unit.
pub fn outliers(reports: &[UnitReport], cat: &Catalogue) -> Vec<Outlier> {
    let mut out = Vec::new();
    for limit in &cat.limits {
        let Some(threshold) = limit.peers else { continue };
        let key = Key::total(&limit.indicator);
        let stated: Vec<(&UnitReport, Decimal)> = reports
            .iter()
            .filter(|r| limit.applies_to_kind(r.unit.kind.slug()))
            .filter_map(|r| Some((r, Figures { values: r.values(), catalogue: cat }.number(&key)?)))
            .collect();
        if stated.len() < MIN_PEERS {
            continue;
        }
        let values: Vec<f64> = stated.iter().map(|(_, v)| v.to_f64().unwrap_or_default()).collect();
        let m = median(&values);
        for ((report, value), score) in stated.iter().zip(modified_z_scores(&values)) {
            if score.abs() > threshold {
                out.push(outlier(cat, report, &limit.indicator, *value, m, score));
            }
        }
    }
    out
}

fn outlier(cat: &Catalogue, report: &UnitReport, code: &str, value: Decimal, median: f64, score: f64) -> Outlier {
    let name = cat.indicator(code).map_or(code, |i| i.name.as_str());
    let show = |x: f64| render::number(Decimal::try_from(x).unwrap_or_default().round_dp(1));
    let side = if score > 0.0 { "cao" } else { "thấp" };
    Outlier {
        unit: report.unit.code.clone(),
        indicator: code.to_string(),
        value,
        median,
        score,
        message: format!(
            "{}: chỉ tiêu {code} \"{name}\" {}, {side} bất thường so với các đơn vị cùng cấp (trung vị {}, điểm lệch {})",
            report.unit.name,
            render::number(value),
            show(median),
            show(score.abs())
        ),
    }
}
