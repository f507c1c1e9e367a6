//! Decision 766/QĐ-TTg scores of a unit and period, as the national portal publishes them
//! (`cchc_dossiers::scores`): computed where the ledger and the procedure list hold the inputs,
//! completed by what the office enters, "không tính được" elsewhere; with the dossiers that cost
//! points, and the score the portal published beside it with the difference.

use cchc_dossiers::scores::{self, Entered, Scope, Scores};
use cchc_periods::Period;
use cchc_storage::User;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{App, Error, access};

/// What the office keeps for a unit and period: the parts entered, and the total the national
/// portal published.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kept {
    #[serde(default)]
    pub entered: Entered,
    /// The portal's total (out of 100), when entered.
    #[serde(default)]
    pub national: Option<Decimal>,
}

/// A unit's scores for a period.
#[derive(Debug, Clone)]
pub struct Scored {
    pub scores: Scores,
    pub kept: Kept,
    /// The dossiers that cost points: late (resolved late, or overdue at the window's end)…
    pub late: Vec<String>,
    /// … and rated 1 to 3 of 5.
    pub dissatisfied: Vec<String>,
}

impl Scored {
    /// The portal's total minus the computed one, when both are known.
    pub fn difference(&self) -> Option<Decimal> {
        Some(self.kept.national? - self.scores.complete_total()?)
    }
}

fn key(unit: &str, period: Period) -> String {
    cchc_storage::setting::decision_766(unit, &period.to_string())
}

/// What kept entries say, in Vietnamese, for the audit log: "Điểm trên Cổng Dịch vụ công quốc
/// gia: 85,5; Công khai, minh bạch: 16 điểm; …" (each part and group by its name); `None` when
/// the text is not kept entries.
pub fn describe_kept(json: &str) -> Option<String> {
    let k: Kept = serde_json::from_str(json).ok()?;
    let mut out = Vec::new();
    if let Some(p) = k.national {
        out.push(format!("Điểm trên Cổng Dịch vụ công quốc gia: {}", scores::points_vi(Some(p))));
    }
    for (slug, p) in &k.entered.groups {
        let name = scores::Group::ALL.into_iter().find(|g| g.slug() == slug).map_or(slug.as_str(), |g| g.name_vi());
        out.push(format!("nhóm \"{name}\": {} điểm", scores::points_vi(Some(*p))));
    }
    for (slug, p) in &k.entered.parts {
        let name = scores::Part::from_slug(slug).map_or(slug.as_str(), |p| p.name_vi());
        out.push(format!("tiêu chí \"{name}\": {} điểm", scores::points_vi(Some(*p))));
    }
    Some(if out.is_empty() { "không nhập điểm nào".into() } else { out.join("; ") })
}

/// What the office keeps for `unit` and `period` (nothing entered yet: empty).
async fn kept(app: &App, unit: &str, period: Period) -> Result<Kept, Error> {
    match app.store.setting(&key(unit, period)).await? {
        Some(json) => serde_json::from_str(&json).map_err(Error::internal),
        None => Ok(Kept::default()),
    }
}

/// The scores of `unit` (its receiving units below and itself) for `period`, with what the office
/// keeps and, over it, `overrides` (points given for this computation only); `actor` must be able
/// to read the unit.
pub async fn decision_766(app: &App, actor: &User, unit: &str, period: Period, overrides: &Entered) -> Result<Scored, Error> {
    let tree = readable(app, actor, unit).await?;
    let window = app.rule.window(period);
    let facts = crate::dossiers::subtree_facts(app.store.as_ref(), &tree, unit, &[window]).await?;
    scored(app, &tree, unit, period, &facts, overrides).await
}

/// The unit's Biểu 06 table for `period` and its scores ([`decision_766`]) from one read of the
/// ledger: what `cchc dossiers stats` prints.
pub async fn table_and_scores(
    app: &App,
    actor: &User,
    unit: &str,
    period: Period,
    overrides: &Entered,
) -> Result<(cchc_dossiers::Table, Scored), Error> {
    let tree = readable(app, actor, unit).await?;
    let window = app.rule.window(period);
    let facts = crate::dossiers::subtree_facts(app.store.as_ref(), &tree, unit, &[window]).await?;
    let table = facts.table(window, |_| true)?;
    Ok((table, scored(app, &tree, unit, period, &facts, overrides).await?))
}

/// The tree, once `unit` is known and `actor` may read it.
async fn readable(app: &App, actor: &User, unit: &str) -> Result<std::sync::Arc<cchc_units::UnitTree>, Error> {
    let tree = app.tree().await?;
    if tree.get(unit).is_none() {
        return Err(Error::NotFound(format!("đơn vị {unit}")));
    }
    if !access::can_read(actor, &tree, unit) {
        return Err(Error::Forbidden("Bạn không có quyền xem số liệu của đơn vị này.".into()));
    }
    Ok(tree)
}

async fn scored(
    app: &App,
    tree: &cchc_units::UnitTree,
    unit: &str,
    period: Period,
    facts: &crate::dossiers::SubtreeFacts,
    overrides: &Entered,
) -> Result<Scored, Error> {
    let window = app.rule.window(period);
    let (mut evidence, procedures) = facts.evidence(window)?;
    let feedback = crate::feedback::subtree_tally(app.store.as_ref(), tree, unit, window).await.map_err(Error::internal)?;
    evidence.feedback_on_time = Some((feedback.answered_on_time, feedback.answered()));
    evidence.feedback_handled = Some(feedback.received());
    evidence.feedback_satisfaction = Some(crate::survey::feedback_factor(app.store.as_ref(), tree, unit, window).await?);
    let scope = if tree.level_of(unit) == Some(cchc_units::Level::Tinh) { Scope::Province } else { Scope::Local };
    let kept = kept(app, unit, period).await?;
    let mut entered = kept.entered.clone();
    entered.parts.extend(overrides.parts.clone());
    entered.groups.extend(overrides.groups.clone());
    let scores = scores::score(&evidence, &procedures, scope, &entered);
    let (mut late, mut dissatisfied) = (evidence.late, evidence.dissatisfied);
    late.sort();
    dissatisfied.sort();
    Ok(Scored { scores, kept, late, dissatisfied })
}

