"""Annotation consistency: the same surface string labelled differently, or left out.

Two reports over any set of corpus files:
- conflicts: a normalized surface string that carries different labels in
  different places;
- unlabelled: an occurrence of a string that is labelled elsewhere but is
  not covered by any entity here (word-boundary matches only).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from .normalize import normalize


def surface_key(text: str) -> str:
    return " ".join(normalize(text).text.split())


def check_consistency(articles: list[dict], min_count: int = 2) -> dict:
    labels_by_surface: dict[str, Counter] = defaultdict(Counter)
    where: dict[tuple[str, str], list[str]] = defaultdict(list)
    for article in articles:
        for entity in article["entities"]:
            key = surface_key(article["text"][entity["start"] : entity["end"]])
            labels_by_surface[key][entity["label"]] += 1
            where[key, entity["label"]].append(article["id"])
    conflicts = []
    for surface, counts in sorted(labels_by_surface.items()):
        if len(counts) > 1:
            # An id once each: one article often repeats a name.
            conflicts.append({"surface": surface, "labels": dict(counts),
                              "examples": {label: list(dict.fromkeys(where[surface, label]))[:3] for label in counts}})

    # Unlabelled occurrences of strings labelled at least min_count times.
    frequent = {s: c.most_common(1)[0][0] for s, c in labels_by_surface.items() if sum(c.values()) >= min_count and len(s) > 2}
    unlabelled: Counter = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    if frequent:
        pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(s) for s in sorted(frequent, key=len, reverse=True)) + r")(?!\w)")
        for article in articles:
            normalized = normalize(article["text"])
            covered = [False] * len(article["text"])
            for entity in article["entities"]:
                for i in range(entity["start"], entity["end"]):
                    covered[i] = True
            squeezed = normalized.text
            for match in pattern.finditer(squeezed):
                start, end = normalized.to_original(match.start(), match.end())
                if not any(covered[start:end]):
                    unlabelled[match.group(1)] += 1
                    if len(examples[match.group(1)]) < 3 and article["id"] not in examples[match.group(1)]:
                        examples[match.group(1)].append(article["id"])
    return {
        "conflicts": conflicts,
        "unlabelled": [{"surface": s, "label_elsewhere": frequent[s], "count": n, "examples": examples[s]} for s, n in unlabelled.most_common()],
    }
