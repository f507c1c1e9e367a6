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
/// (`cchc_dossiers::sources`): an answer about a dossier stands for its dossier's rating there,
/// so the figures are pre-filled with the ledger's; the form links them to the survey's results
/// too. An answer about a visit ([`Answer::visit`]) has no dossier: it counts in the survey's
/// results, never in a dossier's facts.
pub const SOURCES: [&str; 2] = ["satisfaction_surveyed", "satisfaction_satisfied"];

/// The labels of the SIPAS scale, 1 to 5.
pub const SCALE: [&str; 5] = ["Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"];

/// The scale of the SIPAS questions (1–5) and of every answer stored before the questions were
/// data (migration 0029).
pub const SIPAS_SCALE: u8 = 5;

/// The smallest and the largest top of a scale an administrator may set.
pub const SCALE_RANGE: std::ops::RangeInclusive<u8> = 2..=10;

/// The longest comment kept, in characters.
pub const MAX_COMMENT: usize = 2000;

/// The most questions a survey asks (a phone page, answered at the counter).
pub const MAX_QUESTIONS: usize = 20;

/// The longest question text and key, in characters.
pub const MAX_TEXT: usize = 300;
pub const MAX_KEY: usize = 40;

/// The label of a score 1–5 on the SIPAS scale (empty outside it).
pub fn label(score: u8) -> &'static str {
    score.checked_sub(1).and_then(|i| SCALE.get(usize::from(i))).copied().unwrap_or("")
}

/// One question: its key in forms, files and stored answers, its text, and whether it is the
/// factor on the handling of feedback (tiếp nhận, xử lý phản ánh, kiến nghị) that Decision
/// 766's "Hài lòng về xử lý phản ánh, kiến nghị" reads ([`satisfied_on`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub key: String,
    pub text: String,
    #[serde(default)]
    pub feedback: bool,
}

/// The questions a survey asks, in order, and the top of their scale (each question is scored
/// from 1 to `scale`). Data: kept as a setting an administrator edits; the SIPAS set when none
/// is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Questionnaire {
    pub questions: Vec<Question>,
    #[serde(default = "sipas_scale")]
    pub scale: u8,
}

fn sipas_scale() -> u8 {
    SIPAS_SCALE
}

impl Default for Questionnaire {
    fn default() -> Self {
        Questionnaire::sipas()
    }
}

/// Whether `key` may key a question: lower-case ASCII letters, digits and `_`, starting with a
/// letter, at most [`MAX_KEY`] characters, and not a field the form sends besides the scores.
fn usable_key(key: &str) -> bool {
    key.len() <= MAX_KEY
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !["comment", "t"].contains(&key)
}

impl Questionnaire {
    /// The five factors of the national satisfaction index (SIPAS, Decision 2640/QĐ-BNV), each
    /// 1–5; the fifth is the factor on the handling of feedback.
    pub fn sipas() -> Questionnaire {
        let q = |key: &str, text: &str| Question { key: key.into(), text: text.into(), feedback: false };
        Questionnaire {
            questions: vec![
                q("tiep_can", "Tiếp cận dịch vụ (nơi tiếp nhận, trang thiết bị, hướng dẫn)"),
                q("thu_tuc", "Thủ tục hành chính (thành phần hồ sơ, phí, thời hạn được công khai, đơn giản)"),
                q("cong_chuc", "Công chức giải quyết (thái độ, hướng dẫn, tuân thủ quy định)"),
                q("ket_qua", "Kết quả giải quyết (đúng hẹn, đúng quy định, thông tin chính xác)"),
                Question { feedback: true, ..q("phan_anh", "Tiếp nhận và xử lý phản ánh, kiến nghị") },
            ],
            scale: SIPAS_SCALE,
        }
    }

    /// The key of the question on the handling of feedback, if one is marked.
    pub fn feedback_key(&self) -> Option<&str> {
        self.questions.iter().find(|q| q.feedback).map(|q| q.key.as_str())
    }

