use identity::contracts::{Email, UserId};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::invitation::{Invitation, InvitationToken};
use crate::contracts::{InvitationId, InvitationStatus, Role, SpaceName, WatchSpaceId};

/// Why someone may not manage a space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    #[error("the user is not a member of the space")]
    NotAMember,
    #[error("the user is a member but not an owner")]
    NotOwner,
}

/// How many people a space holds, open invitations included: BloomWatch is for couples and
/// small groups. The database holds the members to it too.
pub const MAX_MEMBERS: usize = 20;

/// Why an invitation could not be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InviteError {
    #[error(transparent)]
    Access(#[from] AccessError),
    #[error("the email belongs to a member already")]
    AlreadyMember,
    #[error("an open invitation for the email exists")]
    AlreadyPending,
    #[error("the members and open invitations fill the space")]
    SpaceFull,
}

/// Why an invitation could not be revoked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RevokeError {
    #[error(transparent)]
    Access(#[from] AccessError),
    #[error("no such invitation in the space")]
    NotFound,
    #[error("the invitation was accepted already")]
    AlreadyAccepted,
}

/// Why an invitation could not be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AcceptError {
    #[error("no invitation with that token in the space")]
    NotFound,
    #[error("the invitation expired")]
    Expired,
    #[error("the invitation was revoked")]
    Revoked,
    #[error("the invitation was used already")]
    AlreadyUsed,
    #[error("the invitation was sent to another email")]
    ForAnotherEmail { invited_email: Email },
    #[error("the space has as many members as it holds")]
    SpaceFull,
}

/// Why a membership change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MembershipError {
    #[error(transparent)]
    Access(#[from] AccessError),
    #[error("the user is not a member of the space")]
    MemberNotFound,
    #[error("owners leave instead of removing themselves")]
    CannotRemoveYourself,
    #[error("the space would have no owner")]
    LastOwner,
    #[error("the only member cannot leave: the space would have no owner")]
    LastMember,
}

/// What accepting an invitation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joined {
    /// The user became a member.
    NewMember,
    /// The user was a member already; nothing changed for them.
    AlreadyMember,
}

/// One person's membership of a space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The membership row's id.
    pub id: Uuid,
    pub user_id: UserId,
    pub role: Role,
    pub joined_at: OffsetDateTime,
}

impl Member {
    fn join(user_id: UserId, role: Role, now: OffsetDateTime) -> Self {
        Self {
            id: Uuid::new_v4(),
            user_id,
            role,
            joined_at: now,
        }
    }
}

/// A watch space with its members and invitations: the unit that keeps "at least one owner"
/// and "one open invitation per email" true.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchSpace {
    pub id: WatchSpaceId,
    pub name: SpaceName,
    pub created_by: UserId,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    members: Vec<Member>,
    invitations: Vec<Invitation>,
}

impl WatchSpace {
    /// A new space whose creator is its first owner.
    pub fn create(creator: UserId, name: SpaceName, now: OffsetDateTime) -> Self {
        Self {
            id: WatchSpaceId::new(),
            name,
            created_by: creator,
            created_at: now,
            updated_at: now,
            members: vec![Member::join(creator, Role::Owner, now)],
            invitations: Vec::new(),
        }
    }

    /// A space as stored.
    pub fn restore(
        id: WatchSpaceId,
        name: SpaceName,
        created_by: UserId,
        created_at: OffsetDateTime,
        updated_at: OffsetDateTime,
        members: Vec<Member>,
        invitations: Vec<Invitation>,
    ) -> Self {
        Self {
            id,
            name,
            created_by,
            created_at,
            updated_at,
            members,
            invitations,
        }
    }

    pub fn members(&self) -> &[Member] {
        &self.members
    }

    pub fn invitations(&self) -> &[Invitation] {
        &self.invitations
    }

    pub fn member(&self, user: UserId) -> Option<&Member> {
        self.members.iter().find(|member| member.user_id == user)
    }

    pub fn role_of(&self, user: UserId) -> Option<Role> {
        self.member(user).map(|member| member.role)
    }

    pub fn invitation(&self, id: InvitationId) -> Option<&Invitation> {
        self.invitations
            .iter()
            .find(|invitation| invitation.id == id)
    }

