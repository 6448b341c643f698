"""Default dictionaries (data, editable later in 设置): special groups, ethnicities, relations, tiers."""

from __future__ import annotations

SPECIAL_GROUPS = (
    "留守老人", "独居老人", "空巢老人", "高龄老人", "残疾人", "留守儿童", "困境儿童", "低保户", "特困供养人员",
    "优抚对象", "刑满释放人员", "社区矫正对象", "严重精神障碍患者", "吸毒人员", "重点信访人员", "重点青少年",
)  # fmt: skip

ETHNICITIES = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族",
    "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族",
    "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族",
    "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
    "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)  # fmt: skip

RELATIONS_TO_HEAD = (
    "户主", "配偶", "子", "女", "儿媳", "女婿", "孙子", "孙女", "外孙子", "外孙女", "父亲", "母亲",
    "岳父", "岳母", "公公", "婆婆", "兄弟", "姐妹", "其他",
)  # fmt: skip

CARE_TIER_LABELS = {"GREEN": "绿色", "BLUE": "蓝色", "ORANGE": "橙色", "RED": "红色"}
# default visit interval in days per tier: monthly / half-monthly / weekly / daily. No national standard
# fixes tiers or frequencies (local practice varies), so these are only defaults of a setting.
CARE_TIER_VISIT_DAYS = {"GREEN": 30, "BLUE": 15, "ORANGE": 7, "RED": 1}

RESIDENCE_KIND_LABELS = {"REGISTERED": "户籍", "FLOATING": "流动"}
RESIDENT_STATUS_LABELS = {"ACTIVE": "在册", "MOVED": "迁出", "LEFT": "离开", "DECEASED": "死亡"}
