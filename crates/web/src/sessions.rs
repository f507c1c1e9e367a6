//! Login sessions kept in the store, behind an in-memory cache: a restart of `cchc serve` logs
//! nobody out, and a request reads its session from memory once it has been seen.

use std::sync::Arc;

use async_trait::async_trait;
use cchc_storage::Store;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, Error};
use tower_sessions::{CachingSessionStore, MemoryStore, SessionStore};

/// The sessions of the store (`Store::create_session` and the rest), as tower-sessions sees them.
#[derive(Clone)]
pub struct StoredSessions(pub Arc<dyn Store>);

impl std::fmt::Debug for StoredSessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoredSessions")
    }
}

/// The session store the router uses: memory in front of the database.
pub fn layered(store: Arc<dyn Store>) -> CachingSessionStore<MemoryStore, StoredSessions> {
    CachingSessionStore::new(MemoryStore::default(), StoredSessions(store))
}

fn backend(e: cchc_storage::StoreError) -> Error {
    Error::Backend(e.to_string())
}

fn encode(record: &Record) -> session_store::Result<String> {
    serde_json::to_string(record).map_err(|e| Error::Encode(e.to_string()))
}

#[async_trait]
impl SessionStore for StoredSessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A new random id until one is free (a collision of 128-bit ids is all but impossible).
        while !self
            .0
            .create_session(&record.id.to_string(), &encode(record)?, record.expiry_date.unix_timestamp())
            .await
            .map_err(backend)?
        {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.0.put_session(&record.id.to_string(), &encode(record)?, record.expiry_date.unix_timestamp()).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = tower_sessions::cookie::time::OffsetDateTime::now_utc().unix_timestamp();
        match self.0.session(&id.to_string(), now).await.map_err(backend)? {
            Some(data) => serde_json::from_str(&data).map(Some).map_err(|e| Error::Decode(e.to_string())),
            None => Ok(None),
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.0.delete_session(&id.to_string()).await.map_err(backend)
    }
}
