import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jiedao.cases import defaults as case_defaults
from jiedao.core.models import Department
from jiedao.core.roles import Role, ScopeLevel
from jiedao.inspections import services
from jiedao.inspections.models import PointKind
from jiedao.testing import make_user

_ids = itertools.count(1)


def client_id() -> str:
    return f"form-{next(_ids):06d}-test"


def photo(name: str = "p.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 40, 40)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def all_pass(form, **overrides) -> list[dict]:
    """One result per item of the form's checklist, passed unless ``overrides`` says {code: False}."""
    return [{"item": item.code, "passed": overrides.get(item.code, True)} for item in form.items]


@pytest.fixture
def insp_world(world):
    """The test World with the default case set-up, a 居委 head of 曹杨一村 (c1), a 巡查督察员 (房长 volunteer)
    of c1, a 第三方督察 of the subdistrict, a 楼道 point at b11 and a weekly round over it."""
    w = world
    for code, name in [("CGZD", "城管执法中队"), ("PCS", "派出所"), ("LHSR", "绿化市容所"), ("FGB", "房管办"),
                       ("SWS", "水务所"), ("JSZX", "城建中心"), ("SCJG", "市场所"), ("PAB", "平安办"),
                       ("FWB", "服务办"), ("WYGS", "物业联勤"), ("GLB", "管理办")]:
        Department.objects.get_or_create(subdistrict=w.sub, code=code, defaults={"name": name})
    case_defaults.install(subdistrict=w.sub)
    w.head = make_user("head1", role=Role.COMMUNITY_HEAD, subdistrict=w.sub, level=ScopeLevel.COMMUNITY,
                       community=w.c1)
    w.volunteer = make_user("fangzhang", role=Role.INSPECTOR, subdistrict=w.sub, level=ScopeLevel.COMMUNITY,
                            community=w.c1)
    w.auditor3 = make_user("ducha", role=Role.INSPECTOR, subdistrict=w.sub, level=ScopeLevel.SUBDISTRICT)
    w.stairwell = PointKind.objects.get(code="stairwell")
    w.point = services.create_point(by=w.head, kind=w.stairwell, code="LD-0001", name="兰溪路200弄5号楼道",
                                    building=w.b11)
    w.round = services.create_round(by=w.head, name="楼道周巡", points=[w.point], assignees=[w.grid_worker],
                                    community=w.c1)
    w.token = services.label_token(w.point)
    services.rules_for(subdistrict_id=w.sub.pk)
    return w
