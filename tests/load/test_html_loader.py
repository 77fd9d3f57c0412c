"""Stage 1, .html: block elements as lines, page furniture dropped, tables resolved to a grid."""

from __future__ import annotations

import pytest

from compliance.errors import InputError
from compliance.load import load

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>标题不算正文</title>
<style>p { color: red }</style><script>var x = "<p>脚本</p>";</script></head>
<body class="has-navbar">
<header><a href="/">首页</a></header>
<nav><a>网站导航</a></nav>
<div class="top-menu">政务公开 | 互动交流</div>
<div id="mainNav">导航二</div>
<ul role="navigation"><li>当前位置</li></ul>
<div class="breadcrumb">首页 &gt; 年报</div>
<div class="article">
  <h1>淮安市人民政府2024年
      政府信息公开工作年度报告</h1>
  <!-- 注释不算正文 -->
  <p>&#12288;&#12288;一、总体情况</p>
  <p>&nbsp;&nbsp;2024年，本机关<b>认真</b>落实<a href="#">《条例》</a>。<br>第二行</p>
  <table border="1">
    <tr><th colspan="2">信息内容</th><th>本年制发件数</th></tr>
    <tr><td rowspan="2">行政<br>许可</td><td>规章</td><td>1</td></tr>
    <tr><td>规范性<p>文件</p></td><td>8<script>junk()</script></td></tr>
    <tr><td colspan="x">坏</td><td></td><td></td></tr>
  </table>
  <p>二、主动公开政府信息情况</p>
</div>
<div class="bdsharebuttonbox">分享到</div>
<aside>相关链接</aside>
<div style="display: none">隐藏</div>
<div id="footer">联系我们</div>
<form><input value="搜索"><button>搜索</button></form>
</body></html>"""


def assert_offsets(source):
    for block in source.blocks:
        for cell in getattr(block, "cells", []):
            assert source.text[cell.start : cell.end] == cell.text


def test_page_reads_as_report_text(tmp_path):
    path = tmp_path / "r.html"
    path.write_text(PAGE, encoding="utf-8")
    source = load(path)
    assert source.format == "html" and source.encoding == "utf-8"
    assert source.text == (
        "淮安市人民政府2024年政府信息公开工作年度报告\n"
        "一、总体情况\n"
        "2024年，本机关认真落实《条例》。\n"
        "第二行\n"
        "信息内容\t\t本年制发件数\n"
        "行政许可\t规章\t1\n"
        "\t规范性文件\t8\n"
        "坏\t\t\n"
        "二、主动公开政府信息情况"
    )
    assert [b.kind for b in source.blocks] == ["paragraph"] * 4 + ["table", "paragraph"]
    table = source.blocks[4]
    grid = {(c.row, c.col): c for c in table.cells}
    assert grid[0, 0].colspan == 2 and grid[0, 1].merged_into == (0, 0)
    assert grid[1, 0].rowspan == 2 and grid[2, 0].merged_into == (1, 0) and grid[2, 0].text == ""
    assert (
        source.text[table.start : table.end] == "信息内容\t\t本年制发件数\n行政许可\t规章\t1\n\t规范性文件\t8\n坏\t\t"
    )
    assert_offsets(source)


def test_meta_charset_gb2312_with_gbk_only_characters(tmp_path):
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
        "<body><p>镕基 一、总体情况</p></body></html>"
    )
    path = tmp_path / "r.htm"
    path.write_bytes(page.encode("gbk"))
    source = load(path)
    assert source.text == "镕基 一、总体情况" and source.encoding == "gb18030"


def test_undeclared_gbk_and_xml_declaration(tmp_path):
    page = '<?xml version="1.0" encoding="gbk"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>一、总体情况</p></body></html>'
    path = tmp_path / "r.html"
    path.write_bytes(page.encode("gbk"))
    assert load(path).text == "一、总体情况"


def test_layout_table_is_not_a_data_table(tmp_path):
    prose = "本机关认真贯彻落实政府信息公开条例。" * 30
    page = f"<html><body><table><tr><td><p>一、总体情况</p><p>{prose}</p></td><td>侧栏</td></tr></table></body></html>"
    path = tmp_path / "r.html"
    path.write_text(page, encoding="utf-8")
    source = load(path)
    assert source.text == f"一、总体情况\n{prose}\n侧栏"
    assert all(b.kind == "paragraph" for b in source.blocks)


def test_html_by_content_whatever_the_extension(tmp_path):
    path = tmp_path / "report.doc"
    path.write_bytes("\ufeff  <!-- saved by Word -->\n<html><body><p>一、总体情况</p></body></html>".encode("utf-8"))
    source = load(path)
    assert (source.format, source.text) == ("html", "一、总体情况")


def test_html_utf16(tmp_path):
    path = tmp_path / "r.htm"
    path.write_bytes("<html><body><p>一、总体情况</p></body></html>".encode("utf-16"))
    assert load(path).text == "一、总体情况"


def test_html_without_text(tmp_path):
    path = tmp_path / "r.html"
    path.write_text("<html><body><script>x()</script><nav>导航</nav></body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="未找到文字"):
        load(path)


def test_table_caption_is_a_line_before_the_table(tmp_path):
    path = tmp_path / "r.html"
    path.write_text("<table><caption>表一</caption><tr><td>规章</td><td>1</td></tr></table>", encoding="utf-8")
    source = load(path)
    assert source.format == "html" and source.text == "表一\n规章\t1"
    assert [b.kind for b in source.blocks] == ["paragraph", "table"]
