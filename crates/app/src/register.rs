//! The use cases of the documents register (issue 14 item 2): search a unit's register, read,
//! add and change a document. Access as for plans ([`crate::plans::can_keep`]); every change is
//! audited by the store.

use cchc_records::Document;
use cchc_storage::{DocumentQuery, StoreError, User, Versioned};

use crate::access;
use crate::app::App;
use crate::error::{Error, Problem, Result};
use crate::plans::can_keep;

const NO_READ: &str = "Bạn không có quyền xem sổ văn bản của đơn vị này.";
const NO_KEEP: &str = "Bạn không có quyền thêm hoặc sửa văn bản trong sổ của đơn vị này.";

/// The documents of the query's units that the actor may read (every unit named must be).
pub async fn search(app: &App, actor: &User, query: &DocumentQuery) -> Result<Vec<Versioned<Document>>> {
    let tree = app.tree().await?;
    for u in &query.units {
        if tree.get(u).is_none() {
            return Err(Error::NotFound(format!("đơn vị {u}")));
        }
        if !access::can_read(actor, &tree, u) {
            return Err(Error::Forbidden(NO_READ.into()));
        }
    }
    Ok(app.store.documents(query).await?)
}

pub async fn get(app: &App, actor: &User, id: i64) -> Result<(Versioned<Document>, bool)> {
    let tree = app.tree().await?;
    let d = app.store.document(id).await?.ok_or_else(|| Error::NotFound(format!("văn bản số {id}")))?;
    if !access::can_read(actor, &tree, &d.value.unit) {
        return Err(Error::NotFound(format!("văn bản số {id}")));
    }
    let keep = can_keep(actor, &tree, &d.value.unit);
    Ok((d, keep))
}

fn check(tree: &cchc_units::UnitTree, doc: &Document) -> Result<()> {
    let mut problems = doc.problems();
    if !doc.unit.is_empty() && tree.get(&doc.unit).is_none() {
        problems.push(("Đơn vị", format!("không có đơn vị \"{}\"", doc.unit)));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid {
            summary: "Văn bản chưa lưu được; hãy sửa các mục sau.".into(),
            problems: problems.into_iter().map(|(f, m)| Problem::at(f, m)).collect(),
        })
    }
}

pub async fn create(app: &App, actor: &User, doc: Document) -> Result<Versioned<Document>> {
    let tree = app.tree().await?;
    if !can_keep(actor, &tree, &doc.unit) {
        return Err(Error::Forbidden(NO_KEEP.into()));
    }
    check(&tree, &doc)?;
    Ok(app.store.insert_document(&doc, &actor.username).await?)
}

pub async fn update(app: &App, actor: &User, doc: Document, version: i64) -> Result<i64> {
    let tree = app.tree().await?;
    let stored = app.store.document(doc.id).await?.ok_or_else(|| Error::NotFound(format!("văn bản số {}", doc.id)))?;
    if !can_keep(actor, &tree, &stored.value.unit) {
        return Err(Error::Forbidden(NO_KEEP.into()));
    }
    let doc = Document { unit: stored.value.unit, ..doc };
    check(&tree, &doc)?;
    app.store.update_document(&doc, version, &actor.username).await.map_err(|e| match e {
        StoreError::Conflict { expected, found } => Error::Conflict(format!(
            "Văn bản đã được người khác sửa (phiên bản hiện tại {found}, bạn đang sửa phiên bản {expected}); chưa lưu gì. Hãy tải lại rồi sửa lại."
        )),
        other => other.into(),
    })
}
