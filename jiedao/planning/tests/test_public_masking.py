"""信息公开: phone and ID numbers staff typed into public text are masked on the public pages, in every
written form (core.public_text), while the plan's own numbers (years, amounts, house numbers) stay."""

from jiedao.planning import services


def test_phone_and_id_numbers_in_public_text_are_masked(plan, housing_reporter, client):
    project = plan.projects.get(code="t1-01")
    project.public_summary = "改造咨询：139-1234-5678（王工），曹杨五村12号301室样板间开放"
    project.save(update_fields=["public_summary"])
    services.submit_progress_report(
        project=project, by=housing_reporter, year=2024, quarter=2, progress=60, status="in_progress",
        public_note="已完成六成，投诉请致电 +86 139 8765 4321 或 021 6254 1234")
    indicator = plan.indicators.get(code="public-green-per-capita")
    indicator.description = "联系人身份证 310107 19400101 1234，电话６２５４－１２３４；投资1200万元"
    indicator.save(update_fields=["description"])
    goal = plan.goals.first()
    goal.text = goal.text + " 热线 139.1111.2222"
    goal.save(update_fields=["text"])

    html = client.get(f"/planning/public/{plan.pk}/").content.decode()
    for secret in ("139-1234-5678", "139 8765 4321", "021 6254 1234", "310107 19400101 1234", "６２５４－１２３４",
                   "139.1111.2222"):
        assert secret not in html
    for masked in ("139****5678", "139****4321", "021-****1234", "3101**********1234", "****1234", "139****2222"):
        assert masked in html
    for kept in ("曹杨五村12号301室样板间开放", "投资1200万元", "2025 年达到 1.02 平方米"):
        assert kept in html


def test_the_public_index_masks_plan_names(plan, client):
    plan.name = plan.name + "（咨询 13912345678）"
    plan.save(update_fields=["name"])
    html = client.get("/planning/public/").content.decode()
    assert "13912345678" not in html and "139****5678" in html
