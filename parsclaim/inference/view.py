"""How an article's officials and claimants are named, for every output that shows them
(`tag --summary`, `tag --format html`, `parsclaim table`), so that they cannot drift apart.

An official is named by its name, else its first title; its titles and organizations are
joined without repeats (two spellings that differ only in ZWNJ or spaces are one). Each output
chooses its own text for what is missing (an empty table cell, "(unnamed)", "بدون گوینده").
"""

from __future__ import annotations


def _key(text: str) -> str:
    return "".join(text.replace("\u200c", " ").split())


class ArticleView:
    """One article (gold or tagged), with lookups by entity and official id."""

    def __init__(self, record: dict):
        self.record, self.text = record, record["text"]
        self.entities = {e["id"]: e for e in record.get("entities") or []}
        self.officials = {o["id"]: o for o in record.get("officials") or []}

    def surface(self, entity_id: str | None) -> str:
        """The entity's text; "" for no id or an id the article does not have."""
        entity = self.entities.get(entity_id)
        return self.text[entity["start"] : entity["end"]] if entity else ""

    def joined(self, entity_ids: list[str] | None, separator: str = " / ") -> str:
        texts: dict[str, str] = {}
        for entity_id in entity_ids or []:
            text = self.surface(entity_id)
            if text:
                texts.setdefault(_key(text), text)
        return separator.join(texts.values())

    def official_name(self, official: dict) -> str:
        """Its name, else its first title, else ""."""
        roles = official.get("roles") or []
        return self.surface(official.get("name")) or self.surface(roles[0] if roles else None)

    def claimant(self, claimant_id: str | None, separator: str = " / ") -> tuple[str, str, str]:
        """(name, titles, organizations) of a claim's claimant: an official's id, or (older files)
        an entity's; ("", "", "") when there is none."""
        official = self.officials.get(claimant_id)
        if official is None:
            return self.surface(claimant_id), "", ""
        return (self.official_name(official), self.joined(official.get("roles"), separator),
                self.joined(official.get("orgs"), separator))
