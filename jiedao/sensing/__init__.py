"""物联感知 (sensing): devices, MQTT and webhook ingest, alarm rules that open cases, device health.
See docs/sensing.md."""