    /// The labels of the scale, 1 to [`Questionnaire::scale`]: SIPAS's five words on a 1–5
    /// scale; on another, the two ends named and the numbers between.
    pub fn labels(&self) -> Vec<String> {
        if self.scale == SIPAS_SCALE {
            return SCALE.iter().map(|s| s.to_string()).collect();
        }
        (1..=self.scale)
            .map(|v| match v {
                1 => SCALE[0].to_string(),
                v if v == self.scale => SCALE[4].to_string(),
                _ => String::new(),
            })
            .collect()
    }

    /// Checks a question set an administrator wrote: at least one question and at most
    /// [`MAX_QUESTIONS`], each with a usable key (unique) and a text, a scale whose top is in
    /// [`SCALE_RANGE`], at most one question marked as the feedback factor. Every problem names
    /// its field in Vietnamese.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        if self.questions.is_empty() {
            problems.push("Phiếu khảo sát phải có ít nhất một câu hỏi.".to_string());
        }
        if self.questions.len() > MAX_QUESTIONS {
            problems.push(format!("Phiếu khảo sát có {} câu hỏi; nhiều nhất {MAX_QUESTIONS} câu.", self.questions.len()));
        }
        if !SCALE_RANGE.contains(&self.scale) {
            problems.push(format!(
                "Thang điểm: mức cao nhất {} không hợp lệ; chọn từ {} đến {}.",
                self.scale,
                SCALE_RANGE.start(),
                SCALE_RANGE.end()
            ));
        }
        for (i, q) in self.questions.iter().enumerate() {
            let n = i + 1;
            let key = q.key.trim();
            if key.is_empty() {
                problems.push(format!("Câu {n}, mã câu hỏi: chưa nhập."));
            } else if !usable_key(key) {
                problems.push(format!(
                    "Câu {n}, mã câu hỏi “{key}”: chỉ dùng chữ thường không dấu, chữ số và dấu gạch dưới, bắt đầu bằng chữ, tối đa {MAX_KEY} ký tự (không dùng “comment”, “t”)."
                ));
            } else if self.questions[..i].iter().any(|p| p.key.trim() == key) {
                problems.push(format!("Câu {n}, mã câu hỏi “{key}”: trùng với một câu hỏi trước đó."));
            }
            let text = q.text.trim();
            if text.is_empty() {
                problems.push(format!("Câu {n}, nội dung câu hỏi: chưa nhập."));
            } else if text.chars().count() > MAX_TEXT {
                problems.push(format!("Câu {n}, nội dung câu hỏi: dài quá {MAX_TEXT} ký tự."));
            }
        }
        if self.questions.iter().filter(|q| q.feedback).count() > 1 {
            problems.push("Câu hỏi về tiếp nhận, xử lý phản ánh, kiến nghị: chỉ chọn một câu.".to_string());
        }
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }

    /// Reads the scores as typed on the form (`key` → text) and the comment: every question
    /// needs a whole score from 1 to the scale's top. Every problem names its question; nothing
    /// is kept unless all are right. The scores keep the scale and the feedback factor's key
    /// they were given on.
    pub fn check(&self, typed: &BTreeMap<String, String>, comment: &str) -> Result<Scores, Vec<String>> {
        let mut problems = Vec::new();
        let mut scores = BTreeMap::new();
        let top = self.scale;
        for q in &self.questions {
            match typed.get(&q.key).map(|s| s.trim()).filter(|s| !s.is_empty()) {
                None => problems.push(format!("Câu “{}”: chưa chọn mức đánh giá (từ 1 đến {top}).", q.text)),
                Some(s) => match s.parse::<u8>() {
                    Ok(n) if (1..=top).contains(&n) => {
                        scores.insert(q.key.clone(), n);
                    }
                    _ => problems.push(format!("Câu “{}”: mức đánh giá “{s}” không hợp lệ; chỉ chọn từ 1 đến {top}.", q.text)),
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
        if problems.is_empty() {
            Ok(Scores { scores, comment: comment.to_string(), scale: top, feedback: self.feedback_key().map(str::to_string) })
        } else {
            Err(problems)
        }
    }
}

/// The key of the feedback factor in answers stored before the questions were data (migration
/// 0029): they were all asked the SIPAS set, whose fifth question is keyed so.
fn sipas_feedback() -> Option<String> {
    Some("phan_anh".into())
}

/// What a citizen answered, checked against the questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scores {
    /// Question key → score 1–5.
    pub scores: BTreeMap<String, u8>,
    /// Ý kiến khác (may be empty).
    #[serde(default)]
    pub comment: String,
    /// The top of the scale the scores were given on (1 to it); 5 in answers stored before the
    /// questions were data.
    #[serde(default = "sipas_scale")]
    pub scale: u8,
    /// The key of the question that was the feedback factor when answered, if any.
    #[serde(default = "sipas_feedback")]
    pub feedback: Option<String>,
}

/// A stored answer: the dossier it is about (receipt code, receiving unit, procedure, day of
/// receipt, copied from the ledger when answered), or the visit (its code, unit, procedure if
/// any, day issued), and the scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// The receipt code (mã hồ sơ) or the visit code: one answer each.
    pub receipt: String,
    pub unit: String,
    /// The procedure's code (empty for a visit about no procedure).
    pub procedure: String,
    /// The dossier's day of receipt, or the day the visit's code was issued: the window an
    /// answer counts in is its dossier's, as the ledger counts a rating.
    pub received_on: NaiveDate,
    /// An answer about a visit without a dossier: it counts in the survey's results, never in a
    /// dossier's facts.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub visit: bool,
    pub answered_at: NaiveDateTime,
    #[serde(flatten)]
    pub scores: Scores,
}

