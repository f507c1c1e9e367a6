//! What every page shows around its content, and small presentation helpers.

use cchc_periods::Period;
use cchc_report::Key;
use cchc_storage::{Role, User};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The header of every page: who is logged in, the links their role may use, the CSRF token
/// (htmx sends it as a header from the body's `hx-headers`).
pub struct Nav {
    pub full_name: String,
    pub role: String,
    pub unit: String,
    pub csrf: String,
    pub links: Vec<(String, &'static str)>,
    /// The confirmation of what was just done, shown once ([`crate::flash`]).
    pub flash: Option<crate::flash::Flash>,
    /// What the unit and period picker (`period_picker.html`) sends besides the period and the
    /// unit, as hidden fields: the figure page's indicator, so picking leads to the same figure.
    pub picker_hidden: Vec<(&'static str, String)>,
}

impl Nav {
    pub fn new(current: &CurrentUser, period: Period) -> Nav {
        let u = &current.user;
        let mut links = vec![(format!("/?period={period}"), "Báo cáo"), (format!("/dossiers/stats?period={period}"), "Hồ sơ TTHC")];
        links.push((format!("/dashboard?period={period}"), "Bảng điều khiển"));
        links.push(("/plans".into(), "Kế hoạch, văn bản"));
        links.push((format!("/inspections?period={period}"), "Kiểm tra"));
        links.push(("/feedback".into(), "PAKN"));
        links.push((format!("/survey?period={period}"), "Khảo sát hài lòng"));
        if matches!(u.role, Role::Compiler | Role::Admin) {
            links.push((format!("/compile/{}/{period}", u.unit_code), "Tổng hợp"));
        }
        if u.role != Role::Leader {
            links.push(("/reports/import".into(), "Nhập tệp"));
        }
        if u.role == Role::Admin {
            links.push(("/admin/users".into(), "Người dùng"));
            links.push(("/admin/units".into(), "Đơn vị"));
            links.push(("/admin/catalogue".into(), "Bộ chỉ tiêu"));
            links.push(("/admin/calendar".into(), "Lịch làm việc"));
            links.push(("/audit".into(), "Nhật ký"));
        }
        Nav {
            full_name: u.full_name.clone(),
            role: u.role.name_vi().into(),
            unit: u.unit_code.clone(),
            csrf: current.csrf.clone(),
            links,
            flash: crate::flash::take(),
            picker_hidden: Vec::new(),
        }
    }
}

/// The report being prepared today under the window rule the web app runs with
/// (`AppState::new` uses the default rule, 15th → 14th).
pub fn current_period() -> Period {
    cchc_periods::WindowRule::default().current_report(cchc_storage::now().date())
}

/// `?period=2026-H1` on list pages; defaults to the report being prepared today.
#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    pub period: Option<String>,
    pub unit: Option<String>,
}

impl PeriodQuery {
    pub fn period(&self) -> AppResult<Period> {
        match &self.period {
            Some(p) if !p.is_empty() => parse_period(p),
            _ => Ok(current_period()),
        }
    }
    pub fn unit_or<'a>(&'a self, user: &'a User) -> &'a str {
        self.unit.as_deref().filter(|u| !u.is_empty()).unwrap_or(&user.unit_code)
    }
}

/// The units the picker of a one-unit page offers: the readable ones valid on `day`
/// ([`crate::dossiers::scope_units`]), none when that is only the page's own.
pub fn picker_units(tree: &cchc_units::UnitTree, current: &CurrentUser, unit: &str, day: chrono::NaiveDate) -> Vec<(String, String, bool)> {
    let units = crate::dossiers::scope_units(tree, current, unit, day);
    if units.len() < 2 { Vec::new() } else { units }
}

/// Where the unit and period picker leads from a page of one unit and period (`/reports/…`,
/// `/compile/…`): the picker sends the page's own address with `?period=…&unit=…`, and the page
/// answers with the address of the picked unit and period (`page` builds it), or `None` when
/// nothing was picked.
pub fn picked(
    (q_period, q_unit): (Option<&str>, Option<&str>),
    unit: &str,
    period: &str,
    page: impl Fn(&str, &str) -> String,
) -> AppResult<Option<axum::response::Redirect>> {
    if q_period.is_none() && q_unit.is_none() {
        return Ok(None);
    }
    let to_period = parse_period(q_period.filter(|p| !p.is_empty()).unwrap_or(period))?;
    let to_unit = q_unit.filter(|u| !u.is_empty()).unwrap_or(unit);
    Ok(Some(axum::response::Redirect::to(&page(&segment(to_unit), &segment(&to_period.to_string())))))
}

pub fn parse_period(text: &str) -> AppResult<Period> {
    text.parse().map_err(|_| AppError::BadRequest(format!("kỳ báo cáo \"{text}\" không hợp lệ (ví dụ: 2026-H1, 2026-Q3, 2026-9M, 2026-Y)")))
}

/// The periods offered in selectors: the quarters, half-year, nine months and year of the
/// selected period's year, the current year and the year before, newest first.
pub fn period_options(selected: Period) -> Vec<(String, String, bool)> {
    let this_year = current_period().year;
    let mut years = vec![this_year, this_year - 1, selected.year];
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let mut out = Vec::new();
    for year in years {
        let ps = [Period::quarter(year, 1), Period::half(year, 1), Period::quarter(year, 3), Period::nine_months(year), Period::year(year)];
        for p in ps {
            out.push((p.to_string(), p.title_vi(), p == selected));
        }
    }
    out
}

/// An HTML id for a figure's key: `3.5.1[field=ho-tich]` → `k-3-5-1--field-ho-tich`.
pub fn key_id(key: &Key) -> String {
    let text = key.to_string();
    let mut id = String::from("k-");
    for c in text.chars() {
        id.push(if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' });
    }
    id.trim_end_matches('-').to_string()
}

/// Who did something, as a history shows them: the full name, and the user name for a `title`
/// attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub username: String,
}

/// The full names of the accounts a page's history names ([`cchc_app::users::full_names`]).
pub struct People(std::collections::BTreeMap<String, String>);

impl People {
    pub async fn of(state: &AppState, usernames: &[&str]) -> AppResult<People> {
        Ok(People(cchc_app::users::full_names(state.store.as_ref(), usernames).await?))
    }

