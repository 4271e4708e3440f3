"""The default taxonomy (cases.taxonomy): 部件 and 事件 categories in the GB/T 30428.2 style."""

from django.db import migrations


def load(apps, schema_editor):
    from jiedao.cases.taxonomy import rows

    Category = apps.get_model("cases", "Category")
    for code, family, major, major_name, name, urgent in rows():
        Category.objects.update_or_create(
            code=code, defaults={"family": family, "major_code": major, "major_name": major_name, "name": name,
                                 "urgent": urgent},
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
