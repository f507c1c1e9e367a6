//! An unknown user name costs the same password verification as a wrong password, so the time
//! of the answer does not tell which user names exist. Counted, not timed (a timed test is
//! flaky): this file holds one test, so no other login of the process runs meanwhile.

use axum::http::StatusCode;

mod common;
use common::Client;

#[tokio::test]
async fn an_unknown_user_costs_one_password_verification_like_a_wrong_password() {
    let store = cchc_storage::open("sqlite::memory:").await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 20).await.expect("demo seed");
    let app = cchc_web::router(cchc_web::AppState::new(store, catalogue));
    let mut c = Client::new(&app);
    let cost = |before: u64| cchc_app::accounts::verifications() - before;
    for (who, password) in [("khong-co-ai", "sai-mat-khau"), ("sonha", "sai-mat-khau"), ("sonha", cchc_app::demo::PASSWORD)] {
        let before = cchc_app::accounts::verifications();
        let r = c.login(who, password).await;
        assert_eq!(cost(before), 1, "{who}: verifications of one login");
        let expected = if password == cchc_app::demo::PASSWORD { StatusCode::SEE_OTHER } else { StatusCode::UNAUTHORIZED };
        assert_eq!(r.status, expected, "{who}");
    }
    // An empty user name costs the same.
    let before = cchc_app::accounts::verifications();
    let mut d = Client::new(&app);
    d.login("", "x").await;
    assert_eq!(cost(before), 1);
}
