"""Small factories shared by the registry page tests (this module holds no tests itself)."""

import itertools

from jiedao.core.models import AuditLog
from jiedao.core.roles import Role, ScopeLevel
from jiedao.core.validators import id_check_digit
from jiedao.registry import services
from jiedao.registry.models import Household, Resident
from jiedao.testing import make_user

_seq = itertools.count(101)


def make_id(born: str = "19900101", *, region: str = "310107", seq: str | None = None) -> str:
    """A valid 18-digit resident ID number (GB 11643 check digit); a new sequence number each call."""
    first17 = f"{region}{born}{seq if seq is not None else f'{next(_seq) % 1000:03d}'}"
    return first17 + id_check_digit(first17)


def editor(world):
    """A subdistrict-wide registry keeper, to build rows anywhere (the World has no such persona)."""
    user = getattr(world, "_editor", None)
    if user is None:
        user = make_user("registry_admin", role=Role.ADMIN, subdistrict=world.sub, level=ScopeLevel.SUBDISTRICT)
        world._editor = user
    return user


def make_household(world, building=None, *, room: str = "301", people=(("王秀英", "19380501"),)) -> Household:
    """A household with a head and, after the first, spouses/children (name, birth date) each."""
    by = editor(world)
    household = services.register_household(building=building or world.b21, room=room, by=by)
    for i, (name, born) in enumerate(people):
        relation = Resident.Relation.HEAD if i == 0 else Resident.Relation.SPOUSE if i == 1 else Resident.Relation.CHILD
        services.add_resident(household=household, by=by, name=name, id_number=make_id(born),
                              phone=f"1391234{5600 + i:04d}", relation=relation)
    return household


def denied_count(user) -> int:
    return AuditLog.objects.filter(actor=user, action="denied").count()
