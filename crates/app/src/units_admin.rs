//! Units administration without files (issue 16 item 3): add a unit, rename it, merge units into
//! one, close a unit. Each use case takes the acting user (administrators only), builds the
//! hierarchy the store would hold afterwards and checks it with [`UnitTree::new`] (unique codes,
//! known parents, no cycle, ordered dates) before anything is written, writes every changed unit
//! and lineage edge in one transaction ([`cchc_storage::UnitStore::upsert_units`]), appends one
//! audit entry and drops the cached tree.
//!
//! Concurrent edits: the form carries the [`version`] of each unit it changes as it was shown;
//! when the stored unit differs (somebody changed it since), the use case answers
//! [`Error::Conflict`] and writes nothing, rather than overwriting silently. (The check and the
//! write are two steps; two administrators submitting within the same few milliseconds are not
//! told apart. The store has no version column for units yet.)
//!
//! Lineage follows the units crate: a renaming is a new record (the new code) valid from the
//! effective date, the old record closed the day before, and a [`LineageKind::Renamed`] edge old →
//! new; a merger closes every merged unit the day before and adds a [`LineageKind::MergedInto`]
//! edge from each to the unit that carries on. Units still open under a renamed or merged unit
//! move under its successor.

use cchc_storage::{AuditEntry, Role, User};
use cchc_units::{LineageEdge, LineageKind, Unit, UnitKind, UnitTree};
use chrono::NaiveDate;

use crate::app::App;
use crate::error::{Error, Problem, Result};

/// The fields of the forms, as the messages name them.
pub const FIELD_CODE: &str = "trường \"Mã đơn vị\"";
pub const FIELD_NAME: &str = "trường \"Tên đơn vị\"";
pub const FIELD_PARENT: &str = "trường \"Đơn vị cấp trên\"";
pub const FIELD_FROM: &str = "trường \"Hiệu lực từ ngày\"";
pub const FIELD_UNTIL: &str = "trường \"Hiệu lực đến ngày\"";
pub const FIELD_NEW_CODE: &str = "trường \"Mã mới\"";
pub const FIELD_DATE: &str = "trường \"Ngày hiệu lực\"";
pub const FIELD_MERGED: &str = "trường \"Các đơn vị sáp nhập\"";
pub const FIELD_INTO: &str = "trường \"Sáp nhập vào\"";

/// A new unit as the add form gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent: Option<String>,
    pub valid_from: NaiveDate,
    pub issuer: Option<String>,
}

/// A renaming: `code` carries on as `new_code` named `new_name` from `date`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    pub code: String,
    /// The unit's [`version`] as the form showed it.
    pub expected: String,
    pub new_code: String,
    pub new_name: String,
    pub date: NaiveDate,
    /// Legal basis ("Nghị quyết …"), optional.
    pub basis: Option<String>,
}

/// A merger: every unit of `merged` (code and the version shown) goes into `into` from `date`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    pub merged: Vec<(String, String)>,
    pub into: String,
    pub into_expected: String,
    pub date: NaiveDate,
    pub basis: Option<String>,
}

/// A closing: `code` exists until `until` (inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Close {
    pub code: String,
    pub expected: String,
    pub until: NaiveDate,
}

/// A short, stable fingerprint of a unit as stored (every field), which the forms send back so a
/// change made by somebody else in between is a conflict.
pub fn version(unit: &Unit) -> String {
    let text = serde_json::to_string(unit).unwrap_or_default();
    // FNV-1a, 64 bits: stable across builds and platforms (std's hasher is not).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn admin_only(actor: &User) -> Result<()> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(Error::Forbidden("Chỉ quản trị được sửa danh sách đơn vị.".into()))
    }
}

fn invalid(place: &str, message: impl Into<String>) -> Error {
    let problem = Problem::at(place, message);
    Error::invalid_all(format!("Chưa lưu: {problem}"), vec![problem])
}

fn conflict(code: &str) -> Error {
    Error::Conflict(format!("Đơn vị {code} vừa được người khác sửa sau khi trang này được mở; chưa lưu gì. Hãy tải lại trang rồi thử lại."))
}

fn trimmed(s: &str) -> String {
    s.trim().to_string()
}

