"""The visit checklist (走访清单) a new installation starts with; staff change it in the admin."""

from django.db import migrations

CHECKLIST = [
    # code, label, hint, order (as jiedao.visits.defaults.CHECKLIST, which marks them for translation)
    ("gas", "燃气安全", "灶具、软管、报警器", 10),
    ("power", "用电安全", "私拉电线、电动车室内充电", 20),
    ("smoke", "烟感", "烟感报警器是否在位、有电", 30),
    ("mobility", "行动能力", "能否自理、上下楼", 40),
    ("mind", "精神状态", "情绪、记忆、言语", 50),
    ("family", "家人探望", "子女或亲属多久来一次", 60),
    ("money", "经济困难", "看病、吃饭、水电煤开销", 70),
    ("home", "居住环境", "卫生、漏水、堆物", 80),
]


def forwards(apps, schema_editor):
    Item = apps.get_model("visits", "ChecklistItem")
    for code, label, hint, order in CHECKLIST:
        Item.objects.get_or_create(code=code, defaults={"label": label, "hint": hint, "order": order})


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
