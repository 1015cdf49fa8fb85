"""Saved web pages (.html/.htm and .mhtml "网页，单个文件"): the shared fixtures equal EXPECTED.json, and a
hand-made 政府信息公开 page (GBK, site chrome, metadata table) gives the notice's facts and projects only."""

from __future__ import annotations

import random
import re
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from minsheng_desktop.importers import ImportCancelled, ImportFailure, Progress, read_target_list
from minsheng_desktop.importers.forms import read_source
from minsheng_desktop.importers.grid import read_docx
from minsheng_desktop.importers.html import read_html
from minsheng_desktop.importers.html_file import _decode
from minsheng_desktop.importers.html_text import _paragraphs_of
from minsheng_desktop.importers.notice import read_notice
from minsheng_desktop.importers.progress import NO_PROGRESS

from .conftest import FIXTURES
from .expected import LIST_FIELDS, assert_projects

NOTICES = ["000_wulong_2023_notice.html", "004_chengkou_2023_notice.html"]
# A list saved as a web page compares with the .xlsx of the same list.
LISTS = [("000_wulong_2023_list.html", "000_wulong_2023_list.xlsx"),
         ("004_chengkou_2023_list.html", "004_chengkou_2023_list.xlsx")]
XXGK = FIXTURES / "html" / "wulong_2023_xxgk.html"  # a 政府信息公开 page, GBK, declared gb2312


def _ws(text: str | None) -> str | None:
    return None if text is None else re.sub(r"\s+", "", text)


# ------------------------------------------------------------------------------------- the shared fixtures


@pytest.fixture(scope="module", params=NOTICES)
def notice(request, expected):
    return request.param, read_target_list(FIXTURES / request.param), expected[request.param]


def test_notice_facts(notice):
    _, parsed, exp = notice
    for f in LIST_FIELDS:
        assert getattr(parsed, f) == exp[f], f
    assert (None if parsed.contact is None else vars(parsed.contact)) == exp["contact"]
    assert (None if parsed.report_due is None else vars(parsed.report_due)) == exp["report_due"]
    assert parsed.warnings == ()


def test_notice_date_text(notice):
    name, _, exp = notice
    facts = read_notice(read_source(FIXTURES / name).paragraphs)
    assert _ws(facts.date_text) == _ws(exp["date_text"])


def test_notice_header_rows_and_sections(notice):
    _, parsed, exp = notice
    assert [[_ws(c) for c in r] for r in parsed.header_rows] == \
           [[_ws(c) for c in r] for r in exp["header_rows"]]
    got = [{"title": s.title, "section": s.name, "level": s.level,
            "total_investment_wan": s.total_investment_wan, "top_level_items": s.declared_items,
            "leaf_projects": s.declared_projects} for s in parsed.sections]
    assert got == exp["sections"]


def test_notice_every_project_field(notice):
    _, parsed, exp = notice
    assert_projects(parsed, exp)


@pytest.mark.parametrize("name", NOTICES)
def test_notice_reads_as_its_docx_does(name):
    """The office suite's web page of a notice gives the .docx's paragraphs and cells, the <br> in the title
    kept as the line break Word has there."""
    html = read_source(FIXTURES / name)
    docx = read_docx(FIXTURES / name.replace(".html", ".docx"))
    assert html.kind == "html"
    assert html.paragraphs == docx.paragraphs
    assert html.paragraphs_after == docx.paragraphs_after
    assert [t.paragraphs_before for t in html.tables] == [t.paragraphs_before for t in docx.tables]
    assert [[[c.text for c in r] for r in t.rows] for t in html.tables] == \
           [[[c.text for c in r] for r in t.rows] for t in docx.tables]


@pytest.mark.parametrize("name,like", LISTS)
def test_list_saved_as_web_page(name, like, expected):
    parsed = read_target_list(FIXTURES / name)
    exp = expected[like]
    for f in LIST_FIELDS:
        assert getattr(parsed, f) == exp[f], f
    assert parsed.contact is None and parsed.report_due is None
    assert parsed.warnings == ()
    assert_projects(parsed, exp)


