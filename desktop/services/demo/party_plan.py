"""Parts of the 党建 demo: recruitment tracks that obey the rules, and a year of meetings with attendance."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from db.schema.party import MeetingAttendance, PartyMeeting, RecruitmentStep
from desktop.services.demo.names import chinese_number
from desktop.services.party import rules
from desktop.services.party.common import add_years, months_between

if TYPE_CHECKING:
    from desktop.services.demo.party import _Builder, _Org

WORK_UNITS = (
    "酒钢集团宏兴股份公司", "酒钢集团储运部", "嘉峪关市第一中学", "嘉峪关市人民医院", "国网嘉峪关供电公司",
    "中国移动嘉峪关分公司", "嘉峪关市税务局", "长城区人民政府", "嘉峪关市自来水公司", "中国银行嘉峪关分行",
    "嘉峪关市实验小学", "嘉峪关市公安局", "甘肃酒钢集团科力耐火材料公司", "嘉峪关市市场监督管理局",
)  # fmt: skip
DESTINATIONS = ("甘肃省兰州市", "甘肃省酒泉市", "新疆维吾尔自治区乌鲁木齐市", "广东省深圳市", "陕西省西安市",
                "北京市", "上海市", "浙江省杭州市", "四川省成都市", "甘肃省张掖市")  # fmt: skip
CHECK_IN_POSTS = ("政策宣传员", "文明劝导员", "义务巡逻队员", "楼栋长助理", "环境卫生监督员", "结对帮扶困难群众",
                  "矛盾纠纷调解志愿者", "垃圾分类督导员", "关爱空巢老人志愿者")  # fmt: skip
TOPICS = {
    "THEME_DAY": ("学习贯彻党的二十届四中全会精神", "“我为群众办实事”志愿服务", "重温入党誓词", "学习《中国共产党章程》",
                  "社区环境整治志愿服务", "学习习近平总书记重要讲话精神", "观看警示教育片", "走访慰问困难党员和群众",
                  "垃圾分类宣传志愿服务", "防范电信网络诈骗宣传", "学习《中国共产党纪律处分条例》", "文明城市创建志愿服务"),
    "COMMITTEE": ("研究本月支部工作安排", "研究发展党员工作", "研究党费收缴和困难党员帮扶", "研究主题党日活动方案",
                  "研究流动党员管理", "研究网格重点工作"),
    "GROUP": ("学习近期重要文件", "交流思想、汇报工作", "收集楼院居民意见建议", "学习党的基本知识"),
    "LECTURE": ("党课：坚定理想信念 践行初心使命", "党课：新时代基层党建的使命与担当", "党课：发扬斗争精神 增强斗争本领",
                "党课：践行全心全意为人民服务的根本宗旨"),
    "MEMBER_ASSEMBLY": ("通报上半年支部工作", "讨论发展对象", "讨论党员民主评议结果", "通报党费收缴情况"),
}  # fmt: skip
LEAVE_REASONS = ("外出", "生病", "单位值班", "照顾家人", "出差")

K = rules.K


def chinese_ordinal(n: int) -> str:
    return chinese_number(n)


class Recruits:
    """Recruitment steps for the demo's applicants, activists, candidates and probationary members."""

    def __init__(self, b: _Builder) -> None:
        self.b = b

    def _step(self, m: dict[str, Any], kind: str, on: dt.date, **kw: Any) -> None:
        row = {
            "member_id": m["id"], "kind": kind, "on_date": on, "people": None, "first_person_id": None,
            "second_person_id": None, "training_days": None, "training_hours": None, "entitled": None, "present": None,
            "votes_for": None, "votes_against": None, "votes_abstain": None, "valid_until": None, "reference": None,
            "notes": None, "user": "演示数据", "retired_on": None, "retired_reason": None,
        }  # fmt: skip
        row.update(kw)
        self.b.add(RecruitmentStep, row)

    def branch(self, o: _Org, full: list[dict[str, Any]]) -> None:
        for m in o.members:
            if m.get("_recruit"):
                self._recruit(m, full)
            elif m["stage"] == "PROBATIONARY":
                self._probationary(m, full)

    def _people(self, full: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
        return self.b.rng.sample(full, min(n, len(full)))

    def _start(self, m: dict[str, Any], app: dt.date, talk: dt.date | None) -> None:
        m["applied_on"] = app
        self._step(m, K.APPLICATION, app)
        if talk is not None:
            self._step(m, K.TALK, talk, people="党支部书记")

    def _recruit(self, m: dict[str, Any], full: list[dict[str, Any]]) -> None:
        rng, b = self.b.rng, self.b
        r = rng.random()
        if r < 0.25:
            m["stage"] = "APPLICANT"
            app = b.day(3, 75)
            talk_day = app + dt.timedelta(days=rng.randint(5, 28))
            self._start(m, app, talk_day if talk_day <= b.as_of and rng.random() < 0.7 else None)
            return
        mentors = self._people(full, 2)
        names = "、".join(x["name"] for x in mentors) or "党支部书记"
        if r < 0.7:
            m["stage"] = "ACTIVIST"
            activist = b.day(30, 700)
        else:
            m["stage"] = "CANDIDATE"
            candidate = b.day(10, 200)
            activist = candidate - dt.timedelta(days=rng.randint(366, 500))
        talk = activist - dt.timedelta(days=rng.randint(20, 120))
        self._start(m, talk - dt.timedelta(days=rng.randint(5, 28)), talk)
        self._step(m, K.ACTIVIST, activist, people=names, reference="支委会研究、上级党委备案")
        if m["stage"] == "ACTIVIST":
            return
        self._step(m, K.CANDIDATE, candidate, reference="支委会研究、上级党委备案")
        done = []
        for kind, gap, p in (
            (K.VETTING, (10, 40), 0.7),
            (K.TRAINING, (15, 60), 0.6),
            (K.SPONSORS, (20, 70), 0.6),
        ):
            on = candidate + dt.timedelta(days=rng.randint(*gap))
            if on > b.as_of or rng.random() >= p:
                continue
            if kind == K.VETTING:
                self._step(m, kind, on, valid_until=add_years(on, 1), notes="政审合格")
            elif kind == K.TRAINING:
                self._step(m, kind, on, training_days=3, training_hours=24, notes="街道党工委党校集中培训")
            else:
                sponsors = self._people(full, 2)
                if len(sponsors) < 2:
                    continue
                self._step(m, kind, on, people="、".join(x["name"] for x in sponsors),
                           first_person_id=sponsors[0]["id"], second_person_id=sponsors[1]["id"])  # fmt: skip
            done.append(on)
        if len(done) == 3 and rng.random() < 0.5:
            on = max(done) + dt.timedelta(days=rng.randint(7, 25))
            if on <= b.as_of:
                self._step(m, K.PRE_REVIEW, on, reference="街道党工委预审")

    def _probationary(self, m: dict[str, Any], full: list[dict[str, Any]]) -> None:
        rng, b = self.b.rng, self.b
        joined = m["joined_on"]
        pre = joined - dt.timedelta(days=rng.randint(10, 25))
        sponsors_on = pre - dt.timedelta(days=rng.randint(10, 30))
        training = sponsors_on - dt.timedelta(days=rng.randint(5, 20))
        vetting = training - dt.timedelta(days=rng.randint(5, 20))
        candidate = vetting - dt.timedelta(days=rng.randint(10, 40))
        activist = candidate - dt.timedelta(days=rng.randint(366, 450))
        talk = activist - dt.timedelta(days=rng.randint(30, 90))
        self._start(m, talk - dt.timedelta(days=rng.randint(7, 25)), talk)
        mentors = self._people(full, 2)
        self._step(m, K.ACTIVIST, activist, people="、".join(x["name"] for x in mentors) or "党支部书记")
        self._step(m, K.CANDIDATE, candidate)
        self._step(m, K.VETTING, vetting, valid_until=add_years(vetting, 1), notes="政审合格")
        self._step(m, K.TRAINING, training, training_days=3, training_hours=24)
        sponsors = self._people(full, 2)
        if len(sponsors) == 2:
            self._step(m, K.SPONSORS, sponsors_on, people="、".join(x["name"] for x in sponsors),
                       first_person_id=sponsors[0]["id"], second_person_id=sponsors[1]["id"])  # fmt: skip
        self._step(m, K.PRE_REVIEW, pre, reference="街道党工委预审")
        entitled = max(len(full), 3)
        present = entitled - rng.randint(0, max(0, entitled // 5))
        self._step(m, K.BRANCH_MEETING, joined, entitled=entitled, present=present, votes_for=present,
                   votes_against=0, votes_abstain=0)  # fmt: skip
        approval = joined + dt.timedelta(days=rng.randint(20, 80))
        if approval <= b.as_of:
            self._step(m, K.APPROVAL, approval, reference="钢城街道党工委批复")
            oath = approval + dt.timedelta(days=rng.randint(0, 15))
            if oath <= b.as_of:
                self._step(m, K.OATH, oath)


class MeetingPlanner:
    """A year of 三会一课: 主题党日 monthly (the quarter's first also a 党员大会, the second also a 党课), 支委会
    monthly where there is a committee, 党小组会 monthly, 组织生活会 and 民主评议 last December."""

    def __init__(self, b: _Builder) -> None:
        self.b = b
        self.count = 0

    def _meeting(self, org_id: int, kind: str, on: dt.date, expected: int | None, also: list[str] | None = None,
                 attendees: list[dict[str, Any]] | None = None) -> None:  # fmt: skip
        rng = self.b.rng
        present = expected
        absentees = None
        rows = []
        if attendees:
            missing = []
            for m in attendees:
                r = rng.random()
                status = "PRESENT" if r < 0.86 else "LEAVE" if r < 0.96 else "ABSENT"
                reason = rng.choice(LEAVE_REASONS) if status == "LEAVE" else None
                rows.append({"member_id": m["id"], "status": status, "reason": reason})
                if status != "PRESENT":
                    missing.append(
                        f"{m['name']}（{'请假：' + (reason or '') if status == 'LEAVE' else '缺席'}）"
                    )
            expected, present = len(rows), sum(1 for a in rows if a["status"] == "PRESENT")
            absentees = "、".join(missing) or None
        elif expected:
            present = expected - rng.randint(0, max(0, expected // 6))
        topics = TOPICS.get(kind, TOPICS["THEME_DAY"])
        row = self.b.add(PartyMeeting, {
            "org_id": org_id, "kind": kind, "also_counts_as": ",".join(also) if also else None, "held_on": on,
            "start_time": rng.choice(("09:00", "09:30", "14:30", "15:00")), "topic": rng.choice(topics),
            "place": "社区党群服务中心", "chair": None, "recorder": None, "lecturer": None, "is_election": False,
            "expected": expected, "present": present, "absentees": absentees,
            "summary": "会议传达学习有关精神，结合网格实际开展讨论，形成工作安排。", "resolutions": None,
            "retired_on": None, "retired_reason": None,
        })  # fmt: skip
        for attendance in rows:
            self.b.add(MeetingAttendance, {"meeting_id": row["id"], **attendance}, stamp=False)
        self.count += 1

    def run(self, orgs: list[_Org]) -> int:
        b, rng = self.b, self.b.rng
        first = dt.date(b.as_of.year - 1, 11, 1)
        months = months_between(f"{first:%Y-%m}", f"{b.as_of:%Y-%m}")
        for o in orgs:
            members = [
                m for m in o.members if m["status"] == "ACTIVE" and m["stage"] in ("FULL", "PROBATIONARY")
            ]
            full = sum(1 for m in members if m["stage"] == "FULL")
            day = rng.randint(3, 20)
            for month in months:
                year, mon = map(int, month.split("-"))
                on = dt.date(year, mon, day)
                if on > b.as_of:
                    continue
                if o.kind == "BRANCH":
                    if rng.random() < 0.94:
                        also = []
                        if mon % 3 == 1 and rng.random() < 0.88:
                            also.append("MEMBER_ASSEMBLY")
                        if mon % 3 == 2 and rng.random() < 0.85:
                            also.append("LECTURE")
                        self._meeting(o.id, "THEME_DAY", on, None, also, attendees=members)
                    if full >= rules.COMMITTEE_MIN_FULL and rng.random() < 0.85:
                        self._meeting(o.id, "COMMITTEE", on - dt.timedelta(days=2), 4)
                elif o.kind == "GROUP" and rng.random() < 0.8:
                    group = [
                        m for br in orgs if br.id == o.parent for m in br.members if m.get("group_id") == o.id
                    ]
                    if on + dt.timedelta(days=3) <= b.as_of:
                        self._meeting(o.id, "GROUP", on + dt.timedelta(days=3), len(group) or None)
                elif o.kind in ("COMMITTEE", "GENERAL_BRANCH") and rng.random() < 0.95:
                    self._meeting(o.id, "COMMITTEE", on, 5)
            if o.kind == "BRANCH" and first.year < b.as_of.year:
                december = dt.date(first.year, 12, rng.randint(18, 28))
                if rng.random() < 0.9:
                    appraisal = ["APPRAISAL"] if rng.random() < 0.8 else []
                    self._meeting(o.id, "LIFE_MEETING", december, None, appraisal, attendees=members)
                    if not appraisal and rng.random() < 0.7:
                        self._meeting(
                            o.id, "APPRAISAL", december + dt.timedelta(days=2), len(members) or None
                        )
        return self.count
