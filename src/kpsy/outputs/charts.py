"""Pictures of progress, as PNG (for documents and the HTML dashboard): the status of the tasks of
each action, and each indicator against its target. The xlsx outputs draw the same pictures as
native Excel charts (`kpsy.outputs.progress`).

Chinese needs a font that has its characters, or matplotlib draws empty boxes. The font is found,
in this order:

1. the font file named by $KPSY_CHART_FONT;
2. a font matplotlib knows (it scans the system's font folders) from a list of common Simplified
   Chinese families: Noto Sans CJK SC (Debian/Ubuntu: `apt-get install fonts-noto-cjk`), Source
   Han Sans SC, WenQuanYi Zen Hei/Micro Hei, Microsoft YaHei, SimHei, DengXian (Windows),
   PingFang SC, Hiragino Sans GB, Heiti SC (macOS), Noto Sans SC;
3. whatever fontconfig (`fc-match :lang=zh-cn`) offers for Chinese.

Each candidate must hold the glyphs kpsy prints; when none does, drawing stops with a message
saying how to install one, rather than drawing boxes.
"""

from __future__ import annotations

import functools
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpsy.errors import KpsyError
from kpsy.i18n import msg

if TYPE_CHECKING:
    from kpsy.queries.assessment import YearCounts
    from kpsy.queries.progress import ActionCounts, IndicatorRow

FONT_ENV = "KPSY_CHART_FONT"
FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "DengXian",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Noto Sans SC",
)
# Characters every chart prints; a font that lacks one of them would draw a box.
NEEDED = "已完成超进度达欠未启动其他报送项数行动目标基线实测值年度"

# Status colours, shared by the charts, the xlsx fills and the dashboard.
COLOURS: dict[str, str] = {
    "已完成": "#2E7D32",
    "超进度": "#1565C0",
    "达进度": "#81C784",
    "欠进度": "#EF6C00",
    "未启动": "#C62828",
    "其他": "#8E24AA",
    "未报送": "#BDBDBD",
}
TEXT_ON: dict[str, str] = {status: "#FFFFFF" for status in ("已完成", "超进度", "欠进度", "未启动", "其他")}


class ChartFontError(KpsyError):
    """No font that draws Chinese could be found for the charts."""


@dataclass(frozen=True)
class ChartFont:
    family: str
    path: str
    found_by: str  # env, matplotlib or fontconfig


def _has_glyphs(path: str, index: int = 0) -> bool:
    from matplotlib import ft2font

    try:
        try:
            font = ft2font.FT2Font(path, face_index=index)
        except TypeError:  # a matplotlib that reads only the first face of a collection
            font = ft2font.FT2Font(path)
    except (OSError, RuntimeError, ValueError):
        return False
    charmap = font.get_charmap()
    return all(ord(c) in charmap for c in NEEDED)


def _fontconfig_file() -> str | None:
    import shutil
    import subprocess

    command = shutil.which("fc-match")
    if command is None:
        return None
    try:
        proc = subprocess.run(
            [command, "-f", "%{file}", ":lang=zh-cn"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    path = proc.stdout.strip()
    return path if proc.returncode == 0 and path and Path(path).is_file() else None


def _register(path: str) -> list[Any]:
    """Add a font file to matplotlib's list; its entries (a collection has several faces)."""
    from matplotlib import font_manager

    before = len(font_manager.fontManager.ttflist)
    font_manager.fontManager.addfont(path)
    return list(font_manager.fontManager.ttflist[before:])


def _pick(entries: list[Any]) -> Any | None:
    """The face to use among a file's faces: Simplified Chinese first, then any with the glyphs."""
    ranked = sorted(entries, key=lambda e: (" SC" not in e.name and "CN" not in e.name, e.weight != 400))
    return next((e for e in ranked if _has_glyphs(e.fname, getattr(e, "index", 0))), None)


@functools.cache
def chart_font() -> ChartFont:
    """The font charts draw Chinese with (see the module's documentation for where it is looked for)."""
    from matplotlib import font_manager

    wanted = os.environ.get(FONT_ENV)
    if wanted:
        if not Path(wanted).is_file():
            raise ChartFontError(
                msg("${env}={path}: no such font file", "${env}={path}：字体文件不存在", env=FONT_ENV, path=wanted)
            )
        chosen = _pick(_register(wanted))
        if chosen is None:
            raise ChartFontError(
                msg(
                    "${env}={path}: the font cannot draw Chinese",
                    "${env}={path}：该字体不含中文字形",
                    env=FONT_ENV,
                    path=wanted,
                )
            )
        return ChartFont(chosen.name, wanted, "env")
    known = font_manager.fontManager.ttflist
    for family in FAMILIES:
        entries = [e for e in known if e.name == family]
        chosen = _pick(entries)
        if chosen is not None:
            return ChartFont(chosen.name, chosen.fname, "matplotlib")
    path = _fontconfig_file()
    if path is not None:
        chosen = _pick(_register(path))
        if chosen is not None:
            return ChartFont(chosen.name, path, "fontconfig")
    raise ChartFontError(
        msg(
            "no font that can draw Chinese was found for the charts: install one (Debian/Ubuntu: "
            "apt-get install fonts-noto-cjk), or name a font file in ${env}",
            "找不到能显示中文的字体，无法绘图：请安装中文字体（Debian/Ubuntu：apt-get install fonts-noto-cjk），"
            "或用环境变量 ${env} 指定字体文件",
            env=FONT_ENV,
        )
    )


def _figure(width_cm: float, height_cm: float) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=200)
    return fig, fig.add_subplot()


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None}, bbox_inches="tight", pad_inches=0.15)
    return buf.getvalue()