    fn owner_count(&self) -> usize {
        self.members
            .iter()
            .filter(|member| member.role == Role::Owner)
            .count()
    }

    fn require_owner(&self, actor: UserId) -> Result<(), AccessError> {
        match self.role_of(actor) {
            Some(Role::Owner) => Ok(()),
            Some(Role::Member) => Err(AccessError::NotOwner),
            None => Err(AccessError::NotAMember),
        }
    }

    fn member_mut(&mut self, user: UserId) -> Option<&mut Member> {
        self.members
            .iter_mut()
            .find(|member| member.user_id == user)
    }

    /// Gives the space a new name. Owners only.
    pub fn rename(
        &mut self,
        actor: UserId,
        name: SpaceName,
        now: OffsetDateTime,
    ) -> Result<(), AccessError> {
        self.require_owner(actor)?;
        if self.name != name {
            self.name = name;
            self.updated_at = now.max(self.created_at);
        }
        Ok(())
    }

    /// Invites `email` for `ttl`. Owners only; refused when the email belongs to a member
    /// (`member_emails`, looked up in Identity) or has an open invitation. A pending
    /// invitation for the email that ran out of time is recorded as expired first.
    pub fn invite(
        &mut self,
        actor: UserId,
        email: Email,
        member_emails: &[Email],
        now: OffsetDateTime,
        ttl: Duration,
        token: &InvitationToken,
    ) -> Result<Invitation, InviteError> {
        self.require_owner(actor)?;
        if member_emails.contains(&email) {
            return Err(InviteError::AlreadyMember);
        }
        for invitation in self
            .invitations
            .iter_mut()
            .filter(|invitation| invitation.invited_email == email)
        {
            invitation.expire_if_due(now);
        }
        let pending = self.invitations.iter().any(|invitation| {
            invitation.invited_email == email && invitation.status == InvitationStatus::Pending
        });
        if pending {
            return Err(InviteError::AlreadyPending);
        }
        let open = self
            .invitations
            .iter()
            .filter(|invitation| invitation.is_open(now))
            .count();
        if self.members.len() + open >= MAX_MEMBERS {
            return Err(InviteError::SpaceFull);
        }
        let invitation = Invitation::send(actor, email, token, now, ttl);
        self.invitations.push(invitation.clone());
        Ok(invitation)
    }

    /// Withdraws an invitation. Owners only. Revoking one that is revoked or expired already
    /// changes nothing; an accepted one cannot be revoked (remove the member instead).
    pub fn revoke_invitation(
        &mut self,
        actor: UserId,
        id: InvitationId,
    ) -> Result<(), RevokeError> {
        self.require_owner(actor)?;
        let invitation = self
            .invitations
            .iter_mut()
            .find(|invitation| invitation.id == id)
            .ok_or(RevokeError::NotFound)?;
        if invitation.status == InvitationStatus::Accepted {
            return Err(RevokeError::AlreadyAccepted);
        }
        invitation.revoke();
        Ok(())
    }

    /// `user`, whose account email is `user_email`, accepts the invitation with `token`.
    ///
    /// Someone who is a member already loses nothing by following a link again: they get
    /// `Joined::AlreadyMember` (and their own open invitation is used up). Otherwise the
    /// invitation must be pending, within its time (a late one is recorded as expired) and
    /// sent to `user_email`.
    pub fn accept(
        &mut self,
        user: UserId,
        user_email: &Email,
        token: &InvitationToken,
        now: OffsetDateTime,
    ) -> Result<Joined, AcceptError> {
        let already_member = self.member(user).is_some();
        let token_hash = token.hash();
        let invitation = self
            .invitations
            .iter_mut()
            .find(|invitation| invitation.token_hash == token_hash)
            .ok_or(AcceptError::NotFound)?;
        if already_member {
            if !invitation.expire_if_due(now)
                && invitation.status == InvitationStatus::Pending
                && invitation.invited_email == *user_email
            {
                invitation.mark_accepted(now);
            }
            return Ok(Joined::AlreadyMember);
        }
        match invitation.status {
            InvitationStatus::Pending => {}
            InvitationStatus::Accepted => return Err(AcceptError::AlreadyUsed),
            InvitationStatus::Revoked => return Err(AcceptError::Revoked),
            InvitationStatus::Expired => return Err(AcceptError::Expired),
        }
        if invitation.expire_if_due(now) {
            return Err(AcceptError::Expired);
        }
        if invitation.invited_email != *user_email {
            return Err(AcceptError::ForAnotherEmail {
                invited_email: invitation.invited_email.clone(),
            });
        }
        if self.members.len() >= MAX_MEMBERS {
            return Err(AcceptError::SpaceFull);
        }
        invitation.mark_accepted(now);
        self.members.push(Member::join(user, Role::Member, now));
        Ok(Joined::NewMember)
    }

