"""What a unit's batch check looks for, and how closely: the flag kinds and the unit's settings.

The settings are a small typed object with the defaults a careful HR clerk would use; the batch
page edits them, the batch export records them on its own sheet, and a unit may keep them as a
YAML file (``python -m scorer batch … --settings 设置.yaml``). Unknown keys are refused and every
number is bounded, as everywhere else. Points margins are Decimal: no float decides a flag.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import DataError, problems_from_validation, translate
from .rules.answers import CONTROL_CHARS
from .safeyaml import Parsed, ParseError, parse_text

FlagCode = Literal["ignored", "no_evidence", "packet_mismatch", "unbacked", "duplicate", "lead_conflict", "padding",
                   "just_over", "contradiction", "invalid"]

# code -> (the label in the table, the one line a clerk reads to know what to check)
FLAG_KINDS: dict[str, tuple[str, str]] = {
    "ignored": ("业绩未计分", "有业绩因不在时间范围内、未填日期或未注明备案等事项而未计分：核对是否漏填或不该申报"),
    "no_evidence": ("未列佐证", "计分业绩没有佐证材料，或只写了“待补”“无”“见附件”之类的占位词：无证明材料的不予评分"),
    "packet_mismatch": ("附件不符", "申报材料包中缺少申报文件所列的佐证文件，或文件无法读取、内容（SHA-256）或大小与所列不符"
                                    "（被改动或换过）：这些文件不作为佐证，请向申报人核实。只核查载入的申报材料包"),
    "unbacked": ("无佐证计分", "计入总分的分数没有经核对的佐证文件（只写了材料名称、文件缺少或不符的都算没有）："
                              "无证明材料的不予评分。只核查载入的申报材料包；单独的申报文件没有附带文件，不作此标记"),
    "duplicate": ("重复申报", "同一项业绩申报了不止一次（名称相同或几乎相同）：核对是否为同一个项目"),
    "lead_conflict": ("负责人冲突", "同一项业绩有两名及以上申报人都申报为主持或负责人：只能有一人，请核对"),
    "padding": ("凑满封顶", "一项用很多条业绩凑到（或超过）封顶分：逐条核对每条业绩是否属实、是否符合本项"),
    "just_over": ("刚过分数线", "总分或满足项数刚达到分数线：任何一条被驳回就达不到，请逐项复核"),
    "contradiction": ("填写矛盾", "填写的内容互相矛盾，或超出本表写明的上限（不可能的数值）：请申报人更正"),
    "invalid": ("超出表内取值", "填了本表没有的级别、角色、排名等，这些内容未计分：请按表内取值更正"),
}
FLAG_CODES: tuple[str, ...] = tuple(FLAG_KINDS)
FLAG_LABELS: dict[str, str] = {code: label for code, (label, _) in FLAG_KINDS.items()}
FLAG_HELP: dict[str, str] = {code: words for code, (_, words) in FLAG_KINDS.items()}

# evidence that names no document: counted as no evidence (compared after dropping spaces and punctuation)
DEFAULT_PLACEHOLDERS = (
    "待补", "待补充", "待提供", "待上传", "后补", "补交", "另附", "附后", "见附件", "详见附件", "附件", "见材料",
    "无", "暂无", "没有", "空", "略", "同上", "待定", "未提供", "无佐证", "无证明材料", "na", "n/a", "tbd", "todo",
)
# words at the end of a title that say what kind of thing it is, not which one (compared after dropping them)
DEFAULT_GENERIC_SUFFIXES = (
    "工程", "项目", "课题", "研究", "工作", "建设", "施工", "任务", "报告", "方案", "论文", "专利", "成果",
)

Word = Annotated[str, Field(min_length=1, max_length=30)]


_NOT_WORD = re.compile(r"[\W_]+")


def _plain(value: str) -> str:
    """Text as compared: full/half width and case folded, spaces, punctuation and symbols dropped."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", value).lower())