def test_title_rows_inside_a_table_become_its_paragraphs(tmp_path):
    """As Excel saves a sheet as a web page: title rows inside the table, a note row above the header."""
    text = (FIXTURES / "004_chengkou_2023_list.html").read_text(encoding="utf-8")
    text = text.replace("</td></tr>", '</td></tr>\n<tr><td colspan="4" align="right">单位：万元</td></tr>', 1)
    doc = read_source(_write(tmp_path, text, "list.html", "utf-8"))
    assert doc.paragraphs == ["2023年城口县重点民生实事工作目标任务"]
    rows = doc.tables[0].rows
    assert rows[0][0].text == "单位：万元" and rows[0][0].row == 0 and rows[1][0].text == "序号"
    parsed = read_target_list(tmp_path / "list.html")
    assert (parsed.title, parsed.year, parsed.region, len(parsed.projects)) == (
        "2023年城口县重点民生实事工作目标任务", 2023, "城口县", 15)


def test_merged_cells_are_one_cell():
    doc = read_source(FIXTURES / "000_wulong_2023_notice.html")
    rows = doc.tables[0].rows
    assert rows[0][1] is rows[0][2] is rows[1][1] is rows[1][2]  # 项目名称: rowspan 2, colspan 2
    assert rows[0][3] is rows[0][4] and rows[1][3] is not rows[1][4]


def test_import_is_fast():
    read_target_list(FIXTURES / "000_wulong_2023_notice.html")  # imports lxml
    t = time.perf_counter()
    read_target_list(FIXTURES / "000_wulong_2023_notice.html")
    assert time.perf_counter() - t < 0.5  # ~6 ms on the development machine


# ------------------------------------------------------------------------------ a 政府信息公开 page


def _xxgk_text() -> str:
    return XXGK.read_bytes().decode("gbk")


def _write(tmp_path: Path, text: str, name: str = "page.html", encoding: str = "gbk") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


XXGK_FACTS = {
    "year": 2023,
    "region": "武隆区",
    "title": "武隆区2023年度民生实事目标任务",
    "notice_title": "重庆市武隆区人民政府办公室关于做好2023年全区民生实事工作的通知",
    "issuer": "重庆市武隆区人民政府办公室",
    "doc_number": "武隆府办发〔2023〕4号",  # only in the metadata table
    "issued_on": "2023-02-23",  # only in the metadata table (成文日期 2023-02-23)
}
XXGK_PROJECTS = [
    ("市级民生实事", "1", None, "城镇老旧小区改造和社区服务提升", 2000, ["区住房城乡建委"],
     ["区发展改革委", "区经济信息委", "区城市发展（集团）公司"], True),
    ("市级民生实事", "2", None, "发展普惠性学前教育", 1122, ["区教委"],
     ["区委编办", "区财政局", "区规划自然资源局", "区住房城乡建委"], True),
    ("市级民生实事", "3", None, "发展婴幼儿照护服务", 100, ["区卫生健康委"], ["区发展改革委"], True),
    ("区级民生实事", "1", None, "农村供水超滤膜水质提升工程", 200, ["区水利局"],
     ["区发展改革委", "区财政局", "区卫生健康委", "区乡村振兴局", "有关街道办事处", "乡镇人民政府"], True),
    ("区级民生实事", "2", None, "小区燃气配套基础设施建设", None, [], [], False),
    ("区级民生实事", "2.1", "2", "城镇老旧小区燃气配套基础设施改造", 10164, ["区住房城乡建委"],
     ["区发展改革委", "区经济信息委", "凤山街道办事处", "芙蓉街道办事处"], True),
    ("区级民生实事", "2.2", "2", "乡镇保障性住房天然气管道安装", 700, ["区工业发展（集团）公司"],
     ["区发展改革委", "区经济信息委", "区住房城乡建委"], True),
]
# Site chrome, navigation and metadata: none of it may reach the notice's paragraphs.
CHROME = ["首页", "当前位置", "政府信息公开", "搜索", "无障碍", "热点文件", "相关文件", "索引号", "发布机构", "主题分类",
          "成文日期", "发布时间", "来源", "字号", "分享到", "微信", "打印本页", "关闭窗口", "上一篇", "森林防火",
          "主办单位", "承办单位", "网站标识码", "ICP备", "公网安备", "技术支持", "023-77722222", "第一批民生项目资金"]


