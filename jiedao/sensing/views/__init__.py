"""The 物联感知 pages: alarms (``alarms``), devices, the map and maintenance (``devices``), the admin's rules,
dead letters and import (``admin``), 电子出入证 (``passes``)."""

from jiedao.sensing.views.admin import (
    dead_letter_action,
    dead_letter_list,
    import_page,
    import_template,
    rules,
)
from jiedao.sensing.views.alarms import alarm_detail, alarm_queue, figures, image, mark_false
from jiedao.sensing.views.devices import (
    close_task,
    device_detail,
    device_list,
    device_map,
    device_points,
    maintenance,
    reveal_secret,
)
from jiedao.sensing.views.passes import holder, issue, pass_page, revoke

__all__ = [
    "alarm_detail", "alarm_queue", "close_task", "dead_letter_action", "dead_letter_list", "device_detail",
    "device_list", "device_map", "device_points", "figures", "holder", "image", "import_page", "import_template",
    "issue", "maintenance", "mark_false", "pass_page", "reveal_secret", "revoke", "rules",
]
