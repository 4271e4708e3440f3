"""分色统计 page: counts by care colour and tag per 居委, within the user's scope."""

import re

from jiedao.registry import services
from jiedao.registry.tests.test_pages_support import denied_count, editor, make_household


def _row(html: str, community) -> list[str]:
    row = html.split(f'data-community="{community.pk}"')[1].split("</tr>")[0]
    return re.findall(r"<td>(\d+)</td>", row)


def test_stats_count_colours_and_tags_per_community(world, login):
    couple = make_household(world, world.b21, people=(("王秀英", "19380501"), ("李建国", "19360203")))
    make_household(world, world.b11, people=(("张伟", "19850101"),))
    services.add_tag(resident=couple.residents.get(name="王秀英"), tag="disabled_care", by=editor(world))
    html = login(world.operator).get("/registry/stats/").content.decode()
    header = html.split("<thead>")[1].split("</thead>")[0]
    tags = re.findall(r"<th>([^<]+)</th>", header)[2:]
    c2 = dict(zip(["total", "red", "yellow", "green", *tags], map(int, _row(html, world.c2)), strict=True))
    assert (c2["total"], c2["red"], c2["yellow"], c2["green"]) == (2, 0, 1, 1)
    assert (c2["高龄"], c2["失能/失智"], c2["独居"]) == (2, 1, 0)
    c1 = _row(html, world.c1)
    assert c1[:4] == ["1", "0", "0", "0"]
    assert "合计" in html


def test_stats_keep_to_the_workers_community(world, login):
    make_household(world, world.b21)
    make_household(world, world.b11)
    html = login(world.social_worker).get("/registry/stats/").content.decode()
    assert f'data-community="{world.c2.pk}"' in html and f'data-community="{world.c1.pk}"' not in html


def test_stats_are_refused_to_residents(world, login, client):
    assert client.get("/registry/stats/")["Location"].startswith("/login/?next=")
    assert login(world.resident).get("/registry/stats/").status_code == 403
    assert denied_count(world.resident) == 1
