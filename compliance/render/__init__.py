"""Stage 7: reports → what people read (terminal text, Markdown, HTML) and what programs read
(JSON, SARIF)."""

SEVERITY_LABELS = {"critical": "严重", "major": "重要", "minor": "一般", "info": "提示"}
FAMILY_LABELS = {
    "STRUCT": "结构",
    "CALC": "数据计算",
    "XREF": "前后一致",
    "TIME": "时间日期",
    "FEE": "收费",
    "GOV": "考核评议",
    "KP": "工作要点",
    "STYLE": "文字规范",
    "DUP": "内容雷同",
}
ISSUER_KIND_LABELS = {"government": "人民政府", "department": "政府部门", "unknown": "机关类型不明"}
SCRIPT_LABELS = {"simplified": "简体", "traditional": "繁体"}
BEFORE_PARTS = "（正文各部分之前）"


def family(rule_id: str) -> str:
    """The family of a rule id: the prefix before the first '-' (CALC-SUM → CALC)."""
    return rule_id.split("-", 1)[0]


def family_label(rule_id: str) -> str:
    prefix = family(rule_id)
    return f"{prefix} {FAMILY_LABELS[prefix]}" if prefix in FAMILY_LABELS else prefix
