//! `cchc inspections list` and `cchc feedback list` against a SQLite file holding the demo
//! province (issue 14): Vietnamese tables of the year's inspections and of the feedback received
//! in a window, as the account `--as` names (another commune refused, a leader sees the senders
//! masked), dates dd/mm/yyyy, a wrong date refused naming the option.

mod common;

use common::cchc;

#[tokio::test]
async fn the_units_inspections_and_feedback_are_listed_as_tables() {
    let dir = common::temp("inspections-feedback", "list");
    let db = dir.join("demo.db");
    let store = cchc_storage::open(&format!("sqlite://{}", db.display())).await.unwrap();
    cchc_app::demo::seed(store.as_ref(), &cchc_catalogue::default_catalogue(), 200).await.unwrap();
    drop(store);

    // The province's inspections of 2026: seven, under its plan 48/KH-UBND or unscheduled.
    let r = cchc(&db, &["inspections", "list", "--unit", "99", "--year", "2026"]);
    assert_eq!(r.code, 0, "{}", r.out);
    assert!(r.stdout.starts_with("Kiểm tra công tác CCHC – Tỉnh Hồng Lam (dữ liệu mẫu), năm 2026: 7 cuộc kiểm tra"), "{}", r.stdout);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines[1].starts_with("Số | Đơn vị được kiểm tra") && lines[1].contains("| Tình trạng ") && lines[1].ends_with("| Vấn đề phát hiện"),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("---") && lines[2].contains("-+-"), "{}", lines[2]);
    let son_ha = lines.iter().find(|l| l.contains("Xã Sơn Hà")).expect("Sơn Hà's row");
    assert!(
        son_ha.contains("| 48/KH-UBND") && son_ha.contains("| 21/05/2026 | Đã kiểm tra") && son_ha.ends_with("| 3 (chưa khắc phục 2)"),
        "{son_ha}"
    );
    assert!(
        lines.iter().any(|l| l.contains("Đột xuất") && l.contains("03/04/2026") && l.ends_with("| 1 (đã khắc phục xong)")),
        "{}",
        r.stdout
    );
    assert!(lines.iter().any(|l| l.contains("Xã Thuận Lộc") && l.contains("| 12/11/2026 | Theo kế hoạch, chưa kiểm tra")), "{}", r.stdout);
    // The columns line up: every row's separators where the header's are.
    let bars = |l: &str| l.chars().enumerate().filter(|(_, c)| *c == '|').map(|(n, _)| n).collect::<Vec<_>>();
    assert!(lines[3..].iter().all(|l| bars(lines[1]).starts_with(&bars(l))), "{}", r.stdout);
    let r = cchc(&db, &["inspections", "list", "--unit", "99", "--year", "2025"]);
    assert!(r.stdout.contains("năm 2025: 0 cuộc kiểm tra") && r.stdout.contains("Không có cuộc kiểm tra nào."), "{}", r.out);
    // The commune inspected sees the province's inspection of it; another commune reads nothing of it.
    let r = cchc(&db, &["--as", "sonha", "inspections", "list", "--unit", "99101N", "--year", "2026"]);
    assert!(
        r.stdout.contains("1 cuộc kiểm tra") && r.stdout.contains("| Xã Sơn Hà (đơn vị kiểm tra: Tỉnh Hồng Lam (dữ liệu mẫu)) |"),
        "{}",
        r.out
    );
    let r = cchc(&db, &["--as", "lacgiang", "inspections", "list", "--unit", "99101N"]);
    assert_eq!(r.code, 1, "{}", r.out);
    assert!(r.stderr.contains("Lỗi: Bạn không có quyền xem công tác kiểm tra của đơn vị này."), "{}", r.stderr);

    // Sơn Hà's feedback received in the first half: three, with their channels, senders and states.
    let r = cchc(&db, &["--as", "sonha", "feedback", "list", "--unit", "99101N", "--from", "01/01/2026", "--to", "30/06/2026"]);
    assert_eq!(r.code, 0, "{}", r.out);
    assert!(r.stdout.starts_with("Phản ánh, kiến nghị – Xã Sơn Hà, tiếp nhận từ 01/01/2026 đến 30/06/2026: 3"), "{}", r.stdout);
    assert!(r.stdout.contains("| 19/01/2026 | Trực tiếp tại Bộ phận Một cửa | Nguyễn Văn Bình"), "{}", r.stdout);
    assert!(r.stdout.contains("| Đã trả lời đúng hạn"), "{}", r.stdout);
    assert!(!r.stdout.contains("ghế chờ"), "received in August: {}", r.stdout);
    let r = cchc(&db, &["--as", "sonha", "feedback", "list", "--unit", "99101N"]);
    let late = r.stdout.lines().find(|l| l.contains("ghế chờ")).expect("the late one");
    assert!(late.contains("| 10/09/2026 ") && late.ends_with("| Đã trả lời quá hạn"), "{late}");
    // A leader reads the senders masked; another commune is refused; a wrong date names the option.
    let r = cchc(&db, &["--as", "lanhdao", "feedback", "list", "--unit", "99101N"]);
    assert!(r.stdout.contains("Nguyễn V*** B***") && !r.stdout.contains("Nguyễn Văn Bình"), "{}", r.stdout);
    let r = cchc(&db, &["--as", "lacgiang", "feedback", "list", "--unit", "99101N"]);
    assert_eq!(r.code, 1, "{}", r.out);
    assert!(r.stderr.contains("Bạn không có quyền xem phản ánh, kiến nghị của đơn vị này."), "{}", r.stderr);
    let r = cchc(&db, &["feedback", "list", "--unit", "99101N", "--from", "31/02/2026"]);
    assert_eq!(r.code, 1, "{}", r.out);
    assert!(r.stderr.contains("Lỗi: Từ ngày: \"31/02/2026\" không phải ngày có trong lịch, viết dạng dd/mm/yyyy"), "{}", r.stderr);
}
