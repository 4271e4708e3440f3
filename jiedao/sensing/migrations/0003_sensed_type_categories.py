"""Smoke, gas and door sensors file their alarms' cases under the 部件 categories cases 0012 adds; a type an
admin has given a category already keeps it."""

from django.db import migrations


def load(apps, schema_editor):
    from jiedao.sensing.defaults import TYPES

    SensorType = apps.get_model("sensing", "SensorType")
    Category = apps.get_model("cases", "Category")
    categories = {c.name: c for c in Category.objects.all()}
    for code, _name, category, *_rest in TYPES:
        if category in categories:
            SensorType.objects.filter(code=code, category__isnull=True).update(category=categories[category])


class Migration(migrations.Migration):
    dependencies = [("sensing", "0002_default_types"), ("cases", "0012_sensed_component_categories")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
