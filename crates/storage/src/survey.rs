//! The store of the satisfaction survey at the counter (khảo sát sự hài lòng): one answer per receipt code (issue 14, item 5), in SQL for both backends through `Any`, as [`crate::records`].

use async_trait::async_trait;

use crate::sql::SqlStore;

/// The store of the satisfaction survey at the counter (khảo sát sự hài lòng): one answer per receipt code (issue 14, item 5).
#[async_trait]
pub trait SurveyStore: Send + Sync {}

#[async_trait]
impl SurveyStore for SqlStore {}