class FlagSettings(BaseModel):
    """How the batch flags: a unit may change each of these, and switch any kind off."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: tuple[FlagCode, ...] = Field(default=FLAG_CODES, description="启用的标记类别")
    placeholders: tuple[Word, ...] = Field(default=DEFAULT_PLACEHOLDERS, max_length=500,
                                           description="视为未列佐证的占位词")
    generic_suffixes: tuple[Word, ...] = Field(default=DEFAULT_GENERIC_SUFFIXES, max_length=200,
                                               description="比对名称时去掉的通用后缀")
    similarity: Annotated[Decimal, Field(ge=Decimal("0.75"), le=1, decimal_places=2)] = Field(
        default=Decimal("0.90"), description="名称相似度达到此值视为同一项业绩")
    padding_min_entries: Annotated[int, Field(ge=2, le=100)] = Field(default=4, description="凑满封顶：至少几条业绩")
    cap_margin: Annotated[Decimal, Field(ge=0, le=1000, decimal_places=4)] = Field(
        default=Decimal(0), description="凑满封顶：原始分距封顶不足此分也算凑满")
    near_line: Annotated[Decimal, Field(ge=0, le=1000, decimal_places=4)] = Field(
        default=Decimal(5), description="刚过分数线：总分超出分数线不超过此分")
    near_line_count: Annotated[int, Field(ge=0, le=100)] = Field(
        default=0, description="刚过分数线（按项数的表）：满足项数超出要求不超过此数")
    unbacked_points: Annotated[Decimal, Field(ge=0, le=1000, decimal_places=4)] = Field(
        default=Decimal(0), description="无佐证计分：没有经核对佐证文件的分数超过此数即标记（按项数的表为项数）")

    @field_validator("similarity", "cap_margin", "near_line", "unbacked_points", mode="before")
    @classmethod
    def _no_float(cls, value: Any) -> Any:
        if isinstance(value, float):  # a float here would be rounded before it decides a flag
            return Decimal(repr(value))
        return value

    @field_validator("placeholders", "generic_suffixes", mode="before")
    @classmethod
    def _words(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace("、", "\n").replace("，", "\n").replace(",", "\n").splitlines()
        if isinstance(value, (list, tuple)):
            out = []
            for word in value:
                if not isinstance(word, str):
                    raise ValueError(f"应为文字，实际为「{word}」")
                if CONTROL_CHARS.search(word):
                    raise ValueError("含有不可见的控制字符，请删除后重新输入")
                if word.strip():
                    out.append(word.strip())
            return tuple(dict.fromkeys(out))
        return value

    @field_validator("enabled", mode="before")
    @classmethod
    def _kinds(cls, value: Any) -> Any:
        """Codes or the labels a clerk sees (重复申报) both name a kind."""
        by_label = {label: code for code, label in FLAG_LABELS.items()}
        if isinstance(value, (list, tuple)):
            return tuple(dict.fromkeys(by_label.get(v, v) if isinstance(v, str) else v for v in value))
        return value

    def on(self, code: str) -> bool:
        return code in self.enabled

    def is_placeholder(self, evidence: str) -> bool:
        """Evidence that names no document: empty once spaces and punctuation go, or one of the placeholders."""
        text = _plain(evidence)
        return not text or text in self._plain_placeholders

    @cached_property
    def _plain_placeholders(self) -> frozenset[str]:
        """The placeholders as compared, folded once per settings (each claim's evidence is looked up in them)."""
        return frozenset(_plain(w) for w in self.placeholders)

    def rows(self) -> list[tuple[str, str, str]]:
        """(setting, value, what it means) for the export's settings sheet, in Chinese."""
        fields = type(self).model_fields
        out = [
            ("名称相似度", str(self.similarity), fields["similarity"].description or ""),
            ("通用后缀", "、".join(self.generic_suffixes), fields["generic_suffixes"].description or ""),
            ("占位词", "、".join(self.placeholders), fields["placeholders"].description or ""),
            ("凑满封顶条数", str(self.padding_min_entries), fields["padding_min_entries"].description or ""),
            ("凑满封顶余量", str(self.cap_margin), fields["cap_margin"].description or ""),
            ("刚过分数线（分）", str(self.near_line), fields["near_line"].description or ""),
            ("刚过分数线（项）", str(self.near_line_count), fields["near_line_count"].description or ""),
            ("无佐证计分（超过）", str(self.unbacked_points), fields["unbacked_points"].description or ""),
        ]
        for code, (label, words) in FLAG_KINDS.items():
            out.append((f"标记：{label}", "启用" if self.on(code) else "关闭", words))
        return out


DEFAULT_SETTINGS = FlagSettings()


def settings_problems(exc: ValidationError) -> list[str]:
    """A refused settings object in words, each problem named by the setting as the page labels it."""
    fields = FlagSettings.model_fields
    out = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        label = fields[name].description if name in fields else name
        out.append(f"{label}：{translate(error)}" if label else translate(error))
    return out


class SettingsError(DataError):
    kind = "标记设置"


def settings_from_text(text: str, filename: str) -> FlagSettings:
    """A unit's settings file (YAML or JSON; any key left out keeps its default), or SettingsError with every
    problem as ``file:line:column: key: 说明``."""
    try:
        parsed = parse_text(text, filename)
    except ParseError as exc:
        raise SettingsError.from_parse_error(exc) from None
    return settings_from_parsed(parsed)


def settings_from_parsed(parsed: Parsed) -> FlagSettings:
    data = parsed.data if parsed.data is not None else {}
    if not isinstance(data, dict):
        raise SettingsError([f"{parsed.filename}: 标记设置应是键值对（similarity: …、placeholders: … 等）"])
    try:
        return FlagSettings.model_validate(data)
    except ValidationError as exc:
        raise SettingsError.from_problems(parsed, problems_from_validation(exc, data)) from None
