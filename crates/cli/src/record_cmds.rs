//! `cchc inspections list` and `cchc feedback list`: a unit's inspections of a year and the
//! feedback (PAKN) it received or was assigned, as Vietnamese tables, through the same use cases
//! as `/inspections` and `/feedback` (issue 14), acting as the account `--as` names.

use std::process::ExitCode;

use anyhow::Result;
use cchc_app::inspections::{Filter, Stage};
use chrono::{Datelike, NaiveDate};
use clap::Subcommand;

#[derive(Subcommand)]
pub enum InspectionsCommand {
    #[doc = "Danh sách cuộc kiểm tra công tác CCHC của đơn vị (đơn vị kiểm tra và đơn vị được kiểm tra) trong một năm, với vấn đề phát hiện và kiến nghị"]
    List {
        #[arg(long)]
        unit: String,
        #[doc = "Năm (theo ngày kiểm tra, hoặc ngày dự kiến nếu chưa kiểm tra); mặc định năm nay"]
        #[arg(long)]
        year: Option<i32>,
    },
}

#[derive(Subcommand)]
pub enum FeedbackCommand {
    #[doc = "Danh sách phản ánh, kiến nghị đơn vị tiếp nhận hoặc được giao xử lý, với hạn trả lời (ngày làm việc) và tình trạng hôm nay"]
    List {
        #[arg(long)]
        unit: String,
        #[doc = "Tiếp nhận từ ngày (dd/mm/yyyy)"]
        #[arg(long, value_name = "dd/mm/yyyy")]
        from: Option<String>,
        #[doc = "Tiếp nhận đến ngày (dd/mm/yyyy)"]
        #[arg(long, value_name = "dd/mm/yyyy")]
        to: Option<String>,
    },
}

/// Columns padded to their widest cell (in characters) and separated by " | ", under a header
/// and a rule; the last column is not padded.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let padded: Vec<String> = cells
            .zip(&widths)
            .enumerate()
            .map(|(n, (c, w))| if n + 1 == widths.len() { c.to_string() } else { format!("{c}{}", " ".repeat(w - c.chars().count())) })
            .collect();
        padded.join(" | ").trim_end().to_string()
    };
    let mut out = line(&mut header.iter().copied());
    out.push('\n');
    out.push_str(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("-+-"));
    out.push('\n');
    for row in rows {
        out.push_str(&line(&mut row.iter().map(String::as_str)));
        out.push('\n');
    }
    out
}

/// At most `n` characters, an ellipsis where cut.
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { format!("{}…", s.chars().take(n - 1).collect::<String>().trim_end()) }
}

fn day(field: &str, s: Option<&str>) -> Result<Option<NaiveDate>, cchc_app::Error> {
    s.map(|t| {
        cchc_format::parse_date(t.trim()).ok_or_else(|| {
            cchc_app::Error::invalid(format!("{field}: \"{t}\" không phải ngày có trong lịch, viết dạng dd/mm/yyyy (ví dụ 17/01/2026)."))
        })
    })
    .transpose()
}

