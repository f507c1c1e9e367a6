//! The contract of [`crate::InspectionStore`]: inspections (kiểm tra công tác CCHC): the year's inspection plan, the inspections done, their findings and recommendations with their follow-up (issue 14, item 3).

use crate::Store;

/// Every check of [`crate::InspectionStore`] (one entry of the suite, so its checks are added here).
pub async fn inspections_contract(_s: &dyn Store) {}
