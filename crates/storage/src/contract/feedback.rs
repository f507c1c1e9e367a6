//! The contract of [`crate::FeedbackStore`]: citizens' feedback and petitions (phản ánh, kiến nghị: PAKN): intake, assignment, answer and due date (issue 14, item 4).

use crate::Store;

/// Every check of [`crate::FeedbackStore`] (one entry of the suite, so its checks are added here).
pub async fn feedback_contract(_s: &dyn Store) {}
