"""What the demo's places and people look like (``shequ demo``): word lists and the people factory.

The lists (streets, estates, names, ID-number region codes) are rough shares, not census figures; the
places are plausible for 钢城街道 in 嘉峪关市, but the streets, estates and people are invented.
``PeopleFactory`` turns them into households of consistent people (relations, ages, names, ID numbers,
phones, special-group tags); it knows nothing of the database.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from pypinyin import Style, lazy_pinyin

from desktop.domain.identity import id_check_char

# ---------------------------------------------------------------- the street

STREET = {
    "name": "钢城街道",
    "district": "长城区",
    "city": "嘉峪关市",
    "address": "甘肃省嘉峪关市长城区新华中路 1876 号",
    "phone": "0937-6226100",
}
AREA_CODE = "0937"
POLICE_STATION = "嘉峪关市公安局钢城派出所"

# 14 communities: (name, main street of the community office)
COMMUNITIES = (
    ("新华社区", "新华中路"), ("朝阳社区", "朝阳路"), ("五一社区", "五一路"), ("胜利社区", "胜利中路"),
    ("建设社区", "建设西路"), ("福民社区", "福民路"), ("和诚社区", "和诚东路"), ("绿化社区", "绿化路"),
    ("光明社区", "光明路"), ("团结社区", "团结路"), ("明珠社区", "明珠西路"), ("阳光社区", "阳光路"),
    ("前进社区", "前进路"), ("迎宾社区", "迎宾东路"),
)  # fmt: skip

# street names for addresses and 四至 (grid boundaries)
ROADS = (
    "新华北路", "新华中路", "新华南路", "雄关东路", "雄关西路", "五一路", "胜利北路", "胜利中路", "胜利南路",
    "建设东路", "建设西路", "迎宾东路", "迎宾西路", "兰新东路", "兰新西路", "峪泉路", "长城东路", "长城西路",
    "体育大道", "明珠东路", "明珠西路", "朝阳路", "和诚东路", "和诚西路", "绿化路", "光明路", "团结路",
    "前进路", "阳光路", "福民路", "镜铁东路", "镜铁西路", "祁连路", "讨赖路", "酒钢路", "紫轩路", "嘉东路",
    "世纪大道", "南湖路", "文化路", "富强路", "友谊路", "民主路", "建林路", "东湖路", "大唐路",
)  # fmt: skip
LANES = ("一巷", "二巷", "三巷", "东巷", "西巷", "南巷", "北巷")

# 92 estate names are drawn from these (the first one of each community is "<community base>小区")
ESTATE_POOL = (
    "金色家园", "丽景苑", "康居小区", "鑫苑小区", "嘉园小区", "雄关雅苑", "南湖世纪城", "建林花园", "华宇小区",
    "祥和小区", "怡景苑", "紫轩花园", "明珠花园", "阳光家园", "世纪花园", "东湖御园", "长城小区", "峪泉小区",
    "祁连小区", "讨赖小区", "镜铁小区", "嘉东小区", "兰新小区", "体育小区", "文化小区", "富强小区", "友谊小区",
    "民主小区", "东方红小区", "雄关小区", "迎宾花园", "金港花园", "锦绣家园", "盛世家园", "泰和苑", "安居小区",
    "幸福里小区", "紫荆苑", "桃园小区", "梨园小区", "杏林苑", "嘉北小区", "南苑小区", "北苑小区", "西苑小区",
    "东苑小区", "丰收小区", "百合苑", "银河小区", "天成家园", "金桥小区", "和平小区", "同心小区", "朝晖苑",
    "昌盛小区", "广厦小区", "育才小区", "湖滨花园", "恒达小区", "瑞祥苑", "春晓小区", "鸿福家园", "宏达小区",
    "公园里小区", "绿洲小区", "新村小区", "酒钢一生活区", "酒钢二生活区", "酒钢三生活区", "酒钢四生活区",
    "酒钢五生活区", "冶金小区", "钢花小区", "焦化小区", "电力小区", "铁路小区", "邮电小区", "教师小区",
    "卫生小区", "建工小区", "矿山小区", "嘉峪小区", "万和苑", "金地花园", "温馨家园", "金都小区", "福苑小区",
    "兴隆小区", "天骄小区", "嘉和园", "润泽苑", "祥瑞小区", "东兴小区",
)  # fmt: skip
PROPERTY_COMPANIES = (
    "嘉峪关雄关物业服务有限公司", "嘉峪关宏丰物业管理有限公司", "酒钢集团物业服务公司",
    "嘉峪关祥和物业服务有限公司", "嘉峪关金城物业服务有限公司", "甘肃长城物业管理有限公司",
)  # fmt: skip

# 专属网格: (kind, site, where its few households live)
DEDICATED_SITES = (
    ("商圈", "新华商圈", "新华商厦商住楼"), ("商圈", "五一商业街", "五一商业街商住楼"),
    ("商圈", "雄关广场商圈", "雄关广场商住楼"), ("商圈", "东湖商圈", "东湖商住楼"),
    ("市场", "雄关农贸市场", "农贸市场商住楼"), ("市场", "五一农贸市场", "五一市场商住楼"),
    ("市场", "胜利综合市场", "胜利市场商住楼"), ("学校", "嘉峪关市第一中学", "一中家属院"),
    ("学校", "酒钢三中", "酒钢三中家属院"), ("学校", "长城小学", "长城小学家属院"),
    ("学校", "新华小学", "新华小学家属院"), ("学校", "明珠学校", "明珠学校家属院"),
    ("医院", "嘉峪关市第一人民医院", "人民医院家属院"), ("医院", "酒钢医院", "酒钢医院家属院"),
    ("医院", "嘉峪关市中医医院", "中医医院家属院"), ("医院", "嘉峪关市妇幼保健院", "妇幼保健院家属院"),
    ("单位", "酒钢集团机关", "酒钢机关家属院"), ("单位", "嘉峪关火车站", "铁路家属院"),
    ("商圈", "金港商圈", "金港商住楼"), ("市场", "东湖农贸市场", "东湖市场商住楼"),
)  # fmt: skip
# 微网格: 城中村 and 私人自建大院 areas
MICRO_SITES = (
    "安远沟城中村", "野麻湾城中村", "黄草营城中村", "塔湾城中村", "河口城中村", "双泉城中村", "泥沟城中村",
    "新城城中村", "观蒲城中村", "中沟城中村", "横沟城中村", "断山口城中村",
)  # fmt: skip

# ---------------------------------------------------------------- people

# (surname, weight ‰); northern/Gansu-leaning shares
SURNAMES = (
    ("王", 80), ("李", 75), ("张", 74), ("刘", 55), ("陈", 36), ("杨", 38), ("赵", 28), ("黄", 14),
    ("周", 17), ("吴", 15), ("徐", 13), ("孙", 15), ("马", 26), ("朱", 11), ("胡", 11), ("郭", 14),
    ("何", 12), ("林", 5), ("高", 12), ("罗", 8), ("郑", 7), ("梁", 8), ("谢", 6), ("宋", 7), ("唐", 6),
    ("许", 6), ("韩", 7), ("邓", 4), ("冯", 6), ("曹", 6), ("彭", 4), ("曾", 3), ("肖", 4), ("田", 6),
    ("董", 6), ("潘", 3), ("袁", 4), ("蔡", 3), ("蒋", 3), ("余", 3), ("于", 4), ("杜", 5), ("叶", 3),
    ("程", 4), ("魏", 7), ("苏", 4), ("吕", 4), ("丁", 4), ("任", 5), ("卢", 3), ("姚", 4), ("沈", 2),
    ("钟", 2), ("姜", 3), ("崔", 3), ("谭", 2), ("陆", 2), ("范", 3), ("汪", 3), ("廖", 2), ("石", 3),
    ("金", 3), ("贾", 4), ("夏", 2), ("付", 3), ("方", 2), ("邹", 2), ("熊", 2), ("白", 3), ("孟", 3),
    ("秦", 3), ("邱", 2), ("侯", 3), ("江", 2), ("尹", 2), ("薛", 3), ("闫", 4), ("段", 3), ("雷", 3),
    ("龙", 1), ("史", 2), ("陶", 2), ("贺", 2), ("毛", 2), ("郝", 3), ("顾", 1), ("龚", 1), ("邵", 2),
    ("万", 2), ("武", 3), ("钱", 1), ("戴", 1), ("严", 2), ("孔", 2), ("常", 3), ("牛", 3), ("安", 2),
    ("祁", 2), ("包", 1), ("苟", 2), ("雒", 1), ("单", 1), ("解", 1), ("仇", 1), ("翟", 1), ("景", 1),
    ("欧阳", 1), ("皇甫", 1), ("令狐", 1), ("司马", 1), ("上官", 1), ("诸葛", 1),
)  # fmt: skip
HUI_SURNAMES = (("马", 40), ("杨", 8), ("何", 6), ("丁", 6), ("白", 5), ("穆", 4), ("海", 3), ("沙", 3),
                ("冶", 3), ("喇", 2), ("韩", 4), ("锁", 2), ("纳", 2), ("哈", 2))  # fmt: skip
# first letter of a surname's pinyin where the common reading is not pypinyin's default
SURNAME_INITIALS = {"曾": "z", "单": "s", "解": "x", "仇": "q", "翟": "z", "查": "z", "区": "o", "盖": "g"}

# given names by birth cohort: "old" (<1960), "mid" (1960–1984), "young" (1985–2004), "kid" (2005–)
GIVEN_NAMES = {
    ("old", "男"): (
        "建国", "建华", "国庆", "国强", "德胜", "德明", "志明", "保国", "振华", "永祥", "福贵", "玉山", "文斌",
        "学文", "金山", "树林", "永生", "宝林", "凤山", "世明", "成林", "广福", "忠义", "占魁", "天福", "明德",
        "庆祥", "兴旺", "守仁", "有才", "万福", "国栋", "建军", "卫东", "跃进", "新民", "海", "林", "山", "荣",
    ),
    ("old", "女"): (
        "秀英", "桂英", "秀兰", "玉兰", "桂兰", "淑珍", "凤英", "玉珍", "秀珍", "玉梅", "淑兰", "桂芳", "凤兰",
        "秀芳", "兰英", "翠花", "金花", "玉芳", "素珍", "春兰", "桂珍", "玉英", "淑英", "美兰", "惠兰", "爱华",
        "秀梅", "凤琴", "彩霞", "月英", "素英", "玉琴", "兰", "英", "珍", "芳",
    ),
    ("mid", "男"): (
        "志强", "建军", "海军", "建平", "晓东", "志刚", "红军", "永刚", "卫国", "建新", "国华", "小军", "东升",
        "海涛", "文军", "振宇", "立新", "建伟", "晓峰", "军", "伟", "勇", "强", "斌", "磊", "涛", "刚", "杰",
        "鹏", "辉", "波", "超", "明", "华", "平", "健", "峰", "亮", "东", "宏伟", "俊峰", "文涛", "永军",
    ),
    ("mid", "女"): (
        "海燕", "红梅", "丽娟", "晓燕", "春梅", "丽萍", "建梅", "小红", "雪梅", "晓红", "玉霞", "丽华", "美玲",
        "艳红", "慧敏", "亚琴", "秀琴", "红霞", "丽红", "晓丽", "丽", "艳", "静", "敏", "燕", "娟", "霞", "芳",
        "红", "梅", "琴", "萍", "玲", "丹", "莉", "晓霞", "文娟", "雅琴",
    ),
    ("young", "男"): (
        "浩然", "宇航", "子豪", "俊杰", "嘉豪", "文博", "宇轩", "浩宇", "志远", "博文", "家乐", "明轩", "天宇",
        "晨阳", "皓轩", "子健", "一鸣", "鹏飞", "思远", "嘉诚", "浩", "鑫", "宇", "博", "鹏", "磊", "帅", "超",
        "凯", "龙", "阳", "昊", "旭", "晨", "乐", "俊", "睿",
    ),
    ("young", "女"): (
        "佳怡", "欣怡", "雨萱", "梦瑶", "思琪", "婉婷", "雅琪", "诗琪", "晓雯", "佳琪", "雨婷", "梦婷", "欣然",
        "慧琳", "紫涵", "静怡", "子琪", "婷", "雪", "琳", "悦", "佳", "倩", "颖", "璐", "瑶", "蕾", "洁", "楠",
        "瑞雪", "晓琳", "馨月",
    ),
    ("kid", "男"): (
        "子轩", "浩宇", "梓豪", "宇泽", "俊熙", "沐宸", "浩然", "梓睿", "奕辰", "宇辰", "子墨", "皓轩", "睿泽",
        "铭泽", "锦程", "梓航", "思源", "博涵", "承泽", "一航", "嘉懿", "煜", "泽", "宸", "睿", "航",
    ),
    ("kid", "女"): (
        "子涵", "梓涵", "欣怡", "一诺", "诗涵", "雨桐", "可欣", "梓萱", "若汐", "思彤", "语桐", "欣妍", "依诺",
        "芷若", "梦琪", "沐瑶", "安琪", "佳琪", "雨涵", "紫萱", "诺", "萱", "妍", "彤",
    ),
}  # fmt: skip
# characters combined into further two-character given names (first, second) by gender
NAME_CHARS = {
    "男": ("建志国文明海永俊德宏家子浩宇晓振学天鹏春向小嘉", "军华平强伟东明林峰涛刚辉龙杰斌新荣勇成生波宁"),
    "女": ("秀丽玉美慧淑晓雪佳婷雅欣梦思春红小海亚金彩静", "英兰梅芳华琴霞燕娟丽红萍玲敏艳洁琳婷莉娜媛"),
}
TIBETAN_NAMES = {
    "男": ("扎西", "多吉", "次仁", "格桑", "洛桑", "旦增", "尼玛", "才让", "索南", "贡布", "扎西才让", "才让东智", "尕藏", "多杰加"),
    "女": ("卓玛", "央金", "拉姆", "措姆", "德吉", "白玛", "次仁卓玛", "卓玛草", "拉毛", "才让吉", "央宗", "格桑梅朵"),
}  # fmt: skip
MONGOLIAN_NAMES = {
    "男": ("巴特尔", "额尔敦", "乌力吉", "巴图", "哈斯", "苏和", "宝音", "朝鲁", "孟和", "那顺"),
    "女": ("其其格", "萨仁", "乌兰", "斯琴", "娜仁", "高娃", "托娅", "塔娜", "琪琪格", "乌云"),
}  # fmt: skip
UYGHUR_NAMES = {
    "男": ("艾力", "买买提", "吐尔逊", "阿不都", "艾克拜尔", "努尔"),
    "女": ("古丽", "阿依古丽", "热依拉", "帕提古丽", "迪丽娜尔", "努尔古丽"),
}  # fmt: skip

# (ethnicity, weight ‰) in 嘉峪关
ETHNICITY_WEIGHTS = (
    ("汉族", 962), ("回族", 18), ("藏族", 4), ("蒙古族", 3), ("满族", 3), ("土族", 2), ("裕固族", 2),
    ("东乡族", 2), ("维吾尔族", 1), ("哈萨克族", 1), ("土家族", 1), ("壮族", 1),
)  # fmt: skip

# ---------------------------------------------------------------- ID number region codes (GB/T 2260)

LOCAL_REGIONS = (("620201", 100),)  # 嘉峪关市 市辖区
GANSU_REGIONS = (
    ("620902", 20), ("620921", 4), ("620922", 3), ("620981", 6), ("620982", 3), ("620702", 8), ("620722", 3),
    ("620723", 3), ("620724", 3), ("620725", 2), ("620602", 8), ("620621", 5), ("620622", 3), ("620102", 5),
    ("620103", 3), ("620104", 2), ("620105", 2), ("620502", 3), ("620503", 2), ("620523", 3), ("620524", 2),
    ("621102", 3), ("621121", 3), ("621122", 3), ("620802", 2), ("621002", 2), ("620402", 2), ("620421", 2),
    ("620422", 3), ("620302", 3), ("620321", 2), ("621202", 2),
)  # fmt: skip
OTHER_REGIONS = (
    ("410102", 4), ("410105", 3), ("411102", 2), ("610102", 3), ("610113", 3), ("610302", 2), ("610402", 2),
    ("640104", 3), ("640302", 2), ("630102", 3), ("630104", 2), ("510104", 2), ("510107", 2), ("511102", 1),
    ("370102", 2), ("370202", 1), ("210302", 3), ("210102", 2), ("130102", 2), ("320102", 1), ("150102", 2),
    ("150202", 2), ("650102", 2), ("650103", 1), ("500101", 1), ("500222", 1), ("420102", 1), ("340102", 1),
    ("140105", 2), ("230102", 1),
)  # fmt: skip
# birthplaces typical for an ethnicity, used for people not born in 嘉峪关
ETHNIC_REGIONS = {
    "回族": ("622901", "622921", "622925", "640104", "640302"),
    "藏族": ("623001", "623021", "623026", "623027"),
    "蒙古族": ("620923", "150102", "150202"),
    "东乡族": ("622926",),
    "裕固族": ("620721",),
    "哈萨克族": ("620924", "650102"),
    "维吾尔族": ("650102", "650103"),
    "土族": ("632126",),
}

# mobile prefixes (China Mobile / Unicom / Telecom)
MOBILE_PREFIXES = (
    "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158", "159", "178", "182",
    "183", "184", "187", "188", "198", "130", "131", "132", "155", "156", "166", "175", "176", "185", "186",
    "133", "153", "173", "177", "180", "181", "189", "199",
)  # fmt: skip

CHINESE_ORDINALS = "一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 23 → 二十三 (1–99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CHINESE_ORDINALS[tens - 1] + "十")
    return head + ("" if ones == 0 else CHINESE_ORDINALS[ones - 1])


# ---------------------------------------------------------------- special groups and care tiers

# per-person tags: (tag, min age, max age, chance for men, chance for women); households add the rest
PERSON_TAGS = (
    ("优抚对象", 60, 120, 0.012, 0.002), ("优抚对象", 20, 59, 0.002, 0.0004),
    ("刑满释放人员", 22, 65, 0.004, 0.0005), ("社区矫正对象", 18, 65, 0.0009, 0.0002),
    ("严重精神障碍患者", 18, 85, 0.003, 0.003), ("吸毒人员", 18, 55, 0.0012, 0.0003),
    ("重点信访人员", 35, 80, 0.0004, 0.0003), ("重点青少年", 12, 25, 0.002, 0.0008),
)  # fmt: skip
DISABILITY_KINDS = ("肢体", "肢体", "肢体", "视力", "听力", "言语", "智力", "精神", "多重")
DISABILITY_LEVELS = ("一", "二", "三", "三", "四", "四")
# tag → cumulative chances of (tier); otherwise GREEN. A resident gets the highest tier of their tags.
TAG_TIERS: dict[str, tuple[tuple[str, float], ...]] = {
    "独居老人": (("ORANGE", 0.55), ("BLUE", 1.0)),
    "空巢老人": (("BLUE", 0.6),),
    "高龄老人": (("BLUE", 0.7),),
    "留守老人": (("BLUE", 0.5),),
    "残疾人": (("ORANGE", 0.1), ("BLUE", 0.6)),
    "留守儿童": (("ORANGE", 0.4), ("BLUE", 1.0)),
    "困境儿童": (("ORANGE", 1.0),),
    "低保户": (("BLUE", 0.4),),
    "特困供养人员": (("ORANGE", 1.0),),
    "优抚对象": (("BLUE", 0.3),),
    "刑满释放人员": (("ORANGE", 0.5), ("BLUE", 1.0)),
    "社区矫正对象": (("RED", 0.5), ("ORANGE", 1.0)),
    "严重精神障碍患者": (("RED", 0.35), ("ORANGE", 1.0)),
    "吸毒人员": (("RED", 0.4), ("ORANGE", 1.0)),
    "重点信访人员": (("RED", 0.4), ("ORANGE", 1.0)),
    "重点青少年": (("ORANGE", 0.4), ("BLUE", 1.0)),
}
TIER_RANK = {"GREEN": 0, "BLUE": 1, "ORANGE": 2, "RED": 3}
MOVED_NOTES = ("迁往兰州市", "迁往酒泉市", "随子女迁往外地", "婚迁", "迁至本市其他街道", "升学迁出")

# ---------------------------------------------------------------- the people factory

GRANDCHILDREN = ("孙子", "孙女", "外孙子", "外孙女")
MIDDLE_GENERATION = ("子", "女", "儿媳", "女婿")


class Pick:
    """A weighted choice over ``(item, weight)`` pairs, drawn with one ``rng.random()``."""

    def __init__(self, pairs: Sequence[tuple[str, int]]) -> None:
        self.items = [p[0] for p in pairs]
        self.cum = list(itertools.accumulate(p[1] for p in pairs))

    def __call__(self, rng: random.Random) -> str:
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


@dataclass(slots=True)
class Person:
    name: str
    gender: str
    phone: str | None


@dataclass(slots=True)
class Member:
    """One member of a generated household; ``line`` is the family line the surname comes from."""

    relation: str
    gender: str
    age: int
    line: int
    floating: bool = False
    ethnicity: str = "汉族"
    region: str = ""
    name: str = ""
    initials: str = ""
    birth: dt.date = dt.date.min
    status: str = "ACTIVE"
    status_changed_on: dt.date | None = None
    notes: str | None = None
    tags: list[str] = field(default_factory=list)
    care_tier: str = "GREEN"


_INITIALS: dict[str, str] = {}


def char_initial(ch: str) -> str:
    """First letter of a character's pinyin (cached: pypinyin is slow per call, names repeat)."""
    v = _INITIALS.get(ch)
    if v is None:
        if ch.isascii():
            v = ch.lower() if ch.isalnum() else ""
        else:
            letters = lazy_pinyin(ch, style=Style.FIRST_LETTER, errors="ignore")
            v = letters[0][:1].lower() if letters and letters[0] else ""
        _INITIALS[ch] = v
    return v