def _assert_xxgk(parsed, **changed) -> None:
    want = {**XXGK_FACTS, **changed}
    for f in LIST_FIELDS:
        assert getattr(parsed, f) == want[f], f
    assert vars(parsed.contact) == {"unit": "区发展改革委", "name": "何小双", "phone": "77727458",
                                    "email": "1316543020@qq.com"}
    assert parsed.report_due is not None and parsed.report_due.rule == "month_end"
    assert parsed.warnings == ()
    got = [(p.section, p.number, p.parent, p.name, p.investment_wan, list(p.lead_units),
            list(p.partner_units), p.is_leaf) for p in parsed.projects]
    assert got == XXGK_PROJECTS
    assert [[_ws(c) for c in r] for r in parsed.header_rows] == [
        ["序号", "项目名称", "项目名称", "2023年工作计划", "2023年工作计划", "牵头单位", "协作单位", "备注"],
        ["序号", "项目名称", "项目名称", "年度投资（万元）", "工作内容", "牵头单位", "协作单位", "备注"]]


def _assert_no_chrome(doc) -> None:
    text = "\n".join(doc.paragraphs)
    for word in CHROME:
        assert word not in text, word


def test_xxgk_page_facts_from_body_and_metadata():
    assert b"charset=gb2312" in XXGK.read_bytes()
    _assert_xxgk(read_target_list(XXGK))


def test_xxgk_page_leaves_out_chrome_and_metadata():
    doc = read_source(XXGK)
    _assert_no_chrome(doc)
    assert len(doc.tables) == 1  # the metadata table is not a table of the notice
    assert doc.tables[0].paragraphs_before[-2:] == ["附件", "武隆区2023年度民生实事目标任务"]
    # The 文号 goes above the title and the date below the signature, as the notice prints them.
    assert doc.paragraphs[:2] == ["武隆府办发〔2023〕4号", XXGK_FACTS["notice_title"]]
    sign = doc.paragraphs.index("重庆市武隆区人民政府办公室")
    assert doc.paragraphs[sign + 1] == "2023年2月23日"
    assert doc.paragraphs_after == []
    # A source line break between two Chinese characters is no space; a <br> in a cell is a line break.
    assert any(p.startswith("为深入贯彻") and "福祉，经区政府同意" in p for p in doc.paragraphs)
    assert doc.tables[0].rows[3][6].text == "区发展改革委、区经济信息委、\n区城市发展（集团）公司"


def test_xxgk_page_without_signature_takes_issuer_from_metadata(tmp_path):
    text = _xxgk_text().replace('<p style="text-align:right">重庆市武隆区人民政府办公室</p>', "")
    text = text.replace("<h1 class=\"article-title\">重庆市武隆区人民政府办公室关于", "<h1 class=\"article-title\">关于")
    text = text.replace("<td>重庆市武隆区人民政府办公室</td>", "<td>重庆市武隆区人民政府</td>")  # 发布机构
    doc = read_source(_write(tmp_path, text))
    _assert_no_chrome(doc)
    i = doc.paragraphs.index("重庆市武隆区人民政府")
    assert doc.paragraphs[i + 1] == "2023年2月23日"
    assert doc.paragraphs[i - 1] == "附件：武隆区2023年度民生实事目标任务"
    parsed = read_target_list(tmp_path / "page.html")
    # Not the footer's 主办单位 (重庆市武隆区人民政府办公室): the page's 发布机构.
    _assert_xxgk(parsed, issuer="重庆市武隆区人民政府", notice_title="关于做好2023年全区民生实事工作的通知")


def test_xxgk_page_without_title_takes_it_from_metadata(tmp_path):
    text = re.sub(r'<h1 class="article-title">.*?</h1>', "", _xxgk_text())
    doc = read_source(_write(tmp_path, text))
    _assert_no_chrome(doc)
    assert doc.paragraphs[:2] == ["武隆府办发〔2023〕4号", XXGK_FACTS["notice_title"]]
    _assert_xxgk(read_target_list(tmp_path / "page.html"))


def test_body_facts_win_over_metadata(tmp_path):
    """Where the notice prints its 文号 and date, those are kept, whatever the metadata says."""
    text = _xxgk_text().replace('<p>各街道办事处', '<p style="text-align:center">武隆府办发〔2023〕5号</p><p>各街道办事处')
    text = text.replace('重庆市武隆区人民政府办公室</p>\n', '重庆市武隆区人民政府办公室<br />2023年2月24日</p>\n')
    parsed = read_target_list(_write(tmp_path, text))
    _assert_xxgk(parsed, doc_number="武隆府办发〔2023〕5号", issued_on="2023-02-24")


