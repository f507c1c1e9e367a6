//! The satisfaction survey at the counter (khảo sát sự hài lòng): the questions as data (by
//! default the five SIPAS factors on a 1–5 scale), one answer per receipt code, and the
//! results by unit, procedure, field and period.
//!
//! **Satisfied.** An answer is *hài lòng* when the average of its scores is at least 4 (Hài
//! lòng); every question counts the same. Where the figures need one rating per dossier (the
//! ledger's `rating` 1–5, satisfied at 4 and above), the answer stands for the dossier's rating
//! as [`Answer::rating`], the average rounded down, so both rules agree: rating ≥ 4 ⇔ average ≥ 4.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// The catalogue's `source` names the survey's answers feed. They are the dossier ledger's
/// (`cchc_dossiers::sources`): an answer stands for its dossier's rating there, so the figures
/// are pre-filled with the ledger's; the form links them to the survey's results too.
pub const SOURCES: [&str; 2] = ["satisfaction_surveyed", "satisfaction_satisfied"];

/// The key of the SIPAS factor on the handling of feedback (tiếp nhận, xử lý phản ánh, kiến
/// nghị): Decision 766's "Hài lòng về xử lý phản ánh, kiến nghị" reads the answers that score
/// the question with this key ([`satisfied_on`]), wherever it stands in the questions.
pub const FEEDBACK_FACTOR: &str = "phan_anh";

/// The labels of the scale, 1 to 5.
pub const SCALE: [&str; 5] = ["Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"];

/// The longest comment kept, in characters.
pub const MAX_COMMENT: usize = 2000;

/// The label of a score 1–5 (empty outside the scale).
pub fn label(score: u8) -> &'static str {
    score.checked_sub(1).and_then(|i| SCALE.get(usize::from(i))).copied().unwrap_or("")
}

/// One question: its key in forms, files and stored answers, and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub key: String,
    pub text: String,
}

/// The questions a survey asks, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Questionnaire {
    pub questions: Vec<Question>,
}

impl Default for Questionnaire {
    fn default() -> Self {
        Questionnaire::sipas()
    }
}

impl Questionnaire {
    /// The five factors of the national satisfaction index (SIPAS, Decision 2640/QĐ-BNV).
    pub fn sipas() -> Questionnaire {
        let q = |key: &str, text: &str| Question { key: key.into(), text: text.into() };
        Questionnaire {
            questions: vec![
                q("tiep_can", "Tiếp cận dịch vụ (nơi tiếp nhận, trang thiết bị, hướng dẫn)"),
                q("thu_tuc", "Thủ tục hành chính (thành phần hồ sơ, phí, thời hạn được công khai, đơn giản)"),
                q("cong_chuc", "Công chức giải quyết (thái độ, hướng dẫn, tuân thủ quy định)"),
                q("ket_qua", "Kết quả giải quyết (đúng hẹn, đúng quy định, thông tin chính xác)"),
                q(FEEDBACK_FACTOR, "Tiếp nhận và xử lý phản ánh, kiến nghị"),
            ],
        }
    }

    /// Reads the scores as typed on the form (`key` → text) and the comment: every question
    /// needs a whole score from 1 to 5. Every problem names its question; nothing is kept
    /// unless all are right.
    pub fn check(&self, typed: &BTreeMap<String, String>, comment: &str) -> Result<Scores, Vec<String>> {
        let mut problems = Vec::new();
        let mut scores = BTreeMap::new();
        for q in &self.questions {
            match typed.get(&q.key).map(|s| s.trim()).filter(|s| !s.is_empty()) {
                None => problems.push(format!("Câu “{}”: chưa chọn mức đánh giá (từ 1 đến 5).", q.text)),
                Some(s) => match s.parse::<u8>() {
                    Ok(n) if (1..=5).contains(&n) => {
                        scores.insert(q.key.clone(), n);
                    }
                    _ => problems.push(format!("Câu “{}”: mức đánh giá “{s}” không hợp lệ; chỉ chọn từ 1 đến 5.", q.text)),
                },
            }
        }
        for key in typed.keys().filter(|k| !self.questions.iter().any(|q| &q.key == *k)) {
            problems.push(format!("Phiếu khảo sát không có câu hỏi “{key}”."));
        }
        let comment = comment.trim();
        if comment.chars().count() > MAX_COMMENT {
            problems.push(format!("Ý kiến khác: dài quá {} ký tự.", MAX_COMMENT));
        }
        if problems.is_empty() { Ok(Scores { scores, comment: comment.to_string() }) } else { Err(problems) }
    }
}