/// Changes what the office keeps for `unit` and `period` and keeps it ([`keep`]): each entry names
/// a part or a group of Decision 766 by its name in files, with its points, or `None` to drop
/// what was entered; `national` `Some(…)` sets or (with `None`) clears the portal's total.
pub async fn enter(
    app: &App,
    actor: &User,
    unit: &str,
    period: Period,
    entries: &[(String, Option<Decimal>)],
    national: Option<Option<Decimal>>,
) -> Result<Kept, Error> {
    let mut k = kept(app, unit, period).await?;
    for (name, points) in entries {
        let kept = if scores::Group::ALL.iter().any(|g| g.slug() == name) { &mut k.entered.groups } else { &mut k.entered.parts };
        match points {
            Some(p) => kept.insert(name.clone(), *p),
            None => kept.remove(name),
        };
    }
    if let Some(n) = national {
        k.national = n;
    }
    keep(app, actor, unit, period, &k).await?;
    Ok(k)
}

/// Whether `actor` may enter scores of `unit`: whoever edits its report, and the compiling office
/// above it (which receives the portal's published table for every unit below).
pub fn can_keep(actor: &User, tree: &cchc_units::UnitTree, unit: &str) -> bool {
    access::can_edit(actor, unit) || (actor.role == cchc_storage::Role::Compiler && tree.is_within(unit, &actor.unit_code))
}

/// Keeps what the office entered for `unit` and `period` (parts, groups, the portal's total),
/// replacing what was kept; audited with the old and the new value. `actor` must be allowed by
/// [`can_keep`].
pub async fn keep(app: &App, actor: &User, unit: &str, period: Period, new: &Kept) -> Result<(), Error> {
    let tree = app.tree().await?;
    if tree.get(unit).is_none() {
        return Err(Error::NotFound(format!("đơn vị {unit}")));
    }
    if !can_keep(actor, &tree, unit) {
        return Err(Error::Forbidden("Bạn không có quyền nhập điểm của đơn vị này.".into()));
    }
    let mut problems = Vec::new();
    for (slug, points) in &new.entered.parts {
        match scores::Part::from_slug(slug) {
            None => problems.push(format!("không có tiêu chí \"{slug}\" trong Quyết định 766")),
            Some(p) if *points < Decimal::ZERO || *points > Decimal::from(p.max()) => {
                problems.push(format!("{}: điểm phải từ 0 đến {}", p.name_vi(), p.max()))
            }
            Some(_) => {}
        }
    }
    for (slug, points) in &new.entered.groups {
        match scores::Group::ALL.into_iter().find(|g| g.slug() == slug) {
            None => problems.push(format!("không có nhóm \"{slug}\" trong Quyết định 766")),
            Some(g) if *points < Decimal::ZERO || *points > Decimal::from(g.max()) => {
                problems.push(format!("{}: điểm phải từ 0 đến {}", g.name_vi(), g.max()))
            }
            Some(_) => {}
        }
    }
    if new.national.is_some_and(|p| p < Decimal::ZERO || p > Decimal::from(100)) {
        problems.push("Điểm trên Cổng Dịch vụ công quốc gia phải từ 0 đến 100".into());
    }
    if !problems.is_empty() {
        let problems = problems.into_iter().map(crate::error::Problem::new).collect();
        return Err(Error::invalid_all("Điểm nhập chưa hợp lệ, chưa lưu gì.", problems));
    }
    let json = serde_json::to_string(new).map_err(Error::internal)?;
    app.store.put_setting(&key(unit, period), &json, &actor.username).await?;
    Ok(())
}

/// Imports a file of the national portal's published totals (see
/// [`cchc_dossiers::scores::read_national`]) into each unit's kept entries, in one transaction:
/// every row is checked first (the unit exists, `actor` may enter its scores), and nothing is
/// kept unless all are right. Returns how many totals were kept.
pub async fn import_national(app: &App, actor: &User, bytes: &[u8]) -> Result<usize, Error> {
    let invalid = |problems: Vec<String>| {
        let problems = problems.into_iter().map(crate::error::Problem::new).collect();
        Error::invalid_all("Tệp điểm trên Cổng Dịch vụ công quốc gia không hợp lệ, chưa lưu gì.", problems)
    };
    let rows = scores::read_national(bytes).map_err(invalid)?;
    let tree = app.tree().await?;
    let refused: Vec<String> = rows
        .iter()
        .filter_map(|r| match tree.get(&r.unit) {
            None => Some(format!("Dòng {}, cột \"Mã đơn vị\": không có đơn vị \"{}\"", r.line, r.unit)),
            Some(_) if !can_keep(actor, &tree, &r.unit) => {
                Some(format!("Dòng {}: bạn không có quyền nhập điểm của đơn vị {}", r.line, r.unit))
            }
            Some(_) => None,
        })
        .collect();
    if !refused.is_empty() {
        return Err(invalid(refused));
    }
    let mut settings = Vec::with_capacity(rows.len());
    for r in &rows {
        let mut k = kept(app, &r.unit, r.period).await?;
        k.national = Some(r.points);
        settings.push((key(&r.unit, r.period), serde_json::to_string(&k).map_err(Error::internal)?));
    }
    app.store.put_settings(&settings, &actor.username).await?;
    Ok(rows.len())
}