fn check_code(place: &str, code: &str) -> Result<()> {
    if code.is_empty() {
        return Err(invalid(place, "chưa nhập mã đơn vị."));
    }
    if code.chars().count() > 32 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.') {
        return Err(invalid(place, format!("mã \"{code}\" chỉ được gồm chữ không dấu, chữ số, '-', '_' hoặc '.' (tối đa 32 ký tự).")));
    }
    Ok(())
}

fn check_name(place: &str, name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(invalid(place, "chưa nhập tên đơn vị."));
    }
    if name.chars().count() > 200 {
        return Err(invalid(place, "tên đơn vị dài quá 200 ký tự."));
    }
    Ok(())
}

/// The stored unit `code`, and a conflict when it is no longer what the form showed.
fn current<'a>(tree: &'a UnitTree, place: &str, code: &str, expected: &str) -> Result<&'a Unit> {
    let unit = tree.get(code).ok_or_else(|| invalid(place, format!("không có đơn vị mã {code}.")))?;
    if version(unit) != expected.trim() {
        return Err(conflict(code));
    }
    Ok(unit)
}

/// Checks the hierarchy after the change with the units crate's rules, naming the field.
fn check_tree(
    tree: &UnitTree,
    changed: &[Unit],
    edges: &[LineageEdge],
    place_of: impl Fn(&cchc_units::UnitTreeError) -> &'static str,
) -> Result<()> {
    let mut units: Vec<Unit> = tree.units().filter(|u| !changed.iter().any(|c| c.code == u.code)).cloned().collect();
    units.extend(changed.iter().cloned());
    let mut lineage = tree.lineage().clone();
    lineage.edges.extend(edges.iter().cloned());
    UnitTree::new(units, lineage).map(|_| ()).map_err(|e| invalid(place_of(&e), format!("{e}.")))
}

/// The audit entry of a change of `unit` by `actor`.
fn entry(actor: &User, action: &str, unit: &str, item: Option<String>, old: Option<String>, new: String) -> AuditEntry {
    AuditEntry { unit_code: Some(unit.to_string()), item, old_value: old, new_value: Some(new), ..AuditEntry::now(&actor.username, action) }
}

async fn save(app: &App, units: &[Unit], edges: &[LineageEdge], audit: AuditEntry) -> Result<()> {
    // One transaction for the units and the edges; the audit entry after (it cannot refuse).
    app.store.upsert_units(units, edges).await?;
    app.forget_tree();
    app.store.append_audit(&audit).await?;
    Ok(())
}

/// Units still open on `day` directly under `code`, moved under `successor`.
fn moved_children(tree: &UnitTree, code: &str, successor: &str, day: NaiveDate) -> Vec<Unit> {
    tree.all_children(code)
        .filter(|c| c.valid_to.is_none_or(|t| t >= day))
        .map(|c| Unit { parent: Some(successor.to_string()), ..c.clone() })
        .collect()
}

fn day_before(place: &str, day: NaiveDate) -> Result<NaiveDate> {
    day.pred_opt().ok_or_else(|| invalid(place, "ngày không hợp lệ."))
}

fn fmt_day(d: NaiveDate) -> String {
    cchc_format::date(d)
}

/// Adds a unit. Refused when the code exists, the parent is unknown, or the dates do not hold.
pub async fn add_unit(app: &App, actor: &User, new: &NewUnit) -> Result<Unit> {
    admin_only(actor)?;
    let code = trimmed(&new.code);
    let name = trimmed(&new.name);
    check_code(FIELD_CODE, &code)?;
    check_name(FIELD_NAME, &name)?;
    let tree = app.store.unit_tree().await?;
    if tree.get(&code).is_some() {
        return Err(invalid(FIELD_CODE, format!("mã đơn vị {code} đã có; hãy chọn mã khác.")));
    }
    let parent = new.parent.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(str::to_string);
    if let Some(p) = &parent {
        let Some(pu) = tree.get(p) else { return Err(invalid(FIELD_PARENT, format!("không có đơn vị cấp trên mã {p}."))) };
        if pu.valid_to.is_some_and(|t| t < new.valid_from) {
            return Err(invalid(
                FIELD_PARENT,
                format!("đơn vị cấp trên {p} đã hết hiệu lực từ {}.", fmt_day(pu.valid_to.unwrap_or(new.valid_from))),
            ));
        }
    }
    let unit = Unit {
        code: code.clone(),
        name,
        kind: new.kind,
        parent,
        valid_from: Some(new.valid_from),
        valid_to: None,
        issuer: new.issuer.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string),
    };
    check_tree(&tree, std::slice::from_ref(&unit), &[], |e| match e {
        cchc_units::UnitTreeError::UnknownParent { .. } | cchc_units::UnitTreeError::Cycle(_) => FIELD_PARENT,
        cchc_units::UnitTreeError::BadValidity(_) => FIELD_FROM,
        _ => FIELD_CODE,
    })?;
    let summary = format!("{} ({}), {}, hiệu lực từ {}", unit.name, unit.code, unit.kind.name_vi(), fmt_day(new.valid_from));
    save(app, std::slice::from_ref(&unit), &[], entry(actor, "thêm đơn vị", &code, None, None, summary)).await?;
    Ok(unit)
}

