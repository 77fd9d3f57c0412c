"""The rulebook: every file under ``rules/``, loaded once, validated strictly.

Errors name the file, the rule and the field. Templates are checked here too: a rule may only
use ``fact`` (fields of its ``when`` fact kind) and ``doc`` (fields of the document fact).

Every template the project renders (rule messages, the notice's wording, the HTML report, the
screening summary) is rendered by ``BoundedSandboxedEnvironment``: Jinja2's immutable sandbox
(no attribute starting with "_", no call that changes a list or dict) that also bounds what a
template can make — ``range`` up to ``MAX_RANGE`` items; ``*``, ``**``, ``+``, ``%``, ``~``, the
filters and the string methods that could make a value larger than the render's limit refuse
to; loop iterations and calls are counted; a render stops before its output passes its limit.
Whatever goes wrong while rendering is a ``TemplateRenderError`` (a ComplianceError: one line)."""

from __future__ import annotations

import contextvars
import difflib
import hashlib
import inspect
import marshal
import math
import re
import string
import types
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from functools import cache, wraps
from pathlib import Path
from typing import Any, Literal, NoReturn, cast, get_args, get_origin

import jinja2
import pydantic
from jinja2 import FileSystemLoader, StrictUndefined, Template, TemplateError, TemplateSyntaxError, meta, nodes
from jinja2.compiler import CodeGenerator
from jinja2.runtime import markup_join
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEscapeFormatter, SandboxedFormatter, SecurityError
from markupsafe import Markup, soft_str

from compliance import cache as disk_cache
from compliance.errors import ComplianceError, ConfigError, RuleFileError
from compliance.i18n import N_, _
from compliance.models.facts import FACT_MODELS, DocumentFact, Fact
from compliance.models.facts_mentions import PREAMBLE
from compliance.models.rulespec import (
    Cases,
    Comparison,
    DocumentKindLexicon,
    Grading,
    IssuerLexicon,
    MentionLexicon,
    MentionSet,
    NotCheckedLexicon,
    PartLexicon,
    PatternSet,
    RegimeSpec,
    RuleSpec,
    TableLexicon,
)
from compliance.resources import cannot_read, read_model, read_yaml, rules_dir, validated

# --- Templates: sandboxed and bounded ----------------------------------------------------------

MAX_RANGE = 10_000  # items range() makes
MAX_INT_BITS = 4_096  # bits of an integer a template computes (about 1 200 digits)
MAX_WIDTH = 1_000  # a width or precision in a format ('{:>9}', '%9d', tojson's indent)
MAX_STEPS = 50_000  # loop iterations and calls in one render (about 0.2 s of macro calls)
MESSAGE_LIMIT = 1_000_000  # characters one template renders: a rule's message, a paragraph of the notice
DOCUMENT_LIMIT = 4_000_000  # characters of a document made of many (the notice; the HTML report beyond its draft)
_LOOP_GUARD = "bounded_loop"  # the filter every {% for %} iterates through (counted steps)


class TemplateLimitError(SecurityError):
    """A template would make more than its render allows (a SecurityError, so a TemplateError)."""


