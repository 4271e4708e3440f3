"""A change to the colour rules or tags (in the admin) recolours everyone, in the background."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from jiedao.registry.models import ColourRule, Tag


@receiver([post_save, post_delete], sender=ColourRule)
@receiver([post_save, post_delete], sender=Tag)
@receiver(m2m_changed, sender=ColourRule.all_of.through)
@receiver(m2m_changed, sender=ColourRule.any_of.through)
def rules_changed(**kwargs):
    if kwargs.get("raw"):  # loading fixtures
        return
    from jiedao.registry.tasks import recompute_colours

    transaction.on_commit(recompute_colours.enqueue)
