"""Chinese titles, bodies and metadata words, generated from templates and word lists."""

from __future__ import annotations

import random
from datetime import date

from portal.columns import ColumnKind

TOPICS_BY_SITE: dict[str, tuple[str, ...]] = {
    "jinan-gov": (
        "营商环境评价",
        "政务服务“一网通办”",
        "城乡环境整治",
        "重点项目建设",
        "政务公开",
        "城市更新",
        "优化营商环境",
        "数字政府建设",
        "乡村振兴",
        "民生实事",
        "安全生产",
        "城市管理",
    ),
    "jinan-fgw": (
        "粮食安全保障",
        "重点项目审批",
        "重大项目建设",
        "价格监测",
        "新旧动能转换",
        "社会信用体系建设",
        "节能降耗",
        "服务业发展",
    ),
    "jinan-jyj": (
        "中小学课程改革",
        "学生资助",
        "教育督导",
        "义务教育",
        "学前教育",
        "招生考试",
        "教师队伍建设",
        "校园安全",
        "职业教育",
        "课后服务",
    ),
    "jinan-wjw": (
        "医疗服务价格",
        "爱国卫生运动",
        "中医药发展",
        "公共卫生应急",
        "基层医疗卫生服务",
        "医疗机构管理",
        "健康济南建设",
        "疾病预防控制",
        "妇幼健康",
    ),
    "jinan-sthjj": (
        "排污许可管理",
        "噪声污染防治",
        "生态环境监测",
        "大气污染防治",
        "水污染防治",
        "建设项目环境影响评价",
        "土壤污染防治",
        "生态环境执法",
        "碳达峰",
    ),
    "jinan-zjj": (
        "建筑市场监管",
        "城市供热",
        "保障性住房",
        "老旧小区改造",
        "建筑施工安全",
        "物业管理",
        "住房公积金",
        "城市燃气",
    ),
    "jinan-czj": (
        "惠企资金直达",
        "非税收入管理",
        "会计监督",
        "部门预算",
        "财政资金管理",
        "政府采购",
        "国有资产管理",
        "政府债务",
        "预算绩效管理",
    ),
    "jinan-yjj": (
        "安全生产执法检查",
        "应急预案管理",
        "安全生产",
        "防汛抗旱",
        "森林防灭火",
        "危险化学品监管",
        "应急救援",
        "自然灾害防治",
    ),
    "jinan-scjgj": (
        "个体工商户发展",
        "网络交易监管",
        "食品安全",
        "药品安全",
        "特种设备安全",
        "知识产权保护",
        "价格监督检查",
        "计量监督",
    ),
}