/// Renames (and recodes) a unit from `date`: the old record ends the day before, the new one
/// starts on `date`, a renaming edge joins them, units under the old one move under the new.
pub async fn rename_unit(app: &App, actor: &User, r: &Rename) -> Result<Unit> {
    admin_only(actor)?;
    let new_code = trimmed(&r.new_code);
    let new_name = trimmed(&r.new_name);
    check_code(FIELD_NEW_CODE, &new_code)?;
    check_name(FIELD_NAME, &new_name)?;
    let tree = app.store.unit_tree().await?;
    let old = current(&tree, FIELD_CODE, r.code.trim(), &r.expected)?.clone();
    if new_code == old.code {
        return Err(invalid(FIELD_NEW_CODE, "mã mới phải khác mã cũ (bản ghi cũ được giữ lại làm lịch sử)."));
    }
    if tree.get(&new_code).is_some() {
        return Err(invalid(FIELD_NEW_CODE, format!("mã đơn vị {new_code} đã có; hãy chọn mã khác.")));
    }
    if old.valid_to.is_some_and(|t| t < r.date) {
        return Err(invalid(FIELD_DATE, format!("đơn vị {} đã hết hiệu lực từ {}.", old.code, fmt_day(old.valid_to.unwrap_or(r.date)))));
    }
    if old.valid_from.is_some_and(|f| f >= r.date) {
        return Err(invalid(
            FIELD_DATE,
            format!("ngày đổi tên phải sau ngày bắt đầu hiệu lực của đơn vị ({}).", fmt_day(old.valid_from.unwrap_or(r.date))),
        ));
    }
    let closed = Unit { valid_to: Some(day_before(FIELD_DATE, r.date)?), ..old.clone() };
    let renamed = Unit { code: new_code.clone(), name: new_name, valid_from: Some(r.date), valid_to: old.valid_to, ..old.clone() };
    let mut units = vec![renamed.clone(), closed];
    units.extend(moved_children(&tree, &old.code, &new_code, r.date));
    let basis = r.basis.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let edge = LineageEdge { from: old.code.clone(), to: new_code.clone(), kind: LineageKind::Renamed, date: r.date, basis };
    check_tree(&tree, &units, std::slice::from_ref(&edge), |e| match e {
        cchc_units::UnitTreeError::BadValidity(_) => FIELD_DATE,
        _ => FIELD_NEW_CODE,
    })?;
    let new_value = format!("{} ({}) từ {}", renamed.name, renamed.code, fmt_day(r.date));
    save(
        app,
        &units,
        &[edge],
        entry(actor, "đổi tên đơn vị", &new_code, Some(old.code.clone()), Some(format!("{} ({})", old.name, old.code)), new_value),
    )
    .await?;
    Ok(renamed)
}

