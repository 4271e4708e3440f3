"""The inspections app's models, one module per part (each part has its own owner while it is built)."""

from jiedao.inspections.models.campaigns import *  # noqa: F403  21 天 campaign, 大件垃圾预约
from jiedao.inspections.models.garbage import *  # noqa: F403  垃圾分类: rooms, rosters, 三查, 五星
from jiedao.inspections.models.points import *  # noqa: F403  二维码巡检: points, checklists, rounds, records
from jiedao.inspections.models.safety import *  # noqa: F403  平安建设动态评估: factors' weights, monthly index
from jiedao.inspections.models.shops import *  # noqa: F403  门责任制: street-front shops, 五星
