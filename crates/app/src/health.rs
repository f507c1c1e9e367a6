//! Whether the service can work: the check behind the web's `/healthz` (issue 16 item 6).

use std::time::Duration;

use cchc_storage::Store;

use crate::Error;
use crate::error::Result;

/// How long the database may take to answer before the service counts as down.
pub const PING_TIMEOUT: Duration = Duration::from_secs(3);

/// The settings key the ping reads: one indexed row (usually absent), never a write.
const PING_KEY: &str = "health.ping";

/// Asks the store one small read. `Ok` when the database answered within [`PING_TIMEOUT`];
/// otherwise [`Error::Unavailable`] in Vietnamese, the cause logged (never shown).
pub async fn ping(store: &dyn Store) -> Result<()> {
    match tokio::time::timeout(PING_TIMEOUT, store.setting(PING_KEY)).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => {
            tracing::warn!("health check: the database did not answer: {e}");
            Err(Error::Unavailable(UNAVAILABLE.into()))
        }
        Err(_) => {
            tracing::warn!("health check: the database did not answer within {} s", PING_TIMEOUT.as_secs());
            Err(Error::Unavailable(UNAVAILABLE.into()))
        }
    }
}

/// The reason given when the database does not answer.
pub const UNAVAILABLE: &str = "Cơ sở dữ liệu không trả lời.";

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn an_open_store_answers() {
        let store = cchc_storage::open("sqlite::memory:").await.expect("store");
        assert!(super::ping(store.as_ref()).await.is_ok());
    }
}
