"""``jiedao sensing-listen [--name NAME] [--subdistrict CODE] [--seconds S]``: the MQTT listener."""

import logging
import signal
import socket

from django.core.management.base import BaseCommand

from jiedao.sensing.mqtt import Broker, Listener
from jiedao.sensing.mqtt import broker as _default


class Command(BaseCommand):
    help = ("接收物联感知设备的 MQTT 消息（事件、心跳、指令确认），入库、判定告警并立案。可同时运行多个"
            "（不同 --name），经共享订阅 $share/jiedao/… 分担负载；停止期间的消息在恢复后补收。")

    def add_arguments(self, parser):
        parser.add_argument("--name", default=socket.gethostname(),
                            help="本监听进程的名称（决定会话，重启后用同一名称才能补收停止期间的消息；默认主机名）")
        parser.add_argument("--broker", default="",
                            help="mqtt://host:1883 或 mqtts://host:8883（默认 JIEDAO_MQTT_URL）")
        parser.add_argument("--subdistrict", default="+", help="只接收一个街道的消息（街道代码），默认全部")
        parser.add_argument("--batch", type=int, default=500, help="每批最多处理的消息数（一批一个事务）")
        parser.add_argument("--wait-ms", type=int, default=50, help="凑批等待的毫秒数")
        parser.add_argument("--seconds", type=float, default=None, help="运行这么多秒后退出（测试与基准用）")
        parser.add_argument("--no-share", action="store_true", help="不用共享订阅（只有一个监听进程时的旧式订阅）")

    def handle(self, *args, name, broker: str, subdistrict, batch, wait_ms, seconds, no_share, **options):
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
        b = Broker.from_url(broker) if broker else _default()
        listener = Listener(name=name, b=b, subdistrict=subdistrict, batch_size=batch, batch_wait=wait_ms / 1000,
                            shared=not no_share)
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: listener.stop.set())
        self.stdout.write(f"sensing-listen {name}: {b.host}:{b.port} …")
        counts = listener.run(seconds=seconds)
        self.stdout.write(f"sensing-listen {name}: stopped {counts}")

