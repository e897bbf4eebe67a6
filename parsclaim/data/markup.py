"""Inline markup for authoring gold articles, converted to the corpus JSONL.

An article in markup:

    ### id: g0001 | domain: water
    Headline with [[ORG|...]] ...

    {{c@o1|claim content with [[Q=19000|۱۹هزار]]}} ...

- Entity: ``[[LABEL|surface]]``; LABEL is PER ROLE ORG LOC DATE or Q (QUANTITY).
  ``@o1`` on PER/ROLE makes it a mention of official o1; on ORG, an org o1 acts
  for (``@o1@o2`` for several). ``#key`` names an entity so that a claim can use
  it as claimant. ``Q=VALUE UNIT``: VALUE a number or ``LOW~HIGH``, UNIT
  optional (null when absent): ``[[Q=67 percent|67 درصد]]``.
- Claim: ``{{c@o1|content}}`` (claimant official o1), ``{{c@#key|...}}``
  (claimant entity), ``{{c|...}}`` (unattributed). ``{{c7@o1|...}}`` names it.
- Cue: ``<<گفت>>`` belongs to the next claim; ``<<c7|گفت>>`` to claim c7.

Spans are computed from the markup, so offsets can never drift; the
`scrape` transform rewrites the text the way news sites serve it (no ZWNJ,
Arabic ي/ك, NBSP, a duplicated headline, boilerplate) before offsets are taken.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import validate_article, write_jsonl

LABEL_ALIASES = {"PER": "PER", "ROLE": "ROLE", "ORG": "ORG", "LOC": "LOC", "DATE": "DATE", "Q": "QUANTITY", "QUANTITY": "QUANTITY"}
HEADER = re.compile(r"^###\s*(.*)$")
TOKEN = re.compile(r"\[\[|\]\]|\{\{|\}\}|<<|>>")


class MarkupError(ValueError):
    pass


@dataclass
class Node:
    """A piece of an article: plain text, or a marked span holding child nodes."""

    kind: str  # "text" | "entity" | "claim" | "cue"
    text: str = ""
    head: str = ""
    children: list["Node"] = field(default_factory=list)


def parse_nodes(source: str) -> list[Node]:
    """Parse one article body into a node tree (entities nest only in claims)."""
    root: list[Node] = []
    stack: list[tuple[str, Node]] = []
    position = 0

    def current() -> list[Node]:
        return stack[-1][1].children if stack else root

    for match in TOKEN.finditer(source):
        if match.start() > position:
            current().append(Node("text", text=source[position : match.start()]))
        token = match.group()
        position = match.end()
        if token in ("[[", "{{", "<<"):
            bar = source.find("|", position)
            closer = {"[[": "]]", "{{": "}}", "<<": ">>"}[token]
            end = source.find(closer, position)
            if token == "<<":
                head_text = source[position:bar] if 0 <= bar < end else ""
                if head_text and not re.fullmatch(r"c\w*", head_text):
                    head_text = ""
                node = Node("cue", head=head_text)
                if head_text:
                    position = bar + 1
            else:
                if bar < 0 or (0 <= end < bar):
                    raise MarkupError(f"{token} without '|' near {source[match.start():match.start() + 40]!r}")
                node = Node("entity" if token == "[[" else "claim", head=source[position:bar].strip())
                position = bar + 1
            if stack and (stack[-1][0] != "{{" or token == "{{"):
                raise MarkupError(f"{token} nested inside {stack[-1][0]} near {source[match.start():match.start() + 40]!r}")
            current().append(node)
            stack.append((token, node))
        else:
            opener = {"]]": "[[", "}}": "{{", ">>": "<<"}[token]
            if not stack or stack[-1][0] != opener:
                raise MarkupError(f"unexpected {token} near {source[max(0, match.start() - 40):match.end()]!r}")
            stack.pop()
    if stack:
        raise MarkupError(f"unclosed {stack[-1][0]}")
    if position < len(source):
        current().append(Node("text", text=source[position:]))
    return root


ENTITY_HEAD = re.compile(r"^(?P<label>[A-Z]+)(?:=(?P<value>[^@#]+?))?(?P<mods>(?:[@#][\w-]+)*)$")


def _parse_value(raw: str) -> tuple[object, str | None]:
    parts = raw.split()
    if not parts or len(parts) > 2:
        raise MarkupError(f"bad quantity value {raw!r}; write Q=VALUE or Q=VALUE UNIT")
    unit = parts[1] if len(parts) == 2 else None

    def number(text: str):
        value = float(text)
        return int(value) if value.is_integer() and abs(value) < 1e18 else value

    if "~" in parts[0]:
        low, high = parts[0].split("~", 1)
        return [number(low), number(high)], unit
    return number(parts[0]), unit


def to_article(article_id: str, body: str, meta: dict[str, str], transform=None) -> dict:
    """Convert one marked-up article into a corpus record (offsets from the markup)."""
    nodes = parse_nodes(body)
    if transform is not None:
        nodes = transform(nodes)
    pieces: list[str] = []
    entities: list[dict] = []
    claims: list[dict] = []
    cues: list[tuple[str, int, int]] = []  # (claim name or "", start, end)
    mentions: dict[str, list[str]] = {}
    orgs: dict[str, list[str]] = {}
    keys: dict[str, str] = {}
    length = 0

    def emit(text: str) -> None:
        nonlocal length
        pieces.append(text)
        length += len(text)

    def visit(node: Node) -> None:
        start = length
        if node.kind == "text":
            emit(node.text)
            return
        for child in node.children:
            visit(child)
        end = length
        if node.kind == "entity":
            head = ENTITY_HEAD.match(node.head)
            if not head or head["label"] not in LABEL_ALIASES:
                raise MarkupError(f"bad entity head {node.head!r}")
            label = LABEL_ALIASES[head["label"]]
            entity = {"id": f"e{len(entities) + 1}", "start": start, "end": end, "label": label}
            if label == "QUANTITY":
                if head["value"] is None:
                    raise MarkupError(f"quantity {''.join(pieces)[start:end]!r} needs Q=VALUE [UNIT]")
                entity["value"], entity["unit"] = _parse_value(head["value"])
            entities.append(entity)
            for modifier in re.findall(r"[@#][\w-]+", head["mods"] or ""):
                if modifier[0] == "#":
                    keys[modifier[1:]] = entity["id"]
                elif label in ("PER", "ROLE"):
                    mentions.setdefault(modifier[1:], []).append(entity["id"])
                elif label == "ORG":
                    orgs.setdefault(modifier[1:], []).append(entity["id"])
                else:
                    raise MarkupError(f"@official on a {label} entity {node.head!r}")
        elif node.kind == "claim":
            match = re.fullmatch(r"(c\w*?)?(?:@(#?[\w-]+))?", node.head)
            if not match:
                raise MarkupError(f"bad claim head {node.head!r}")
            claims.append({"name": match[1] or "", "start": start, "end": end, "claimant": match[2]})
        else:
            cues.append((node.head, start, end))

    for node in nodes:
        visit(node)
    text = "".join(pieces)

    officials = []
    for official_id in sorted(set(mentions) | set(orgs), key=lambda o: (len(o), o)):
        if official_id not in mentions:
            raise MarkupError(f"official {official_id} has orgs but no PER/ROLE mention")
        by_id = {e["id"]: e for e in entities}
        names = [m for m in mentions[official_id] if by_id[m]["label"] == "PER"]
        name = max(names, key=lambda m: by_id[m]["end"] - by_id[m]["start"], default=None)
        officials.append({
            "id": official_id,
            "mentions": mentions[official_id],
            "name": name,
            "roles": [m for m in mentions[official_id] if by_id[m]["label"] == "ROLE"],
            "orgs": orgs.get(official_id, []),
        })

    records = []
    for index, claim in enumerate(claims):
        claimant = claim["claimant"]
        if claimant and claimant.startswith("#"):
            if claimant[1:] not in keys:
                raise MarkupError(f"claim claimant {claimant} names no #key entity")
            claimant = keys[claimant[1:]]
        records.append({
            "id": f"c{index + 1}", "start": claim["start"], "end": claim["end"], "cue": None,
            "claimant": claimant,
            "quantities": [e["id"] for e in entities if e["label"] == "QUANTITY" and claim["start"] <= e["start"] and e["end"] <= claim["end"]],
        })
    for name, start, end in cues:
        if name:
            targets = [r for r, c in zip(records, claims) if c["name"] == name]
        else:
            targets = [r for r in records if r["start"] >= end][:1]
        if not targets:
            raise MarkupError(f"cue {text[start:end]!r} has no claim to belong to")
        if targets[0]["cue"] is not None:
            raise MarkupError(f"claim {text[targets[0]['start']:targets[0]['start'] + 30]!r} has two cues")
        targets[0]["cue"] = [start, end]

    article = {"id": article_id, "text": text, **meta, "entities": entities, "officials": officials, "claims": records}
    return article


def split_articles(source: str) -> list[tuple[dict[str, str], str]]:
    """Split a markup file into (header fields, body) per `### key: value | ...` header."""
    articles: list[tuple[dict[str, str], str]] = []
    meta: dict[str, str] | None = None
    lines: list[str] = []
    for line in source.splitlines():
        header = HEADER.match(line)
        if header:
            if meta is not None:
                articles.append((meta, "\n".join(lines).strip()))
            meta = {}
            for item in header.group(1).split("|"):
                if ":" in item:
                    key, value = item.split(":", 1)
                    meta[key.strip()] = value.strip()
            lines = []
        elif meta is not None:
            lines.append(line)
    if meta is not None:
        articles.append((meta, "\n".join(lines).strip()))
    return articles


def convert_file(path: str | Path, transform_for=None) -> tuple[list[dict], list[str]]:
    """Convert a markup file; return (articles, problems). transform_for(meta) picks a transform."""
    articles, problems = [], []
    for meta, body in split_articles(Path(path).read_text(encoding="utf-8")):
        article_id = meta.get("id", "?")
        extra = {k: v for k, v in meta.items() if k not in ("id",)}
        try:
            transform = transform_for(meta) if transform_for else None
            article = to_article(article_id, body, extra, transform)
        except MarkupError as error:
            problems.append(f"{path}: article {article_id!r}: markup: {error}")
            continue
        problems += [f"{path}: article {article_id!r}: {f}: {m}" for f, m in validate_article(article)]
        articles.append(article)
    return articles, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check or convert gold-article markup files.")
    parser.add_argument("files", nargs="+")
    parser.add_argument("-o", "--output", help="write the converted JSONL here")
    parser.add_argument("--show", action="store_true", help="print each entity and claim for review")
    args = parser.parse_args(argv)
    all_articles, all_problems = [], []
    for path in args.files:
        articles, problems = convert_file(path)
        all_articles += articles
        all_problems += problems
    for article in all_articles if args.show else []:
        text = article["text"]
        print(f"## {article['id']}")
        for e in article["entities"]:
            print(f"  {e['id']:>4} {e['label']:<8} {text[e['start']:e['end']]}" + (f"  = {e.get('value')} {e.get('unit')}" if e["label"] == "QUANTITY" else ""))
        for o in article["officials"]:
            print(f"  {o['id']}: " + " / ".join(text[e['start']:e['end']] for e in article["entities"] if e["id"] in o["mentions"] + o["orgs"]))
        for c in article["claims"]:
            cue = text[c["cue"][0]:c["cue"][1]] if c["cue"] else None
            print(f"  {c['id']} by {c['claimant']} cue={cue!r}: {text[c['start']:c['end']]}")
    for problem in all_problems:
        print(problem, file=sys.stderr)
    words = sum(len(a["text"].split()) for a in all_articles)
    print(f"{len(all_articles)} articles, {words} words, {sum(len(a['claims']) for a in all_articles)} claims, {len(all_problems)} problems", file=sys.stderr)
    if args.output:
        write_jsonl(all_articles, args.output)
    return 1 if all_problems else 0


if __name__ == "__main__":
    sys.exit(main())