/// What a citizen answered, checked against the questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scores {
    /// Question key → score 1–5.
    pub scores: BTreeMap<String, u8>,
    /// Ý kiến khác (may be empty).
    #[serde(default)]
    pub comment: String,
}

/// A stored answer: the dossier it is about (receipt code, receiving unit, procedure, day of
/// receipt, copied from the ledger when answered) and the scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// The receipt code (mã hồ sơ): one answer each.
    pub receipt: String,
    pub unit: String,
    pub procedure: String,
    /// The dossier's day of receipt: the window an answer counts in is its dossier's, as the
    /// ledger counts a rating.
    pub received_on: NaiveDate,
    pub answered_at: NaiveDateTime,
    #[serde(flatten)]
    pub scores: Scores,
}

impl Answer {
    fn sum_and_count(&self) -> (u32, u32) {
        let s = &self.scores.scores;
        (s.values().map(|v| u32::from(*v)).sum(), s.len() as u32)
    }

    /// Hài lòng: the average of the scores is at least 4.
    pub fn satisfied(&self) -> bool {
        let (sum, n) = self.sum_and_count();
        n > 0 && sum >= 4 * n
    }

    /// The answer as one rating 1–5: the average rounded down (so `rating() >= 4` exactly when
    /// [`Answer::satisfied`]); 0 for an answer without scores.
    pub fn rating(&self) -> u8 {
        let (sum, n) = self.sum_and_count();
        sum.checked_div(n).map_or(0, |r| r.clamp(1, 5) as u8)
    }
}

/// How results are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Grouping {
    #[default]
    Unit,
    Procedure,
    Field,
    /// By month of the dossier's receipt ("2024-03").
    Month,
}

impl Grouping {
    pub fn slug(self) -> &'static str {
        match self {
            Grouping::Unit => "unit",
            Grouping::Procedure => "procedure",
            Grouping::Field => "field",
            Grouping::Month => "month",
        }
    }

    pub fn from_slug(s: &str) -> Option<Grouping> {
        [Grouping::Unit, Grouping::Procedure, Grouping::Field, Grouping::Month].into_iter().find(|g| g.slug() == s)
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            Grouping::Unit => "Đơn vị",
            Grouping::Procedure => "Thủ tục",
            Grouping::Field => "Lĩnh vực",
            Grouping::Month => "Tháng",
        }
    }
}

/// The results of a group of answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Số phiếu.
    pub answers: u64,
    /// Phiếu hài lòng (average ≥ 4).
    pub satisfied: u64,
    /// Question key → (sum of scores, answers scoring it).
    pub sums: BTreeMap<String, (u64, u64)>,
}

impl Tally {
    pub fn add(&mut self, a: &Answer) {
        self.answers += 1;
        self.satisfied += u64::from(a.satisfied());
        for (k, v) in &a.scores.scores {
            let e = self.sums.entry(k.clone()).or_default();
            e.0 += u64::from(*v);
            e.1 += 1;
        }
    }

    /// Tỷ lệ hài lòng, e.g. "90,00%"; `None` without answers.
    pub fn share(&self) -> Option<String> {
        let num = i64::try_from(self.satisfied).ok()?;
        let den = i64::try_from(self.answers).ok()?;
        cchc_format::ratio_percent(num, den).map(cchc_format::percent)
    }

    /// The average score of a question, e.g. "4,25"; `None` when nobody scored it.
    pub fn average(&self, key: &str) -> Option<String> {
        let (sum, n) = *self.sums.get(key)?;
        if n == 0 {
            return None;
        }
        // Hundredths, half-up.
        let hundredths = (sum * 200 + n) / (2 * n);
        Some(format!("{},{:02}", hundredths / 100, hundredths % 100))
    }
}

