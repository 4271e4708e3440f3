"""The sensor types the platform ships (jiedao.sensing.defaults.TYPES), with their case categories."""

from django.db import migrations


def load(apps, schema_editor):
    from jiedao.sensing.defaults import TYPES

    SensorType = apps.get_model("sensing", "SensorType")
    Category = apps.get_model("cases", "Category")
    categories = {c.name: c for c in Category.objects.all()}
    for code, name, category, measured, unit, offline, commands, gate, order in TYPES:
        SensorType.objects.get_or_create(code=code, defaults={
            "name": name, "category": categories.get(category) if category else None, "measured": measured,
            "unit": unit, "offline_minutes": offline, "commands": commands, "gate": gate, "order": order,
        })


class Migration(migrations.Migration):
    dependencies = [("sensing", "0001_initial"), ("cases", "0002_default_taxonomy")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