/// Merges units into one from `date`: each merged unit ends the day before, with a merger edge
/// into the unit that carries on; units under them move under it.
pub async fn merge_units(app: &App, actor: &User, m: &Merge) -> Result<Unit> {
    admin_only(actor)?;
    if m.merged.is_empty() {
        return Err(invalid(FIELD_MERGED, "chọn ít nhất một đơn vị để sáp nhập."));
    }
    let tree = app.store.unit_tree().await?;
    let into = current(&tree, FIELD_INTO, m.into.trim(), &m.into_expected)?.clone();
    if into.valid_to.is_some_and(|t| t < m.date) {
        return Err(invalid(FIELD_INTO, format!("đơn vị {} đã hết hiệu lực từ {}.", into.code, fmt_day(into.valid_to.unwrap_or(m.date)))));
    }
    let closing = day_before(FIELD_DATE, m.date)?;
    let mut units = Vec::new();
    let mut edges = Vec::new();
    let basis = m.basis.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    for (code, expected) in &m.merged {
        let code = code.trim();
        if code == into.code {
            return Err(invalid(FIELD_MERGED, format!("đơn vị {code} không thể sáp nhập vào chính nó.")));
        }
        if units.iter().any(|u: &Unit| u.code == code) {
            return Err(invalid(FIELD_MERGED, format!("đơn vị {code} được chọn hai lần.")));
        }
        let unit = current(&tree, FIELD_MERGED, code, expected)?;
        if unit.valid_to.is_some_and(|t| t < m.date) {
            return Err(invalid(FIELD_MERGED, format!("đơn vị {code} đã hết hiệu lực từ {}.", fmt_day(unit.valid_to.unwrap_or(m.date)))));
        }
        if unit.valid_from.is_some_and(|f| f >= m.date) {
            return Err(invalid(FIELD_DATE, format!("ngày sáp nhập phải sau ngày bắt đầu hiệu lực của đơn vị {code}.")));
        }
        if tree.is_within(&into.code, code) {
            return Err(invalid(
                FIELD_INTO,
                format!("đơn vị {} nằm dưới đơn vị {code}; không thể sáp nhập cấp trên vào cấp dưới.", into.code),
            ));
        }
        units.push(Unit { valid_to: Some(closing), ..unit.clone() });
        edges.push(LineageEdge {
            from: code.to_string(),
            to: into.code.clone(),
            kind: LineageKind::MergedInto,
            date: m.date,
            basis: basis.clone(),
        });
    }
    let merged_codes: Vec<String> = units.iter().map(|u| u.code.clone()).collect();
    for code in &merged_codes {
        units.extend(moved_children(&tree, code, &into.code, m.date));
    }
    check_tree(&tree, &units, &edges, |e| match e {
        cchc_units::UnitTreeError::BadValidity(_) => FIELD_DATE,
        _ => FIELD_MERGED,
    })?;
    let new_value = format!("{} sáp nhập vào {} ({}) từ {}", merged_codes.join(", "), into.name, into.code, fmt_day(m.date));
    save(app, &units, &edges, entry(actor, "sáp nhập đơn vị", &into.code, Some(merged_codes.join(", ")), None, new_value)).await?;
    Ok(into)
}

/// Closes a unit: it exists until `until` (inclusive). Refused while a unit under it is still
/// open after that day (close or move them first).
pub async fn close_unit(app: &App, actor: &User, c: &Close) -> Result<Unit> {
    admin_only(actor)?;
    let tree = app.store.unit_tree().await?;
    let unit = current(&tree, FIELD_CODE, c.code.trim(), &c.expected)?.clone();
    if unit.valid_from.is_some_and(|f| f > c.until) {
        return Err(invalid(
            FIELD_UNTIL,
            format!("ngày kết thúc trước ngày bắt đầu hiệu lực ({}).", fmt_day(unit.valid_from.unwrap_or(c.until))),
        ));
    }
    if let Some(open) = tree.all_children(&unit.code).find(|ch| ch.valid_to.is_none_or(|t| t > c.until)) {
        return Err(invalid(
            FIELD_UNTIL,
            format!("đơn vị cấp dưới {} ({}) còn hiệu lực sau ngày này; hãy đóng hoặc sáp nhập nó trước.", open.name, open.code),
        ));
    }
    let closed = Unit { valid_to: Some(c.until), ..unit.clone() };
    check_tree(&tree, std::slice::from_ref(&closed), &[], |_| FIELD_UNTIL)?;
    let old = unit.valid_to.map(fmt_day);
    save(
        app,
        std::slice::from_ref(&closed),
        &[],
        entry(actor, "đóng đơn vị", &unit.code, None, old, format!("hiệu lực đến {}", fmt_day(c.until))),
    )
    .await?;
    Ok(closed)
}
