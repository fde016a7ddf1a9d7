"""Portal pages: the article without the site's chrome, tables as tables, any charset."""

import pytest

from tasks_ledger.plan.document import Paragraph, Table
from tasks_ledger.plan.plan_json import PlanFormatError
from tasks_ledger.plan.readers.html import read_html
from tests.tasks_ledger.plan.documents import BLOCKS, plan_html


@pytest.mark.parametrize("encoding", ["utf-8", "gb2312", "gbk", "gb18030"])
def test_the_article_is_read_and_menus_headers_footers_scripts_ignored(encoding):
    blocks = read_html(plan_html(encoding), name="plan.html").blocks
    assert blocks == BLOCKS


def test_a_page_without_a_charset_is_detected():
    data = plan_html("gbk").replace(b"; charset=gbk", b"")
    assert read_html(data, name="plan.htm").blocks == BLOCKS


def test_br_and_p_end_paragraphs_and_article_wins_over_the_rest_of_body():
    page = """<html><body><div>推荐阅读<a href="/x">别的文章</a></div>
    <article><p>一、总体要求<br>(一)推进公开。<br/>2017年</p>
    <div>(二)<b>加强</b>领导。</div></article></body></html>"""
    assert read_html(page.encode(), name="a.html").blocks == [
        Paragraph("一、总体要求"),
        Paragraph("(一)推进公开。"),
        Paragraph("2017年"),
        Paragraph("(二)加强领导。"),
    ]


def test_spans_repeat_and_a_layout_table_is_read_as_text():
    page = """<html><body><table><tr><td><table>
      <tr><th colspan="2">任务</th><th>时限</th></tr>
      <tr><td rowspan="2">公开预算</td><td>财务处</td><td>年内</td></tr>
      <tr><td>办公室</td><td>每月</td></tr>
    </table><p>三、保障措施</p></td></tr></table></body></html>"""
    assert read_html(page.encode(), name="a.html").blocks == [
        Table(
            rows=(
                ("任务", "任务", "时限"),
                ("公开预算", "财务处", "年内"),
                ("公开预算", "办公室", "每月"),
            )
        ),
        Paragraph("三、保障措施"),
    ]


def test_entities_declared_in_the_page_are_not_expanded():
    page = (
        b'<!DOCTYPE html [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<html><body><p>&b;&b;&b;</p><p>\xe4\xb8\x80\xe3\x80\x81</p></body></html>"
    )
    text = "".join(b.text for b in read_html(page, name="a.html").blocks)
    assert "AAAA" not in text


@pytest.mark.parametrize(
    "page",
    [b"<html><head><title>x</title></head></html>", b"   ", b"<html><body><script>1</script>"],
    ids=["no-body", "blank", "only-script"],
)
def test_a_page_without_an_article_is_refused_with_a_clear_error(page):
    with pytest.raises(PlanFormatError) as caught:
        read_html(page, name="empty.html")
    assert caught.value.where == "empty.html"
