use watch_spaces::contracts::{ChangeMemberRole, MembersChanged, RenameWatchSpace, Role};

use crate::support::World;

/// Every change of who is in a space, or of a member's role, publishes `MembersChanged` once,
/// in its own transaction; other writes to the space publish nothing.
#[tokio::test]
async fn membership_changes_and_only_those_are_published() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let kai = world.user("kai").await;
    let eve = world.user("eve").await;
    let space = world.space(&ann, "Cozy Club").await.id;
    let changed = [MembersChanged { space }];
    let spaces = &world.spaces;
    let events = &world.membership_changes;

    let invitation = world.invite(&ann, space, "kai@example.org").await;
    spaces
        .rename_space(
            ann.id,
            space,
            RenameWatchSpace {
                name: "Cozier".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        events.take(),
        [],
        "creating, inviting and renaming change no membership"
    );

    spaces
        .accept_invitation(kai.id, &invitation.token)
        .await
        .unwrap();
    assert_eq!(events.take(), changed, "joining");
    spaces
        .accept_invitation(kai.id, &invitation.token)
        .await
        .unwrap();
    assert_eq!(events.take(), [], "following the link again as a member");

    let owner = ChangeMemberRole { role: Role::Owner };
    spaces
        .change_member_role(ann.id, space, kai.id, owner)
        .await
        .unwrap();
    assert_eq!(events.take(), changed, "a role change");
    spaces
        .transfer_ownership(kai.id, space, ann.id)
        .await
        .unwrap();
    assert_eq!(events.take(), changed, "an ownership transfer");
    spaces.leave_space(kai.id, space).await.unwrap();
    assert_eq!(events.take(), changed, "leaving");

    world.join(&ann, space, &eve).await;
    events.take();
    spaces.remove_member(ann.id, space, eve.id).await.unwrap();
    assert_eq!(events.take(), changed, "a removal");
    let refused = spaces.remove_member(kai.id, space, ann.id).await;
    assert!(refused.is_err());
    assert_eq!(events.take(), [], "a refused removal");
}