def _style() -> Any:
    font = chart_font()
    return {
        "font.family": [font.family],
        "font.size": 9,
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "kpsy",
    }


def _label(ax: Any, bar: Any, text: str, status: str) -> None:
    """`text` in the middle of a bar, in the colour that reads on its status's colour."""
    middle = (bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2)
    ax.text(*middle, text, ha="center", va="center", fontsize=7, color=TEXT_ON.get(status, "#000000"))


def status_chart(actions: list[ActionCounts], title: str) -> bytes:
    """A horizontal stacked bar a action: how many of its tasks (unit by unit) are in each status."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import rc_context

    from kpsy.i18n import status_names
    from kpsy.queries.progress import CATEGORIES

    names = status_names()
    with rc_context(_style()):
        height = 2.8 + 0.75 * len(actions)
        fig, ax = _figure(16, height)
        labels = [f"{a.number}{a.title}" for a in actions]
        positions = list(range(len(actions)))[::-1]
        left = [0] * len(actions)
        for status in CATEGORIES:
            values = [next(c.count for c in a.counts if c.status == status) for a in actions]
            if not any(values):
                continue
            bars = ax.barh(positions, values, left=left, color=COLOURS[status], label=names[status], height=0.62)
            for bar, value in zip(bars, values, strict=True):
                if value and bar.get_width() >= max(1, 0.04 * max(a.total for a in actions)):
                    _label(ax, bar, str(value), status)
            left = [a + b for a, b in zip(left, values, strict=True)]
        for y, total in zip(positions, left, strict=True):
            ax.text(total + 0.3, y, msg("{n}", "{n}项", n=total), va="center", fontsize=7, color="#333333")
        ax.set_yticks(positions, labels)
        ax.set_xlabel(msg("Count (unit × task)", "项数（单位×任务）"))
        ax.set_xlim(0, max([*left, 1]) * 1.12)
        ax.set_title(title, fontsize=11)
        shown = [s for s in CATEGORIES if any(c.count for a in actions for c in a.counts if c.status == s)]
        if shown:
            ax.legend(
                ncols=min(4, len(shown)) if len(shown) > 4 else len(shown),
                loc="upper center",
                bbox_to_anchor=(0.5, -0.12 - 0.8 / height),
                frameon=False,
                fontsize=8,
            )
        fig.tight_layout()
        return _png(fig)


def indicator_chart(row: IndicatorRow) -> bytes:
    """An indicator over time: its baseline, its measured values, its target and where the trend leads."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import rc_context

    with rc_context(_style()):
        fig, ax = _figure(16, 8.5)
        xs = [_year_of(a.date) for a in row.actuals]
        ys = [a.value for a in row.actuals]
        _plot_measured(ax, row, xs, ys)
        _plot_target(ax, row, xs, ys)
        _year_axis(ax, row, xs)
        values = [v for v in [*ys, row.value, row.baseline, row.projected] if v is not None]
        low, high = min(values), max(values)
        pad = max((high - low) * 0.2, abs(high) * 0.05, 1)
        ax.set_ylim(max(0, low - pad) if low >= 0 else low - pad, high + pad)
        ax.set_ylabel(msg("{i} ({u})", "{i}（{u}）", i=row.indicator, u=row.unit) if row.unit else row.indicator)
        ax.set_title(msg("{i}: {t}", "{i}：{t}", i=row.indicator, t=row.trend_label), fontsize=10)
        ax.legend(loc="lower right", frameon=True, framealpha=0.9, edgecolor="#DDDDDD", fontsize=7)
        ax.grid(axis="y", color="#EEEEEE")
        fig.tight_layout()
        return _png(fig)