class TemplateRenderError(ComplianceError):
    """A template that could not be rendered — an error in it, or a limit reached: one line."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Budget:
    """What the render under way may still make: the size of any one value, and steps."""

    size: int = MESSAGE_LIMIT
    steps: int = MAX_STEPS
    taken: int = 0

    def step(self) -> None:
        self.taken += 1
        if self.taken > self.steps:
            raise TemplateLimitError(_("循环和调用超过 {most:,} 次").format(most=self.steps))


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("template_budget", default=None)


def _budget() -> _Budget:
    """The budget of the render under way; outside one (constants folded while compiling), a fresh one."""
    return _BUDGET.get() or _Budget()


def _fits(size: int, what: str) -> None:
    limit = _budget().size
    if size > limit:
        said = _("{what} 将产生 {size:,} 个字符或元素（上限 {limit:,}）")
        raise TemplateLimitError(said.format(what=_(what), size=size, limit=limit))


def _sized(value: Any) -> bool:
    return isinstance(value, (str, bytes, list, tuple, dict, set, frozenset))


def _bounded(value: Any) -> Any:
    """``value``, when it is within the budget (checked after a step that grows a value at most
    by a constant factor)."""
    if _sized(value):
        _fits(len(value), N_("一个值"))
    elif isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise TemplateLimitError(_("整数超过 {bits} 位").format(bits=MAX_INT_BITS))
    return value


def _number(value: Any) -> int:
    return value if isinstance(value, int) else 0


def _total(texts, start: int, what: str) -> None:
    """``start`` plus the length of every text: within the budget, stopping at the first too many."""
    limit, size = _budget().size, start
    for text in texts:
        size += len(text)
        if size > limit:
            _fits(size, what)


def _check_width(number: str) -> None:
    number = number.lstrip("0")
    if len(number) > len(str(MAX_WIDTH)) or (number and int(number) > MAX_WIDTH):
        raise TemplateLimitError(_("格式的宽度或精度超过 {most}").format(most=MAX_WIDTH))


_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)", re.S)


def _check_percent(text: str, values: Any) -> None:
    """``text % values``: widths and precisions of at most MAX_WIDTH, none taken from the values
    (``%*d``), and a result within the budget."""
    conversions = 0
    for width, precision, kind in _PERCENT.findall(text):
        if kind == "%":
            continue
        for number in (width, precision):
            if number == "*":
                raise TemplateLimitError(_("% 格式中有 '*' 宽度或精度"))
            if number:
                _check_width(number)
        conversions += 1
    if not conversions:
        return
    items = values.values() if isinstance(values, dict) else values if isinstance(values, tuple) else (values,)
    # A mapping may be named by several conversions: each may insert the longest value.
    longest = 0
    for item in items:
        longest = max(longest, len(soft_str(item)))
        _fits(len(text) + conversions * (MAX_WIDTH + longest), "'%'")


def _check_replace(text: Any, old: Any, new: Any, count: Any = None) -> None:
    if not isinstance(text, (str, bytes)) or not isinstance(old, type(text)) or not isinstance(new, type(text)):
        return  # str.replace raises TypeError itself
    # old and new have text's type (checked above), which mypy does not carry over
    hits = len(text) + 1 if not old else text.count(old)  # type: ignore[arg-type]
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    _fits(len(text) + hits * len(new), "replace")


def _check_binop(operator: str, left: Any, right: Any) -> None:
    if operator == "*":
        if isinstance(left, int) and isinstance(right, int):
            if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise TemplateLimitError(_("'*' 将产生超过 {bits} 位的整数").format(bits=MAX_INT_BITS))
        elif (isinstance(right, int) and _sized(left)) or (isinstance(left, int) and _sized(right)):
            items, times = (left, right) if isinstance(right, int) else (right, left)
            _fits(len(items) * max(times, 0), "'*'")
    elif operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            if right > MAX_INT_BITS or right * math.log2(abs(left)) > MAX_INT_BITS:
                raise TemplateLimitError(_("'**' 将产生超过 {bits} 位的整数").format(bits=MAX_INT_BITS))
    elif operator == "+":
        if _sized(left) and _sized(right):
            _fits(len(left) + len(right), "'+'")
    elif operator == "%" and isinstance(left, str):
        _check_percent(left, right)


def _checked_call(function: Any, args: tuple) -> tuple:
    """The arguments of a call of a string method that could make a large string, checked
    (``sep.join``'s items listed once, so that they are counted and then joined)."""
    owner = getattr(function, "__self__", None)
    if not isinstance(function, types.BuiltinMethodType) or not isinstance(owner, (str, bytes)):
        return args
    name = function.__name__
    if name in ("center", "ljust", "rjust", "zfill") and args:
        _fits(max(_number(args[0]), len(owner)), f"str.{name}")
    elif name == "expandtabs":
        tab = "\t" if isinstance(owner, str) else b"\t"
        # tab has owner's type (str or bytes), which mypy does not carry over
        _fits(len(owner) + owner.count(tab) * max(_number(args[0]) if args else 8, 0), "str.expandtabs")  # type: ignore[arg-type]
    elif name == "replace" and len(args) >= 2:
        _check_replace(owner, args[0], args[1], args[2] if len(args) > 2 else None)
    elif name == "join" and args:
        items = list(args[0])
        _total((item for item in items if _sized(item)), len(owner) * max(len(items) - 1, 0), "str.join")
        return (items, *args[1:])
    elif name == "translate" and args and isinstance(args[0], dict):
        longest = max((len(v) for v in args[0].values() if _sized(v)), default=1)
        _fits(len(owner) * max(longest, 1), "str.translate")
    return args


# Filters that could make a large value from a small one: checked before they run (the arguments
# bound to the filter's own parameter names). Every filter's result is checked after it runs.
def _filter_join(a: dict) -> None:
    from jinja2.filters import make_attrgetter

    items = a["value"]
    if a["attribute"] is not None:
        items, a["attribute"] = map(make_attrgetter(a["eval_ctx"].environment, a["attribute"]), items), None
    a["value"] = items = list(items)
    _total(map(soft_str, items), len(soft_str(a["d"])) * max(len(items) - 1, 0), "join")


def _filter_indent(a: dict) -> None:
    text, width = soft_str(a["s"]), a["width"]
    _fits(len(text) + (text.count("\n") + 1) * (len(width) if isinstance(width, str) else _number(width)), "indent")


def _filter_wordwrap(a: dict) -> None:
    text = soft_str(a["s"])
    wrap = a["wrapstring"] or a["environment"].newline_sequence
    _fits(len(text) + (len(text) // max(_number(a["width"]), 1) + 1) * len(wrap), "wordwrap")


def _filter_sum(a: dict) -> None:
    if not isinstance(a["start"], (int, float)):
        raise TemplateLimitError(_("sum 只能从数字开始求和"))


def _filter_slice(a: dict) -> None:
    if _number(a["slices"]) > MAX_RANGE:
        raise TemplateLimitError(_("slice 分成的份数超过 {most}").format(most=MAX_RANGE))


def _filter_tojson(a: dict) -> None:
    indent = a["indent"]
    if (isinstance(indent, str) and len(indent) > MAX_WIDTH) or _number(indent) > MAX_WIDTH:
        raise TemplateLimitError(_("tojson 的缩进超过 {most}").format(most=MAX_WIDTH))


_FILTER_CHECKS = {
    "center": lambda a: _fits(max(_number(a["width"]), len(soft_str(a["value"]))), "center"),
    "indent": _filter_indent,
    "wordwrap": _filter_wordwrap,
    "replace": lambda a: _check_replace(soft_str(a["s"]), soft_str(a["old"]), soft_str(a["new"]), a["count"]),
    "format": lambda a: _check_percent(soft_str(a["value"]), a["kwargs"] or a["args"]),
    "join": _filter_join,
    "batch": lambda a: _fits(_number(a["linecount"]), "batch"),
    "slice": _filter_slice,
    "sum": _filter_sum,
    "tojson": _filter_tojson,
}


def _guarded_filter(name: str, function):
    """``function`` as a filter that counts a step, checks its arguments (``_FILTER_CHECKS``) and
    its result. (Also when the compiler folds constants: a refused filter is left to the render.)"""
    check = _FILTER_CHECKS.get(name)
    signature = inspect.signature(function) if check else None

    @wraps(function)  # keeps jinja_pass_arg (pass_context …)
    def guarded(*args, **kwargs):
        _budget().step()
        if check is not None and signature is not None:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            check(bound.arguments)
            args, kwargs = bound.args, bound.kwargs
        return _bounded(function(*args, **kwargs))

    return guarded


def _loop_guard(iterable):
    budget = _budget()
    for item in iterable:
        budget.step()
        yield item


def _range(*args: int) -> range:
    numbers = range(*args)
    try:
        count = len(numbers)
    except OverflowError:
        count = MAX_RANGE + 1
    if count > MAX_RANGE:
        raise TemplateLimitError(_("range() 超过 {most:,} 个数").format(most=MAX_RANGE))
    return numbers


class _Bounded(string.Formatter):
    """A str.format formatter whose widths are at most MAX_WIDTH and whose result fits the budget."""

    made = 0

    def format_field(self, value: Any, format_spec: str) -> Any:
        for number in re.findall(r"\d+", format_spec):
            _check_width(number)
        text = super().format_field(value, format_spec)
        self.made += len(text)
        _fits(self.made, "str.format")
        return text


class _BoundedFormatter(_Bounded, SandboxedFormatter):
    pass


class _BoundedEscapeFormatter(_Bounded, SandboxedEscapeFormatter):
    pass


class _BoundedCodeGenerator(CodeGenerator):
    """Joins with ``~`` go through ``environment.bounded_join``, which checks the size first."""

    def visit_Concat(self, node: nodes.Concat, frame) -> None:
        if frame.eval_ctx.volatile:  # as Jinja2 decides between markup_join and str_join
            markup = "context.eval_ctx.volatile"
        else:
            markup = repr(bool(frame.eval_ctx.autoescape))
        self.write("environment.bounded_join((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write(f"), {markup})")


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    if not isinstance(error, TemplateError):
        text = f"{type(error).__name__}: {text}" if text else type(error).__name__
    return text[:500]


@dataclass(frozen=True)
class Precompiled:
    """A template compiled ahead: its code (marshalled: kept with the rulebook in the cache, so a
    new process renders a rule's message without compiling it, ~1 ms each) and whether it names
    a global of the environment."""

    code: bytes
    uses_globals: bool


class BoundedTemplate(Template):
    """A template whose render is bounded (output, value sizes, steps) and whose every failure is
    a TemplateRenderError."""

    uses_globals = True  # known false for a template from_string found naming none

    def render(self, *args: Any, **kwargs: Any) -> str:
        return self.render_within(dict(*args, **kwargs))

    def render_within(self, context: dict[str, Any], output: int | None = None, steps: int | None = None) -> str:
        """Render with ``context``; ``output`` characters at most (and no value larger), ``steps``
        loop iterations and calls at most (default: the environment's limits)."""
        environment = cast(BoundedSandboxedEnvironment, self.environment)
        output = environment.output_limit if output is None else output
        token = _BUDGET.set(_Budget(size=output, steps=environment.step_limit if steps is None else steps))
        try:
            pieces, size = [], 0
            # A template that names no global renders in a context of its variables alone: merging
            # the environment's globals into every context costs a third of a short message's render.
            for piece in self.root_render_func(self.new_context(context, shared=not self.uses_globals)):
                size += len(piece)
                if size > output:
                    raise TemplateLimitError(_("输出将超过 {most:,} 个字符").format(most=output))
                pieces.append(piece)
            return "".join(pieces)
        except ComplianceError:
            raise
        except Exception as error:  # a template error, a limit, RecursionError …: one line
            raise TemplateRenderError(_one_line(error)) from error
        finally:
            _BUDGET.reset(token)


_DICT_ATTRIBUTES = frozenset(dir(dict))


class BoundedSandboxedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, bounded: see the module's docstring. ``output_limit`` and
    ``step_limit`` are the defaults of each render (``BoundedTemplate.render_within`` takes others)."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _BoundedCodeGenerator
    template_class = BoundedTemplate

    def __init__(self, *, output_limit: int = MESSAGE_LIMIT, step_limit: int = MAX_STEPS, **options: Any):
        super().__init__(**options)
        self.output_limit, self.step_limit = output_limit, step_limit
        self.globals["range"] = _range
        self.globals.pop("lipsum", None)  # lipsum(n) makes n paragraphs
        self.filters = {name: _guarded_filter(name, function) for name, function in self.filters.items()}
        self.filters[_LOOP_GUARD] = _loop_guard

    @classmethod
    def for_pages(cls, folder: Path, **options: Any) -> BoundedSandboxedEnvironment:
        """The environment of HTML pages whose templates are in ``folder``: autoescaped (a page shows
        a draft's text, which is hostile), the lines of block tags trimmed."""
        return cls(loader=FileSystemLoader(folder), autoescape=True, trim_blocks=True, lstrip_blocks=True, **options)

    def from_string(
        self,
        source: str | nodes.Template,
        globals: MutableMapping[str, Any] | None = None,
        template_class: type[Template] | None = None,
    ) -> BoundedTemplate:
        """As Environment's: a BoundedTemplate (the template_class), said so to the type checker."""
        if isinstance(source, str) and globals is None and template_class is None:
            return self.from_precompiled(self.precompile(source))
        return cast(BoundedTemplate, super().from_string(source, globals, template_class))

    def precompile(self, source: str) -> Precompiled:
        """The template compiled, as the rulebook cache keeps it."""
        parsed = self.parse(source)
        names = meta.TrackingCodeGenerator(_without_globals(self))
        names.visit(parsed)
        return Precompiled(marshal.dumps(self.compile(parsed)), bool(names.undeclared_identifiers & set(self.globals)))

    def from_precompiled(self, template: Precompiled) -> BoundedTemplate:
        made = cast(
            BoundedTemplate, self.template_class.from_code(self, marshal.loads(template.code), self.make_globals(None))
        )
        made.uses_globals = template.uses_globals
        return made

    def _generate(self, source: nodes.Template, name, filename, defer_init: bool = False):
        for loop in list(source.find_all(nodes.For)):  # every iteration is a counted step
            guard = nodes.Filter(loop.iter, _LOOP_GUARD, [], [], None, None, lineno=loop.iter.lineno)
            loop.iter = guard.set_environment(self)
        return super()._generate(source, name, filename, defer_init)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """As the sandbox's, for a plain dict (a finding's ``fact`` and ``doc``) without first
        trying, and failing, to read an attribute: a name that is none of dict's is an item
        (``fact.count``) — the value the sandbox gives, at a third of the cost."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        _check_binop(operator, left, right)
        return _bounded(super().call_binop(context, operator, left, right))

    def call(self, context, function: Any, /, *args: Any, **kwargs: Any) -> Any:
        _budget().step()
        args = _checked_call(function, args)
        return _bounded(super().call(context, function, *args, **kwargs))

    def concat(self, pieces) -> str:  # macro bodies, {% set %} blocks, filter and call blocks
        texts, size, limit = [], 0, _budget().size
        for piece in pieces:
            size += len(piece)
            if size > limit:
                _fits(size, N_("一个块"))
            texts.append(piece)
        return "".join(texts)

    def bounded_join(self, parts: tuple, markup: bool) -> str:
        texts = [soft_str(part) if markup else str(part) for part in parts]
        _total(texts, 0, "'~'")
        return markup_join(texts) if markup else "".join(texts)

    def wrap_str_format(self, value: Any):
        """``str.format``/``format_map`` through a formatter that bounds widths and the result."""
        if not isinstance(value, (types.MethodType, types.BuiltinMethodType)) or value.__name__ not in (
            "format",
            "format_map",
        ):
            return None
        text = value.__self__
        if not isinstance(text, str):
            return None
        environment, as_map = self, value.__name__ == "format_map"

        def formatted(*args: Any, **kwargs: Any) -> str:
            if as_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                kwargs, args = args[0], ()
            formatter = (
                _BoundedEscapeFormatter(environment, escape=text.escape)
                if isinstance(text, Markup)
                else _BoundedFormatter(environment)
            )
            return type(text)(formatter.vformat(text, args, kwargs))

        return wraps(value)(formatted)


TEMPLATES = BoundedSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
_DATA_DIRS = {"regimes", "lexicon", "keypoints", "profiles", "notice"}


@dataclass(frozen=True)
class Rulebook:
    root: Path
    rules: dict[str, RuleSpec]
    basis: dict[str, str]
    grading: Grading
    regimes: dict[str, RegimeSpec]
    parts: PartLexicon
    patterns: dict[str, PatternSet]
    issuers: IssuerLexicon
    tables: TableLexicon
    doctypes: DocumentKindLexicon
    not_checked: dict[str, str]  # reason key → template over `values` (rules/lexicon/not_checked.yaml)
    digest: str
    paths: dict[str, Path] = field(default_factory=dict)
    # The folders it was loaded from: the shipped rules first (``root``), then the rule packs.
    roots: tuple[Path, ...] = ()
    mentions: dict[str, MentionSet] = field(default_factory=dict)  # term sets (lexicon/mentions.yaml)
    # Every template of the rules and of the not-checked sentences, by its source, compiled.
    templates: dict[str, Precompiled] = field(default_factory=dict)

    def regime_for_year(self, year: int) -> RegimeSpec:
        for regime in self.regimes.values():
            if regime.years[0] <= year <= regime.years[1]:
                return regime
        return self.regimes["ogi2019"]

    def basis_text(self, keys: list[str]) -> str:
        return "；".join(self.basis[k] for k in keys)


_INCLUDES = (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)
_ATTRIBUTE_FILTERS = {"attr", "selectattr", "rejectattr", "groupby"}  # their first argument names an attribute
_PRIVATE_FIELD = re.compile(r"\{[^{}]*?[.\[]\s*_")  # '{0.__class__}', '{x[_y]}' in a str.format text


@cache
def _without_globals(environment):
    """``environment`` without its globals (range, cycler, namespace …), so that the names a
    template reads from outside include them."""
    bare = environment.overlay()
    bare.globals = {}
    return bare


def _private(value: Any) -> bool:
    return isinstance(value, str) and any(part.startswith("_") for part in value.split("."))


def _private_access(parsed: nodes.Template) -> str | None:
    """The first name starting with "_" the template reads as an attribute or item, if any."""
    for node in parsed.find_all((nodes.Getattr, nodes.Getitem, nodes.NSRef, nodes.Filter, nodes.Test)):
        if isinstance(node, (nodes.Getattr, nodes.NSRef)):
            if node.attr.startswith("_"):
                return node.attr
            text = node.node.value if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Const) else None
            if (
                node.attr in ("format", "format_map")
                and isinstance(text, str)
                and (found := _PRIVATE_FIELD.search(text))
            ):
                return found.group()
        elif isinstance(node, nodes.Getitem):
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str) and node.arg.value.startswith("_"):
                return node.arg.value
        elif isinstance(node, (nodes.Filter, nodes.Test)):
            named = [node.args[0]] if node.name in _ATTRIBUTE_FILTERS and node.args else []
            named += [keyword.value for keyword in node.kwargs if keyword.key == "attribute"]
            for argument in named:
                if isinstance(argument, nodes.Const) and _private(argument.value):
                    return argument.value
    return None


def check_template(
    source: str,
    allowed: dict[str, set[str] | None],
    path: Path,
    field_name: str,
    rule: str | None = None,
    environment: BoundedSandboxedEnvironment = TEMPLATES,
) -> None:
    """A template of a data file reads only the variables ``allowed`` gives, and of each only the
    attributes it lists (None: any), so a typo fails at load, naming the file, rule and field.
    It may use no global (range, cycler, namespace …), no attribute or item whose name starts
    with "_", no filter or test the environment lacks, and no other template."""

    def fail(reason: str) -> NoReturn:
        raise RuleFileError(str(path), reason, rule, field_name)

    try:
        parsed = environment.parse(source)
        generator = meta.TrackingCodeGenerator(_without_globals(environment))
        generator.visit(parsed)
    except TemplateSyntaxError as error:
        fail(_("模板错误：{error}").format(error=error.message))
    for name in sorted(generator.undeclared_identifiers):
        if name not in allowed:
            known = ", ".join(sorted(allowed))
            fail(_("未知的模板变量 {name!r}（已知：{known}）").format(name=name, known=known))
    if (private := _private_access(parsed)) is not None:
        fail(_("模板读取 {name!r}：不允许以 '_' 开头的名称").format(name=private))
    if next(parsed.find_all(_INCLUDES), None) is not None:
        fail(_("模板不能继承、包含或导入其他模板"))
    for node in parsed.find_all((nodes.Filter, nodes.Test)):
        assert isinstance(node, (nodes.Filter, nodes.Test))  # what find_all looked for
        if isinstance(node, nodes.Filter) and node.name not in environment.filters:
            fail(_("未知的过滤器 {name!r}").format(name=node.name))
        if isinstance(node, nodes.Test) and node.name not in environment.tests:
            fail(_("未知的测试 {name!r}").format(name=node.name))
    for access in parsed.find_all(nodes.Getattr):
        if isinstance(access.node, nodes.Name) and (fields := allowed.get(access.node.name)) is not None:
            if access.attr not in fields:
                fail(_("{variable} 没有字段 {field!r}").format(variable=access.node.name, field=access.attr))


# Reports a rule file's error (the reason, the field it is in) and raises.
_Fail = Callable[[str, str], NoReturn]


def _no_field() -> str:
    """The reason for a field a fact does not have (its fields: fact, field)."""
    return _("事实类型 {fact!r} 没有字段 {field!r}")


def _check_values(fact: str, where: dict, known: dict[tuple[str, str], set[str]], fail: _Fail, prefix: str) -> None:
    """Fixed values of fields whose values the rulebook knows (a mention's set and part)."""
    for key, value in where.items():
        allowed = known.get((fact, key))
        if allowed is not None and isinstance(value, str) and value not in allowed:
            known_values = ", ".join(sorted(v for v in allowed if v))
            reason = _("事实类型 {fact!r} 的 {key} 没有 {value!r}；已知：{known}")
            fail(reason.format(fact=fact, key=key, value=value, known=known_values), f"{prefix}.{key}")


def _check_cases(spec: RuleSpec, cases: Cases, model: type[Fact], fail: _Fail) -> None:
    """``cases`` name a ``Literal`` field of the ``when`` fact and cover exactly the values it can
    have when the rule fires (its ``Literal`` values, less what ``when.where`` rules out)."""
    name = cases.field
    info = model.model_fields.get(name)
    if info is None:
        fail(_no_field().format(fact=spec.when.fact, field=name), "cases.field")
    if get_origin(info.annotation) is not Literal:
        reason = _("事实类型 {fact!r} 的字段 {field!r} 没有固定取值（cases 需要 Literal 字段）")
        fail(reason.format(fact=spec.when.fact, field=name), "cases.field")
    values = [str(v) for v in get_args(info.annotation)]
    test = spec.when.where.get(name)
    if test is not None and not isinstance(test, Comparison):
        values = [v for v in values if v == str(test)]
    elif test is not None and test.neq is not None:
        values = [v for v in values if v != str(test.neq)]
    if unknown := [v for v in cases.values if v not in values]:
        reason = _("没有取值 {unknown}：规则触发时，事实类型 {fact!r} 的字段 {field!r} 取 {values}")
        fail(
            reason.format(
                unknown=", ".join(map(repr, unknown)), fact=spec.when.fact, field=name, values=", ".join(values)
            ),
            "cases.values",
        )
    if missing := [v for v in values if v not in cases.values]:
        reason = _("cases 缺少事实类型 {fact!r} 的字段 {field!r} 的取值 {missing}")
        fail(reason.format(missing=", ".join(map(repr, missing)), fact=spec.when.fact, field=name), "cases.values")


def _check_rule(
    spec: RuleSpec, path: Path, basis: dict[str, str], known: dict[tuple[str, str], set[str]] | None = None
) -> None:
    def fail(reason: str, field_name: str) -> NoReturn:
        raise RuleFileError(str(path), reason, spec.id, field_name)

    known = known or {}

    if spec.id != path.stem:
        fail(_("规则编号必须与文件名（{name}）相同").format(name=path.stem), "id")
    for key in spec.basis_keys():
        if key not in basis:
            fail(_("未知的依据键 {key!r}（见 rules/basis.yaml）").format(key=key), "basis")
    if isinstance(spec.basis, dict) and (uncovered := [r for r in spec.scope.regimes if not spec.basis.get(r)]):
        fail(_("规则适用的制度 {regimes} 没有依据").format(regimes=", ".join(uncovered)), "basis")
    model = FACT_MODELS.get(spec.when.fact)
    if model is None:
        reason = _("未知的事实类型 {fact!r}；已知：{known}")
        fail(reason.format(fact=spec.when.fact, known=", ".join(sorted(FACT_MODELS))), "when.fact")
    for key in spec.when.where:
        if key not in model.model_fields:
            fail(_no_field().format(fact=spec.when.fact, field=key), f"when.where.{key}")
    for index, tests in enumerate(spec.when.any):
        if not tests:
            fail(_("备选条件中没有任何测试"), f"when.any.{index}")
        for key in tests:
            if key not in model.model_fields:
                fail(_no_field().format(fact=spec.when.fact, field=key), f"when.any.{index}.{key}")
    _check_values(spec.when.fact, spec.when.where, known, fail, "when.where")
    if spec.evidence and not hasattr(model, "as_evidence"):
        fail(_("事实类型 {fact!r} 不能作为证据（没有 as_evidence）").format(fact=spec.when.fact), "evidence")
    if spec.evidence and spec.absent:
        fail(_("evidence 只用于没有 absent 的规则（when 未选中的事实即为通过的事实）"), "evidence")
    if spec.severity_by and spec.severity_by.field not in model.model_fields:
        fail(_no_field().format(fact=spec.when.fact, field=spec.severity_by.field), "severity_by.field")
    if spec.absent:
        other = FACT_MODELS.get(spec.absent.fact)
        if other is None:
            fail(_("未知的事实类型 {fact!r}").format(fact=spec.absent.fact), "absent.fact")
        for key in spec.absent.same:
            if key not in model.model_fields or key not in other.model_fields:
                reason = _("字段 {field!r} 不同时属于 {when!r} 和 {absent!r}")
                fail(reason.format(field=key, when=spec.when.fact, absent=spec.absent.fact), "absent.same")
        for key in spec.absent.where:
            if key not in other.model_fields or key == "kind":
                fail(_no_field().format(fact=spec.absent.fact, field=key), f"absent.where.{key}")
        _check_values(spec.absent.fact, spec.absent.where, known, fail, "absent.where")
    if spec.cases:
        _check_cases(spec, spec.cases, model, fail)
    allowed: dict[str, set[str] | None] = {"fact": set(model.model_fields), "doc": set(DocumentFact.model_fields)}
    for field_name, source in _templates(spec).items():
        check_template(source, allowed, path, field_name, spec.id)


def _templates(spec: RuleSpec) -> dict[str, str]:
    """A rule's templates, by the field each is in."""
    templates = {"message": spec.message, "suggestion": spec.suggestion}
    if spec.edit:
        templates["edit.replace"] = spec.edit.replace
    for value, case in spec.cases.values.items() if spec.cases else ():
        templates.update(
            {
                f"cases.values.{value}.{k}": t
                for k, t in (("message", case.message), ("suggestion", case.suggestion))
                if t is not None
            }
        )
    return templates


# What a skeleton (``compliance rules new``) leaves to be filled: a rule file still holding it is refused.
PLACEHOLDER = "【待填写"
# A rule pack's own folders and files besides its rules; anything else of the shipped layout
# (regimes, grading, the other lexicons …) a pack may not replace.
PACK_CASES = "tests"  # a pack's rule cases: tests/<family>/<ID>.yaml
_PACK_DATA = {"basis.yaml", "lexicon/mentions.yaml"}


def unfilled(data: Any, where: str = "") -> str | None:
    """The field (dotted) of the first string still holding PLACEHOLDER, if any."""
    if isinstance(data, str):
        return where or "." if PLACEHOLDER in data else None
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        if (found := unfilled(value, f"{where}.{key}" if where else str(key))) is not None:
            return found
    return None


def _load_rules(
    root: Path,
    basis: dict[str, str],
    known: dict[tuple[str, str], set[str]] | None = None,
    rules: dict[str, RuleSpec] | None = None,
    paths: dict[str, Path] | None = None,
) -> tuple[dict[str, RuleSpec], dict[str, Path]]:
    """The rule files of ``root`` (``<family>/<ID>.yaml``), added to ``rules``: an id already
    there (shipped, or in an earlier pack) is an error naming both files."""
    rules = {} if rules is None else rules
    paths = {} if paths is None else paths
    for path in sorted(root.glob("*/*.yaml")):
        if path.parent.name in _DATA_DIRS or path.parent.name == PACK_CASES:
            continue
        data = read_yaml(path)
        rule_id = data.get("id") if isinstance(data, dict) else None
        if (blank := unfilled(data)) is not None:
            reason = _("占位符 {placeholder}…】尚未填写").format(placeholder=PLACEHOLDER)
            raise RuleFileError(str(path), reason, rule_id, blank)
        spec = validated(RuleSpec, path, data, rule=rule_id)
        _check_rule(spec, path, basis, known)
        if spec.id in rules:
            reason = _("规则编号重复（另见 {path}）").format(path=paths[spec.id])
            raise RuleFileError(str(path), reason, spec.id, "id")
        rules[spec.id], paths[spec.id] = spec, path
    return rules, paths


def _check_pack(pack: Path) -> None:
    """A rule pack holds rule files, ``basis.yaml``, ``lexicon/mentions.yaml`` and ``tests/``."""
    if not pack.is_dir():
        raise RuleFileError(str(pack), _("规则文件夹不存在"))
    for path in sorted(pack.rglob("*.y*ml")):
        relative = path.relative_to(pack)
        if relative.parts[0] == PACK_CASES or relative.as_posix() in _PACK_DATA:
            continue
        if len(relative.parts) == 2 and relative.parts[0] not in _DATA_DIRS:
            if path.suffix == ".yaml":
                continue
            raise RuleFileError(str(path), _("规则文件应命名为 <ID>.yaml（不是 {suffix}）").format(suffix=path.suffix))
        reason = _(
            "规则包只能包含规则文件（<family>/<ID>.yaml）、basis.yaml、lexicon/mentions.yaml 和 tests/；"
            "不能替换或增加内置的 {path}"
        )
        raise RuleFileError(str(path), reason.format(path=relative.as_posix()))


def _basis(root: Path, packs: Sequence[Path]) -> tuple[dict[str, str], dict[str, Path]]:
    """The citation keys: the shipped ones, then each pack's ``basis.yaml`` (new keys only)."""
    basis = read_yaml(root / "basis.yaml")
    where = dict.fromkeys(basis, root / "basis.yaml")
    for pack in packs:
        path = pack / "basis.yaml"
        if not path.is_file():
            continue
        added = read_yaml(path) or {}
        if not isinstance(added, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in added.items()):
            raise RuleFileError(str(path), _("basis.yaml 应把依据键对应到条文（KEY: 《…》第…条）"))
        for key, text in added.items():
            if key in basis:
                reason = _("依据键 {key!r} 已在 {path} 中定义").format(key=key, path=where[key])
                raise RuleFileError(str(path), reason, field=key)
            basis[key], where[key] = text, path
    return basis, where


def _mention_sets(roots: Sequence[Path]) -> dict[str, MentionSet]:
    """The term sets of ``lexicon/mentions.yaml`` in each root; a pack adds sets, never changes one."""
    sets: dict[str, MentionSet] = {}
    where: dict[str, Path] = {}
    for root in roots:
        path = root / "lexicon" / "mentions.yaml"
        if not path.is_file():
            continue
        lexicon = read_model(path, MentionLexicon)
        for name, entry in lexicon.sets.items():
            if name in sets:
                reason = _("词集 {name!r} 已在 {path} 中定义；请给这个词集另取名称")
                raise RuleFileError(str(path), reason.format(name=name, path=where[name]), field=f"sets.{name}")
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise RuleFileError(str(path), _("词集名称只能由小写字母、数字和 _ 组成"), field=f"sets.{name}")
            if not entry.terms and not entry.patterns:
                raise RuleFileError(str(path), _("词集需要 terms 或 patterns"), field=f"sets.{name}")
            if "" in entry.terms:
                raise RuleFileError(str(path), _("空词条"), field=f"sets.{name}.terms")
            for index, pattern in enumerate(entry.patterns):
                try:
                    compiled = re.compile(pattern)
                except re.error as error:
                    raise RuleFileError(
                        str(path),
                        _("不是有效的正则表达式：{error}").format(error=error),
                        field=f"sets.{name}.patterns.{index}",
                    ) from None
                if compiled.match(""):
                    raise RuleFileError(str(path), _("该模式会匹配空文本"), field=f"sets.{name}.patterns.{index}")
            sets[name], where[name] = entry, path
    return sets


def _not_checked(path: Path) -> dict[str, str]:
    """The sentences of the "未检查" list, each a template over the reason's ``values``."""
    reasons = validated(NotCheckedLexicon, path, read_yaml(path)).root
    for key, source in reasons.items():
        check_template(source, {"values": None}, path, key)
    return reasons


def _digest(roots: Sequence[Path]) -> str:
    """Of every file the rulebook reads (the durable-rules host registers one ruleset per digest;
    the rulebook cache is keyed by it)."""
    digest = hashlib.sha256()
    for index, root in enumerate(roots):
        for path in sorted(root.rglob("*.yaml")):
            relative = path.relative_to(root)
            if index and relative.parts[0] == PACK_CASES:
                continue
            digest.update((f"{index}:" if index else "").encode() + str(relative).encode())
            try:
                digest.update(path.read_bytes())
            except OSError as error:  # as read_yaml says it
                raise RuleFileError(str(path), cannot_read(error)) from None
    return digest.hexdigest()[:16]


# What a rulebook is made by, besides its files: a change to any of them is a new cache key.
_CODE = (
    Path(__file__),
    Path(__file__).with_name("resources.py"),
    *sorted(Path(__file__).with_name("models").glob("*.py")),
)


def _cache_key(roots: tuple[Path, ...], digest: str) -> str:
    return disk_cache.key(
        digest, "\0".join(map(str, roots)), pydantic.VERSION, jinja2.__version__, disk_cache.source(*_CODE)
    )


def load_rulebook(roots: Path | Sequence[Path]) -> Rulebook:
    """Load and validate a rules folder — the shipped one, or a copy of it — and the rule packs
    after it (``roots``: that folder first, then the packs, in order). A pack adds rules, citation
    keys and mention sets; an id, key or set already defined is an error naming both files.

    A rulebook once validated is kept (compliance/cache.py) under a key of its folders, of the
    content of every file under them (``digest``), of the code that reads them and of the versions:
    the next process with the same rules unpickles it instead of reading and validating again."""
    roots = (Path(roots),) if isinstance(roots, (str, Path)) else tuple(Path(r) for r in roots)
    for pack in roots[1:]:
        _check_pack(pack)  # its files' names are not in the digest
    digest = _digest(roots)
    entry_key = _cache_key(roots, digest)
    cached = disk_cache.load("rulebook", entry_key)
    if isinstance(cached, Rulebook):
        return cached
    rulebook = _validated_rulebook(roots, digest)
    disk_cache.store("rulebook", entry_key, rulebook)
    return rulebook


def _validated_rulebook(roots: tuple[Path, ...], digest: str) -> Rulebook:
    """The files under ``roots`` read and validated (every error names the file, rule and field)."""
    root, packs = roots[0], roots[1:]
    basis = _basis(root, packs)[0]
    regimes: dict[str, RegimeSpec] = {
        spec.id: spec for path in sorted((root / "regimes").glob("*.yaml")) for spec in [read_model(path, RegimeSpec)]
    }
    for regime in regimes.values():
        for item in regime.items:
            if item.basis not in basis:
                raise RuleFileError(
                    str(root / "regimes" / f"{regime.id}.yaml"), _("未知的依据键 {key!r}").format(key=item.basis)
                )
    patterns_path = root / "lexicon" / "patterns.yaml"
    parts = read_model(root / "lexicon" / "parts.yaml", PartLexicon)
    mentions = _mention_sets(roots)
    known = {("mention", "set"): set(mentions), ("mention", "part"): {*parts.items, PREAMBLE, ""}}
    rules: dict[str, RuleSpec] = {}
    paths: dict[str, Path] = {}
    for folder in roots:
        _load_rules(folder, basis, known, rules, paths)
    not_checked = _not_checked(root / "lexicon" / "not_checked.yaml")
    return Rulebook(
        root=root,
        rules=rules,
        basis=basis,
        grading=read_model(root / "grading.yaml", Grading),
        regimes=regimes,
        parts=parts,
        patterns={k: validated(PatternSet, patterns_path, v) for k, v in read_yaml(patterns_path).items()},
        issuers=read_model(root / "lexicon" / "issuers.yaml", IssuerLexicon),
        tables=read_model(root / "lexicon" / "tables.yaml", TableLexicon),
        doctypes=read_model(root / "lexicon" / "doctypes.yaml", DocumentKindLexicon),
        not_checked=not_checked,
        digest=digest,
        paths=paths,
        roots=roots,
        mentions=mentions,
        templates={
            source: TEMPLATES.precompile(source)
            for source in (*(t for spec in rules.values() for t in _templates(spec).values()), *not_checked.values())
        },
    )


def check_selections(rulebook: Rulebook, **given: list[str]) -> None:
    """Each selection (``select=[…]``, ``ignore=[…]``: options or configuration) names a rule, by
    id or name, or a family of them (an id's prefix: STYLE): a mistyped one is an error naming the
    closest known ones — never a selection of nothing that passes every draft."""
    families = {rule_id[:i] for rule_id in rulebook.rules for i, ch in enumerate(rule_id) if ch == "-"}
    known = {*rulebook.rules, *families, *(spec.name for spec in rulebook.rules.values())}
    for option, patterns in given.items():
        for pattern in patterns:
            if pattern not in known:
                close = difflib.get_close_matches(pattern, sorted(known), n=3, cutoff=0.5)
                said = _("--{option} {pattern}：没有这个规则编号、规则族或规则名").format(
                    option=option, pattern=pattern
                )
                if close:
                    said += _("；最接近的：{names}").format(names="、".join(close))
                raise ConfigError(said + _("（compliance rules 列出全部规则）"))


@cache
def _rulebook(packs: tuple[Path, ...]) -> Rulebook:
    return load_rulebook((rules_dir(), *packs))


def rulebook_for(packs: Sequence[Path] = ()) -> Rulebook:
    """The shipped rules with these rule packs (``--rules``, ``Config.rules``), loaded once per process."""
    return _rulebook(tuple(dict.fromkeys(Path(pack).resolve() for pack in packs)))  # a pack named twice is one


def default_rulebook() -> Rulebook:
    """The shipped rules alone. Code that checks on a caller's behalf takes the caller's rulebook
    (or its configuration's packs, ``rulebook_for(config.rules)``) instead."""
    return _rulebook(())
