"""物联感知 data: sensor types and devices with their health (``devices``), what devices send and what
is done with it (``events``: events, evidence images, dead letters, commands back to devices), the rules
that decide what is an alarm and the alarms themselves (``alarms``), and 电子出入证 (``passes``)."""

from jiedao.sensing.models.alarms import Alarm, AlarmRule, Exceedance
from jiedao.sensing.models.devices import (
    Device,
    DeviceStatus,
    HealthChange,
    MaintenanceTask,
    SensorType,
)
from jiedao.sensing.models.events import (
    Command,
    CommandStatus,
    DeadLetter,
    DeadReason,
    Event,
    EventImage,
    Source,
)
from jiedao.sensing.models.passes import AccessPass

__all__ = [
    "AccessPass", "Alarm", "AlarmRule", "Command", "CommandStatus", "DeadLetter", "DeadReason", "Device",
    "DeviceStatus", "Event", "EventImage", "Exceedance", "HealthChange", "MaintenanceTask", "SensorType", "Source",
]
