"""One fixture per template of field-notes 2.2 and per label-variant family; every field asserted."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from crawler.extraction.encoding import decode_html
from crawler.extraction.page import AttachmentLink, extract_page
from tests.extraction.conftest import FIXTURES

GOVCN = {
    "title": "国务院关于促进乡村产业振兴的指导意见",
    "doc_number_raw": "国发〔2019〕12号",
    "doc_number": "国发〔2019〕12号",
    "index_number": "000014349/2019-00064",
    "issuer": "国务院",
    "topic": "农业、林业、水利\\其他",
    "written_date": date(2019, 6, 17),
    "published_date": date(2019, 6, 28),
    "validity": None,
    "keywords": ["乡村", "产业"],
    "body_text": "国发〔2019〕12号\n"
    "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
    "产业兴旺是乡村振兴的重要基础。根据《中共中央 国务院关于实施乡村振兴战略的意见》（中发〔2018〕1号）和"
    "《国务院办公厅关于推进农村一二三产业融合发展的指导意见》（国办发〔2015〕93号），现提出如下意见。\n"
    "一、总体要求\n"
    "坚持农业农村优先发展，落实中发〔2018〕1号的部署。\n"
    "附件：乡村产业重点任务分工表.pdf\n"
    "国务院\n"
    "2019年6月17日",
    "attachments": [
        AttachmentLink(
            url="https://www.gov.cn/zhengce/content/2019-06/28/P020190628_fujian.pdf",
            name="乡村产业重点任务分工表.pdf",
        )
    ],
    "cites": ["中发〔2018〕1号", "国办发〔2015〕93号"],
}

GKMLPT = {
    "title": "阳江市人民政府办公室关于印发某某实施方案的通知",
    "doc_number_raw": "阳府办函〔2021〕9号",
    "doc_number": "阳府办函〔2021〕9号",
    "index_number": "11441700007280420Y/2021-00050",
    "issuer": "阳江市人民政府办公室",
    "topic": "综合政务、通知",
    "written_date": date(2021, 3, 5),
    "published_date": date(2021, 3, 8),
    "validity": None,
    "keywords": [],
    "body_text": "各县（市、区）人民政府：\n现将《某某实施方案》印发给你们，请按照国办发〔2017〕47号精神认真组织实施。",
    "attachments": [
        AttachmentLink(
            url="http://www.yangjiang.gov.cn/attachment/0/88/88389/963149.pdf", name="实施方案.pdf"
        )
    ],
    "cites": ["国办发〔2017〕47号"],
}

HANWEB = {
    "title": "浙江省人民政府关于公布某某名单的通知",
    "doc_number_raw": "浙政发 〔2021〕5 号",
    "doc_number": "浙政发〔2021〕5号",
    "index_number": "002482070/2021-00123",
    "issuer": "浙江省人民政府",
    "topic": "省政府文件",
    "written_date": date(2021, 1, 29),
    "published_date": date(2021, 2, 3),
    "validity": "有效",
    "keywords": ["名单", "公布"],
    "body_text": "各市、县（市、区）人民政府，省政府直属各单位：\n"
    "经省政府同意，现将名单予以公布。本通知自公布之日起施行，浙政发【2015】7号同时废止。\n"
    "附件：下载\n浙江省人民政府\n2021年1月29日",
    "attachments": [
        AttachmentLink(
            url="https://www.zj.gov.cn/module/download/downfile.jsp?classid=0"
            "&filename=9f8e7d6c5b4a39281706f5e4d3c2b1a0.pdf&showname=%E5%90%8D%E5%8D%95.pdf",
            name="名单.pdf",
        )
    ],
    "cites": ["浙政发〔2015〕7号"],
}

TRS_GBK = {
    "title": "武汉市人民政府关于加强某某管理的通告",
    "doc_number_raw": "武政规〔2020〕12号",
    "doc_number": "武政规〔2020〕12号",
    "index_number": "K28044908/2020-04277",
    "issuer": "武汉市人民政府",
    "topic": "城乡建设、环境保护",
    "written_date": date(2020, 12, 18),
    "published_date": date(2020, 12, 21),
    "validity": None,
    "keywords": [],
    "body_text": "为加强某某管理，根据《某某条例》和鄂政办发〔2016〕62号文件规定，现通告如下：\n"
    "一、本通告自发布之日起施行。\n附件：1.管理范围示意图\n附件：2.申请表",
    "attachments": [
        AttachmentLink(
            url="http://www.wuhan.gov.cn/zwgk/202012/P020201221512345678901.pdf", name="1.管理范围示意图"
        ),
        AttachmentLink(
            url="http://www.wuhan.gov.cn/zwgk/202012/P020201221512345678902.docx", name="2.申请表"
        ),
    ],
    "cites": ["鄂政办发〔2016〕62号"],
}

JINAN_GENERIC = {
    "title": '2014年度济南市政府信息公开工作"成绩单"',
    "doc_number_raw": None,
    "doc_number": None,
    "index_number": None,
    "issuer": "济南市人民政府办公室",
    "topic": None,
    "written_date": None,
    "published_date": date(2014, 12, 19),
    "validity": None,
    "keywords": [],
    "body_text": "2014年，我市认真贯彻落实国办发〔2014〕12号和鲁政办发〔2014〕22号文件精神，按照济政办发〔2014〕14号确定的"
    "当前全市政务公开工作要点，扎实推进政府信息公开工作。\n"
    "一是完善政策解读。市政府门户网站开设政策解读栏目，对济政办发〔2014〕16号等文件进行解读。\n"
    "二是规范依申请公开。严格执行山东省行政程序规定（省政府令第238号），全年办理依申请公开事项。",
    "attachments": [],
    "cites": [
        "国办发〔2014〕12号",
        "鲁政办发〔2014〕22号",
        "济政办发〔2014〕14号",
        "济政办发〔2014〕16号",
        "省政府令第238号",
    ],
}

ANHUI_SPLIT = {
    "title": "安徽省人民政府办公厅关于做好某某工作的通知",
    "doc_number_raw": "皖政办〔2020〕5号",
    "doc_number": "皖政办〔2020〕5号",
    "index_number": "00298627-2/202003-00010",
    "issuer": "安徽省人民政府办公厅",
    "topic": "通知",
    "written_date": date(2020, 3, 16),
    "published_date": None,
    "validity": "有效",
    "keywords": [],
    "body_text": "各市、县人民政府，省政府各部门、各直属机构：\n"
    "为贯彻落实国办发〔2019〕54号文件要求，经省政府同意，现就做好某某工作通知如下。\n"
    "安徽省人民政府办公厅\n2020年3月16日",
    "attachments": [],
    "cites": ["国办发〔2019〕54号"],
}

BEIJING_DL = {
    "title": "北京市人民政府关于某某的决定",
    "doc_number_raw": "京政发〔2021〕3号",
    "doc_number": "京政发〔2021〕3号",
    "index_number": None,
    "issuer": "北京市人民政府",
    "topic": "城乡建设、环境保护",
    "written_date": date(2021, 1, 20),
    "published_date": date(2021, 1, 25),
    "validity": None,
    "keywords": [],
    "body_text": "各区人民政府，市政府各委、办、局，各市属机构：\n京政发〔2012〕17号同时废止。\n北京市人民政府",
    "attachments": [],
    "cites": ["京政发〔2012〕17号"],
}

HUNAN_DOCWRITE = {
    "title": "湖南省人民政府关于某某的通知",
    "doc_number_raw": "湘政发 〔2009〕30 号",
    "doc_number": "湘政发〔2009〕30号",
    "index_number": "000014349/2009-00230",
    "issuer": "湖南省人民政府",
    "topic": "政府文件",
    "written_date": date(2009, 9, 10),
    "published_date": None,
    "validity": "有效",
    "keywords": [],
    "body_text": "各市州、县市区人民政府，省政府各厅委、各直属机构：\n现将有关事项通知如下。湘政发〔2009〕30号以本文为准。\n"
    "二〇〇九年九月十日",
    "attachments": [],
    "cites": [],  # the only number in the body is the page's own
}

TITLE_NUMBER = {
    "title": "关于深入推进某某工作的实施意见（黔府发〔2019〕4 号）",
    "doc_number_raw": "黔府发〔2019〕4 号",
    "doc_number": "黔府发〔2019〕4号",
    "index_number": None,
    "issuer": None,
    "topic": None,
    "written_date": None,
    "published_date": None,
    "validity": None,
    "keywords": [],
    "body_text": "各市、自治州人民政府，各县（市、区）人民政府，省政府各部门、各直属机构：\n"
    "为贯彻落实《国务院关于某某的意见》（国发〔2018〕43号），结合我省实际，提出如下实施意见。"
    "本意见即黔府发〔2019〕4号，自印发之日起施行。",
    "attachments": [],
    "cites": ["国发〔2018〕43号"],
}

UNDER_TITLE = {
    "title": "山东省人民政府关于某某的批复",
    "doc_number_raw": "鲁政字〔2011〕40 号",
    "doc_number": "鲁政字〔2011〕40号",
    "index_number": None,
    "issuer": None,
    "topic": None,
    "written_date": None,
    "published_date": None,
    "validity": None,
    "keywords": [],
    "body_text": "济南市人民政府：\n你市《关于某某的请示》（济政呈〔2011〕5号）收悉。现批复如下。\n附件：项目清单",
    "attachments": [
        AttachmentLink(url="http://www.shandong.gov.cn/attachment/0/12/12345/40.xlsx", name="项目清单")
    ],
    "cites": ["济政呈〔2011〕5号"],
}

SUZHOU_LABEL = {
    "title": "苏州市住房和城乡建设局关于某某的通知",
    "doc_number_raw": "苏住建规〔2011〕4号",
    "doc_number": "苏住建规〔2011〕4号",
    "index_number": "014000380/2011-00012",
    "issuer": "苏州市住房和城乡建设局",
    "topic": None,
    "written_date": date(2011, 5, 6),
    "published_date": date(2011, 5, 9),
    "validity": None,
    "keywords": ["住房", "建设"],
    "body_text": "各市、区住房和城乡建设局：\n现将有关事项通知如下，请遵照执行。苏住建规〔2008〕2号同时废止。",
    "attachments": [],
    "cites": ["苏住建规〔2008〕2号"],
}

CASES = [
    ("govcn.html", "https://www.gov.cn/zhengce/content/2019-06/28/content_5404170.htm", GOVCN),
    ("gkmlpt.html", "http://www.yangjiang.gov.cn/gkmlpt/content/0/963/post_963149.html", GKMLPT),
    ("hanweb.html", "https://www.zj.gov.cn/art/2021/2/3/art_1229019364_2230876.html", HANWEB),
    ("trs_gbk.html", "http://www.wuhan.gov.cn/zwgk/202012/t20201221_1.shtml", TRS_GBK),
    ("jinan_generic.html", "http://www.jinan.gov.cn/art/2014/12/19/art_1_1.html", JINAN_GENERIC),
    ("anhui_split.html", "https://www.ah.gov.cn/public/1681/8280001.html", ANHUI_SPLIT),
    ("beijing_dl.html", "https://www.beijing.gov.cn/zhengce/zfwj/202101/t20210125_1.html", BEIJING_DL),
    ("hunan_docwrite.html", "http://www.hunan.gov.cn/xxgk/wjk/szfwj/200909/t20090910_1.html", HUNAN_DOCWRITE),
    ("title_number.html", "https://www.guizhou.gov.cn/zwgk/zcfg/szfwj/201902/t20190215_1.html", TITLE_NUMBER),
    ("under_title.html", "http://www.shandong.gov.cn/art/2011/5/6/art_1_1.html", UNDER_TITLE),
    ("suzhou_label.html", "http://zfcjj.suzhou.gov.cn/szjsj/tzgg/201105/a.shtml", SUZHOU_LABEL),
]


@pytest.mark.parametrize(("name", "url", "expected"), CASES, ids=[case[0] for case in CASES])
def test_every_field_of_each_template(name: str, url: str, expected: dict[str, Any]) -> None:
    decoded = decode_html((FIXTURES / name).read_bytes())
    assert decoded.replaced == 0
    page = extract_page(decoded.text, url)
    actual = page.model_dump(include=set(expected))
    actual["attachments"] = page.attachments
    assert actual == expected
    assert page.warnings == ([] if page.title and page.body_text else page.warnings)


@pytest.mark.parametrize(("name", "url", "expected"), CASES, ids=[case[0] for case in CASES])
def test_own_number_never_cited(name: str, url: str, expected: dict[str, Any]) -> None:
    page = extract_page(decode_html((FIXTURES / name).read_bytes()).text, url)
    if page.doc_number:
        assert page.doc_number not in page.cites


def test_labels_keep_raw_label_and_value() -> None:
    page = extract_page(
        (FIXTURES / "hanweb.html").read_text(encoding="utf-8"), "https://www.zj.gov.cn/a.html"
    )
    assert page.labels["文 号"] == "浙政发 〔2021〕5 号"
    assert page.labels["组配分类"] == "省政府文件"
    assert page.labels["ContentSource"] == "省政府办公厅"
    anhui = extract_page(
        (FIXTURES / "anhui_split.html").read_text(encoding="utf-8"), "https://www.ah.gov.cn/a.html"
    )
    assert anhui.labels["公开方式"] == "主动公开"  # an unknown label is still recorded


def test_gbk_fixture_is_really_gbk() -> None:
    data = (FIXTURES / "trs_gbk.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    decoded = decode_html(data)
    assert (decoded.encoding, decoded.source) == ("gb18030", "meta")
