//! The compiling officer's review (cán bộ tổng hợp): which units below stand out from the
//! other units of the same parent. The figures and the score are the validation crate's
//! ([`cchc_validation::peers`], thresholds from the catalogue's `[[limits]]`); this module
//! gathers the stored reports and checks access.

use std::collections::BTreeMap;

use cchc_periods::Period;
use cchc_report::UnitReport;
use cchc_storage::User;
use cchc_validation::peers::{self, Outlier};

use crate::access;
use crate::app::App;
use crate::error::{Error, Result};

/// The units directly below `parent` whose figure of `period` is far from their peers' (the
/// modified z-score over the stored reports of `parent`'s units, per catalogue version), which
/// `actor` must be able to read. Units without a stored report are not counted.
pub async fn outliers(app: &App, actor: &User, parent: &str, period: Period) -> Result<Vec<Outlier>> {
    let tree = app.tree().await?;
    if tree.get(parent).is_none() {
        return Err(Error::NotFound(format!("đơn vị {parent}")));
    }
    if !access::can_read(actor, &tree, parent) {
        return Err(Error::Forbidden("Bạn không có quyền xem báo cáo của các đơn vị này.".into()));
    }
    let children: Vec<&str> = tree.all_children(parent).map(|u| u.code.as_str()).collect();
    // Peers are compared within one catalogue version, whose limits say what to compare.
    let mut by_catalogue: BTreeMap<String, Vec<UnitReport>> = BTreeMap::new();
    for record in app.store.reports_in_period(period).await? {
        if children.contains(&record.report.unit.code.as_str()) {
            by_catalogue.entry(record.report.catalogue.clone()).or_default().push(record.report);
        }
    }
    let mut out = Vec::new();
    for (reference, reports) in by_catalogue {
        let catalogue = app.catalogue_of(&reference).await?;
        out.extend(peers::outliers(&reports, &catalogue));
    }
    Ok(out)
}