    /// Removes another member. Owners only; owners leave rather than remove themselves.
    pub fn remove_member(&mut self, actor: UserId, user: UserId) -> Result<(), MembershipError> {
        self.require_owner(actor)?;
        if actor == user {
            return Err(MembershipError::CannotRemoveYourself);
        }
        let member = self.member(user).ok_or(MembershipError::MemberNotFound)?;
        if member.role == Role::Owner && self.owner_count() == 1 {
            return Err(MembershipError::LastOwner);
        }
        self.members.retain(|member| member.user_id != user);
        Ok(())
    }

    /// Gives a member a new role. Owners only; the last owner cannot be demoted.
    pub fn change_role(
        &mut self,
        actor: UserId,
        user: UserId,
        role: Role,
    ) -> Result<(), MembershipError> {
        self.require_owner(actor)?;
        let current = self.role_of(user).ok_or(MembershipError::MemberNotFound)?;
        if current == Role::Owner && role == Role::Member && self.owner_count() == 1 {
            return Err(MembershipError::LastOwner);
        }
        if let Some(member) = self.member_mut(user) {
            member.role = role;
        }
        Ok(())
    }

    /// Makes `to` an owner and `actor` a plain member, in one step. Owners only.
    /// Transferring to oneself changes nothing.
    pub fn transfer_ownership(&mut self, actor: UserId, to: UserId) -> Result<(), MembershipError> {
        self.require_owner(actor)?;
        if self.member(to).is_none() {
            return Err(MembershipError::MemberNotFound);
        }
        if actor == to {
            return Ok(());
        }
        for member in &mut self.members {
            if member.user_id == to {
                member.role = Role::Owner;
            } else if member.user_id == actor {
                member.role = Role::Member;
            }
        }
        Ok(())
    }

    /// `user` leaves the space. The last owner stays until someone else is an owner; the
    /// only member cannot leave at all, since the space must keep an owner.
    pub fn leave(&mut self, user: UserId) -> Result<(), MembershipError> {
        let role = self.role_of(user).ok_or(AccessError::NotAMember)?;
        if role == Role::Owner && self.owner_count() == 1 {
            return Err(if self.members.len() == 1 {
                MembershipError::LastMember
            } else {
                MembershipError::LastOwner
            });
        }
        self.members.retain(|member| member.user_id != user);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-25 12:00 UTC);
    const WEEK: Duration = Duration::days(7);

    fn name(raw: &str) -> SpaceName {
        SpaceName::parse(raw).unwrap()
    }

    fn email(raw: &str) -> Email {
        Email::parse(raw).unwrap()
    }

    /// A space owned by `owner` that `member` (kai@example.org) joined through an invitation.
    fn space_with_member() -> (WatchSpace, UserId, UserId) {
        let owner = UserId::new();
        let member = UserId::new();
        let mut space = WatchSpace::create(owner, name("Cozy Club"), NOW);
        let token = token_for("kai@example.org");
        space
            .invite(owner, email("kai@example.org"), &[], NOW, WEEK, &token)
            .unwrap();
        space
            .accept(member, &email("kai@example.org"), &token, NOW)
            .unwrap();
        (space, owner, member)
    }

    /// The token the tests' invitation for `raw` is sent with (the space keeps only its hash).
    fn token_for(raw: &str) -> InvitationToken {
        let letters: String = raw
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        InvitationToken::parse(&format!("{letters:-<43}")).unwrap()
    }

    fn invite(space: &mut WatchSpace, actor: UserId, raw: &str) -> Result<Invitation, InviteError> {
        space.invite(actor, email(raw), &[], NOW, WEEK, &token_for(raw))
    }

