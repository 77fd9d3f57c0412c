"""``compliance rules new ID``: the skeleton of a rule and of its case file, never over a file.

In a rule pack (``--rules DIR``) the rule is ``DIR/<family>/<ID>.yaml`` and its cases
``DIR/tests/<family>/<ID>.yaml``; without one, in a checkout of the project, ``rules/<family>/``
and ``tests/rules/<family>/``. The family folder is the id's prefix in lower case. Every value to
write is a placeholder 【待填写：…】 that says what goes there; the rulebook refuses a rule file
that still holds one, naming the field."""

from __future__ import annotations

import re
from pathlib import Path

from compliance.errors import ComplianceError
from compliance.i18n import _
from compliance.output import make_directory, write_text
from compliance.resources import rules_dir
from compliance.rulebook import PACK_CASES, default_rulebook

RULE_ID = re.compile(r"^[A-Z]+(-[A-Z0-9]+)+$")

RULE = """\
# RULE_ID：【待填写】处都要换成实际内容（保存后运行 compliance rules test PACK 检查）。
# 规则的写法见 ARCHITECTURE.md “Add a rule”；可用的事实和字段：compliance facts 草稿文件 [--kind 事实类型]。
id: RULE_ID
name: 【待填写：规则名，小写英文单词加连字符，说明缺什么，如 overview-new-media-missing】
title: 【待填写：一句话标题，如“总体情况未报告政务新媒体情况”】
severity: major  # critical（严重）/ major（较重）/ minor（轻微）/ info（提示）
# 依据：basis.yaml 中的键（本规则包的 basis.yaml，或内置的 rules/basis.yaml）
basis: [【待填写：依据的键，如 PROV-2022-NEWMEDIA】]
scope: {regimes: [ogi2019]}  # 适用的报告：ogi2019 为2021年格式（2021年度起）；不写即全部适用
# 何时报出问题：下面是最常见的一种——某一部分存在（part_content，item 为部分的名称：overview 总体情况、
# active 主动公开、request 依申请公开、review_litigation 复议诉讼、problems 问题及改进、other 其他），
# 但该部分没有提到某个词集（lexicon/mentions.yaml 中的 set）的任何词语。
when:
  fact: part_content
  where: {item: overview}
absent:
  fact: mention
  where: {set: 【待填写：词集名，如 new_media】, part: overview}
# 提示语（Jinja2 模板）：fact 是 when 的事实（fact.heading 为该部分的标题），doc 是报告（doc.year 等）
message: "“{{ fact.heading }}”【待填写：缺什么，如“未报告政务新媒体情况”】"
suggestion: "【待填写：怎样改，如“在总体情况中写明政务新媒体的开设和信息发布情况”】"
doc:
  what: 【待填写：本规则检查什么】
  why: 【待填写：为什么要求（依据哪个文件的哪一条）】
  fix: 【待填写：怎样改正】
examples:  # 报告片段：fail 应当报出问题，pass 不应报出（compliance rules test 会检查）
  context: {year: 2021}
  fail: |
    某县交通运输局2021年政府信息公开工作年度报告
    一、总体情况
    【待填写：这一部分的文字，不提到词集中的词语】
    某县交通运输局
    2022年1月20日
  pass: |
    某县交通运输局2021年政府信息公开工作年度报告
    一、总体情况
    【待填写：这一部分的文字，提到词集中的词语】
    某县交通运输局
    2022年1月20日
"""

CASES = """\
# RULE_ID 的测试用例：compliance rules test PACK 逐条检查。
# 每条：name、text（报告文字）或 file（相对于规则包目录的文件，任何支持的格式）、
# context（year、issuer_kind、regime）、expect: fail（应报出）或 pass（不应报出），
# 可选 count（报出几处）、excerpts（各处摘录）、messages（各处提示语应包含的文字）。
rule: RULE_ID
cases:
  - name: 【待填写：应报出问题的情形，如“总体情况没有提到政务新媒体”】
    context: {year: 2021}
    text: |
      某县交通运输局2021年政府信息公开工作年度报告
      一、总体情况
      【待填写：这一部分的文字，不提到词集中的词语】
      某县交通运输局
      2022年1月20日
    expect: fail
    count: 1
  - name: 【待填写：符合要求的情形，如“总体情况报告了微信公众号”】
    context: {year: 2021}
    text: |
      某县交通运输局2021年政府信息公开工作年度报告
      一、总体情况
      【待填写：这一部分的文字，提到词集中的词语】
      某县交通运输局
      2022年1月20日
    expect: pass
"""


class ScaffoldError(ComplianceError):
    """A skeleton that cannot be written: one line."""


def _targets(rule_id: str, pack: Path | None) -> tuple[Path, Path]:
    family = rule_id.split("-", 1)[0].lower()
    if pack is not None:
        return pack / family / f"{rule_id}.yaml", pack / PACK_CASES / family / f"{rule_id}.yaml"
    shipped, cases = rules_dir(), rules_dir().parent / "tests" / "rules"
    if not cases.is_dir():  # an installed package: its rules are not for editing
        raise ScaffoldError(_("这里自带的规则不是源码检出；请用 --rules DIR 新建规则包"))
    return shipped / family / f"{rule_id}.yaml", cases / family / f"{rule_id}.yaml"


def new_rule(rule_id: str, pack: Path | None = None) -> tuple[Path, Path]:
    """Write the skeletons of rule ``rule_id`` and of its cases; return their paths."""
    if not RULE_ID.match(rule_id):
        raise ScaffoldError(f"{rule_id!r}: " + _("规则编号是用 '-' 连接的大写单词，规则族在前（LOCAL-NEWMEDIA）"))
    if rule_id in default_rulebook().rules:
        raise ScaffoldError(_("{rule} 是自带的规则；请另选编号").format(rule=rule_id))
    rule, cases = _targets(rule_id, pack)
    for path in (rule, cases):
        if path.exists():
            raise ScaffoldError(f"{path}: " + _("已存在，未覆盖"))
    for path, text in ((rule, RULE), (cases, CASES)):
        make_directory(path.parent)
        write_text(path, text.replace("RULE_ID", rule_id))
    return rule, cases