/// A visit without a dossier (lượt giao dịch: a question asked, a paper returned): the counter
/// officer issues it a code, printed as a slip with the survey's QR code, so the citizen can
/// answer once. Its answer counts in the unit's results, never in a dossier's facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    /// "KS-99101N-261206-0001": [`VISIT_PREFIX`], the unit, the day, a number of the day.
    pub code: String,
    pub unit: String,
    /// The procedure the visit was about (empty when none).
    pub procedure: String,
    pub issued_at: NaiveDateTime,
    pub issued_by: String,
}

/// How a visit's code begins (no receipt code the counter gives does).
pub const VISIT_PREFIX: &str = "KS";

/// The prefix of the codes of the visits `unit` issues on `day`: "KS-99101N-261206".
pub fn visit_prefix(unit: &str, day: NaiveDate) -> String {
    format!("{VISIT_PREFIX}-{unit}-{}", day.format("%y%m%d"))
}

/// The share of the scale a score reaches, in 2520ths (the least common multiple of 1 to 9,
/// so a score on any scale of [`SCALE_RANGE`] is a whole number): 0 at 1, 2520 at the top.
const UNIT: u64 = 2520;

fn normalised(score: u8, scale: u8) -> u64 {
    let steps = u64::from(scale.max(2) - 1);
    u64::from(score.clamp(1, scale.max(2)) - 1) * UNIT / steps
}

/// Whether a score counts as satisfied (hài lòng): at least three quarters of the way up its
/// scale (4 or 5 on 1–5).
pub fn satisfied_score(score: u8, scale: u8) -> bool {
    4 * normalised(score, scale) >= 3 * UNIT
}

impl Answer {
    fn normalised_sum_and_count(&self) -> (u64, u64) {
        let s = &self.scores;
        (s.scores.values().map(|v| normalised(*v, s.scale)).sum(), s.scores.len() as u64)
    }

    /// Hài lòng: the average of the scores is at least three quarters of the way up the scale
    /// (on 1–5: at least 4).
    pub fn satisfied(&self) -> bool {
        let (sum, n) = self.normalised_sum_and_count();
        n > 0 && 4 * sum >= 3 * UNIT * n
    }

    /// The answer as one rating 1–5: the average brought to 1–5 and rounded down (so
    /// `rating() >= 4` exactly when [`Answer::satisfied`]); 0 for an answer without scores.
    pub fn rating(&self) -> u8 {
        let (sum, n) = self.normalised_sum_and_count();
        // 1 + 4·sum/(UNIT·n), rounded down.
        (4 * sum).checked_div(UNIT * n).map_or(0, |r| (1 + r).clamp(1, 5) as u8)
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
    /// Question key → (sum of the scores as shares of their scale, in 2520ths; answers scoring
    /// it): answers given on different scales add up.
    pub sums: BTreeMap<String, (u64, u64)>,
}

impl Tally {
    pub fn add(&mut self, a: &Answer) {
        self.answers += 1;
        self.satisfied += u64::from(a.satisfied());
        for (k, v) in &a.scores.scores {
            let e = self.sums.entry(k.clone()).or_default();
            e.0 += normalised(*v, a.scores.scale);
            e.1 += 1;
        }
    }