def test_old_layout_table_page(tmp_path):
    """A page laid out with tables: the article and the metadata sit in cells of an outer table."""
    text = _xxgk_text()
    text = text.replace('<div class="main">', '<table width="1000"><tr><td width="240" valign="top">', 1)
    text = text.replace('<div class="xxgk-info">', '</td><td valign="top"><div class="xxgk-info">', 1)
    text = text.replace('</div>\n<div class="footer">', '</td></tr></table>\n<div class="footer">', 1)
    # The title in a one-cell frame table, as such sites print it.
    text = re.sub(r'<h1 class="article-title">(.*?)</h1>',
                  r'<table width="100%"><tr><td align="center" class="bt"><b>\1</b></td></tr></table>', text)
    assert text.count("<table") == 4
    doc = read_source(_write(tmp_path, text))
    _assert_no_chrome(doc)
    _assert_xxgk(read_target_list(tmp_path / "page.html"))


def test_html5_page_with_metadata_as_list_items(tmp_path):
    """<header>/<nav>/<aside>/<footer>, the metadata as <li><span> pairs, the title in the article's own
    <header>, a hidden element that must not count, no signature and no date in the body."""
    table = re.search(r"<table border=\"1\".*?</table>", _xxgk_text(), re.S).group(0)
    page = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>通知</title></head><body>
<header class="site"><div class="logo">重庆市武隆区人民政府</div>
  <nav><a href="/">首页</a><a href="/zwgk/">政务公开</a></nav>
  <form action="/s"><input name="q"><button>搜索</button></form></header>
<div class="container"><div class="detail">
  <div style="display:none">关于印发2022年森林防火方案的通知 2022年1月1日</div>
  <header><h1>重庆市武隆区人民政府办公室关于做好2023年全区民生实事工作的通知</h1></header>
  <ul class="meta-list">
    <li><span>索引号：</span><span>11500232009277528X/2023-00012</span></li>
    <li><span>发文字号：</span><span>武隆府办发〔2023〕4号</span></li>
    <li><span>发布机构：</span><span>重庆市武隆区人民政府办公室</span></li>
    <li><span>成文日期：</span><span>2023年02月23日</span></li>
  </ul>
  <div id="zoom">
    <p>各街道办事处，各乡镇人民政府，区政府各部门，有关单位：</p>
    <p>各牵头责任单位要落实专人，每月底将民生实事推进情况报送区发展改革委（联系人：何小双；联系电话：77727458；\
邮箱：1316543020@qq.com）。</p>
    <p>附件：武隆区2023年度民生实事目标任务</p>
    <p>附件</p><p>武隆区2023年度民生实事目标任务</p>
    {table}
  </div>
  <div class="share-bar">分享到：<a href="#">微信</a></div>
