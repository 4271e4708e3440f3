"""Core endpoints: who am I, departments, the audit log, my tokens."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from jiedao.core import selectors, services
from jiedao.core.api_frame import require
from jiedao.core.models import ApiToken
from jiedao.core.roles import Perm
from jiedao.core.scope import scope_of

router = Router(tags=["core"])


class ScopeOut(Schema):
    level: str
    subdistrict_id: int | None
    place_id: int | None


class MeOut(Schema):
    username: str
    display_name: str
    role: str
    role_label: str
    subdistrict: str | None
    scope: ScopeOut


@router.get("/me", response=MeOut, summary="当前用户、角色与数据范围")
def me(request):
    user = request.user
    scope = scope_of(user)
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "role_label": user.get_role_display(),
        "subdistrict": user.subdistrict.name if user.subdistrict_id else None,
        "scope": {"level": scope.level, "subdistrict_id": scope.subdistrict_id, "place_id": scope.place_id},
    }


class DepartmentOut(Schema):
    id: int
    code: str
    name: str
    kind: str


@router.get("/departments", response=list[DepartmentOut], summary="部门（职能部门 / 处置单位）")
def departments(request):
    require(request, Perm.VIEW_PLACES)
    return selectors.department_list(user=request.user)


class AuditOut(Schema):
    id: int
    created_at: dt.datetime
    actor_username: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    field: str
    reason: str
    ip: str | None
    path: str
    detail: dict


@router.get("/audit", response=list[AuditOut], summary="审计日志查询（审计员）")
@paginate(LimitOffsetPagination)
def audit(
    request,
    q: str = "",
    action: str = "",
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
):
    require(request, Perm.VIEW_AUDIT)
    filters = {"q": q, "action": action, "actor": actor, "object_type": object_type, "object_id": object_id,
               "since": since, "until": until}
    return selectors.audit_search(user=request.user, filters=filters)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


@router.get("/tokens", response=list[TokenOut], summary="我的接口令牌")
def my_tokens(request):
    return ApiToken.objects.filter(user=request.user).order_by("-created_at")


@router.post("/tokens/{token_id}/revoke", response=TokenOut, summary="吊销我的令牌")
def revoke(request, token_id: int):
    api_token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    return services.revoke_token(api_token=api_token, by=request.user)
