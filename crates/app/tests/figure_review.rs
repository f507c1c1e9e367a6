//! The review of a report figure by figure: the clerk's explanation kept with the step that sent
//! the report, a return that points at figures (all marks good or nothing written), the marks on
//! the clerk's form while the report is returned, a comment thread per figure and each figure's
//! history.

mod common;

use cchc_app::reports::Step;
use cchc_app::{App, Error, figures};
use cchc_periods::Period;
use cchc_report::workflow::{Action, Status};
use cchc_report::{Key, UnitRef, UnitReport, Value};
use cchc_storage::{NoteKind, Role, Store};
use cchc_units::UnitKind;
use common::named as user;

fn period() -> Period {
    "2024-H1".parse().unwrap()
}

async fn sent_report() -> (App, i64) {
    let store = common::store_with(&[common::unit("H", UnitKind::Huyen, None), common::unit("X", UnitKind::Xa, Some("H"))]).await;
    let app = App::load(store.clone()).await.unwrap();
    let clerk = user("vanphong", Role::UnitOfficer, "X");
    let mut r = UnitReport::new(
        &app.catalogue().meta.reference(),
        UnitRef { code: "X".into(), name: "Xã X".into(), kind: UnitKind::Xa, parent: None },
        period(),
    );
    r.set(Key::total("2.4.5"), Some(Value::Int(40)));
    let rec = store.save_report(&r, None, "vanphong").await.unwrap();
    let rec =
        cchc_app::reports::save_figures(&app, &clerk, "X", period(), Some(rec.version), &[("2.4.5".into(), "45".into())]).await.unwrap();
    let step = Step {
        action: Some(Action::Submit),
        version: rec.version,
        explanation: Some("Số văn bản tăng do rà soát định kỳ.".into()),
        ..Step::default()
    };
    let rec = cchc_app::reports::act(&app, &clerk, "X", period(), &step).await.unwrap();
    (app, rec.version)
}

#[tokio::test]
async fn a_return_points_at_figures_and_the_clerk_sees_them_until_sending_again() {
    let (app, version) = sent_report().await;
    let store: &dyn Store = app.store.as_ref();
    let history = store.history("X", period()).await.unwrap();
    assert_eq!(
        history.last().unwrap().reason.as_deref(),
        Some("Số văn bản tăng do rà soát định kỳ."),
        "the explanation is kept with the step"
    );

    let reviewer = user("tonghop", Role::Compiler, "H");
    let step = |marks: Vec<(&str, &str)>| Step {
        action: Some(Action::Return),
        version,
        reason: Some("Đề nghị rà soát".into()),
        marks: marks.into_iter().map(|(k, t)| (k.to_string(), t.to_string())).collect(),
        ..Step::default()
    };
    let err = cchc_app::reports::act(
        &app,
        &reviewer,
        "X",
        period(),
        &step(vec![("2.4.5", "Số liệu tăng bất thường"), ("9.9.9", "?"), ("1.1", "  ")]),
    )
    .await
    .unwrap_err();
    let Error::Invalid { problems, .. } = err else { panic!("{err:?}") };
    let places: Vec<&str> = problems.iter().filter_map(|p| p.place.as_deref()).collect();
    assert_eq!(places, vec!["9.9.9", "1.1"], "{problems:?}");
    assert_eq!(store.report("X", period()).await.unwrap().unwrap().status, Status::Submitted, "nothing written");
    assert!(store.figure_notes("X", period()).await.unwrap().is_empty());

    let rec = cchc_app::reports::act(&app, &reviewer, "X", period(), &step(vec![("2.4.5", "Số liệu tăng bất thường")])).await.unwrap();
    assert_eq!(rec.status, Status::Returned);
    let beside = figures::beside(&app, &rec).await.unwrap();
    assert_eq!(beside["2.4.5"].marks, vec!["Số liệu tăng bất thường"]);

    // Sent again: the marks are history, no longer shown on the form.
    let clerk = user("vanphong", Role::UnitOfficer, "X");
    let again = Step { action: Some(Action::Submit), version: rec.version, explanation: Some("Đã rà soát.".into()), ..Step::default() };
    let rec = cchc_app::reports::act(&app, &clerk, "X", period(), &again).await.unwrap();
    assert!(figures::beside(&app, &rec).await.unwrap()["2.4.5"].marks.is_empty());
}

#[tokio::test]
async fn each_figure_has_its_thread_and_its_history() {
    let (app, _) = sent_report().await;
    let clerk = user("vanphong", Role::UnitOfficer, "X");
    let reviewer = user("tonghop", Role::Compiler, "H");
    let key = Key::total("2.4.5");
    figures::comment(&app, &reviewer, "X", period(), &key, "Vì sao tăng 5 văn bản?").await.unwrap();
    figures::comment(&app, &clerk, "X", period(), &key, "Bổ sung 5 văn bản ban hành cuối kỳ.").await.unwrap();
    let leader = user("lanhdao", Role::Leader, "H");
    assert!(matches!(figures::comment(&app, &leader, "X", period(), &key, "…").await, Err(Error::Forbidden(_))));
    let other = user("xakhac", Role::UnitOfficer, "H");
    assert!(matches!(figures::comment(&app, &other, "X", period(), &key, "…").await, Err(Error::Forbidden(_))));
    assert!(matches!(figures::comment(&app, &clerk, "X", period(), &key, "   ").await, Err(Error::Invalid { .. })));

    let view = figures::figure(&app, &reviewer, "X", period(), &key).await.unwrap();
    let thread: Vec<(&str, NoteKind)> = view.notes.iter().map(|n| (n.by.as_str(), n.kind)).collect();
    assert_eq!(thread, vec![("tonghop", NoteKind::Comment), ("vanphong", NoteKind::Comment)]);
    let changes: Vec<(Option<&str>, Option<&str>)> =
        view.history.iter().map(|h| (h.old_value.as_deref(), h.new_value.as_deref())).collect();
    assert_eq!(changes.last(), Some(&(Some("40"), Some("45"))), "{changes:?}");
    assert!(view.can_comment);
    assert_eq!(figures::beside(&app, &view.record).await.unwrap()["2.4.5"].comments, 2);
}
