"""``jiedao sensing-simulate --rate N --seconds S [--subdistrict CODE]``: realistic device traffic over MQTT."""

from django.core.management.base import BaseCommand, CommandError

from jiedao.sensing import mqtt, simulator


class Command(BaseCommand):
    help = ("按登记的设备模拟物联感知消息（心跳、门禁通行、水位读数，以及一定比例的告警事件），经 MQTT 发布；"
            "模拟设备对下发的指令回复确认。用于演示与基准测试。")

    def add_arguments(self, parser):
        parser.add_argument("--rate", type=float, default=100, help="每秒消息数")
        parser.add_argument("--seconds", type=float, default=60, help="持续秒数")
        parser.add_argument("--subdistrict", default="", help="街道代码（默认：全部街道的设备）")
        parser.add_argument("--alarm-share", type=float, default=0.005, help="告警事件占消息的比例（默认 0.5%%）")
        parser.add_argument("--image-share", type=float, default=0.5, help="告警事件带证据图片的比例")
        parser.add_argument("--broker", default="", help="mqtt://host:1883（默认 JIEDAO_MQTT_URL）")
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--no-acks", action="store_true", help="不模拟设备对指令的确认")

    def handle(self, *args, rate, seconds, subdistrict, alarm_share, image_share, broker, seed, no_acks, **options):
        b = mqtt.Broker.from_url(broker) if broker else mqtt.broker()
        if not mqtt.broker_answers(b):
            raise CommandError(f"连不上 MQTT 代理 {b.host}:{b.port}")
        responder = None if no_acks else simulator.answer_commands(subdistrict or "+", b=b)
        try:
            sent = simulator.simulate(rate=rate, seconds=seconds, subdistrict=subdistrict or None,
                                      alarm_share=alarm_share, image_share=image_share, b=b, seed=seed,
                                      log=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if responder is not None:
                responder.loop_stop()
                responder.disconnect()
        kinds = "，".join(f"{k} {v:,}" for k, v in sorted(sent.items()) if k not in ("messages", "seconds"))
        self.stdout.write(f"已发布 {sent['messages']:,} 条，用时 {sent['seconds']} 秒：{kinds}")