def name_initials(surname: str, given: str) -> str:
    """王 + 建国 → "wjg"; surnames read their surname way (曾 zeng, 单 shan)."""
    head = "".join(SURNAME_INITIALS.get(c) or char_initial(c) for c in surname)
    return head + "".join(char_initial(c) for c in given)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class PeopleFactory:
    """Households of consistent people; every random draw comes from the one ``rng``."""

    def __init__(self, rng: random.Random, as_of: dt.date) -> None:
        self.rng, self.as_of = rng, as_of
        self.surname, self.hui_surname = Pick(SURNAMES), Pick(HUI_SURNAMES)
        self.ethnicity = Pick(ETHNICITY_WEIGHTS)
        self.local, self.gansu, self.other = Pick(LOCAL_REGIONS), Pick(GANSU_REGIONS), Pick(OTHER_REGIONS)
        self.used_ids: set[str] = set()
        self.used_phones: set[str] = set()
        self._spans: dict[int, tuple[int, int]] = {}

    # -------------------------------------------------------- single values

    def birth(self, age: int) -> dt.date:
        """A birth date for someone exactly ``age`` years old on ``as_of``."""
        span = self._spans.get(age)
        if span is None:
            hi = _years_before(self.as_of, age).toordinal()
            span = self._spans[age] = (_years_before(self.as_of, age + 1).toordinal() + 1, hi)
        return dt.date.fromordinal(self.rng.randint(*span))

    def id_number(self, region: str, birth: dt.date, gender: str) -> str:
        """18 characters: region, birth date, sequence (odd for men), GB 11643 check character; unique."""
        base = f"{region}{birth.year:04d}{birth.month:02d}{birth.day:02d}"
        parity = 1 if gender == "男" else 2
        while True:
            first17 = f"{base}{self.rng.randrange(499) * 2 + parity:03d}"
            if first17 not in self.used_ids:
                self.used_ids.add(first17)
                return first17 + id_check_char(first17)

    def phone(self) -> str:
        rng = self.rng
        while True:
            prefix = MOBILE_PREFIXES[rng.randrange(len(MOBILE_PREFIXES))]
            if rng.random() < 0.35:  # older numbers carry the local segment, e.g. 138 0937 xxxx
                number = f"{prefix}0937{rng.randrange(10_000):04d}"
            else:
                number = f"{prefix}{rng.randrange(100_000_000):08d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def given_name(self, gender: str, year: int) -> str:
        rng = self.rng
        cohort = "old" if year < 1960 else "mid" if year < 1985 else "young" if year < 2005 else "kid"
        if rng.random() < 0.7 or cohort == "kid":
            pool = GIVEN_NAMES[(cohort, gender)]
            return pool[rng.randrange(len(pool))]
        first, second = NAME_CHARS[gender]
        return first[rng.randrange(len(first))] + second[rng.randrange(len(second))]

    def adult(self, gender: str, age: int) -> Person:
        """A grid worker or helper: a Han name and a mobile phone."""
        surname = self.surname(self.rng)
        return Person(surname + self.given_name(gender, self.as_of.year - age), gender, self.phone())

    def _region(self, floating: bool, ethnicity: str) -> str:
        rng = self.rng
        r = rng.random()
        if not floating and r < 0.78:
            return self.local(rng)
        if ethnicity in ETHNIC_REGIONS and rng.random() < 0.7:
            choices = ETHNIC_REGIONS[ethnicity]
            return choices[rng.randrange(len(choices))]
        gansu_share = 0.64 if not floating else 0.6  # of the people not registered here from birth
        return self.gansu(rng) if rng.random() < gansu_share else self.other(rng)

    # -------------------------------------------------------- households

    def family(self, size: int, floating: bool) -> list[Member]:
        """A household of ``size`` people: relations, ages, ethnicity, names, birthplaces, birth dates."""
        rng = self.rng
        members = self._compose(size, floating)
        ethnicity = self.ethnicity(rng)
        origin = self._region(floating, ethnicity)
        surnames: dict[int, str] = {}
        spouse_ethnicity = ethnicity if rng.random() < 0.9 else self.ethnicity(rng)
        for m in members:
            m.floating = floating
            if m.relation in ("配偶", "岳父", "岳母", "公公", "婆婆"):
                m.ethnicity = spouse_ethnicity
            elif m.relation in ("儿媳", "女婿") and rng.random() < 0.1:
                m.ethnicity = self.ethnicity(rng)
            else:
                m.ethnicity = ethnicity
            m.birth = self.birth(m.age)
            if m.age < 18:
                m.region = origin if floating else self.local(rng)
            else:
                m.region = origin if rng.random() < 0.6 else self._region(floating, m.ethnicity)
            if m.line not in surnames:
                hui = m.ethnicity in ("回族", "东乡族")
                surnames[m.line] = (self.hui_surname if hui else self.surname)(rng)
            self._name(m, surnames[m.line])
        return members

    def _name(self, m: Member, surname: str) -> None:
        rng, gender = self.rng, m.gender
        given = ""
        if m.ethnicity == "藏族" and rng.random() < 0.85:
            surname, given = "", TIBETAN_NAMES[gender][rng.randrange(len(TIBETAN_NAMES[gender]))]
        elif m.ethnicity == "蒙古族" and rng.random() < 0.4:
            surname, given = "", MONGOLIAN_NAMES[gender][rng.randrange(len(MONGOLIAN_NAMES[gender]))]
        elif m.ethnicity in ("维吾尔族", "哈萨克族"):
            own, father = UYGHUR_NAMES[gender], UYGHUR_NAMES["男"]
            surname, given = "", f"{own[rng.randrange(len(own))]}·{father[rng.randrange(len(father))]}"
        if not given:
            given = self.given_name(gender, m.birth.year)
        m.name, m.initials = surname + given, name_initials(surname, given)

    def _compose(self, size: int, floating: bool) -> list[Member]:
        rng = self.rng
        r = rng.random()
        if size == 1:
            return [self._single(floating)]
        if size == 2:
            if r < 0.50:
                return self._couple(self._couple_age(floating))[0]
            if r < 0.72:
                return self._single_parent(1)
            if r < 0.88 and not floating:
                return self._with_parents(0, 1, married=False)
            if r < 0.9 and not floating:
                return self._skip_generation(1, 1)
            return self._siblings()
        if size == 3:
            if r < 0.78:
                return self._couple_with_kids(1)
            if r < 0.88:
                return self._with_parents(0, 1)
            if r < 0.975 or floating:
                return self._single_parent(2)
            return self._skip_generation(2, 1)
        if size == 4:
            if r < 0.50:
                return self._couple_with_kids(2)
            if r < 0.82:
                return self._with_parents(1, 1)
            return self._three_generations(0)
        if size == 5:
            if r < 0.42:
                return self._with_parents(1, 2)
            if r < 0.88:
                return self._three_generations(1)
            return self._couple_with_kids(3)
        if r < 0.55:
            return self._three_generations(2)
        return self._with_parents(2, 2)

    def _gender(self, p_male: float = 0.515) -> str:
        return "男" if self.rng.random() < p_male else "女"

    def _elder_age(self, mode: float = 12) -> int:
        return 60 + int(self.rng.triangular(0, 34, mode))

    def _single(self, floating: bool) -> Member:
        rng = self.rng
        if not floating and rng.random() < 0.2:
            return Member("户主", self._gender(0.38), self._elder_age(), 0)
        return Member("户主", self._gender(0.62), 18 + int(rng.triangular(0, 44, 8)), 0)

    def _couple_age(self, floating: bool) -> int:
        r = self.rng.random()
        if r < 0.45 and not floating:
            return self._elder_age(6)
        return self.rng.randint(22, 35) if r < 0.75 else self.rng.randint(45, 59)

    def _couple(self, head_age: int) -> tuple[list[Member], int, int]:
        """Head and spouse; returns them, the children's surname line and the mother's age."""
        rng = self.rng
        male_head = rng.random() < 0.85
        gap = rng.randint(-2, 5)  # the husband is usually a little older
        spouse_age = max(20, head_age - gap if male_head else head_age + gap)
        head = Member("户主", "男" if male_head else "女", head_age, 0)
        spouse = Member("配偶", "女" if male_head else "男", min(spouse_age, 99), 1)
        return [head, spouse], (0 if male_head else 1), (spouse.age if male_head else head_age)

    def _kids(
        self, n: int, mother_age: int, line: int, son: str = "子", daughter: str = "女"
    ) -> list[Member]:
        rng = self.rng
        age = mother_age - rng.randint(22, 33)
        if age > 32:  # grown-up children who still live at home
            age = rng.randint(16, 32)
        if age < 0:
            age = rng.randint(0, max(0, mother_age - 21))
        kids = []
        for _ in range(n):
            gender = self._gender()
            kids.append(Member(son if gender == "男" else daughter, gender, age, line))
            age = max(0, age - rng.randint(2, 7))
        return kids

    def _couple_with_kids(self, n: int) -> list[Member]:
        couple, line, mother_age = self._couple(24 + int(self.rng.triangular(0, 36, 14)))
        return couple + self._kids(n, mother_age, line)

    def _single_parent(self, n: int) -> list[Member]:
        rng = self.rng
        parent = Member("户主", self._gender(0.28), 26 + int(rng.triangular(0, 36, 12)), 0)
        line = 0 if parent.gender == "男" or rng.random() < 0.3 else 2
        return [parent, *self._kids(n, parent.age, line)]

    def _parents_of(self, base_age: int, n: int, head_male: bool, in_law: bool, line: int) -> list[Member]:
        rng = self.rng
        father_rel, mother_rel = ("父亲", "母亲")
        if in_law:
            father_rel, mother_rel = ("岳父", "岳母") if head_male else ("公公", "婆婆")
        father_age = min(99, base_age + rng.randint(24, 34))
        mother_age = max(base_age + 20, father_age - rng.randint(0, 5))
        if n == 2:
            return [
                Member(father_rel, "男", father_age, line),
                Member(mother_rel, "女", mother_age, line + 10),
            ]
        if rng.random() < 0.7:  # widowed mothers outnumber widowed fathers
            return [Member(mother_rel, "女", mother_age, line + 10)]
        return [Member(father_rel, "男", father_age, line)]

    def _with_parents(self, kids: int, parents: int, married: bool = True) -> list[Member]:
        rng = self.rng
        head_age = rng.randint(28, 58)
        if not married:
            head = Member("户主", self._gender(0.55), rng.randint(25, 55), 0)
            return [head, *self._parents_of(head.age, parents, head.gender == "男", False, 0)]
        couple, line, mother_age = self._couple(head_age)
        head, spouse = couple
        in_law = rng.random() < 0.3
        base = spouse.age if in_law else head.age
        elders = self._parents_of(base, parents, head.gender == "男", in_law, 1 if in_law else 0)
        return couple + self._kids(kids, mother_age, line) + elders

    def _skip_generation(self, grandparents: int, grandkids: int) -> list[Member]:
        """Grandparents raising grandchildren whose parents work elsewhere (留守)."""
        rng = self.rng
        age = rng.randint(55, 78)
        if grandparents == 2:
            members, line, _ = self._couple(age)
        else:
            head = Member("户主", self._gender(0.4), age, 0)
            members, line = [head], (0 if head.gender == "男" else 3)
        via_daughter = rng.random() < 0.3
        if via_daughter:
            line = 4
        for _ in range(grandkids):
            gender = self._gender()
            rel = (
                ("外孙子" if gender == "男" else "外孙女")
                if via_daughter
                else ("孙子" if gender == "男" else "孙女")
            )
            members.append(Member(rel, gender, rng.randint(3, 15), line))
        return members

    def _three_generations(self, grandkids: int) -> list[Member]:
        rng = self.rng
        couple, line, mother_age = self._couple(rng.randint(52, 78))
        child_age = max(22, min(45, mother_age - rng.randint(22, 32)))
        if rng.random() < 0.8:  # a married son stays with his parents, more rarely a daughter
            child, partner = Member("子", "男", child_age, line), Member("儿媳", "女", 0, 5)
            partner.age = max(20, child_age - rng.randint(-2, 4))
            young_mother, kid_line, names = partner.age, line, ("孙子", "孙女")
        else:
            child, partner = Member("女", "女", child_age, line), Member("女婿", "男", 0, 6)
            partner.age = child_age + rng.randint(-2, 4)
            young_mother, kid_line, names = child_age, 6, ("外孙子", "外孙女")
        return [*couple, child, partner, *self._kids(grandkids, young_mother, kid_line, *names)]

    def _siblings(self) -> list[Member]:
        rng = self.rng
        head = Member("户主", self._gender(), rng.randint(20, 50), 0)
        gender = self._gender()
        age = max(16, head.age + rng.choice((-1, 1)) * rng.randint(1, 6))
        return [head, Member("兄弟" if gender == "男" else "姐妹", gender, age, 0)]

    # -------------------------------------------------------- status, tags, tiers

    def mark_inactive(self, members: list[Member], n: int) -> None:
        """Mark ``n`` members (never a head of household) as deceased, moved out or left."""
        rng = self.rng
        others = [m for m in members if m.relation != "户主"]
        pools = (
            ("DECEASED", [m for m in others if m.age >= 68], round(n * 0.35)),
            ("LEFT", [m for m in others if m.floating and m.age >= 16], round(n * 0.2)),
            ("MOVED", [m for m in others if not m.floating and 18 <= m.age <= 40], n),
        )
        left = n
        for status, pool, want in pools:
            free = [m for m in pool if m.status == "ACTIVE"]
            for m in rng.sample(free, min(want, left, len(free))):
                self._retire(m, status)
                left -= 1
        if left:  # very small scales: anyone who is not a head
            free = [m for m in others if m.status == "ACTIVE"]
            for m in rng.sample(free, min(left, len(free))):
                self._retire(m, "MOVED")

    def _retire(self, m: Member, status: str) -> None:
        m.status = status
        m.status_changed_on = self.as_of - dt.timedelta(days=self.rng.randint(7, 720))
        if status == "MOVED":
            m.notes = MOVED_NOTES[self.rng.randrange(len(MOVED_NOTES))]

    def tag_household(self, members: list[Member]) -> None:
        rng = self.rng
        active = [m for m in members if m.status == "ACTIVE"]
        if not active:
            return
        if len(active) == 1 and active[0].age >= 60:
            active[0].tags.append("独居老人")
        elif len(active) > 1 and all(m.age >= 60 for m in active) and rng.random() < 0.7:
            for m in active:
                m.tags.append("空巢老人")
        left_behind = any(m.relation in GRANDCHILDREN for m in active) and not any(
            m.relation in MIDDLE_GENERATION for m in active
        )
        for m in active:
            self._person_tags(m, left_behind)
        registered = not active[0].floating
        needy = any("残疾人" in m.tags or "独居老人" in m.tags for m in active)
        poor = registered and rng.random() < (0.05 if needy else 0.01)
        for m in active:
            if poor:
                m.tags.append("低保户")
                if "独居老人" in m.tags and m.age >= 70 and rng.random() < 0.3:
                    m.tags.append("特困供养人员")
            if m.age < 18 and rng.random() < (0.12 if poor else 0.0008):
                m.tags.append("困境儿童")
            self._tier(m)

    def _person_tags(self, m: Member, left_behind: bool) -> None:
        rng, age, tags = self.rng, m.age, m.tags
        if left_behind:
            if m.relation in GRANDCHILDREN and age < 16:
                tags.append("留守儿童")
            elif m.relation not in GRANDCHILDREN and age >= 55 and rng.random() < 0.8:
                tags.append("留守老人")
        if age >= 80:
            tags.append("高龄老人")
        disabled = 0.006 if age < 18 else 0.015 if age < 60 else 0.045 if age < 80 else 0.09
        if rng.random() < disabled:
            tags.append("残疾人")
            kind = DISABILITY_KINDS[rng.randrange(len(DISABILITY_KINDS))]
            m.notes = f"{kind}残疾{DISABILITY_LEVELS[rng.randrange(len(DISABILITY_LEVELS))]}级"
        male = m.gender == "男"
        for tag, lo, hi, p_male, p_female in PERSON_TAGS:
            if lo <= age <= hi and rng.random() < (p_male if male else p_female):
                if tag == "优抚对象" and m.floating:
                    continue
                if tag not in tags:
                    tags.append(tag)

    def _tier(self, m: Member) -> None:
        if not m.tags:
            return
        best = "GREEN"
        for tag in m.tags:
            r, tier = self.rng.random(), "GREEN"
            for candidate, upto in TAG_TIERS.get(tag, ()):
                if r < upto:
                    tier = candidate
                    break
            if tag == "独居老人" and m.age >= 85 and ("残疾人" in m.tags or "特困供养人员" in m.tags):
                tier = "RED"
            if TIER_RANK[tier] > TIER_RANK[best]:
                best = tier
        m.care_tier = best

    def resident_row(self, m: Member, rid: int, community_id: int, grid_id: int, household_id: int) -> dict:
        """The ``resident`` row; ID number and phone are drawn here, in household order."""
        rng, age = self.rng, m.age
        if age >= 18:
            has_phone = rng.random() < (0.96 if age < 75 else 0.65 if age < 85 else 0.35)
        else:
            has_phone = age >= 14 and rng.random() < 0.4
        phone = self.phone() if has_phone else None
        return {
            "id": rid,
            "name": m.name,
            "name_initials": m.initials,
            "gender": m.gender,
            "ethnicity": m.ethnicity,
            "id_number": self.id_number(m.region, m.birth, m.gender),
            "birth_date": m.birth,
            "phone": phone,
            "phone_tail": phone[-4:] if phone else None,
            "residence_kind": "FLOATING" if m.floating else "REGISTERED",
            "community_id": community_id,
            "grid_id": grid_id,
            "household_id": household_id,
            "relation_to_head": m.relation,
            "care_tier": m.care_tier,
            "status": m.status,
            "status_changed_on": m.status_changed_on,
            "notes": m.notes,
        }
