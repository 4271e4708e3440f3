"""Load the default point kinds and their checklists (jiedao/inspections/defaults.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from jiedao.inspections.defaults import KINDS

    PointKind = apps.get_model("inspections", "PointKind")
    ChecklistItem = apps.get_model("inspections", "ChecklistItem")
    for order, (code, (name, instruction, far, items)) in enumerate(KINDS.items(), start=1):
        kind, _ = PointKind.objects.get_or_create(code=code, defaults={
            "name": name, "instruction": instruction, "far_metres": far, "order": order * 10})
        for item_order, (item_code, item_name, category) in enumerate(items, start=1):
            ChecklistItem.objects.get_or_create(kind=kind, code=item_code, defaults={
                "name": item_name, "category_code": category, "order": item_order * 10})


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
