"""Minor episodes: a cramp or DOMS without a red flag ends by itself, or the coaches are asked
to re-triage it (docs/clinical-rules.md#minor-episodes)."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from athletes.locks import lock_athletes
from injuries import reminders

from ..events import Event, announce
from ..models import Episode


@transaction.atomic
def episode_end(*, episode: Episode, ending: str, on: date | None = None) -> Episode:
    lock_athletes(episode.athlete_id)
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if episode.ended_on:
        return episode
    episode.ended_on = on or timezone.localdate()
    episode.ending = ending
    episode.save(update_fields=["ended_on", "ending"])
    announce(Event.EPISODE_ENDED, episode.athlete_id)
    return episode


@transaction.atomic
def episode_ask_retriage(*, episode: Episode, on: date) -> bool:
    """Pain persisted past the episode's window: the coaches are asked, once, to re-triage."""
    lock_athletes(episode.athlete_id)
    updated = Episode.objects.filter(pk=episode.pk, ended_on__isnull=True, retriage_asked_on__isnull=True).update(
        retriage_asked_on=on
    )
    if updated:
        reminders.pain_alert(episode.athlete, f"episode:{episode.pk}:persisting")
    return bool(updated)