    #[test]
    fn the_creator_becomes_the_only_owner() {
        let creator = UserId::new();
        let space = WatchSpace::create(creator, name("Cozy Club"), NOW);
        assert_eq!(space.created_by, creator);
        assert_eq!(space.created_at, NOW);
        assert_eq!(space.updated_at, NOW);
        assert_eq!(space.members().len(), 1);
        assert_eq!(space.role_of(creator), Some(Role::Owner));
        assert_eq!(space.members()[0].joined_at, NOW);
        assert!(space.invitations().is_empty());
    }

    #[test]
    fn an_owner_can_rename_the_space() {
        let (mut space, owner, _) = space_with_member();
        let later = NOW + Duration::hours(1);
        space.rename(owner, name("Late Night Club"), later).unwrap();
        assert_eq!(space.name.as_str(), "Late Night Club");
        assert_eq!(space.updated_at, later);
    }

    #[test]
    fn members_and_strangers_cannot_rename_the_space() {
        let (mut space, _, member) = space_with_member();
        assert_eq!(
            space.rename(member, name("Mine"), NOW),
            Err(AccessError::NotOwner)
        );
        assert_eq!(
            space.rename(UserId::new(), name("Mine"), NOW),
            Err(AccessError::NotAMember)
        );
        assert_eq!(space.name.as_str(), "Cozy Club");
    }

    #[test]
    fn an_owner_invites_an_email_for_the_time_to_live() {
        let owner = UserId::new();
        let mut space = WatchSpace::create(owner, name("Cozy Club"), NOW);
        let invitation = invite(&mut space, owner, "Mika@Example.org").unwrap();
        assert_eq!(invitation.invited_email.as_str(), "mika@example.org");
        assert_eq!(invitation.invited_by, owner);
        assert_eq!(invitation.status, InvitationStatus::Pending);
        assert_eq!(invitation.expires_at, NOW + WEEK);
        assert_eq!(space.invitations(), &[invitation]);
    }

    #[test]
    fn only_owners_can_invite() {
        let (mut space, _, member) = space_with_member();
        assert_eq!(
            invite(&mut space, member, "mika@example.org"),
            Err(InviteError::Access(AccessError::NotOwner))
        );
        assert_eq!(
            invite(&mut space, UserId::new(), "mika@example.org"),
            Err(InviteError::Access(AccessError::NotAMember))
        );
    }

    #[test]
    fn inviting_the_email_of_a_member_is_refused() {
        let owner = UserId::new();
        let mut space = WatchSpace::create(owner, name("Cozy Club"), NOW);
        let result = space.invite(
            owner,
            email("kai@example.org"),
            &[email("ann@example.org"), email("kai@example.org")],
            NOW,
            WEEK,
            &InvitationToken::generate(),
        );
        assert_eq!(result, Err(InviteError::AlreadyMember));
        assert!(space.invitations().is_empty());
    }

    #[test]
    fn inviting_an_email_with_an_open_invitation_is_refused() {
        let owner = UserId::new();
        let mut space = WatchSpace::create(owner, name("Cozy Club"), NOW);
        invite(&mut space, owner, "mika@example.org").unwrap();
        assert_eq!(
            invite(&mut space, owner, "MIKA@example.org "),
            Err(InviteError::AlreadyPending)
        );
        assert_eq!(space.invitations().len(), 1);
    }

    #[test]
    fn a_pending_invitation_past_its_time_is_expired_before_inviting_again() {
        let owner = UserId::new();
        let mut space = WatchSpace::create(owner, name("Cozy Club"), NOW);
        let old = invite(&mut space, owner, "mika@example.org").unwrap();
        let later = NOW + WEEK + Duration::seconds(1);
        let new = space
            .invite(
                owner,
                email("mika@example.org"),
                &[],
                later,
                WEEK,
                &InvitationToken::generate(),
            )
            .unwrap();
        assert_eq!(
            space.invitation(old.id).map(|i| i.status),
            Some(InvitationStatus::Expired)
        );
        assert_eq!(
            space.invitation(new.id).map(|i| i.status),
            Some(InvitationStatus::Pending)
        );
    }

