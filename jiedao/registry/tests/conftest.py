import pytest

from jiedao.core.validators import id_check_digit
from jiedao.registry import services


def make_id(birth: str = "19400101", seq: int = 1, region: str = "310107") -> str:
    """A valid ID number: ``birth`` YYYYMMDD, odd ``seq`` for a man, even for a woman."""
    first17 = f"{region}{birth}{seq:03d}"
    return first17 + id_check_digit(first17)


@pytest.fixture
def household(world):
    """A household in 兰溪园 (community c2, building b21), registered by its social worker."""
    return services.register_household(building=world.b21, room="301", by=world.social_worker)


@pytest.fixture
def head(world, household):
    return services.add_resident(household=household, by=world.social_worker, name="王阿婆",
                                 id_number=make_id("19400101", 2), phone="13812345678")