PLAN_NAMES = ("实施方案", "管理办法", "工作方案", "行动计划", "实施细则", "考核办法", "工作要点", "暂行办法")
ACTIONS = (
    "做好{year}年",
    "组织开展{year}年度",
    "做好",
    "加强",
    "进一步加强",
    "开展",
    "推进",
    "深化",
    "规范",
    "切实做好",
)
DISTRICTS = (
    "历下区",
    "市中区",
    "槐荫区",
    "天桥区",
    "历城区",
    "长清区",
    "章丘区",
    "济阳区",
    "莱芜区",
    "钢城区",
    "平阴县",
    "商河县",
)
PROJECTS = (
    "片区综合开发项目",
    "污水处理厂扩建工程",
    "中小学建设项目",
    "城市道路改造工程",
    "保障性租赁住房项目",
    "公共卫生中心项目",
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = (
    "晓明",
    "建国",
    "丽娜",
    "志强",
    "海燕",
    "文静",
    "国庆",
    "红梅",
    "立新",
    "春燕",
    "伟",
    "静",
    "磊",
    "敏",
)
THEMES_BY_SITE: dict[str, tuple[str, ...]] = {
    "jinan-gov": ("综合政务\\政务公开", "综合政务\\政务督查", "城乡建设、环境保护\\城市规划"),
    "jinan-fgw": ("国民经济管理、国有资产监管\\发展规划", "国民经济管理、国有资产监管\\物价"),
    "jinan-jyj": ("科技、教育\\教育",),
    "jinan-wjw": ("卫生、体育\\卫生", "卫生、体育\\医药管理"),
    "jinan-sthjj": ("城乡建设、环境保护\\环境监测、保护与治理",),
    "jinan-zjj": ("城乡建设、环境保护\\城乡建设（含住房）", "城乡建设、环境保护\\城市规划"),
    "jinan-czj": ("财政、金融、审计\\财政", "财政、金融、审计\\审计"),
    "jinan-yjj": ("市场监管、安全生产监管\\安全生产监管", "民政、扶贫、救灾\\减灾救灾"),
    "jinan-scjgj": ("市场监管、安全生产监管\\食品药品监管", "市场监管、安全生产监管\\市场监管"),
}
THEMES = (
    "综合政务\\政务公开",
    "城乡建设、环境保护\\城市规划",
    "城乡建设、环境保护\\环境监测、保护与治理",
    "财政、金融、审计\\财政",
    "科技、教育\\教育",
    "卫生、体育\\卫生",
    "市场监管、安全生产监管\\安全生产监管",
    "市场监管、安全生产监管\\食品药品监管",
    "劳动、人事、监察\\人事工作",
    "国民经济管理、国有资产监管\\发展规划",
    "民政、扶贫、救灾\\减灾救灾",
)
VERBS = ("全面落实", "持续推进", "统筹做好", "不断完善", "着力提升", "扎实推进", "切实加强", "稳步推进")
GOALS = ("工作机制", "监督管理", "服务水平", "保障能力", "工作质量", "制度体系", "信息化水平", "风险防控")
DUTIES = (
    "各区县、各部门要高度重视，明确责任分工，细化工作措施，确保各项任务落到实处。",
    "要坚持问题导向，聚焦群众关心关注的重点难点问题，推动工作取得实效。",
    "要加强组织领导，建立健全工作协调机制，形成上下联动、齐抓共管的工作格局。",
    "要强化监督检查，对工作推进不力的单位予以通报，并督促限期整改。",
    "要加大宣传力度，及时总结推广典型经验做法，营造良好社会氛围。",
    "要严格落实信息公开要求，按规定在政府网站及时发布相关信息，主动接受社会监督。",
    "要加强经费保障，统筹安排所需资金，提高资金使用效益。",
    "要做好数据统计和信息报送工作，每季度末将工作进展情况报送市政府办公厅。",
)
HEADINGS = ("总体要求", "主要任务", "工作措施", "保障措施", "职责分工", "工作步骤", "组织实施", "有关要求")
NEWS_EVENTS = (
    "召开{topic}工作推进会议",
    "开展{topic}专项检查",
    "部署{topic}重点工作",
    "举办{topic}业务培训班",
    "调研{district}{topic}工作",
    "{topic}工作取得阶段性成效",
    "召开{year}年全市{topic}工作会议",
    "组织开展{topic}宣传活动",
)

# Numbers held by no site (cited to test unresolved-citation handling).
EXTERNAL_NUMBERS: tuple[str, ...] = (
    "国办发〔2014〕12号",
    "鲁政办发〔2014〕22号",
    "国发〔2019〕5号",
    "国办发〔2019〕54号",
    "国办发〔2017〕47号",
    "国办公开办函〔2019〕61号",
    "鲁政发〔2014〕20号",
    "鲁政字〔2011〕40号",
    "财库〔2022〕4号",
    "山东省人民政府令第238号",
)
EXTERNAL_TITLES: dict[str, str] = {
    "国办发〔2014〕12号": "国务院办公厅关于印发2014年政府信息公开工作要点的通知",
    "鲁政办发〔2014〕22号": "山东省人民政府办公厅关于做好2014年政府信息公开工作的通知",
    "国发〔2019〕5号": "国务院关于在线政务服务的若干规定",
    "国办发〔2019〕54号": "国务院办公厅关于全面推进基层政务公开标准化规范化工作的指导意见",
    "国办发〔2017〕47号": "国务院办公厅关于印发政府网站发展指引的通知",
    "国办公开办函〔2019〕61号": "关于规范政府信息公开平台有关事项的通知",
    "鲁政发〔2014〕20号": "山东省人民政府关于加快推进新型城镇化的意见",
    "鲁政字〔2011〕40号": "山东省人民政府关于进一步加强安全生产工作的意见",
    "财库〔2022〕4号": "财政部关于进一步加强政府采购需求和履约验收管理的指导意见",
    "山东省人民政府令第238号": "山东省行政程序规定",
}


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def chinese_date(day: date, rng: random.Random) -> str:
    """A date written in Chinese numerals, sometimes with a full-width letter O for zero."""
    digits = "〇一二三四五六七八九"
    if rng.random() < 0.15:
        digits = "Ｏ" + digits[1:]
    year = "".join(digits[int(c)] for c in str(day.year))
    return f"{year}年{_small_number(day.month)}月{_small_number(day.day)}日"


def _small_number(value: int) -> str:
    units = "〇一二三四五六七八九"
    if value < 10:
        return units[value]
    tens, ones = divmod(value, 10)
    head = "十" if tens == 1 else units[tens] + "十"
    return head + (units[ones] if ones else "")


def make_title(
    rng: random.Random,
    site_id: str,
    kind: ColumnKind,
    column_name: str,
    department: str,
    year: int,
    numbered: bool,
) -> tuple[str, str]:
    """Return (title, topic phrase) for a document of a column."""
    topic = rng.choice(TOPICS_BY_SITE[site_id])
    if kind == "news":
        event = rng.choice(NEWS_EVENTS).format(topic=topic, district=rng.choice(DISTRICTS), year=year)
        short = department.replace("济南市", "市")
        return (f"{short}{event}" if rng.random() < 0.7 else f"我市{event}"), topic
    if column_name == "政府信息公开指南":
        return f"{department}政府信息公开指南（{year}年修订）", "政务公开"
    if column_name == "政府信息公开年报":
        return f"{department}{year - 1}年政府信息公开工作年度报告", "政务公开"
    if column_name in ("部门财政预决算", "市级三公经费", "部门三公经费"):
        what = rng.choice(("部门预算", "部门决算", "“三公”经费预算", "“三公”经费决算"))
        return f"{department}{year}年{what}公开", "部门预算"
    if kind == "personnel_planning" and column_name == "人事信息":
        if rng.random() < 0.5:
            return f"{department}{year}年公开招聘工作人员公告", "人事工作"
        return f"关于{person_name(rng)}等同志任职的通知", "人事工作"
    if column_name == "规划计划":
        return (
            f"济南市{topic}“十四五”规划{rng.choice(('', '中期评估报告', f'（{year}年修订）'))}",
            topic,
        )
    if not numbered and rng.random() < 0.6:
        return f"关于{rng.choice(ACTIONS).format(year=year)}{topic}有关事项的公告", topic
    shape = rng.randrange(5)
    if shape == 0:
        return f"关于印发《济南市{topic}{rng.choice(PLAN_NAMES)}》的通知", topic
    if shape == 1:
        return f"关于{rng.choice(ACTIONS).format(year=year)}{topic}工作的通知", topic
    if shape == 2:
        return f"关于同意{rng.choice(DISTRICTS)}{rng.choice(PROJECTS)}的批复", topic
    if shape == 3:
        return f"关于{rng.choice(ACTIONS).format(year=year)}{topic}的实施意见", topic
    return f"{department}关于{topic}有关事项的公告", topic


def sentence(rng: random.Random, topic: str, duties: int = 1) -> str:
    chosen = "".join(rng.sample(DUTIES, duties))
    return f"{rng.choice(VERBS)}{topic}{rng.choice(GOALS)}建设，{chosen}"


def closing_for(title: str) -> str:
    if title.endswith("公告"):
        return "特此公告。"
    if title.endswith("批复"):
        return "此复。"
    if title.endswith("意见"):
        return "以上意见，请认真贯彻执行。"
    return "特此通知。"


def keywords_for(rng: random.Random, topic: str, kind: ColumnKind) -> list[str]:
    pool = [topic, "政务公开", "通知", "实施方案", "监督管理", "民生", "安全", "服务"]
    if kind == "news":
        pool.append("动态")
    chosen = [topic, *rng.sample(pool[1:], 2)]
    return list(dict.fromkeys(chosen))
