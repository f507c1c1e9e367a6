//! The administrators' page of accounts (quản trị người dùng): the list of users, a form to create
//! one, and on each row a form to change the name, role, unit, state or password. The rules and
//! the audit live in `cchc_app::users`; this module only reads forms and renders.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cchc_app::users::{NewUser, UserChange};
use cchc_storage::{Role, User};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::flash::Flash;
use crate::state::AppState;
use crate::view::{Nav, PeriodQuery, ensure};

const ROLES: [Role; 4] = [Role::UnitOfficer, Role::Compiler, Role::Leader, Role::Admin];

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    nav: Nav,
    message: Option<(bool, String)>,
    users: Vec<UserRow>,
    /// (code, name) of every unit, for the unit field's suggestions.
    units: Vec<(String, String)>,
    /// (slug, Vietnamese name) of every role.
    roles: Vec<(&'static str, &'static str)>,
    /// What was typed in the creation form when it was refused.
    draft: NewUserForm,
}

struct UserRow {
    user: User,
    unit_name: String,
}

#[derive(Deserialize, Default)]
pub struct NewUserForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit_code: String,
    #[serde(default)]
    password: String,
}

#[derive(Deserialize)]
pub struct ChangeForm {
    full_name: String,
    role: String,
    unit_code: String,
    /// A checkbox: present when ticked.
    active: Option<String>,
    #[serde(default)]
    password: String,
}

fn admin_only(current: &CurrentUser) -> AppResult<()> {
    ensure(current.user.role == Role::Admin, "Chỉ quản trị được quản lý tài khoản người dùng.")
}

pub async fn page(State(state): State<Arc<AppState>>, current: CurrentUser) -> AppResult<Html<String>> {
    admin_only(&current)?;
    Ok(Html(render(&state, &current, None, NewUserForm::default()).await?))
}

async fn render(state: &AppState, current: &CurrentUser, message: Option<(bool, String)>, draft: NewUserForm) -> AppResult<String> {
    let tree = state.tree().await?;
    let mut users: Vec<UserRow> = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|user| UserRow { unit_name: tree.get(&user.unit_code).map_or(String::new(), |u| u.name.clone()), user })
        .collect();
    users.sort_by(|a, b| a.user.username.cmp(&b.user.username));
    let mut units: Vec<(String, String)> = tree.units().map(|u| (u.code.clone(), u.name.clone())).collect();
    units.sort();
    let page = UsersPage {
        nav: Nav::new(current, PeriodQuery::default().period()?),
        message,
        users,
        units,
        roles: ROLES.iter().map(|r| (r.slug(), r.name_vi())).collect(),
        draft,
    };
    Ok(page.render()?)
}

fn role(slug: &str) -> AppResult<Role> {
    Role::from_slug(slug).ok_or_else(|| AppError::BadRequest(format!("vai trò \"{slug}\" không hợp lệ")))
}

/// Shows the refusal on the page (with what was typed), or hands other errors on.
async fn refused(state: &AppState, current: &CurrentUser, error: cchc_app::Error, draft: NewUserForm) -> AppResult<Response> {
    match error {
        e @ cchc_app::Error::Invalid { .. } => {
            let html = render(state, current, Some((true, e.to_string())), draft).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        e => Err(e.into()),
    }
}

pub async fn create(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    Form(form): Form<NewUserForm>,
) -> AppResult<Response> {
    admin_only(&current)?;
    let new = NewUser {
        username: form.username.clone(),
        full_name: form.full_name.clone(),
        role: role(&form.role)?,
        unit_code: form.unit_code.clone(),
        password: form.password.clone(),
    };
    match cchc_app::users::create_user(state.store.as_ref(), &current.user, &new).await {
        Ok(user) => {
            let done = format!("Đã tạo tài khoản «{}» ({}, {}).", user.username, user.full_name, user.role.name_vi());
            crate::flash::set(&session, Flash::done(done)).await?;
            Ok(Redirect::to(&format!("/admin/users#u-{}-row", user.username)).into_response())
        }
        Err(e) => refused(&state, &current, e, NewUserForm { password: String::new(), ..form }).await,
    }
}

pub async fn update(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    Path(username): Path<String>,
    Form(form): Form<ChangeForm>,
) -> AppResult<Response> {
    admin_only(&current)?;
    let change = UserChange {
        full_name: form.full_name,
        role: role(&form.role)?,
        unit_code: form.unit_code,
        active: form.active.is_some(),
        password: Some(form.password).filter(|p| !p.is_empty()),
    };
    let reset = change.password.is_some();
    match cchc_app::users::update_user(state.store.as_ref(), &current.user, &username, &change).await {
        Ok(user) => {
            // A changed password ends the account's sessions; an administrator who changed
            // their own keeps this one.
            let own = user.username == current.user.username;
            if own {
                crate::auth::renew_stamp(&session, &user).await?;
            }
            let mut done = format!("Đã lưu tài khoản «{}» ({}).", user.username, user.full_name);
            if reset && own {
                done.push_str(" Đã đổi mật khẩu của bạn; các phiên đăng nhập khác của tài khoản này đã kết thúc.");
            } else if reset {
                done.push_str(" Đã đặt lại mật khẩu; các phiên đăng nhập đang mở của tài khoản này đã kết thúc.");
            }
            crate::flash::set(&session, Flash::done(done)).await?;
            Ok(Redirect::to(&format!("/admin/users#u-{}-row", user.username)).into_response())
        }
        Err(e) => refused(&state, &current, e, NewUserForm::default()).await,
    }
}
