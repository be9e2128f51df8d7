"""The side an event's undergoer belongs to: "X vandalized Y's office", "secured Ottoman
recognition of her independence", "Y's posts were burned". The thing harmed or granted
names no actor itself; its possessor is the side the event was done to."""

from __future__ import annotations

from .arguments import MentionIndex, actors_of, possessor_actors


def owner_actors(token, index: MentionIndex) -> list[str]:
    """Actors owning ``token`` when the phrase names none itself: its possessor ("Y's
    office", "her independence"), else ``[]``."""
    if token is None or actors_of(token, index):
        return []
    return possessor_actors(token, index)