    #[test]
    fn a_revoked_invitation_does_not_block_a_new_one() {
        let owner = UserId::new();
        let mut space = WatchSpace::create(owner, name("Cozy Club"), NOW);
        let old = invite(&mut space, owner, "mika@example.org").unwrap();
        space.revoke_invitation(owner, old.id).unwrap();
        assert!(invite(&mut space, owner, "mika@example.org").is_ok());
    }

    #[test]
    fn an_owner_revokes_a_pending_invitation() {
        let owner = UserId::new();
        let mut space = WatchSpace::create(owner, name("Cozy Club"), NOW);
        let invitation = invite(&mut space, owner, "mika@example.org").unwrap();
        space.revoke_invitation(owner, invitation.id).unwrap();
        assert_eq!(
            space.invitation(invitation.id).map(|i| i.status),
            Some(InvitationStatus::Revoked)
        );
        assert_eq!(space.revoke_invitation(owner, invitation.id), Ok(()));
    }

    #[test]
    fn revoking_is_for_owners_and_existing_unused_invitations() {
        let (mut space, owner, member) = space_with_member();
        let accepted = space.invitations()[0].id;
        let pending = invite(&mut space, owner, "mika@example.org").unwrap();
        assert_eq!(
            space.revoke_invitation(member, pending.id),
            Err(RevokeError::Access(AccessError::NotOwner))
        );
        assert_eq!(
            space.revoke_invitation(UserId::new(), pending.id),
            Err(RevokeError::Access(AccessError::NotAMember))
        );
        assert_eq!(
            space.revoke_invitation(owner, InvitationId::new()),
            Err(RevokeError::NotFound)
        );
        assert_eq!(
            space.revoke_invitation(owner, accepted),
            Err(RevokeError::AlreadyAccepted)
        );
    }

    #[test]
    fn accepting_adds_the_invited_person_as_a_member() {
        let owner = UserId::new();
        let mut space = WatchSpace::create(owner, name("Cozy Club"), NOW);
        let invitation = invite(&mut space, owner, "mika@example.org").unwrap();
        let mika = UserId::new();
        let later = NOW + Duration::hours(2);
        let joined = space
            .accept(
                mika,
                &email("mika@example.org"),
                &token_for("mika@example.org"),
                later,
            )
            .unwrap();
        assert_eq!(joined, Joined::NewMember);
        assert_eq!(space.role_of(mika), Some(Role::Member));
        assert_eq!(space.member(mika).map(|m| m.joined_at), Some(later));
        let stored = space.invitation(invitation.id).unwrap();
        assert_eq!(stored.status, InvitationStatus::Accepted);
        assert_eq!(stored.accepted_at, Some(later));
    }

    #[test]
    fn an_unknown_token_is_not_found() {
        let (mut space, _, _) = space_with_member();
        assert_eq!(
            space.accept(
                UserId::new(),
                &email("x@example.org"),
                &InvitationToken::generate(),
                NOW
            ),
            Err(AcceptError::NotFound)
        );
    }

    #[test]
    fn accepting_with_another_email_is_refused_and_names_the_invited_email() {
        let owner = UserId::new();
        let mut space = WatchSpace::create(owner, name("Cozy Club"), NOW);
        let invitation = invite(&mut space, owner, "mika@example.org").unwrap();
        let result = space.accept(
            UserId::new(),
            &email("eve@example.org"),
            &token_for("mika@example.org"),
            NOW,
        );
        assert_eq!(
            result,
            Err(AcceptError::ForAnotherEmail {
                invited_email: email("mika@example.org")
            })
        );
        assert_eq!(space.members().len(), 1);
        assert_eq!(
            space.invitation(invitation.id).map(|i| i.status),
            Some(InvitationStatus::Pending)
        );
    }

    #[test]
    fn accepting_too_late_records_the_expiry_and_fails() {
        let owner = UserId::new();
        let mut space = WatchSpace::create(owner, name("Cozy Club"), NOW);
        let invitation = invite(&mut space, owner, "mika@example.org").unwrap();
        let mika = UserId::new();
        let result = space.accept(
            mika,
            &email("mika@example.org"),
            &token_for("mika@example.org"),
            NOW + WEEK,
        );
        assert_eq!(result, Err(AcceptError::Expired));
        assert_eq!(
            space.invitation(invitation.id).map(|i| i.status),
            Some(InvitationStatus::Expired)
        );
        assert_eq!(space.role_of(mika), None);
        assert_eq!(
            space.accept(
                mika,
                &email("mika@example.org"),
                &token_for("mika@example.org"),
                NOW
            ),
            Err(AcceptError::Expired)
        );
    }

