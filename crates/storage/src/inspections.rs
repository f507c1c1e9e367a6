//! The store of inspections (kiểm tra công tác CCHC): the year's inspection plan, the inspections done, their findings and recommendations with their follow-up (issue 14, item 3), in SQL for both backends through `Any`, as [`crate::records`].

use async_trait::async_trait;

use crate::sql::SqlStore;

/// The store of inspections (kiểm tra công tác CCHC): the year's inspection plan, the inspections done, their findings and recommendations with their follow-up (issue 14, item 3).
#[async_trait]
pub trait InspectionStore: Send + Sync {}

#[async_trait]
impl InspectionStore for SqlStore {}