    /// The person behind `username`; an account no longer stored keeps its user name.
    pub fn person(&self, username: &str) -> Person {
        Person { name: self.name(username), username: username.to_string() }
    }

    /// The full name of `username`, or the user name itself when the account is not stored.
    pub fn name(&self, username: &str) -> String {
        self.0.get(username).cloned().unwrap_or_else(|| username.to_string())
    }
}

pub fn ensure(allowed: bool, message: &str) -> AppResult<()> {
    if allowed { Ok(()) } else { Err(AppError::Forbidden(message.into())) }
}

/// A value written as one segment of a URL's path (a dossier's receipt code comes from other
/// software and may hold `/`, `?`, `#`, spaces or Vietnamese letters): every byte but the
/// unreserved ones percent-encoded, so the link and the `Location` header lead back to it.
pub fn segment(value: &str) -> String {
    // `.` and `..` alone would be read as "this" and "the parent" folder.
    if value == "." || value == ".." {
        return value.replace('.', "%2E");
    }
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// JSON to place inside a `<script type="application/json">` element: `<`, `>`, `&` and the
/// line separators U+2028/U+2029 written as `\uXXXX` escapes, so no value (a unit named
/// `</script><img …>`) can close the element or start markup; `JSON.parse` reads it back unchanged.
pub fn script_json(value: &impl serde::Serialize) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_are_html_safe_and_distinct() {
        let a = key_id(&Key::split("3.5.1", &[("field", "ho-tich")]));
        let b = key_id(&Key::total("3.5.1"));
        assert_eq!(a, "k-3-5-1-field-ho-tich");
        assert_eq!(b, "k-3-5-1");
    }

    #[test]
    fn a_segment_keeps_receipt_codes_and_encodes_the_rest() {
        assert_eq!(segment("000.00.12.H42-220315-0001"), "000.00.12.H42-220315-0001");
        assert_eq!(segment("HS 1/2?x#ố\"\r"), "HS%201%2F2%3Fx%23%E1%BB%91%22%0D");
        assert_eq!(segment(".."), "%2E%2E");
    }

    #[test]
    fn script_json_cannot_close_its_element() {
        let s = super::script_json(&serde_json::json!({ "label": "</script><img src=x onerror=alert(1)>&\u{2028}" }));
        assert_eq!(s, r#"{"label":"\u003c/script\u003e\u003cimg src=x onerror=alert(1)\u003e\u0026\u2028"}"#);
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["label"], "</script><img src=x onerror=alert(1)>&\u{2028}");
    }
}
