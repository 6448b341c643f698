"""Helpers that build mediation cases for tests (no tests here; shared by unit, UI, integration and bench)."""

from __future__ import annotations

import datetime as dt
import decimal

from desktop.services import mediation as med
from desktop.services.context import ServiceContext

D = dt.date


def setup_committee(ctx: ServiceContext, community_id: int | None = None) -> tuple[int, int, int]:
    """新华社区人民调解委员会 with two mediators; returns (committee, mediator 1, mediator 2)."""
    cid = med.save_committee(
        ctx,
        med.CommitteeInput(
            "新华社区人民调解委员会",
            "新华社区",
            seal_text="嘉峪关市长城区新华社区人民调解委员会",
            community_id=community_id,
            address="嘉峪关市长城区新华路12号",
            phone="0937-6212345",
        ),
    )
    m1 = med.save_mediator(ctx, med.MediatorInput(cid, "王秀兰", "女", "13809370001", "主任"))
    m2 = med.save_mediator(ctx, med.MediatorInput(cid, "陈志强", "男", "13909370002", "委员"))
    return cid, m1, m2


def person(name: str, role: str = "APPLICANT", **kw: object) -> med.PartyInput:
    base: dict[str, object] = dict(
        gender="男",
        ethnicity="汉族",
        birth_date=D(1968, 5, 4),
        occupation="退休工人",
        phone="13809371111",
        address="嘉峪关市长城区新华小区3号楼2单元501室",
    )
    base.update(kw)
    return med.PartyInput(name, role, "PERSON", **base)


def intake(ctx: ServiceContext, committee_id: int, mediator_id: int | None = None, **kw: object) -> str:
    data = med.CaseInput(
        committee_id=committee_id,
        accepted_on=kw.pop("accepted_on", D(2026, 3, 2)),
        source=kw.pop("source", "APPLICATION"),
        dispute_type=kw.pop("dispute_type", "邻里纠纷"),
        summary=kw.pop(
            "summary", "申请人家楼上住户卫生间漏水，致申请人家天花板、墙面受损，双方就维修和赔偿协商未果。"
        ),
        mediator_id=mediator_id,
        recorder="李晓梅",
        registrar="李晓梅",
        requests="1. 被申请人修复漏水的卫生间防水层；\n2. 被申请人赔偿申请人房屋维修费用 3,000 元。",
        parties=kw.pop(
            "parties",
            [
                person("张建华"),
                person(
                    "李桂芳",
                    "RESPONDENT",
                    gender="女",
                    birth_date=D(1975, 9, 12),
                    occupation="个体经营",
                    phone="13919372222",
                    address="嘉峪关市长城区新华小区3号楼2单元601室",
                ),
            ],
        ),
        **kw,
    )
    return med.create_case(ctx, data)  # as of the context's clock (tests: conftest.TODAY unless moved)


def agreement_input(**kw: object) -> med.AgreementInput:
    base: dict[str, object] = dict(
        made_on=D(2026, 3, 20),
        facts="2026年2月起，被申请人李桂芳家卫生间防水层老化漏水，致申请人张建华家卫生间天花板及墙面受损。",
        disputes="漏水原因、维修责任及赔偿数额。",
        responsibilities="被申请人对漏水负主要责任；申请人未及时告知物业，负次要责任。",
        terms=[
            med.TermInput("被申请人于2026年4月10日前自费修复卫生间防水层。", None, D(2026, 4, 10)),
            med.TermInput(
                "被申请人赔偿申请人房屋维修费用人民币贰仟伍佰元（¥2,500.00）。",
                decimal.Decimal("2500"),
                D(2026, 4, 30),
            ),
            med.TermInput("双方就此纠纷再无其他争议。"),
        ],
        performance_manner="现金或银行转账一次性支付",
        performance_place="新华社区人民调解委员会调解室",
        performance_deadline=D(2026, 4, 30),
        signed_by_parties=True,
        signed_by_mediator=True,
        sealed=True,
    )
    base.update(kw)
    return med.AgreementInput(**base)


def full_case(ctx: ServiceContext, committee_id: int, mediator_id: int, *, close: bool = True) -> str:
    """A case carried through intake, notice, investigation, session, agreement, performance, visit, closing."""
    no = intake(ctx, committee_id, mediator_id)
    case = med.get_case(ctx, no)
    t = D(2026, 11, 23)
    med.set_rights_notified(ctx, case.id, D(2026, 3, 2), today=t)
    med.save_investigation(
        ctx,
        case.id,
        med.InvestigationInput(
            D(2026, 3, 5),
            "王秀兰、陈志强",
            "物业维修工 赵师傅",
            "经现场查看，601室卫生间地面防水层破损，渗水至501室。",
            place="新华小区3号楼",
            recorder="李晓梅",
        ),
        today=t,
    )
    med.save_session(
        ctx,
        case.id,
        med.SessionInput(
            dt.datetime(2026, 3, 20, 9, 30),
            "新华社区人民调解委员会调解室",
            "调解员告知双方当事人权利义务及调解原则；双方陈述；调解员核实事实并提示风险。",
            mediators="王秀兰、陈志强",
            attendees="物业公司 刘经理",
            result="双方自愿达成协议。",
        ),
        today=t,
    )
    med.save_agreement(ctx, case.id, agreement_input(), today=t)
    if close:
        med.record_performance(ctx, case.id, D(2026, 4, 28), "PERFORMED", "已修复并付清款项", today=t)
        case = med.get_case(ctx, no)
        first = case.follow_ups[0]
        med.record_follow_up(
            ctx,
            case.id,
            med.FollowUpInput(D(2026, 5, 6), "王秀兰", "协议已履行完毕，双方满意。"),
            first.id,
            first.version,
            today=t,
        )
        case = med.get_case(ctx, no)
        med.close_case(ctx, case.id, case.version, D(2026, 5, 8), today=t)
    return no
