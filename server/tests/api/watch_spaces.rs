//! `/api/watch-spaces/...`: the authorization matrix (anonymous, outsider, member, owner) and
//! the invitation life cycle over HTTP.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait as _;
use serde_json::{json, Value};

use crate::harness::{field_message, problem, Account, TestApp};

struct Space {
    id: String,
    owner: Account,
    member: Account,
    outsider: Account,
}

/// Ann owns a space Bo joined through an invitation; Cy is an outsider.
async fn space_with_member(app: &TestApp) -> Space {
    let owner = app.account("ann").await;
    let member = app.account("bo").await;
    let outsider = app.account("cy").await;
    let id = app.create_space(&owner, "Couch club").await;
    let invitation = app.invite(&owner, &id, &member.email).await;
    assert_eq!(
        app.accept(&invitation, Some(&member.token)).await.status(),
        StatusCode::OK
    );
    Space {
        id,
        owner,
        member,
        outsider,
    }
}

#[tokio::test]
async fn creating_a_space_makes_the_creator_its_owner() {
    let app = TestApp::spawn().await;
    let ann = app.account("ann").await;
    let space: Value = app
        .post(
            "/api/watch-spaces",
            Some(&ann.token),
            json!({"name": "  Couch club "}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(space["name"], "Couch club");
    assert_eq!(space["myRole"], "owner");
    assert_eq!(space["members"][0]["userId"], ann.id.as_str());
    assert_eq!(space["members"][0]["role"], "owner");
    let list: Value = app
        .get("/api/watch-spaces", Some(&ann.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["memberCount"], 1);
    assert_eq!(list["nextCursor"], Value::Null);
}

#[tokio::test]
async fn a_blank_space_name_is_a_field_error() {
    let app = TestApp::spawn().await;
    let ann = app.account("ann").await;
    let body = problem(
        app.post(
            "/api/watch-spaces",
            Some(&ann.token),
            json!({"name": "   "}),
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(field_message(&body, "name").is_some());
}

#[tokio::test]
async fn an_invitation_carries_a_long_token_and_a_shareable_url() {
    let app = TestApp::spawn().await;
    let ann = app.account("ann").await;
    let id = app.create_space(&ann, "Us").await;
    let invitation = app.invite(&ann, &id, "Bo@Example.org").await;
    let token = invitation["token"].as_str().unwrap();
    assert!(token.len() >= 22);
    assert_eq!(invitation["url"], format!("{}/invite/{token}", app.address));
    assert_eq!(invitation["invitedEmail"], "bo@example.org");
    // Only the token's hash is stored, and the space lists the invitation without its link.
    let stored: Vec<String> = app
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            format!(
                "SELECT row_to_json(i)::text FROM watch_spaces.invitations i \
                 WHERE token_hash = sha256(convert_to('{token}', 'UTF8'))"
            ),
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index(0).unwrap())
        .collect();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].contains(token), "{}", stored[0]);
    let space: Value = app
        .get(&format!("/api/watch-spaces/{id}"), Some(&ann.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(space["invitations"][0]["invitedEmail"], "bo@example.org");
    assert!(space["invitations"][0].get("url").is_none());
    assert_eq!(invitation["status"], "pending");
    let again = app
        .post(
            &format!("/api/watch-spaces/{id}/invitations"),
            Some(&ann.token),
            json!({"email": "bo@example.org"}),
        )
        .await;
    problem(again, StatusCode::CONFLICT).await;
}

#[tokio::test]
async fn only_members_see_a_space_and_outsiders_get_404() {
    let app = TestApp::spawn().await;
    let space = space_with_member(&app).await;
    let path = format!("/api/watch-spaces/{}", space.id);
    problem(app.get(&path, None).await, StatusCode::UNAUTHORIZED).await;
    problem(
        app.get(&path, Some(&space.outsider.token)).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let as_member: Value = app
        .get(&path, Some(&space.member.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(as_member["members"].as_array().unwrap().len(), 2);
    assert_eq!(
        as_member["invitations"].as_array().unwrap().len(),
        0,
        "members do not see invitations"
    );
    let as_owner = app.get(&path, Some(&space.owner.token)).await;
    assert_eq!(as_owner.status(), StatusCode::OK);
    for (method, suffix, body) in [
        (
            reqwest::Method::PATCH,
            String::new(),
            Some(json!({"name": "Mine"})),
        ),
        (
            reqwest::Method::POST,
            "/invitations".to_owned(),
            Some(json!({"email": "z@example.org"})),
        ),
        (reqwest::Method::POST, "/leave".to_owned(), None),
        (
            reqwest::Method::DELETE,
            format!("/members/{}", space.member.id),
            None,
        ),
    ] {
        let response = app
            .send(
                method.clone(),
                &format!("{path}{suffix}"),
                Some(&space.outsider.token),
                body,
            )
            .await;
        problem(response, StatusCode::NOT_FOUND).await;
    }
}

#[tokio::test]
async fn members_cannot_do_what_only_owners_may() {
    let app = TestApp::spawn().await;
    let space = space_with_member(&app).await;
    let path = format!("/api/watch-spaces/{}", space.id);
    problem(
        app.patch(&path, Some(&space.member.token), json!({"name": "Mine"}))
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    problem(
        app.post(
            &format!("{path}/invitations"),
            Some(&space.member.token),
            json!({"email": "z@example.org"}),
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    problem(
        app.delete(
            &format!("{path}/members/{}", space.owner.id),
            Some(&space.member.token),
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    problem(
        app.patch(
            &format!("{path}/members/{}", space.member.id),
            Some(&space.member.token),
            json!({"role": "owner"}),
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let renamed = app
        .patch(&path, Some(&space.owner.token), json!({"name": "Ours"}))
        .await;
    assert_eq!(renamed.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_last_owner_cannot_leave_until_someone_is_promoted() {
    let app = TestApp::spawn().await;
    let space = space_with_member(&app).await;
    let path = format!("/api/watch-spaces/{}", space.id);
    problem(
        app.post(
            &format!("{path}/leave"),
            Some(&space.owner.token),
            json!({}),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    let demote_self = app
        .patch(
            &format!("{path}/members/{}", space.owner.id),
            Some(&space.owner.token),
            json!({"role": "member"}),
        )
        .await;
    problem(demote_self, StatusCode::CONFLICT).await;
    let promoted = app
        .patch(
            &format!("{path}/members/{}", space.member.id),
            Some(&space.owner.token),
            json!({"role": "owner"}),
        )
        .await;
    assert_eq!(promoted.status(), StatusCode::OK);
    let left = app
        .post(
            &format!("{path}/leave"),
            Some(&space.owner.token),
            json!({}),
        )
        .await;
    assert_eq!(left.status(), StatusCode::NO_CONTENT);
    problem(
        app.get(&path, Some(&space.owner.token)).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn an_owner_hands_the_space_over_and_becomes_a_member() {
    let app = TestApp::spawn().await;
    let space = space_with_member(&app).await;
    let path = format!("/api/watch-spaces/{}", space.id);
    let transfer = format!("{path}/transfer-ownership");
    problem(
        app.post(
            &transfer,
            Some(&space.member.token),
            json!({"userId": space.member.id}),
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    problem(
        app.post(
            &transfer,
            Some(&space.owner.token),
            json!({"userId": "nope"}),
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    let handed = app
        .post(
            &transfer,
            Some(&space.owner.token),
            json!({"userId": space.member.id}),
        )
        .await;
    assert_eq!(handed.status(), StatusCode::OK);
    let details: Value = handed.json().await.unwrap();
    let role_of = |id: &str| {
        details["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|member| member["userId"] == id)
            .map(|member| member["role"].clone())
    };
    assert_eq!(role_of(&space.member.id), Some(json!("owner")));
    assert_eq!(role_of(&space.owner.id), Some(json!("member")));
    assert_eq!(details["myRole"], "member");
    problem(
        app.patch(&path, Some(&space.owner.token), json!({"name": "Mine"}))
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
}

#[tokio::test]
async fn an_owner_removes_a_member() {
    let app = TestApp::spawn().await;
    let space = space_with_member(&app).await;
    let path = format!("/api/watch-spaces/{}", space.id);
    let removed = app
        .delete(
            &format!("{path}/members/{}", space.member.id),
            Some(&space.owner.token),
        )
        .await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    problem(
        app.get(&path, Some(&space.member.token)).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn invitations_are_for_their_email_only_and_accepting_twice_is_harmless() {
    let app = TestApp::spawn().await;
    let ann = app.account("ann").await;
    let bo = app.account("bo").await;
    let cy = app.account("cy").await;
    let id = app.create_space(&ann, "Us").await;
    let invitation = app.invite(&ann, &id, &bo.email).await;
    let refused = problem(
        app.accept(&invitation, Some(&cy.token)).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    assert!(refused["detail"]
        .as_str()
        .unwrap()
        .contains("bo@example.org"));
    problem(
        app.accept(&invitation, None).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(
        app.accept(&invitation, Some(&bo.token)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.accept(&invitation, Some(&bo.token)).await.status(),
        StatusCode::OK
    );
    let unknown = json!({"token": "unknown-token-unknown-token"});
    problem(
        app.accept(&unknown, Some(&bo.token)).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn revoked_and_expired_invitations_are_gone() {
    let app = TestApp::spawn().await;
    let ann = app.account("ann").await;
    let bo = app.account("bo").await;
    let id = app.create_space(&ann, "Us").await;
    let revoked = app.invite(&ann, &id, &bo.email).await;
    let revoke_path = format!(
        "/api/watch-spaces/{id}/invitations/{}",
        revoked["id"].as_str().unwrap()
    );
    assert_eq!(
        app.delete(&revoke_path, Some(&ann.token)).await.status(),
        StatusCode::NO_CONTENT
    );
    problem(
        app.accept(&revoked, Some(&bo.token)).await,
        StatusCode::GONE,
    )
    .await;

    let expired = app.invite(&ann, &id, &bo.email).await;
    app.clock.advance(time::Duration::days(8));
    let body = problem(
        app.accept(&expired, Some(&bo.token)).await,
        StatusCode::GONE,
    )
    .await;
    assert!(body["detail"].as_str().unwrap().contains("expired"));
}

/// Every space endpoint, for each kind of caller: anonymous → 401, outsider → 404 (the space
/// does not exist for them), member → 403 where only owners may act.
#[tokio::test]
async fn the_authorization_matrix_holds_for_every_space_endpoint() {
    let app = TestApp::spawn().await;
    let space = space_with_member(&app).await;
    let id = &space.id;
    let pending = app.invite(&space.owner, id, "dee@example.org").await;
    let invitation_id = pending["id"].as_str().unwrap();
    let member_id = &space.member.id;
    let owner_id = &space.owner.id;
    use reqwest::Method as M;
    // (method, path, body, what a member gets)
    let endpoints: Vec<(M, String, Option<Value>, StatusCode)> = vec![
        (
            M::GET,
            format!("/api/watch-spaces/{id}"),
            None,
            StatusCode::OK,
        ),
        (
            M::PATCH,
            format!("/api/watch-spaces/{id}"),
            Some(json!({"name": "Mine"})),
            StatusCode::FORBIDDEN,
        ),
        (
            M::POST,
            format!("/api/watch-spaces/{id}/invitations"),
            Some(json!({"email": "eve@example.org"})),
            StatusCode::FORBIDDEN,
        ),
        (
            M::DELETE,
            format!("/api/watch-spaces/{id}/invitations/{invitation_id}"),
            None,
            StatusCode::FORBIDDEN,
        ),
        (
            M::PATCH,
            format!("/api/watch-spaces/{id}/members/{owner_id}"),
            Some(json!({"role": "member"})),
            StatusCode::FORBIDDEN,
        ),
        (
            M::DELETE,
            format!("/api/watch-spaces/{id}/members/{owner_id}"),
            None,
            StatusCode::FORBIDDEN,
        ),
    ];
    for (method, path, body, member_gets) in &endpoints {
        let anonymous = app.send(method.clone(), path, None, body.clone()).await;
        assert_eq!(
            anonymous.status(),
            StatusCode::UNAUTHORIZED,
            "anonymous {method} {path}"
        );
        let outsider = app
            .send(
                method.clone(),
                path,
                Some(&space.outsider.token),
                body.clone(),
            )
            .await;
        assert_eq!(
            outsider.status(),
            StatusCode::NOT_FOUND,
            "outsider {method} {path}"
        );
        let member = app
            .send(
                method.clone(),
                path,
                Some(&space.member.token),
                body.clone(),
            )
            .await;
        assert_eq!(member.status(), *member_gets, "member {method} {path}");
    }
    for path in [
        "/api/watch-spaces",
        &format!("/api/watch-spaces/{id}/leave"),
    ] {
        let method = if path.ends_with("leave") {
            M::POST
        } else {
            M::GET
        };
        assert_eq!(
            app.send(method, path, None, None).await.status(),
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
    }
    let create = app
        .post("/api/watch-spaces", None, json!({"name": "x"}))
        .await;
    assert_eq!(create.status(), StatusCode::UNAUTHORIZED);
    // The owner may do all of it (role change last: it hands ownership over).
    let owner = Some(space.owner.token.as_str());
    assert_eq!(
        app.patch(
            &format!("/api/watch-spaces/{id}"),
            owner,
            json!({"name": "Ours"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.delete(
            &format!("/api/watch-spaces/{id}/invitations/{invitation_id}"),
            owner
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.patch(
            &format!("/api/watch-spaces/{id}/members/{member_id}"),
            owner,
            json!({"role": "owner"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.patch(
            &format!("/api/watch-spaces/{id}/members/{owner_id}"),
            owner,
            json!({"role": "member"})
        )
        .await
        .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_unknown_role_is_a_validation_problem() {
    let app = TestApp::spawn().await;
    let space = space_with_member(&app).await;
    let path = format!("/api/watch-spaces/{}/members/{}", space.id, space.member.id);
    problem(
        app.patch(&path, Some(&space.owner.token), json!({"role": "queen"}))
            .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
}