</div>
<aside><h3>相关文件</h3><a href="/a.html">重庆市武隆区人民政府办公室关于下达2023年第一批民生项目资金的通知</a></aside>
</div>
<footer><p>主办单位：重庆市武隆区人民政府办公室</p><p>网站标识码：5002320001</p></footer>
</body></html>"""
    doc = read_source(_write(tmp_path, page, "page.html", "utf-8"))
    _assert_no_chrome(doc)
    assert "森林防火" not in "".join(doc.paragraphs) and "2022" not in "".join(doc.paragraphs)
    assert doc.paragraphs[:2] == ["武隆府办发〔2023〕4号", XXGK_FACTS["notice_title"]]
    # No signature in the body: the issuer (here from the title) is signed above the metadata's date.
    assert doc.tables[0].paragraphs_before[-5:] == ["附件：武隆区2023年度民生实事目标任务", "重庆市武隆区人民政府办公室",
                                                   "2023年2月23日", "附件", "武隆区2023年度民生实事目标任务"]
    _assert_xxgk(read_target_list(tmp_path / "page.html"))


def test_mhtml_single_file_page(tmp_path):
    """网页，单个文件: multipart/related, the page quoted-printable in GB2312, an image in base64."""
    msg = EmailMessage()
    msg["From"] = "<Saved by Blink>"
    msg["Subject"] = "=?utf-8?b?5YWz5LqO5YGa5aW9?="
    msg["MIME-Version"] = "1.0"
    msg.set_content(XXGK.read_bytes(), maintype="text", subtype="html", cte="quoted-printable",
                    params={"charset": "gb2312"},
                    headers=["Content-Location: http://www.cqwulong.gov.cn/zwgk/zfwj/t20230228_1.html"])
    msg.add_related(b"\x89PNG\r\n\x1a\n" + bytes(200), maintype="image", subtype="png", cte="base64",
                    headers=["Content-Location: http://www.cqwulong.gov.cn/images/logo.png"])
    raw = msg.as_bytes()
    assert b"Content-Transfer-Encoding: quoted-printable" in raw and b"multipart/related" in raw
    path = tmp_path / "page.mhtml"
    path.write_bytes(raw)
    doc = read_source(path)
    assert doc.kind == "html"
    _assert_no_chrome(doc)
    _assert_xxgk(read_target_list(path))


def test_mhtml_html_part_after_an_image_in_base64_utf8(tmp_path):
    msg = EmailMessage()
    msg["MIME-Version"] = "1.0"
    msg.set_content(b"GIF89a" + bytes(50), maintype="image", subtype="gif", cte="base64")
    msg.add_related(_xxgk_text().replace("charset=gb2312", "charset=utf-8").encode("utf-8"), maintype="text",
                    subtype="html", cte="base64", params={"charset": "utf-8"})
    path = tmp_path / "page.mht"
    path.write_bytes(msg.as_bytes())
    _assert_xxgk(read_target_list(path))


# ------------------------------------------------------------------------------------------- encodings


def test_gbk_page_without_a_declared_charset(tmp_path):
    text = _xxgk_text().replace('<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />', "")
    _assert_xxgk(read_target_list(_write(tmp_path, text)))


def test_utf8_bom_wins_over_a_wrong_meta(tmp_path):
    path = tmp_path / "page.htm"
    path.write_bytes(b"\xef\xbb\xbf" + _xxgk_text().encode("utf-8"))  # still says charset=gb2312
    _assert_xxgk(read_target_list(path))


def test_gbk_characters_in_a_page_declared_gb2312():
    data = '<meta charset="gb2312"><p>繁體 喆</p>'.encode("gbk")
    assert _decode(data, None) == '<meta charset="gb2312"><p>繁體 喆</p>'
    assert _decode("<p>中文</p>".encode("utf-16"), None) == "<p>中文</p>"
    assert _decode("<p>中文</p>".encode("utf-16-le"), "utf-16le") == "<p>中文</p>"  # an MHTML part's charset
    assert _decode("<p>中文</p>".encode("gb18030"), "latin-1") == "<p>中文</p>"  # a wrong western label


# ------------------------------------------------------------------------------------------ line breaks


def test_source_line_breaks_beside_chinese_are_no_spaces(tmp_path):
    page = ("<html><head><meta charset=utf-8></head><body><p>关于做好\r\n<span lang=EN-US>2023</span>\r\n年全区"
            "民生\n实事工作的通知</p><p>Hello\nworld  联系电话：\n77727458</p></body></html>")
    doc = read_source(_write(tmp_path, page, "word.html", "utf-8"))
    assert doc.paragraphs == ["关于做好2023年全区民生实事工作的通知", "Hello world 联系电话：77727458"]


def test_br_lines_title_joined_facts_apart():
    assert _paragraphs_of(["重庆市武隆区人民政府办公室", "关于做好2023年全区民生实事工作的通知"]) == [
        "重庆市武隆区人民政府办公室\n关于做好2023年全区民生实事工作的通知"]
    assert _paragraphs_of(["重庆市武隆区人民政府办公室", "2023年2月23日"]) == [
        "重庆市武隆区人民政府办公室", "2023年2月23日"]
    assert _paragraphs_of(["武隆府办发〔2023〕4号", "重庆市武隆区人民政府办公室关于", "做好2023年全区民生实事工作的通知"]) == [
        "武隆府办发〔2023〕4号", "重庆市武隆区人民政府办公室关于\n做好2023年全区民生实事工作的通知"]
    assert _paragraphs_of(["附件", "武隆区2023年度民生实事目标任务"]) == ["附件", "武隆区2023年度民生实事目标任务"]
    body = ["各单位：", "为深入贯彻落实有关要求" * 4, "一、高度重视", "二、统筹推进"]
    assert _paragraphs_of(body) == body


def test_body_typed_as_one_block_with_br(tmp_path):
    body = ("<div class=\"zw\">武隆府办发〔2023〕4号<br>重庆市武隆区人民政府办公室<br>关于做好2023年全区民生实事工作的通知<br>"
            "各街道办事处，各乡镇人民政府，区政府各部门，有关单位：<br>　　为深入贯彻落实习近平总书记关于保障和改善民生的"
            "重要指示批示要求，确定实施一批民生实事。<br>　　各牵头责任单位要落实专人，每月底将民生实事推进情况报送区发展改革委"
            "（联系人：何小双；联系电话：77727458；邮箱：1316543020@qq.com）。<br>重庆市武隆区人民政府办公室<br>"
            "2023年2月23日<br>附件<br>武隆区2023年度民生实事目标任务</div>")
    table = re.search(r"<table border=\"1\".*?</table>", _xxgk_text(), re.S).group(0)
    path = _write(tmp_path, f"<html><head><meta charset=\"utf-8\"></head><body>{body}{table}</body></html>",
                  encoding="utf-8")
    parsed = read_target_list(path)
    _assert_xxgk(parsed)


# ------------------------------------------------------------------------------------------- bad input


def _refused(path: Path, word: str) -> str:
    with pytest.raises(ImportFailure) as err:
        read_target_list(path)
    msg = str(err.value)
    assert word in msg, msg
    assert "\n" not in msg and path.name in msg
    assert re.search(r"[\u4e00-\u9fff]", msg)
    return msg


def test_page_without_a_table(tmp_path):
    text = re.sub(r"<table border=\"1\".*?</table>", "", _xxgk_text(), flags=re.S)
    _refused(_write(tmp_path, text, "no_table.html"), "没有找到表格")


def test_page_with_a_table_without_header(tmp_path):
    path = _write(tmp_path, "<html><body><p>通知</p><table><tr><td>甲</td><td>乙</td></tr>"
                            "<tr><td>1</td><td>2</td></tr></table></body></html>", "no_header.html", "utf-8")
    _refused(path, "表头")


def test_garbage_named_html(tmp_path):
    path = tmp_path / "garbage.html"
    path.write_bytes(b"\x00\x01" + random.Random(7).randbytes(6000))
    _refused(path, "不是可以读取的网页")


def test_text_that_is_not_a_page(tmp_path):
    _refused(_write(tmp_path, "这不是网页，只是一段文字。", "plain.html", "utf-8"), "不是可以读取的网页")


def test_mhtml_without_an_html_part(tmp_path):
    msg = EmailMessage()
    msg["MIME-Version"] = "1.0"
    msg.set_content(b"\x89PNG\r\n\x1a\n" + bytes(100), maintype="image", subtype="png", cte="base64")
    msg.add_related(b"GIF89a" + bytes(50), maintype="image", subtype="gif", cte="base64")
    path = tmp_path / "images_only.mhtml"
    path.write_bytes(msg.as_bytes())
    _refused(path, "没有网页正文")


def test_too_many_rows_refused_before_parsing(tmp_path):
    rows = "<tr><td>1</td></tr>" * 50_001
    _refused(_write(tmp_path, f"<html><body><table>{rows}</table></body></html>", "huge.html", "utf-8"), "行")


def test_spans_are_bounded_and_entities_not_expanded(tmp_path):
    bomb = ('<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY x SYSTEM "file:///etc/passwd">]>')
    page = (f"{bomb}<html><body><p>&b;&x;</p><table><tr><td colspan=\"99999\" rowspan=\"99999\">序号</td>"
            "<td>项目名称</td></tr><tr><td>1</td><td>甲</td></tr></table></body></html>")
    doc = read_source(_write(tmp_path, page, "hostile.html", "utf-8"))
    assert "aaaaaaaaaa" not in "".join(doc.paragraphs) and "root:" not in "".join(doc.paragraphs)
    assert max(len(r) for r in doc.tables[0].rows) <= 258


def test_cancel(tmp_path):
    with pytest.raises(ImportCancelled):
        read_html(XXGK, Progress(cancelled=lambda: True))
    assert read_html(XXGK, NO_PROGRESS).tables