pub async fn inspections(app: &cchc_app::App, actor: &cchc_storage::User, command: InspectionsCommand) -> Result<ExitCode> {
    let InspectionsCommand::List { unit, year } = command;
    let today = cchc_app::plans::today();
    let year = year.unwrap_or(today.year());
    let filter = Filter { year: Some(year), stage: Stage::All, ..Filter::default() };
    let list = cchc_app::inspections::list(app, actor, &unit, &filter, today).await?;
    let tree = app.tree().await?;
    let name = |c: &str| tree.get(c).map_or_else(|| c.to_string(), |u| u.name.clone());
    let date = |d: Option<NaiveDate>| d.map(cchc_format::date).unwrap_or_default();
    println!(
        "Kiểm tra công tác CCHC – {}, năm {year}: {} cuộc kiểm tra (ngày {})",
        list.unit.name,
        cchc_format::int(list.rows.len() as i64),
        cchc_format::date(today)
    );
    let rows: Vec<Vec<String>> = list
        .rows
        .iter()
        .map(|r| {
            let i = &r.record.inspection;
            let open = r.states.iter().filter(|s| s.is_open()).count();
            let found = r.states.len();
            let (when, stage) = if i.done_by(today) {
                (date(i.done_on), "Đã kiểm tra".to_string())
            } else {
                (date(i.scheduled_on.or(i.done_on)), "Theo kế hoạch, chưa kiểm tra".to_string())
            };
            let issues = match (found, open) {
                (0, _) => String::new(),
                (n, 0) => format!("{} (đã khắc phục xong)", cchc_format::int(n as i64)),
                (n, k) => format!("{} (chưa khắc phục {})", cchc_format::int(n as i64), cchc_format::int(k as i64)),
            };
            // An inspection of the unit by the unit above names who inspected it.
            let target =
                if i.unit == unit { name(&i.target) } else { format!("{} (đơn vị kiểm tra: {})", name(&i.target), name(&i.unit)) };
            vec![
                i.id.to_string(),
                cut(&target, 70),
                r.plan.as_ref().map_or_else(|| "Đột xuất".to_string(), |p| p.number.clone()),
                cut(&i.team, 50),
                when,
                stage,
                issues,
            ]
        })
        .collect();
    if rows.is_empty() {
        println!("Không có cuộc kiểm tra nào.");
    } else {
        let header = ["Số", "Đơn vị được kiểm tra", "Kế hoạch", "Đoàn kiểm tra", "Ngày", "Tình trạng", "Vấn đề phát hiện"];
        print!("{}", table(&header, &rows));
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn feedback(app: &cchc_app::App, actor: &cchc_storage::User, command: FeedbackCommand) -> Result<ExitCode> {
    let FeedbackCommand::List { unit, from, to } = command;
    let q = cchc_app::feedback::ListQuery {
        from: day("Từ ngày", from.as_deref())?,
        to: day("Đến ngày", to.as_deref())?,
        ..cchc_app::feedback::ListQuery::default()
    };
    let today = cchc_app::feedback::today();
    let listing = cchc_app::feedback::list(app, actor, &unit, &q, today).await?;
    let tree = app.tree().await?;
    let name = |c: &str| tree.get(c).map_or_else(|| c.to_string(), |u| u.name.clone());
    let window = match (q.from, q.to) {
        (None, None) => String::new(),
        (f, t) => format!(
            ", tiếp nhận{}{}",
            f.map(|d| format!(" từ {}", cchc_format::date(d))).unwrap_or_default(),
            t.map(|d| format!(" đến {}", cchc_format::date(d))).unwrap_or_default()
        ),
    };
    println!(
        "Phản ánh, kiến nghị – {}{window}: {} (tình trạng ngày {})",
        listing.unit.name,
        cchc_format::int(listing.rows.len() as i64),
        cchc_format::date(today)
    );
    let rows: Vec<Vec<String>> = listing
        .rows
        .iter()
        .map(|r| {
            let f = &r.feedback;
            vec![
                f.id.to_string(),
                cchc_format::date(f.received_on),
                f.channel.name_vi().to_string(),
                cut(&f.sender.name, 30),
                cut(&f.content, 50),
                cut(&name(&f.handler_unit), 30),
                cchc_format::date(r.due_on),
                r.status.name_vi().to_string(),
            ]
        })
        .collect();
    if rows.is_empty() {
        println!("Không có phản ánh, kiến nghị nào.");
    } else {
        let header = ["Số", "Tiếp nhận", "Kênh tiếp nhận", "Người phản ánh", "Nội dung", "Đơn vị xử lý", "Hạn trả lời", "Tình trạng"];
        print!("{}", table(&header, &rows));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::{cut, table};

    #[test]
    fn columns_line_up_by_characters_not_bytes() {
        let t = table(&["Số", "Tình trạng"], &[vec!["12".into(), "Đã trả lời đúng hạn".into()], vec!["3".into(), "Mới".into()]]);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines, ["Số | Tình trạng", "---+--------------------", "12 | Đã trả lời đúng hạn", "3  | Mới"]);
        assert_eq!(cut("Đề nghị niêm yết rõ mức lệ phí", 10), "Đề nghị n…");
    }
}
