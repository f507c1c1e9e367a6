//! A task's evidence file (minh chứng, issue 14 item 1) through the page and the API: the unit
//! the task is assigned to uploads it on `/plans`, the list links it, the download is the file
//! as uploaded (an attachment named as uploaded); another commune's officer neither sees it nor
//! uploads; a file that is not what its name says is refused naming the field, nothing kept.

mod common;

use axum::body::Body;
use axum::http::{StatusCode, header};
use common::{Client, Reply, demo};

/// The first task row of the page with an upload form: its id and version.
fn first_upload_form(html: &str) -> (i64, String) {
    let marker = "class=\"progress\" id=\"evidence-";
    let at = html.find(marker).expect("an evidence form on the page");
    let rest = &html[at + marker.len()..];
    let id: i64 = rest[..rest.find('"').unwrap()].parse().unwrap();
    let form = &rest[..rest.find("</form>").unwrap()];
    let v = form.find("name=\"version\" value=\"").unwrap() + "name=\"version\" value=\"".len();
    (id, form[v..v + form[v..].find('"').unwrap()].to_string())
}

async fn upload(c: &mut Client, uri: &str, version: &str, name: &str, bytes: &[u8]) -> Reply {
    let mut body = Vec::new();
    body.extend_from_slice(format!("--X\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n{version}\r\n").as_bytes());
    body.extend_from_slice(
        format!(
            "--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(b"\r\n--X--\r\n");
    // As the page's form sends it: the CSRF token in the query (a multipart body is not read
    // before the check).
    let uri = format!("{uri}?_csrf={}", c.csrf);
    let request = c.request("POST", &uri).header(header::CONTENT_TYPE, "multipart/form-data; boundary=X").body(Body::from(body)).unwrap();
    c.send(request).await
}

#[tokio::test]
async fn the_assigned_unit_uploads_evidence_and_only_those_who_see_the_task_download_it() {
    let app = demo().await;
    let mut officer = Client::logged_in(&app, "sonha").await;
    let page = officer.get("/plans").await;
    let (id, version) = first_upload_form(&page.body);
    let pdf = b"%PDF-1.7\n% bien ban kiem tra\n".to_vec();

    let saved = upload(&mut officer, &format!("/plans/tasks/{id}/evidence"), &version, "Biên bản.pdf", &pdf).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let after = officer.get(saved.location.as_deref().unwrap()).await.body;
    assert!(after.contains("Đã lưu tệp minh chứng «Biên bản.pdf»"), "the confirmation: {after}");
    assert!(after.contains(&format!("id=\"evidence-file-{id}\">Biên bản.pdf, 1 KB</a>")), "{after}");

    let file = officer.get(&format!("/plans/tasks/{id}/evidence")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.bytes, pdf);
    assert_eq!(file.content_type, "application/pdf");
    let disposition = file.headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap();
    assert_eq!(disposition, "attachment; filename=\"Bi_n b_n.pdf\"; filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n.pdf");

    // Another commune: not found, and its upload refused.
    let mut other = Client::logged_in(&app, "lacgiang").await;
    assert_eq!(other.get(&format!("/plans/tasks/{id}/evidence")).await.status, StatusCode::NOT_FOUND);
    let refused = upload(&mut other, &format!("/api/plans/tasks/{id}/evidence"), "99", "x.pdf", b"%PDF-").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);

    // Through the API: an image that is not one is refused naming the field; a stale version 409.
    let current = officer.get("/plans").await;
    let (_, version) = first_upload_form(&current.body);
    let bad = upload(&mut officer, &format!("/api/plans/tasks/{id}/evidence"), &version, "anh.png", b"%PDF-").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("Tệp minh chứng") && bad.body.contains("không phải tệp .png"), "{}", bad.body);
    let stale = upload(&mut officer, &format!("/api/plans/tasks/{id}/evidence"), "1", "moi.pdf", b"%PDF-").await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert_eq!(officer.get(&format!("/plans/tasks/{id}/evidence")).await.bytes, pdf, "nothing replaced");
}
