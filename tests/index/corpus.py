"""Synthetic but realistic disclosure records: Chinese titles and bodies, issuers, columns, numbers, dates.

Deterministic for a seed; `generate(n)` streams, so a million records never sit in memory at once.
Used by the index tests and by bench/bench_index.py.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from indexer.schema import Attachment, DisclosureRecord, RecordStatus, WarcRef, record_id

CITIES = ("济南", "青岛", "淄博", "烟台", "潍坊", "济宁", "泰安", "威海")
CITY_CODES = {
    "济南": "济",
    "青岛": "青",
    "淄博": "淄",
    "烟台": "烟",
    "潍坊": "潍",
    "济宁": "济宁",
    "泰安": "泰",
    "威海": "威",
}
DEPARTMENTS = (
    ("人民政府办公厅", "政办发", "综合政务"),
    ("生态环境局", "环发", "环境保护"),
    ("住房和城乡建设局", "建发", "城乡建设"),
    ("财政局", "财发", "财政预算"),
    ("教育局", "教发", "教育"),
    ("卫生健康委员会", "卫健发", "卫生健康"),
    ("市场监督管理局", "市监发", "市场监管"),
    ("交通运输局", "交发", "交通运输"),
    ("农业农村局", "农发", "农业农村"),
    ("人力资源和社会保障局", "人社发", "社会保障"),
    ("自然资源和规划局", "自然资规", "自然资源"),
    ("应急管理局", "应急发", "安全生产"),
)
SITES = ("jinan-gov", "qingdao-gov", "shandong-env")
COLUMNS = (
    ("政府信息公开", "法定主动公开内容", "政策文件"),
    ("政府信息公开", "法定主动公开内容", "规划信息"),
    ("政府信息公开", "法定主动公开内容", "财政信息", "预算决算"),
    ("政府信息公开", "重点领域信息", "环境保护"),
    ("政府信息公开", "重点领域信息", "政府采购"),
    ("政府信息公开", "政府信息公开年报"),
    ("政府信息公开", "政府信息公开指南"),
    ("通知公告",),
)
TOPICS = (
    "生态环境保护",
    "大气污染防治",
    "保障性住房",
    "城乡建设",
    "政府采购",
    "行政许可",
    "行政处罚",
    "食品安全",
    "社会保障",
    "安全生产",
    "义务教育",
    "乡村振兴",
    "优化营商环境",
    "政府信息公开",
    "医疗保障",
    "交通运输",
    "预算管理",
    "疫情防控",
)
TITLE_FORMS = (
    "关于印发{city}市{topic}工作方案的通知",
    "{city}市{dept}关于进一步加强{topic}工作的通知",
    "关于{topic}专项检查情况的通报",
    "{city}市{dept}{year}年政府信息公开工作年度报告",
    "关于公布{year}年度{topic}重点任务清单的公告",
    "{city}市{topic}管理办法",
    "关于做好{year}年{topic}有关工作的意见",
    "{city}市{dept}关于{topic}项目的批复",
)
SENTENCES = (
    "为深入贯彻落实党中央、国务院决策部署，切实做好{topic}工作，结合我市实际，制定本方案。",
    "各区县人民政府，市政府各部门：现将《{city}市{topic}实施细则》印发给你们，请认真贯彻执行。",
    "根据《中华人民共和国政府信息公开条例》规定，现将有关情况公开如下。",
    "坚持以人民为中心的发展思想，统筹推进{topic}和经济社会发展。",
    "各单位要高度重视，加强组织领导，明确责任分工，确保各项任务落到实处。",
    "本办法自{year}年{month}月{day}日起施行，有效期至{end_year}年12月31日。",
    "联系人：张明，联系电话：0531-{phone}。",
    "{year}年，全市共办理{topic}事项{count}件，同比增长{percent}%。",
    "对违反本办法规定的，由{dept}依法予以处罚；构成犯罪的，依法追究刑事责任。",
    "项目采购预算金额为人民币{count}万元，采购方式为公开招标。",
    "请于{month}月{day}日前将工作进展情况报送市{dept}。",
    "附件：{topic}工作任务分工表",
    "鼓励社会资本参与{topic}，完善多元投入机制。",
    "加快推进数字政府建设，提升政务服务“一网通办”水平。",
    "严格落实生态环境保护责任制，持续改善空气质量和水环境质量。",
    "进一步规范行政许可事项办理流程，压缩审批时限。",
)
ATTACHMENT_LINES = (
    "{topic}工作任务分工表 序号 任务 责任单位 完成时限",
    "{year}年度{topic}资金分配明细表（单位：万元）",
    "申请表 填表说明：请如实填写，所填信息应真实有效。",
)

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def _build_vocabulary(seed: int = 20261128, size: int = 30_000) -> tuple[list[str], list[float]]:
    """A long-tailed vocabulary (Zipf-weighted words of 2-4 characters), so term frequencies look like real text.

    Characters: those of the templates plus CJK characters drawn from the common block, themselves Zipf-weighted.
    """
    rng = random.Random(seed)
    template_text = "".join(SENTENCES + TITLE_FORMS + TOPICS + CITIES + tuple(d[0] for d in DEPARTMENTS))
    chars = sorted({ch for ch in template_text if "\u4e00" <= ch <= "\u9fff"})
    extra = [chr(code) for code in rng.sample(range(0x4E00, 0x9FA6), 2600)]
    chars += [ch for ch in extra if ch not in set(chars)]
    char_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(chars))]
    words: set[str] = set()
    while len(words) < size:
        length = rng.choices((2, 3, 4), weights=(6, 2, 2))[0]
        words.add("".join(rng.choices(chars, weights=char_weights, k=length)))
    ordered = sorted(words)
    rng.shuffle(ordered)
    cumulative: list[float] = []
    total = 0.0
    for rank in range(len(ordered)):
        total += 1 / (rank + 1)
        cumulative.append(total)
    return ordered, cumulative


VOCABULARY, VOCABULARY_CUM_WEIGHTS = _build_vocabulary()
DATE_START = date(2012, 1, 1)
DATE_DAYS = (date(2026, 10, 31) - DATE_START).days


def issuer_name(city: str, dept: str) -> str:
    return f"{city}市{dept}"


def issuer_code(city: str, code: str) -> str:
    return f"{CITY_CODES[city]}{code}"


class _LazyValues(dict):
    """Template values drawn only when a template asks for them (keeps generation fast)."""

    def __init__(self, rng: random.Random, fixed: dict[str, str]) -> None:
        super().__init__(fixed)
        self._rng = rng

    def __missing__(self, key: str) -> str:
        rng = self._rng
        draw = {
            "topic": lambda: rng.choice(TOPICS),
            "city": lambda: rng.choice(CITIES),
            "dept": lambda: rng.choice(DEPARTMENTS)[0],
            "year": lambda: str(rng.randint(2012, 2026)),
            "end_year": lambda: str(rng.randint(2027, 2030)),
            "month": lambda: str(rng.randint(1, 12)),
            "day": lambda: str(rng.randint(1, 28)),
            "phone": lambda: str(rng.randint(60000000, 89999999)),
            "count": lambda: str(rng.randint(3, 9999)),
            "percent": lambda: f"{rng.randint(1, 40)}.{rng.randint(0, 9)}",
        }[key]
        value = draw()
        self[key] = value
        return value


class CorpusGenerator:
    """Streams synthetic records; remembers a sample of issued numbers so later records can cite them."""

    def __init__(self, seed: int = 7, *, body_sentences: tuple[int, int] = (6, 30)) -> None:
        self._rng = random.Random(seed)
        self._body_sentences = body_sentences
        self._serials: dict[tuple[str, int], int] = {}
        self._issued: list[str] = []

    def _fill(self, form: str, **fixed: str) -> str:
        return form.format_map(_LazyValues(self._rng, fixed))

    def _free_sentence(self) -> str:
        """A sentence of vocabulary words: the long tail that templates alone lack."""
        rng = self._rng
        words = rng.choices(VOCABULARY, cum_weights=VOCABULARY_CUM_WEIGHTS, k=rng.randint(4, 12))
        middle = rng.randrange(1, len(words))
        return "".join(words[:middle]) + "，" + "".join(words[middle:]) + "。"

    def record(self, index: int) -> DisclosureRecord:
        rng = self._rng
        city = rng.choice(CITIES)
        dept, code, category = DEPARTMENTS[rng.randrange(len(DEPARTMENTS))]
        issuer = issuer_name(city, dept)
        if rng.random() < 0.05:
            other_city = rng.choice(CITIES)
            issuer = f"{issuer}、{issuer_name(other_city, rng.choice(DEPARTMENTS)[0])}"
        topic = rng.choice(TOPICS)
        published = DATE_START + timedelta(days=rng.randrange(DATE_DAYS))
        written = published - timedelta(days=rng.randint(0, 20)) if rng.random() < 0.8 else None
        fixed = {"city": city, "dept": dept, "topic": topic, "year": str(published.year)}
        title = self._fill(rng.choice(TITLE_FORMS), **fixed)
        sentences = [
            self._fill(rng.choice(SENTENCES), **({"topic": topic} if rng.random() < 0.6 else {}))
            if rng.random() < 0.5
            else self._free_sentence()
            for _ in range(rng.randint(*self._body_sentences))
        ]
        doc_number = None
        if rng.random() < 0.7:
            key = (issuer_code(city, code), published.year)
            self._serials[key] = self._serials.get(key, 0) + rng.choice((1, 1, 1, 2))
            doc_number = f"{key[0]}〔{key[1]}〕{self._serials[key]}号"
        cites: list[str] = []
        if self._issued and rng.random() < 0.3:
            cites = sorted({rng.choice(self._issued) for _ in range(rng.randint(1, 2))})
            for cited in cites:
                sentences.insert(rng.randrange(len(sentences) + 1), f"根据{cited}文件精神，")
        if doc_number:
            if len(self._issued) < 5000:
                self._issued.append(doc_number)
            elif rng.random() < 0.01:
                self._issued[rng.randrange(len(self._issued))] = doc_number
        attachments: list[Attachment] = []
        if rng.random() < 0.25:
            url = f"https://www.example.gov.cn/files/{index}.pdf"
            attachments.append(
                Attachment(
                    url=url,
                    name="附件1.pdf",
                    media_type="application/pdf",
                    text=self._fill(rng.choice(ATTACHMENT_LINES), topic=topic),
                    # every third attachment is a scan read by OCR (decided without the random stream)
                    **(
                        {"ocr": True, "ocr_engine": "rapidocr", "ocr_confidence": 0.93, "ocr_pages": 1}
                        if index % 3 == 0
                        else {}
                    ),
                )
            )
        column = list(rng.choice(COLUMNS))
        site = SITES[index % len(SITES)]
        url = f"https://www.example.gov.cn/{site}/art/{published:%Y/%m/%d}/art_{index}.html"
        status = RecordStatus.active
        roll = rng.random()
        if roll < 0.04:
            status = RecordStatus.withdrawn
        elif roll < 0.1:
            status = RecordStatus.changed
        return DisclosureRecord(
            id=record_id(url),
            site=site,
            url=url,
            title=title,
            doc_number=doc_number,
            doc_number_raw=doc_number,
            issuer=issuer,
            column=column,
            category=category,
            topic=topic,
            written_date=written,
            published_date=published if rng.random() < 0.97 else None,
            body_text="".join(sentences),
            attachments=attachments,
            cites=cites,
            fetched_at=T0,
            first_seen_at=T0,
            last_seen_at=T0,
            status=status,
            version=2 if status is RecordStatus.changed else 1,
            content_sha256=f"{index:064x}",
            warc=WarcRef(file="gongkai-20261101080000-00001.warc.gz", offset=index * 1000),
        )

    def generate(self, count: int) -> Iterator[DisclosureRecord]:
        for index in range(count):
            yield self.record(index)


def build_corpus(count: int = 400, seed: int = 7) -> list[DisclosureRecord]:
    return list(CorpusGenerator(seed).generate(count))


def _edge(index: int, title: str, body: str, **fields: object) -> DisclosureRecord:
    url = f"https://edge.example.gov.cn/art/{index}.html"
    values: dict[str, object] = {
        "id": record_id(url),
        "site": "edge-site",
        "url": url,
        "title": title,
        "body_text": body,
        "issuer": "测试市人民政府办公室",
        "column": ["政府信息公开", "通知公告"],
        "category": "综合政务",
        "published_date": date(2021, 5, 6),
        "fetched_at": T0,
        "first_seen_at": T0,
        "last_seen_at": T0,
        "content_sha256": f"edge-{index}",
    }
    values.update(fields)
    return DisclosureRecord.model_validate(values)


def edge_records() -> list[DisclosureRecord]:
    """Hand-made records for the corners of matching: punctuation, mixed scripts, lone characters, markup."""
    return [
        _edge(1, "中国，人民代表大会常务委员会公告", "本公告所称中国，人民代表大会，依法履职。"),
        _edge(2, "公文格式标准", "执行GB/T 9704-2012《党政机关公文格式》标准，版本号V2。"),
        _edge(3, "2020年度报告", "现将2020年度政府信息公开工作报告公布如下。"),
        _edge(
            4,
            "关于申请材料的说明",
            "请按要求提交材料。",
            attachments=[
                Attachment(
                    url="https://edge.example.gov.cn/f/4.docx", name="附件.docx", text="申请表填表说明"
                )
            ],
        ),
        _edge(5, "金鑫公司行政处罚决定书", "对金鑫公司作出罚款决定。"),
        _edge(6, "<b>标签</b> & 特殊字符", "正文含有<script>alert(1)</script>标记与 & 符号。"),
        _edge(
            7,
            "ＧＢ／Ｔ全角字符与２０２０年",
            "全角数字２０２０年出现在正文。",
            published_date=None,
            written_date=None,
        ),
        _edge(
            8,
            "联合发文通知",
            "两部门联合印发。",
            issuer="测试市财政局、测试市教育局",
            doc_number="测财发〔2021〕7号",
            doc_number_raw="测财发〔2021〕7号",
            status=RecordStatus.withdrawn,
        ),
        _edge(  # key phrases split by a space, punctuation or an invisible character must not match
            9,
            "政府信息 公开指南",
            "本机关政府信息，公开年报与保障性\u200b住房的说明。",
            attachments=[
                Attachment(
                    url="https://edge.example.gov.cn/f/9.pdf",
                    name="附件.pdf",
                    text="见政府信息公开指南第三条",
                )
            ],
        ),
    ]
