//! The audit log as people read it: filtered by unit, user, action and day range, paged in the
//! store ([`cchc_storage::AdminStore::audit_page`]), with the full name of each user.
//!
//! Who sees what: an administrator every entry; a compiler or a leader only the entries of the
//! units of their subtree (their own unit and every unit below it), never an entry of no unit
//! (logins, settings, catalogues) nor another unit's; a unit officer is refused (their unit's
//! changes are in each report's history).

use std::collections::BTreeMap;

use cchc_storage::{AuditEntry, AuditQuery, Role, User};
use chrono::NaiveDate;

use crate::app::App;
use crate::error::{Error, Result};

/// What the page asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditRequest {
    pub unit: Option<String>,
    pub by: Option<String>,
    pub action: Option<String>,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// 1-based page.
    pub page: i64,
    pub per_page: i64,
}

/// One page of the log with the people's names.
#[derive(Debug, Clone, Default)]
pub struct AuditView {
    pub entries: Vec<AuditEntry>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    /// user name → full name, for every user of the page.
    pub names: BTreeMap<String, String>,
    /// The actions that occur in the log, for the filter's list.
    pub actions: Vec<String>,
}

/// The largest page (and export) size.
pub const MAX_PER_PAGE: i64 = 10_000;

pub async fn audit_log(app: &App, actor: &User, r: &AuditRequest) -> Result<AuditView> {
    let tree = app.tree().await?;
    let scope: Option<Vec<String>> = match actor.role {
        Role::Admin => None,
        Role::Compiler | Role::Leader => Some(tree.subtree(&actor.unit_code).into_iter().map(|u| u.code.clone()).collect()),
        Role::UnitOfficer => {
            return Err(Error::Forbidden(
                "Cán bộ đơn vị xem lịch sử thay đổi trong từng báo cáo; nhật ký chung dành cho quản trị, cán bộ tổng hợp và lãnh đạo."
                    .into(),
            ));
        }
    };
    let units = match (&r.unit, scope) {
        (Some(u), None) => Some(vec![u.clone()]),
        (Some(u), Some(scope)) => {
            if !scope.contains(u) {
                return Err(Error::Forbidden(format!("Đơn vị {u} không thuộc phạm vi bạn được xem.")));
            }
            Some(vec![u.clone()])
        }
        (None, scope) => scope,
    };
    if let (Some(f), Some(u)) = (r.from, r.until)
        && f > u
    {
        return Err(Error::invalid_all(
            "Chưa lọc được: ngày bắt đầu sau ngày kết thúc.",
            vec![crate::Problem::at("trường \"Từ ngày\"", "ngày bắt đầu sau ngày kết thúc.")],
        ));
    }
    let per_page = r.per_page.clamp(1, MAX_PER_PAGE);
    let page = r.page.max(1);
    let q = AuditQuery {
        units,
        by: r.by.clone(),
        action: r.action.clone(),
        from: r.from,
        until: r.until,
        offset: (page - 1) * per_page,
        limit: per_page,
    };
    let mut found = app.store.audit_page(&q).await?;
    for e in &mut found.entries {
        describe_values(e);
    }
    let mut names = BTreeMap::new();
    for e in &found.entries {
        if !names.contains_key(&e.by)
            && let Some(u) = app.store.user(&e.by).await?
        {
            names.insert(e.by.clone(), u.full_name);
        }
    }
    let actions = app.store.audit_actions().await?;
    let pages = ((found.total + per_page - 1) / per_page).max(1);
    Ok(AuditView { entries: found.entries, total: found.total, page, pages, names, actions })
}

/// The values of an entry whose stored form is not for people (the Decision 766 entries are
/// kept as JSON) described in Vietnamese; others are left as they are.
fn describe_values(e: &mut AuditEntry) {
    if e.item.as_deref().is_some_and(cchc_storage::setting::is_decision_766_item) {
        for v in [&mut e.old_value, &mut e.new_value].into_iter().flatten() {
            if let Some(text) = crate::scores::describe_kept(v) {
                *v = text;
            }
        }
    }
}
