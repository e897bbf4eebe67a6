"""A self-contained right-to-left HTML view of one article (gold or predicted).

Spans nest: claims outside, cues, entities inside. The text is rendered from a
sorted list of boundaries with a stack of open tags; a span that crosses
another (possible in predictions) is closed and reopened, so the markup is
always well formed. All text goes through `html.escape`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from ..data.schema import ENTITY_LABELS
from .view import ArticleView

# One colour per label, assigned in schema order; extra labels cycle.
PALETTE = ("#fde68a", "#c7d2fe", "#bbf7d0", "#fbcfe8", "#e9d5ff", "#fecaca", "#a5f3fc", "#fed7aa")
LAYER = {"claim": 0, "cue": 1, "entity": 2}  # outer to inner

CSS = """
body { font-family: "Vazirmatn", "Noto Naskh Arabic", "Noto Sans Arabic", Tahoma, sans-serif; margin: 0; background: #f8fafc; color: #111827; }
main { display: flex; gap: 24px; padding: 24px; align-items: flex-start; }
article { flex: 3; background: #fff; padding: 24px 28px; border-radius: 8px; box-shadow: 0 1px 3px #0002;
  white-space: pre-wrap; line-height: 2.3; font-size: 18px; }
aside { flex: 1; min-width: 260px; background: #fff; padding: 16px; border-radius: 8px; box-shadow: 0 1px 3px #0002; font-size: 14px; line-height: 1.8; }
h1 { font-size: 18px; margin: 16px 24px 0; color: #374151; }
h2 { font-size: 15px; margin: 12px 0 4px; }
.ent { border-radius: 4px; padding: 1px 2px; white-space: nowrap; }
.ent::after { content: attr(data-label); font-size: 9px; color: #4b5563; vertical-align: super; margin-inline-start: 2px; }
.claim { text-decoration: underline 2px #2563eb; text-underline-offset: 8px; }
.who { font-size: 11px; background: #2563eb; color: #fff; border-radius: 3px; padding: 0 4px; margin-inline-end: 4px; white-space: nowrap; }
.who.none { background: #9ca3af; }
.cue { outline: 2px dashed #dc2626; border-radius: 3px; }
.qv { white-space: nowrap; font-size: 10px; background: #111827; color: #fff; border-radius: 3px; padding: 0 3px; margin-inline-start: 2px; unicode-bidi: isolate; direction: ltr; }
ul { margin: 0; padding-inline-start: 18px; }
.legend span { display: inline-block; margin: 2px; padding: 0 6px; border-radius: 4px; }
.muted { color: #6b7280; }
"""


def label_colours(labels: Iterable[str] = ENTITY_LABELS) -> dict[str, str]:
    return {label: PALETTE[i % len(PALETTE)] for i, label in enumerate(labels)}


def _esc(s: object) -> str:
    return html.escape(str(s), quote=True)


def claimant_label(view: ArticleView, claimant: str | None) -> str:
    """A claim's claimant as shown: name, else first title, else its id; "بدون گوینده" (unattributed) for none."""
    if claimant is None:
        return "بدون گوینده"
    return view.claimant(claimant)[0] or claimant


def _value_text(entity: dict) -> str | None:
    if entity.get("value") is None:
        return None
    def number(v) -> str:  # 900,000,000 rather than 9e+08: readers compare digits
        return f"{int(v):,}" if float(v).is_integer() else f"{v:,.6g}"

    value = entity["value"]
    shown = "–".join(number(v) for v in value) if isinstance(value, list) else number(value)
    return shown + (f" {entity['unit']}" if entity.get("unit") else "")


def _spans(article: dict, colours: dict[str, str], view: ArticleView) -> list[dict]:
    """Every span to draw, with its opening tag, closing tag and any text shown after it."""
    spans = []
    for c in article.get("claims") or []:
        who = claimant_label(view, c.get("claimant"))
        cls = "who" if c.get("claimant") else "who none"
        spans.append({"start": c["start"], "end": c["end"], "layer": "claim",
                      "open": f'<span class="claim" data-claim="{_esc(c["id"])}" title="{_esc("گوینده: " + who)}">',
                      "badge": f'<span class="{cls}">{_esc(who)}</span>', "after": ""})
        if c.get("cue"):
            spans.append({"start": c["cue"][0], "end": c["cue"][1], "layer": "cue",
                          "open": f'<span class="cue" title="{_esc("cue of " + c["id"])}">', "badge": "", "after": ""})
    for e in article.get("entities") or []:
        value = _value_text(e) if e["label"] == "QUANTITY" else None
        title = e["label"] + (f" = {value}" if value else "")
        spans.append({"start": e["start"], "end": e["end"], "layer": "entity",
                      "open": f'<span class="ent" data-id="{_esc(e["id"])}" data-label="{_esc(e["label"])}" '
                              f'title="{_esc(title)}" style="background:{colours.get(e["label"], "#e5e7eb")}">',
                      "badge": "", "after": f'<span class="qv">{_esc(value)}</span>' if value else ""})
    return spans


def render_text(article: dict, colours: dict[str, str], view: ArticleView | None = None) -> str:
    text = article["text"]
    spans = _spans(article, colours, view or ArticleView(article))
    cuts = sorted({0, len(text), *(s["start"] for s in spans), *(s["end"] for s in spans)})
    out: list[str] = []
    stack: list[dict] = []
    for i, pos in enumerate(cuts):
        # close what ends here (inner first); reopen anything above it that is still running
        ending = [s for s in stack if s["end"] == pos]
        if ending:
            depth = min(stack.index(s) for s in ending)
            reopen = [s for s in stack[depth:] if s["end"] != pos]
            for s in reversed(stack[depth:]):
                out.append("</span>" + (s["after"] if s["end"] == pos else ""))
            del stack[depth:]
            for s in reopen:
                out.append(s["open"])
                stack.append(s)
        starting = sorted((s for s in spans if s["start"] == pos), key=lambda s: (-s["end"], LAYER[s["layer"]]))
        for s in starting:
            out.append(s["badge"] + s["open"])
            stack.append(s)
        if i + 1 < len(cuts):
            out.append(_esc(text[pos : cuts[i + 1]]))
    return "".join(out)


def _sidebar(article: dict, colours: dict[str, str], view: ArticleView) -> str:
    legend = "".join(f'<span style="background:{c}">{_esc(label)}</span>' for label, c in colours.items())
    parts = [f'<h2>برچسب‌ها</h2><div class="legend">{legend}</div>',
             '<div class="muted"><span class="cue">فعل گزارشی</span> &nbsp; <span class="claim">ادعا</span></div>']
    officials = article.get("officials") or []
    items = []
    for o in officials:
        name, roles, orgs = view.claimant(o["id"], separator="، ")
        items.append(f"<li><b>{_esc(name or o['id'])}</b> <span class='muted'>(<bdi>{_esc(o['id'])}</bdi>؛ "
                     f"{len(o.get('mentions') or [])} اشاره)</span>" + (f"<br>سمت: {_esc(roles)}" if roles else "")
                     + (f"<br>سازمان: {_esc(orgs)}" if orgs else "") + "</li>")
    parts.append(f"<h2>مقامات ({len(officials)})</h2><ul>{''.join(items) or '<li class=muted>—</li>'}</ul>")
    claims = article.get("claims") or []
    items = [f"<li><bdi>{_esc(c['id'])}</bdi>: {_esc(claimant_label(view, c.get('claimant')))}"
             f" <span class='muted'>({len(c.get('quantities') or [])} کمیت)</span></li>" for c in claims]
    parts.append(f"<h2>ادعاها ({len(claims)})</h2><ul>{''.join(items) or '<li class=muted>—</li>'}</ul>")
    return "".join(parts)


def render_html(article: dict) -> str:
    """One article as a standalone page: dir=rtl, inline CSS, no external resources."""
    colours = label_colours(ENTITY_LABELS)
    view = ArticleView(article)
    title = _esc(article.get("id", "article"))
    return (
        '<!DOCTYPE html>\n<html lang="fa" dir="rtl">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<h1>{title}</h1>\n<main>\n<article>{render_text(article, colours, view)}</article>\n"
        f"<aside>{_sidebar(article, colours, view)}</aside>\n</main>\n</body>\n</html>\n"
    )


def render_index(pages: list[tuple[str, str]]) -> str:
    """A page linking (href, title) pairs, e.g. one per rendered article."""
    items = "".join(f'<li><a href="{_esc(href)}">{_esc(name)}</a></li>' for href, name in pages)
    return (
        '<!DOCTYPE html>\n<html lang="fa" dir="rtl">\n<head>\n<meta charset="utf-8">\n<title>parsclaim</title>\n'
        f"<style>{CSS}</style>\n</head>\n<body>\n<h1>parsclaim</h1>\n<main><aside><ul>{items}</ul></aside></main>\n</body>\n</html>\n"
    )