def _year_of(day: str) -> float:
    """A date (or a month, YYYY-MM) as a year with its fraction."""
    import datetime as dt

    from kpsy.plan.model import day_of

    d = day_of(day if len(day) == 7 else dt.date.fromisoformat(day))
    return d.year + (d.timetuple().tm_yday - 1) / 365.25


def _plot_measured(ax: Any, row: IndicatorRow, xs: list[float], ys: list[float]) -> None:
    """The baseline, and the measured values joined to it, each labelled."""
    if row.baseline is not None and row.baseline_year is not None:
        ax.plot(
            [row.baseline_year + 0.5],
            [row.baseline],
            marker="s",
            linestyle="none",
            color="#616161",
            label=msg("baseline ({y})", "基线（{y}年）", y=row.baseline_year),
        )
        if xs:
            ax.plot([row.baseline_year + 0.5, xs[0]], [row.baseline, ys[0]], color="#9E9E9E", linewidth=1)
    if xs:
        ax.plot(xs, ys, marker="o", color="#1565C0", linewidth=2, label=msg("measured", "实测值"))
        for x, y in zip(xs, ys, strict=True):
            ax.annotate(f"{y:g}{row.unit}", (x, y), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=7)


def _plot_target(ax: Any, row: IndicatorRow, xs: list[float], ys: list[float]) -> None:
    """The target's line, the year it is due, and the trend from the last measured value to then."""
    due = row.year + 1.0
    if row.projected is not None and xs:
        ax.plot(
            [xs[-1], due],
            [ys[-1], row.projected],
            linestyle=":",
            color="#1565C0",
            linewidth=1.2,
            label=msg("current trend", "当前趋势"),
        )
    label = msg(
        "target: {c}{v:g}{u} ({y})",
        "目标：{c}{v:g}{u}（{y}年）",
        c=row.comparator,
        v=row.value,
        u=row.unit,
        y=row.year,
    )
    ax.axhline(row.value, color="#C62828", linestyle="--", linewidth=1.2, label=label)
    ax.axvline(due, color="#C62828", linestyle=":", linewidth=0.8)


def _year_axis(ax: Any, row: IndicatorRow, xs: list[float]) -> None:
    """Years from the first value (or baseline) to the one after the target's, each labelled in its
    middle, so that a value measured in October 2024 is read as 2024's."""
    due = row.year + 1.0
    starts = [x for x in [*xs, (row.baseline_year + 0.5) if row.baseline_year else None] if x is not None]
    first_year = int(min([*starts, due - 1]))
    years = list(range(first_year, row.year + 1))
    ax.set_xlim(first_year, due + 0.15)
    ax.set_xticks([y + 0.5 for y in years], [msg("{y}", "{y}年", y=y) for y in years])
    ax.set_xticks([float(y) for y in [*years, row.year + 1]], minor=True)
    ax.tick_params(axis="x", which="major", length=0)
    ax.tick_params(axis="x", which="minor", length=4)


def years_chart(years: list[YearCounts], title: str) -> bytes:
    """A stacked column a year: the share of every (unit, task) pair in each status, for the trend."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import rc_context

    from kpsy.i18n import status_names
    from kpsy.queries.progress import CATEGORIES

    names = status_names()
    with rc_context(_style()):
        fig, ax = _figure(16, 8)
        positions = list(range(len(years)))
        bottom = [0.0] * len(years)
        for status in CATEGORIES:
            shares = [next(c.percent for c in y.counts if c.status == status) for y in years]
            if not any(shares):
                continue
            bars = ax.bar(positions, shares, bottom=bottom, color=COLOURS[status], label=names[status], width=0.6)
            for bar, share in zip(bars, shares, strict=True):
                if share >= 4:
                    _label(ax, bar, f"{share:.1f}%", status)
            bottom = [a + b for a, b in zip(bottom, shares, strict=True)]
        ax.set_xticks(positions, [msg("{y}", "{y}年", y=y.period) for y in years])
        ax.set_ylim(0, 100)
        ax.set_ylabel(msg("Share of unit × task pairs (%)", "占应报项数的比例（%）"))
        ax.set_title(title, fontsize=11)
        ax.legend(ncols=4, loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False, fontsize=8)
        fig.tight_layout()
        return _png(fig)