    /// Tỷ lệ hài lòng, e.g. "90,00%"; `None` without answers.
    pub fn share(&self) -> Option<String> {
        let num = i64::try_from(self.satisfied).ok()?;
        let den = i64::try_from(self.answers).ok()?;
        cchc_format::ratio_percent(num, den).map(cchc_format::percent)
    }

    /// The average score of a question on a scale 1 to `scale`, e.g. "4,25"; `None` when
    /// nobody scored it.
    pub fn average(&self, key: &str, scale: u8) -> Option<String> {
        let (sum, n) = *self.sums.get(key)?;
        if n == 0 {
            return None;
        }
        // 1 + (scale − 1)·sum/(UNIT·n), in hundredths, half-up.
        let (num, den) = (100 * u64::from(scale.max(2) - 1) * sum, UNIT * n);
        let hundredths = 100 + (2 * num + den) / (2 * den);
        Some(format!("{},{:02}", hundredths / 100, hundredths % 100))
    }

    /// The keys scored in these answers that `questions` no longer asks (an answer keeps the
    /// keys it was given), in order.
    pub fn other_keys(&self, questions: &Questionnaire) -> Vec<String> {
        self.sums.keys().filter(|k| !questions.questions.iter().any(|q| &q.key == *k)).cloned().collect()
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

/// Of the answers whose dossier was received within `from..=to`: those satisfied (4 or 5 on
/// 1–5, [`satisfied_score`]) on the question that was the feedback factor when they were given
/// ([`Scores::feedback`]), and those scoring such a question at all.
pub fn satisfied_on<'a>(answers: impl IntoIterator<Item = &'a Answer>, from: NaiveDate, to: NaiveDate) -> (u64, u64) {
    let scored = answers
        .into_iter()
        .filter(|a| a.received_on >= from && a.received_on <= to)
        .filter_map(|a| a.scores.feedback.as_ref().and_then(|k| a.scores.scores.get(k)).map(|s| satisfied_score(*s, a.scores.scale)));
    scored.fold((0, 0), |(num, den), s| (num + u64::from(s), den + 1))
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
            visit: false,
            scores: Scores {
                scores: q.questions.iter().map(|q| q.key.clone()).zip(scores).collect(),
                comment: String::new(),
                scale: 5,
                feedback: q.feedback_key().map(str::to_string),
            },
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
        assert_eq!(total.average("tiep_can", 5).as_deref(), Some("3,67"));
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
    fn the_feedback_factor_is_the_question_marked_so_when_answered() {
        let q = Questionnaire::sipas();
        assert_eq!(q.feedback_key(), Some("phan_anh"));
        assert!(q.questions[4].text.contains("phản ánh, kiến nghị"));
        // Satisfied overall (average 4) but not on the factor (3); not satisfied overall (2,6)
        // but satisfied on the factor (4); one outside the window; one without the factor.
        let mut answers = vec![
            answer("1", "X", "P", 1, [5, 5, 4, 3, 3]),
            answer("2", "X", "P", 2, [2, 2, 2, 3, 4]),
            answer("3", "X", "P", 25, [5, 5, 5, 5, 5]),
            answer("4", "X", "P", 3, [5, 5, 5, 5, 5]),
        ];
        answers[3].scores.feedback = None;
        let (from, to) = (NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(), NaiveDate::from_ymd_opt(2024, 3, 20).unwrap());
        assert_eq!(satisfied_on(&answers, from, to), (1, 2));
        // Another question marked later: each answer is read with the key it was given.
        answers[1].scores.feedback = Some("ket_qua".into());
        assert_eq!(satisfied_on(&answers, from, to), (0, 2));
    }

    #[test]
    fn a_question_set_is_checked_naming_each_field() {
        assert_eq!(Questionnaire::sipas().validate(), Ok(()));
        let q = |key: &str, text: &str| Question { key: key.into(), text: text.into(), feedback: false };
        let bad = Questionnaire {
            questions: vec![
                q("tiep_can", "Tiếp cận"),
                q("", "Không mã"),
                q("tiep_can", "Trùng"),
                q("Có dấu", "Mã có dấu"),
                q("ket_qua", "   "),
                Question { feedback: true, ..q("a", "A") },
                Question { feedback: true, ..q("b", "B") },
            ],
            scale: 11,
        };
        let problems = bad.validate().unwrap_err();
        let said = problems.join("\n");
        assert!(said.contains("Thang điểm: mức cao nhất 11 không hợp lệ"), "{said}");
        assert!(said.contains("Câu 2, mã câu hỏi: chưa nhập"), "{said}");
        assert!(said.contains("Câu 3, mã câu hỏi “tiep_can”: trùng"), "{said}");
        assert!(said.contains("Câu 4, mã câu hỏi “Có dấu”"), "{said}");
        assert!(said.contains("Câu 5, nội dung câu hỏi: chưa nhập"), "{said}");
        assert!(said.contains("chỉ chọn một câu"), "{said}");
        assert_eq!(problems.len(), 6);
        let none = Questionnaire { questions: vec![], scale: 1 }.validate().unwrap_err();
        assert!(none[0].contains("ít nhất một câu hỏi") && none[1].contains("Thang điểm"), "{none:?}");
    }

    #[test]
    fn another_scale_is_checked_rated_and_averaged_on_its_own_top() {
        let three =
            Questionnaire { questions: vec![Question { key: "chung".into(), text: "Đánh giá chung".into(), feedback: true }], scale: 3 };
        assert_eq!(three.labels(), ["Rất không hài lòng", "", "Rất hài lòng"]);
        let typed = |v: &str| [("chung".to_string(), v.to_string())].into_iter().collect::<BTreeMap<_, _>>();
        assert!(three.check(&typed("4"), "").unwrap_err()[0].contains("từ 1 đến 3"));
        let scores = three.check(&typed("3"), "").unwrap();
        assert_eq!((scores.scale, scores.feedback.as_deref()), (3, Some("chung")));
        let day = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        let at = day.and_hms_opt(9, 0, 0).unwrap();
        let mk = |s: Scores| Answer {
            receipt: "V".into(),
            unit: "X".into(),
            procedure: String::new(),
            received_on: day,
            answered_at: at,
            visit: true,
            scores: s,
        };
        let top = mk(scores);
        assert!(top.satisfied() && top.rating() == 5);
        let middle = mk(three.check(&typed("2"), "").unwrap());
        assert!(!middle.satisfied() && middle.rating() == 3);
        // 3 and 2 on 1–3: all and half of the way up, so three quarters: 2,50 on 1–3, 4,00 on 1–5.
        let mut tally = Tally::default();
        tally.add(&top);
        tally.add(&middle);
        assert_eq!(tally.average("chung", 3).as_deref(), Some("2,50"));
        assert_eq!(tally.average("chung", 5).as_deref(), Some("4,00"));
        // A 1–5 answer (5) and a 1–3 one (2) on the same key add up the same way.
        let mut mixed = Tally::default();
        mixed.add(&mk(Scores { scores: [("chung".to_string(), 5)].into(), comment: String::new(), scale: 5, feedback: None }));
        mixed.add(&middle);
        assert_eq!(mixed.average("chung", 5).as_deref(), Some("4,00"));
        assert_eq!(mixed.average("chung", 3).as_deref(), Some("2,50"));
        assert_eq!(mixed.other_keys(&Questionnaire::sipas()), ["chung"]);
        for scale in SCALE_RANGE {
            for score in 1..=scale {
                let a = mk(Scores { scores: [("k".to_string(), score)].into(), comment: String::new(), scale, feedback: None });
                assert_eq!(a.rating() >= 4, a.satisfied(), "{score}/{scale}");
                assert_eq!(a.satisfied(), satisfied_score(score, scale));
            }
        }
    }
}