/// The answers whose dossier was received within `from..=to`, grouped (the key a grouping
/// gives each answer; `field_of` names a procedure's field), each group tallied, and the total.
pub fn results<'a>(
    answers: impl IntoIterator<Item = &'a Answer>,
    from: NaiveDate,
    to: NaiveDate,
    grouping: Grouping,
    field_of: &dyn Fn(&str) -> Option<String>,
) -> (BTreeMap<String, Tally>, Tally) {
    let mut groups: BTreeMap<String, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    for a in answers.into_iter().filter(|a| a.received_on >= from && a.received_on <= to) {
        let key = match grouping {
            Grouping::Unit => a.unit.clone(),
            Grouping::Procedure => a.procedure.clone(),
            Grouping::Field => field_of(&a.procedure).unwrap_or_else(|| "Khác".into()),
            Grouping::Month => a.received_on.format("%Y-%m").to_string(),
        };
        groups.entry(key).or_default().add(a);
        total.add(a);
    }
    (groups, total)
}

/// Of the answers whose dossier was received within `from..=to`: those scoring question `key`
/// 4 or 5 (hài lòng on it), and those scoring it at all.
pub fn satisfied_on<'a>(answers: impl IntoIterator<Item = &'a Answer>, key: &str, from: NaiveDate, to: NaiveDate) -> (u64, u64) {
    let scored = answers.into_iter().filter(|a| a.received_on >= from && a.received_on <= to).filter_map(|a| a.scores.scores.get(key));
    scored.fold((0, 0), |(num, den), s| (num + u64::from(*s >= 4), den + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn answer(receipt: &str, unit: &str, procedure: &str, day: u32, scores: [u8; 5]) -> Answer {
        let q = Questionnaire::sipas();
        Answer {
            receipt: receipt.into(),
            unit: unit.into(),
            procedure: procedure.into(),
            received_on: NaiveDate::from_ymd_opt(2024, 3, day).unwrap(),
            answered_at: NaiveDate::from_ymd_opt(2024, 3, day).unwrap().and_hms_opt(10, 0, 0).unwrap(),
            scores: Scores { scores: q.questions.iter().map(|q| q.key.clone()).zip(scores).collect(), comment: String::new() },
        }
    }

    #[test]
    fn the_default_questions_are_the_five_sipas_factors() {
        let q = Questionnaire::sipas();
        assert_eq!(q.questions.len(), 5);
        assert!(q.questions[0].text.starts_with("Tiếp cận dịch vụ"));
        assert!(q.questions[4].text.contains("phản ánh, kiến nghị"));
        assert_eq!(label(1), "Rất không hài lòng");
        assert_eq!(label(5), "Rất hài lòng");
        assert_eq!(label(0), "");
        assert_eq!(label(6), "");
    }

    #[test]
    fn a_score_outside_1_to_5_or_missing_is_refused_naming_the_question() {
        let q = Questionnaire::sipas();
        let all = |v: &str| typed(&[("tiep_can", v), ("thu_tuc", "4"), ("cong_chuc", "4"), ("ket_qua", "4"), ("phan_anh", "4")]);
        for bad in ["0", "6", "4,5", "abc", "-1"] {
            let problems = q.check(&all(bad), "").unwrap_err();
            assert_eq!(problems.len(), 1, "{bad}");
            assert!(problems[0].contains("Tiếp cận dịch vụ") && problems[0].contains("từ 1 đến 5"), "{}", problems[0]);
        }
        let missing = typed(&[("tiep_can", "5"), ("thu_tuc", "4"), ("cong_chuc", "4"), ("ket_qua", "4")]);
        let problems = q.check(&missing, "").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("Tiếp nhận và xử lý phản ánh") && problems[0].contains("chưa chọn"), "{}", problems[0]);
        let empty = q.check(&BTreeMap::new(), "").unwrap_err();
        assert_eq!(empty.len(), 5);
        let unknown = q
            .check(
                &{
                    let mut t = all("5");
                    t.insert("khac".into(), "3".into());
                    t
                },
                "",
            )
            .unwrap_err();
        assert!(unknown[0].contains("khac"));
        assert!(q.check(&all("5"), &"x".repeat(MAX_COMMENT + 1)).unwrap_err()[0].contains("Ý kiến khác"));
        let ok = q.check(&all("5"), "  Cán bộ nhiệt tình  ").unwrap();
        assert_eq!(ok.scores["tiep_can"], 5);
        assert_eq!(ok.comment, "Cán bộ nhiệt tình");
    }

    #[test]
    fn satisfied_is_an_average_of_at_least_4_and_the_rating_agrees() {
        assert!(answer("A", "X", "P", 1, [4, 4, 4, 4, 4]).satisfied());
        assert!(answer("A", "X", "P", 1, [5, 5, 3, 4, 3]).satisfied()); // 20/5 = 4
        assert!(!answer("A", "X", "P", 1, [5, 5, 3, 4, 2]).satisfied()); // 19/5 = 3,8
        assert!(!answer("A", "X", "P", 1, [3, 3, 3, 3, 3]).satisfied());
        for scores in [[1, 1, 1, 1, 1], [5, 5, 3, 4, 2], [5, 5, 3, 4, 3], [5, 5, 5, 5, 5], [2, 3, 4, 5, 5]] {
            let a = answer("A", "X", "P", 1, scores);
            assert_eq!(a.rating() >= 4, a.satisfied(), "{scores:?}");
            assert!((1..=5).contains(&a.rating()));
        }
        assert_eq!(answer("A", "X", "P", 1, [5, 5, 3, 4, 2]).rating(), 3);
        assert_eq!(answer("A", "X", "P", 1, [5, 5, 5, 5, 4]).rating(), 4);
    }

    #[test]
    fn results_by_unit_procedure_field_and_month_within_the_window() {
        let answers = vec![
            answer("1", "X1", "P1", 1, [5, 5, 5, 5, 5]),
            answer("2", "X1", "P2", 2, [2, 2, 2, 2, 2]),
            answer("3", "X2", "P1", 20, [4, 4, 4, 4, 4]),
            answer("4", "X2", "P1", 31, [4, 4, 4, 4, 4]),
        ];
        let field = |p: &str| (p == "P1").then(|| "Hộ tịch".to_string());
        let (from, to) = (NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(), NaiveDate::from_ymd_opt(2024, 3, 20).unwrap());
        let (by_unit, total) = results(&answers, from, to, Grouping::Unit, &field);
        assert_eq!(total.answers, 3);
        assert_eq!(total.satisfied, 2);
        assert_eq!(total.share().as_deref(), Some("66,67%"));
        assert_eq!(total.average("tiep_can").as_deref(), Some("3,67"));
        assert_eq!(by_unit["X1"].answers, 2);
        assert_eq!(by_unit["X1"].share().as_deref(), Some("50,00%"));
        assert_eq!(by_unit["X2"].share().as_deref(), Some("100,00%"));
        let (by_field, _) = results(&answers, from, to, Grouping::Field, &field);
        assert_eq!(by_field["Hộ tịch"].answers, 2);
        assert_eq!(by_field["Khác"].answers, 1);
        let (by_proc, _) = results(&answers, from, to, Grouping::Procedure, &field);
        assert_eq!(by_proc.keys().collect::<Vec<_>>(), ["P1", "P2"]);
        let (by_month, all) = results(&answers, from, NaiveDate::from_ymd_opt(2024, 3, 31).unwrap(), Grouping::Month, &field);
        assert_eq!(by_month["2024-03"].answers, 4);
        assert_eq!(all.satisfied, 3);
        assert_eq!(Tally::default().share(), None);
        assert_eq!(Grouping::from_slug("field"), Some(Grouping::Field));
    }

    #[test]
    fn the_feedback_factor_is_found_by_its_key_and_counted_on_its_own_scores() {
        let q = Questionnaire::sipas();
        let factor = q.questions.iter().find(|q| q.key == FEEDBACK_FACTOR).unwrap();
        assert!(factor.text.contains("phản ánh, kiến nghị"));
        // Satisfied overall (average 4) but not on the factor (3); not satisfied overall (2,6)
        // but satisfied on the factor (4); one outside the window; one without the factor.
        let mut answers = vec![
            answer("1", "X", "P", 1, [5, 5, 4, 3, 3]),
            answer("2", "X", "P", 2, [2, 2, 2, 3, 4]),
            answer("3", "X", "P", 25, [5, 5, 5, 5, 5]),
            answer("4", "X", "P", 3, [5, 5, 5, 5, 5]),
        ];
        answers[3].scores.scores.remove(FEEDBACK_FACTOR);
        let (from, to) = (NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(), NaiveDate::from_ymd_opt(2024, 3, 20).unwrap());
        assert_eq!(satisfied_on(&answers, FEEDBACK_FACTOR, from, to), (1, 2));
        assert_eq!(satisfied_on(&answers, "khong_co", from, to), (0, 0));
    }
}
