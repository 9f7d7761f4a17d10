"""Writes that touch several models, each in one transaction."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .errors import AppError
from .models import Athlete, Invitation, Team

User = get_user_model()


class InvitationError(AppError):
    """An invitation link that can no longer be used; the message says why."""


class ThrottleError(AppError):
    """Too many emails of one kind in a short time; the message says when to try again."""


def _send_invitation_email(invitation: Invitation, token: str) -> None:
    context = {
        "invitation": invitation,
        "link": settings.SITE_URL + reverse("invitation_accept", args=[token]),
        "valid_days": settings.INVITATION_VALID_DAYS,
        # The email goes to the invitee alone: it may say that they sign in rather than sign up.
        "has_account": User.objects.filter(email__iexact=invitation.email).exists(),
    }
    send_mail(
        subject=f"You're invited to {invitation.team.name} on coachapp",
        message=render_to_string("athletes/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
        html_message=render_to_string("athletes/email/invitation.html", context),
    )


@transaction.atomic
def invitation_create(
    *, invited_by, kind: str, email: str, team: Team, athlete: Athlete | None = None
) -> Invitation:
    """Create an invitation and email its link once the transaction commits.

    Earlier unused invitations for the same person and team stop working, so only the
    newest link in someone's inbox is live. Throttled: a coach sends at most
    INVITATION_EMAILS_PER_COACH_HOUR an hour, and one address gets at most
    INVITATION_EMAILS_PER_ADDRESS_DAY a day (ThrottleError).
    """
    email = email.strip().lower()
    _invitation_throttle(invited_by=invited_by, email=email)
    Invitation.objects.filter(
        email=email, team=team, kind=kind, accepted_at__isnull=True
    ).update(expires_at=timezone.now())
    token, token_hash = Invitation.new_token()
    invitation = Invitation.objects.create(
        kind=kind,
        email=email,
        team=team,
        athlete=athlete,
        invited_by=invited_by,
        token_hash=token_hash,
        expires_at=Invitation.default_expiry(),
    )
    transaction.on_commit(lambda: _send_invitation_email(invitation, token))
    return invitation


def _invitation_throttle(*, invited_by, email: str) -> None:
    now = timezone.now()
    limit = settings.INVITATION_EMAILS_PER_COACH_HOUR
    if invited_by is not None and Invitation.objects.filter(
        invited_by=invited_by, created_at__gte=now - timedelta(hours=1)
    ).count() >= limit:
        raise ThrottleError(f"You have sent {limit} invitations in the last hour: send the next ones in an hour.")
    limit = settings.INVITATION_EMAILS_PER_ADDRESS_DAY
    if Invitation.objects.filter(email=email, created_at__gte=now - timedelta(days=1)).count() >= limit:
        raise ThrottleError(f"{email} has had {limit} invitations in the last day: send it again tomorrow.")


@transaction.atomic
def athlete_create(*, created_by, send_invitation: bool = False, **fields) -> Athlete:
    athlete = Athlete.objects.create(**fields)
    if send_invitation:
        invitation_create(
            invited_by=created_by,
            kind=Invitation.Kind.ATHLETE,
            email=athlete.email,
            team=athlete.team,
            athlete=athlete,
        )
    return athlete


def invitation_problem(invitation: Invitation | None) -> str | None:
    """Why an invitation link cannot be used, or None when it can."""
    if invitation is None:
        return "This invitation link is not valid. Check that you copied the whole link."
    if invitation.is_used:
        return "This invitation has already been used. Sign in with the password you chose."
    if invitation.is_expired:
        return "This invitation has expired. Ask your coach to send a new one."
    if invitation.kind == Invitation.Kind.ATHLETE and invitation_account(invitation) is not None:
        return "An account with this email already exists. Sign in, or ask your coach to invite another address."
    return None


def invitation_account(invitation: Invitation):
    """The account that already uses the invited address, if any: it joins, rather than signs up."""
    return User.objects.filter(email__iexact=invitation.email).first()


def _invitation_claim(invitation: Invitation) -> None:
    """Mark the invitation used; a conditional update, so that a link used twice at once counts once."""
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, expires_at__gt=now
    ).update(accepted_at=now)
    if not claimed:
        raise InvitationError(invitation_problem(Invitation.objects.get(pk=invitation.pk)))


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str, first_name: str = "", last_name: str = ""):
    """Turn an invitation into a user with a password, linked to their team or athlete record.

    The invitation is claimed with a conditional update so that a link used twice at the
    same moment still creates one account.
    """
    _invitation_claim(invitation)

    if invitation.kind == Invitation.Kind.ATHLETE:
        athlete = Athlete.objects.select_for_update().get(pk=invitation.athlete_id)
        user = User.objects.create_user(
            email=invitation.email,
            password=password,
            first_name=athlete.first_name,
            last_name=athlete.last_name,
            role=User.Role.ATHLETE,
        )
        athlete.user = user
        athlete.save(update_fields=["user", "updated_at"])
        return user

    user = User.objects.create_user(
        email=invitation.email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        role=User.Role.COACH,
    )
    invitation.team.coaches.add(user)
    return user


@transaction.atomic
def invitation_join(*, invitation: Invitation, user) -> None:
    """The invited person, signed in to the account they already have, says yes: only now do
    they coach the team (and see its athletes)."""
    if user.email.lower() != invitation.email or not user.is_coach:
        raise InvitationError("This invitation is not for the account you are signed in with.")
    _invitation_claim(invitation)
    invitation.team.coaches.add(user)


def team_coach_invite(*, team: Team, invited_by, email: str) -> Invitation | None:
    """Invite someone to coach a team: always an emailed invitation that they accept, whether or
    not the address has an account, and whatever kind (the inviter learns neither). Returns None
    when the address already coaches this team.
    """
    if team.coaches.filter(email__iexact=email.strip()).exists():
        return None
    return invitation_create(invited_by=invited_by, kind=Invitation.Kind.COACH, email=email, team=team)


def athlete_set_archived(*, athlete: Athlete, archived: bool) -> Athlete:
    athlete.archived_at = timezone.now() if archived else None
    athlete.save(update_fields=["archived_at", "updated_at"])
    return athlete
