//! Decision 766/QĐ-TTg (2022) scores: each unit is scored out of 100 on its dossiers in six groups
//! (transparency 18, progress 20, online service 12, online payment 10, digitisation 22,
//! satisfaction 18). This module scores what the ledger can know, from a Biểu 06 row, and says so
//! where it cannot.
//!
//! The formula used, for the figures of the window (each group: its maximum × a share, rounded
//! half-up to 2 decimals):
//! - **Công khai, minh bạch (18)**: not in the ledger (publication of procedures and of dossier
//!   progress on the portals). Only an explicit input ([`Inputs::transparency`]); otherwise the
//!   group is reported as not computable.
//! - **Tiến độ giải quyết (20)**: share of the dossiers handled that are or were within time:
//!   (resolved early + on due + in progress within time) / (resolved + in progress). The Decision
//!   splits this group into finer sub-indicators (e.g. late dossiers with an apology); this single
//!   share is an approximation of it.
//! - **Dịch vụ trực tuyến (12)**: share of the new dossiers received online. Approximation: the
//!   Decision also looks at which procedures offer online service (toàn trình / một phần), which is
//!   the procedure list's business, not the ledger's.
//! - **Thanh toán trực tuyến (10)**: share of the dossiers whose fee was paid that paid online; not
//!   computable when no fee payment was recorded.
//! - **Số hóa hồ sơ (22)**: share of the new dossiers whose papers were digitised. Approximation:
//!   the Decision also counts results issued electronically, which the ledger does not record.
//! - **Mức độ hài lòng (18)**: share of the surveyed citizens rating 4 or 5 of 5; not computable
//!   without any rating.
//!
//! The total is the sum of the computable groups, shown with the maximum they add up to, so a
//! missing group is never counted as zero nor as full marks.

use rust_decimal::Decimal;

use crate::stats::Counts;

/// The six groups of Decision 766.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Transparency,
    Progress,
    OnlineService,
    OnlinePayment,
    Digitisation,
    Satisfaction,
}

impl Group {
    pub const ALL: [Group; 6] =
        [Group::Transparency, Group::Progress, Group::OnlineService, Group::OnlinePayment, Group::Digitisation, Group::Satisfaction];

    /// The group's maximum points.
    pub fn max(self) -> u32 {
        match self {
            Group::Transparency => 18,
            Group::Progress => 20,
            Group::OnlineService => 12,
            Group::OnlinePayment => 10,
            Group::Digitisation => 22,
            Group::Satisfaction => 18,
        }
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            Group::Transparency => "Công khai, minh bạch",
            Group::Progress => "Tiến độ giải quyết",
            Group::OnlineService => "Dịch vụ trực tuyến",
            Group::OnlinePayment => "Thanh toán trực tuyến",
            Group::Digitisation => "Số hóa hồ sơ",
            Group::Satisfaction => "Mức độ hài lòng",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Group::Transparency => "transparency",
            Group::Progress => "progress",
            Group::OnlineService => "online_service",
            Group::OnlinePayment => "online_payment",
            Group::Digitisation => "digitisation",
            Group::Satisfaction => "satisfaction",
        }
    }
}

/// What the ledger cannot know, given by the user.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Inputs {
    /// Points of the transparency group (0–18), as assessed elsewhere.
    pub transparency: Option<Decimal>,
}

/// One group's score: `points` is `None` when it cannot be computed. `basis` is the share it
/// came from (numerator, denominator), when it came from the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupScore {
    pub group: Group,
    pub points: Option<Decimal>,
    pub basis: Option<(u64, u64)>,
}

/// The six groups' scores and their total over the computable groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scores {
    pub groups: Vec<GroupScore>,
}

impl Scores {
    /// Sum of the computable groups' points.
    pub fn total(&self) -> Decimal {
        self.groups.iter().filter_map(|g| g.points).sum()
    }
    /// The maximum the computable groups add up to (100 when all are).
    pub fn total_max(&self) -> u32 {
        self.groups.iter().filter(|g| g.points.is_some()).map(|g| g.group.max()).sum()
    }
}

/// Scores a unit's (or a subtree's) figures of a window.
pub fn score(c: &Counts, inputs: Inputs) -> Scores {
    let share = |group: Group, num: u64, den: u64| GroupScore {
        group,
        points: (den > 0).then(|| cchc_format::round_half_up(Decimal::from(group.max()) * Decimal::from(num) / Decimal::from(den), 2)),
        basis: Some((num, den)),
    };
    let transparency = GroupScore {
        group: Group::Transparency,
        points: inputs.transparency.map(|p| p.clamp(Decimal::ZERO, Decimal::from(Group::Transparency.max()))),
        basis: None,
    };
    Scores {
        groups: vec![
            transparency,
            share(Group::Progress, c.resolved_in_time() + c.in_progress_within, c.resolved_total() + c.in_progress_total()),
            share(Group::OnlineService, c.received_online, c.received_new()),
            share(Group::OnlinePayment, c.paid_online, c.fee_paid),
            share(Group::Digitisation, c.digitised, c.received_new()),
            share(Group::Satisfaction, c.satisfaction_satisfied, c.satisfaction_surveyed),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_become_points_and_missing_data_stays_missing() {
        // 000's figures: 4.146 resolved, 4.137 in time; 208 in progress, 206 within.
        let c = Counts {
            resolved_early: 4_000,
            resolved_on_due: 137,
            resolved_late: 9,
            in_progress_within: 206,
            in_progress_overdue: 2,
            received_online: 1_179,
            received_direct: 2_153,
            digitised: 1_000,
            ..Counts::default()
        };
        let s = score(&c, Inputs::default());
        let points = |g: Group| s.groups.iter().find(|x| x.group == g).unwrap().points;
        // 20 × 4.343 / 4.354 = 19,9494… → 19,95.
        assert_eq!(points(Group::Progress), Some(Decimal::new(1995, 2)));
        // 12 × 1.179 / 3.332 = 4,2460… → 4,25.
        assert_eq!(points(Group::OnlineService), Some(Decimal::new(425, 2)));
        // 22 × 1.000 / 3.332 = 6,6026… → 6,60.
        assert_eq!(points(Group::Digitisation), Some(Decimal::new(660, 2)));
        assert_eq!(points(Group::Transparency), None);
        assert_eq!(points(Group::OnlinePayment), None);
        assert_eq!(points(Group::Satisfaction), None);
        assert_eq!(s.total_max(), 54);
        assert_eq!(s.total(), Decimal::new(1995 + 425 + 660, 2));
        let with = score(&c, Inputs { transparency: Some(Decimal::from(30)) });
        assert_eq!(with.groups[0].points, Some(Decimal::from(18)));
        assert_eq!(with.total_max(), 72);
    }
}
