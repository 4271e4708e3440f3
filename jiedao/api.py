"""The JSON API (django-ninja): /api/v1/…, OpenAPI at /api/docs. Each module adds its router here."""

from ninja import NinjaAPI

from jiedao.core.api_frame import AUTH, configure

api = NinjaAPI(
    title="Jiedao 街道 API",
    version="1",
    description="街道数字治理平台接口。浏览器用会话登录，程序用 `Authorization: Bearer <token>`"
    "（`jiedao issue-token USERNAME` 签发）。",
    urls_namespace="api",
    docs_url="/docs",
    auth=AUTH,
)
configure(api)

api.add_router("/v1/core", "jiedao.core.api.router")
api.add_router("/v1/geo", "jiedao.geo.api.router")
api.add_router("/v1/registry", "jiedao.registry.api.router")
api.add_router("/v1/planning", "jiedao.planning.api.router")
api.add_router("/v1/cases", "jiedao.cases.api.router")
api.add_router("/v1/case-imports", "jiedao.cases.api_import.router")