    #[test]
    fn a_revoked_invitation_cannot_be_accepted() {
        let owner = UserId::new();
        let mut space = WatchSpace::create(owner, name("Cozy Club"), NOW);
        let invitation = invite(&mut space, owner, "mika@example.org").unwrap();
        space.revoke_invitation(owner, invitation.id).unwrap();
        assert_eq!(
            space.accept(
                UserId::new(),
                &email("mika@example.org"),
                &token_for("mika@example.org"),
                NOW
            ),
            Err(AcceptError::Revoked)
        );
    }

    #[test]
    fn a_used_invitation_cannot_be_accepted_by_someone_else() {
        let (mut space, _, _) = space_with_member();
        let token = token_for("kai@example.org");
        assert_eq!(
            space.accept(UserId::new(), &email("kai@example.org"), &token, NOW),
            Err(AcceptError::AlreadyUsed)
        );
        assert_eq!(space.members().len(), 2);
    }

    #[test]
    fn accepting_again_as_the_same_member_is_harmless() {
        let (mut space, _, member) = space_with_member();
        let before = space.clone();
        let token = token_for("kai@example.org");
        let joined = space
            .accept(
                member,
                &email("kai@example.org"),
                &token,
                NOW + Duration::hours(1),
            )
            .unwrap();
        assert_eq!(joined, Joined::AlreadyMember);
        assert_eq!(space, before);
    }

    #[test]
    fn a_member_following_their_own_open_invitation_uses_it_up_without_joining_twice() {
        let (mut space, owner, member) = space_with_member();
        let invitation = invite(&mut space, owner, "kai.new@example.org").unwrap();
        let joined = space
            .accept(
                member,
                &email("kai.new@example.org"),
                &token_for("kai.new@example.org"),
                NOW,
            )
            .unwrap();
        assert_eq!(joined, Joined::AlreadyMember);
        assert_eq!(space.members().len(), 2);
        assert_eq!(
            space.invitation(invitation.id).map(|i| i.status),
            Some(InvitationStatus::Accepted)
        );
    }

    #[test]
    fn a_member_following_someone_elses_link_leaves_that_invitation_alone() {
        let (mut space, owner, member) = space_with_member();
        let invitation = invite(&mut space, owner, "mika@example.org").unwrap();
        let joined = space
            .accept(
                member,
                &email("kai@example.org"),
                &token_for("mika@example.org"),
                NOW,
            )
            .unwrap();
        assert_eq!(joined, Joined::AlreadyMember);
        assert_eq!(
            space.invitation(invitation.id).map(|i| i.status),
            Some(InvitationStatus::Pending)
        );
    }

    #[test]
    fn an_owner_removes_a_member() {
        let (mut space, owner, member) = space_with_member();
        space.remove_member(owner, member).unwrap();
        assert_eq!(space.role_of(member), None);
        assert_eq!(space.members().len(), 1);
    }

    #[test]
    fn removing_is_for_owners_and_existing_members_other_than_oneself() {
        let (mut space, owner, member) = space_with_member();
        assert_eq!(
            space.remove_member(member, owner),
            Err(MembershipError::Access(AccessError::NotOwner))
        );
        assert_eq!(
            space.remove_member(UserId::new(), member),
            Err(MembershipError::Access(AccessError::NotAMember))
        );
        assert_eq!(
            space.remove_member(owner, UserId::new()),
            Err(MembershipError::MemberNotFound)
        );
        assert_eq!(
            space.remove_member(owner, owner),
            Err(MembershipError::CannotRemoveYourself)
        );
        assert_eq!(space.members().len(), 2);
    }

    #[test]
    fn an_owner_can_remove_another_owner() {
        let (mut space, owner, member) = space_with_member();
        space.change_role(owner, member, Role::Owner).unwrap();
        space.remove_member(member, owner).unwrap();
        assert_eq!(space.role_of(owner), None);
        assert_eq!(space.role_of(member), Some(Role::Owner));
    }

