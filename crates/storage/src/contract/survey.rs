//! The contract of [`crate::SurveyStore`]: the satisfaction survey at the counter (khảo sát sự hài lòng): one answer per receipt code (issue 14, item 5).

use crate::Store;

/// Every check of [`crate::SurveyStore`] (one entry of the suite, so its checks are added here).
pub async fn survey_contract(_s: &dyn Store) {}