    #[test]
    fn an_owner_promotes_and_demotes_members() {
        let (mut space, owner, member) = space_with_member();
        space.change_role(owner, member, Role::Owner).unwrap();
        assert_eq!(space.role_of(member), Some(Role::Owner));
        space.change_role(owner, member, Role::Member).unwrap();
        assert_eq!(space.role_of(member), Some(Role::Member));
        space.change_role(owner, member, Role::Member).unwrap();
        assert_eq!(space.role_of(member), Some(Role::Member));
    }

    #[test]
    fn the_last_owner_cannot_be_demoted() {
        let (mut space, owner, _) = space_with_member();
        assert_eq!(
            space.change_role(owner, owner, Role::Member),
            Err(MembershipError::LastOwner)
        );
        assert_eq!(space.role_of(owner), Some(Role::Owner));
    }

    #[test]
    fn an_owner_may_step_down_while_another_owner_remains() {
        let (mut space, owner, member) = space_with_member();
        space.change_role(owner, member, Role::Owner).unwrap();
        space.change_role(owner, owner, Role::Member).unwrap();
        assert_eq!(space.role_of(owner), Some(Role::Member));
    }

    #[test]
    fn changing_roles_is_for_owners_and_existing_members() {
        let (mut space, owner, member) = space_with_member();
        assert_eq!(
            space.change_role(member, member, Role::Owner),
            Err(MembershipError::Access(AccessError::NotOwner))
        );
        assert_eq!(
            space.change_role(UserId::new(), member, Role::Owner),
            Err(MembershipError::Access(AccessError::NotAMember))
        );
        assert_eq!(
            space.change_role(owner, UserId::new(), Role::Owner),
            Err(MembershipError::MemberNotFound)
        );
    }

    #[test]
    fn transferring_ownership_swaps_the_roles_in_one_step() {
        let (mut space, owner, member) = space_with_member();
        space.transfer_ownership(owner, member).unwrap();
        assert_eq!(space.role_of(member), Some(Role::Owner));
        assert_eq!(space.role_of(owner), Some(Role::Member));
    }

    #[test]
    fn transferring_ownership_is_for_owners_to_members() {
        let (mut space, owner, member) = space_with_member();
        assert_eq!(
            space.transfer_ownership(member, owner),
            Err(MembershipError::Access(AccessError::NotOwner))
        );
        assert_eq!(
            space.transfer_ownership(owner, UserId::new()),
            Err(MembershipError::MemberNotFound)
        );
        assert_eq!(space.role_of(owner), Some(Role::Owner));
    }

    #[test]
    fn transferring_ownership_to_oneself_changes_nothing() {
        let (mut space, owner, _) = space_with_member();
        let before = space.clone();
        space.transfer_ownership(owner, owner).unwrap();
        assert_eq!(space, before);
    }

    #[test]
    fn a_member_can_leave() {
        let (mut space, _, member) = space_with_member();
        space.leave(member).unwrap();
        assert_eq!(space.role_of(member), None);
    }

    #[test]
    fn an_owner_can_leave_while_another_owner_remains() {
        let (mut space, owner, member) = space_with_member();
        space.change_role(owner, member, Role::Owner).unwrap();
        space.leave(owner).unwrap();
        assert_eq!(space.members().len(), 1);
        assert_eq!(space.role_of(member), Some(Role::Owner));
    }

    #[test]
    fn the_last_owner_cannot_leave_while_others_remain() {
        let (mut space, owner, _) = space_with_member();
        assert_eq!(space.leave(owner), Err(MembershipError::LastOwner));
        assert_eq!(space.role_of(owner), Some(Role::Owner));
    }

    #[test]
    fn the_only_member_cannot_leave_because_a_space_keeps_an_owner() {
        let owner = UserId::new();
        let mut space = WatchSpace::create(owner, name("Solo"), NOW);
        assert_eq!(space.leave(owner), Err(MembershipError::LastMember));
        assert_eq!(space.members().len(), 1);
    }

    #[test]
    fn a_stranger_cannot_leave() {
        let (mut space, _, _) = space_with_member();
        assert_eq!(
            space.leave(UserId::new()),
            Err(MembershipError::Access(AccessError::NotAMember))
        );
    }
}
