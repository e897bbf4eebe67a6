"""Rule-based officials clustering and claim attribution from entity and claim spans.

Officials (SPEC §2) group the PER and ROLE mentions of one person:

1. within a sentence, a name and a title next to each other ("نام، سمت",
   "سمت سازمان نام"), a second title joined to that one by "و" ("نام، عضو
   کمیسیون ... و نماینده ...") or a title before a name ("سمت ... نام") are one person;
2. a later title with the same text (ignoring ZWNJ/space differences), a
   later shortened title ("معاون" after "معاون بهبود تولیدات دامی", when one
   person had such a title) and a later surname-only name ("اکبری" for "کمال
   اکبری") repeat an earlier person;
3. a bare name that speaks joins the nameless title that was the subject of the
   sentence just before it in its paragraph ("مدیرکل ... نیز گزارشی ارائه کرد.
   مینا کشاورزیان گفت:"); else, as Persian news leads with a title ("معاون ...
   گفت:") and names the speaker in the next paragraph ("به گزارش ...، کمال اکبری
   ... اظهارداشت:"), the latest nameless speaker.

Cue verbs and prepositions are matched in Persian and Arabic letters (ی/ي, ک/ك),
as scraped text often has the Arabic ones.

Claims are attributed to the speaker before their cue in the sentence (the
first mention, Persian being subject-first), else the current speaker: "وی"،
"او"، "ایشان" and the dropped subject ("افزود:") both refer to the last person
who spoke. "به گزارش X" attributes to the organization X; "سمت: ..." without a
cue to that official; a headline with nobody before it stays unattributed.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from functools import lru_cache

from ..data.normalize import LINE_BREAK, SPLIT_DECIMAL, line_start, normalize as normalize_text

ZWNJ = "\u200c"
PERSON_LABELS = ("PER", "ROLE")  # labels that mention a person; fixed by SPEC §2, not a label list

# Reporting verbs that mark a sentence as someone speaking (optional space/ZWNJ inside).
CUE_VERBS = (
    "گفت", "افزود", "اظهار داشت", "بیان داشت", "بیان کرد", "خاطرنشان کرد", "خاطر نشان کرد",
    "یادآور شد", "یادآوری کرد", "اعلام کرد", "ادامه داد", "اضافه کرد", "ابراز کرد", "ابراز داشت",
    "تصریح کرد", "تاکید کرد", "تأکید کرد", "عنوان کرد", "اظهار کرد", "توضیح داد",
    # A lead often reports rather than quotes: "مدیرعامل ... از پیشرفت ... خبر داد."
    "خبر داد", "اعلام داشت", "عنوان داشت", "تشریح کرد", "گفته است", "اعلام کرده است",
)
PREPOSITIONS = {"با", "از", "به", "برای", "درباره", "دربارهٔ", "علیه", "توسط"}
REPORTED_BY = "بهگزارش"  # normalized "به گزارش"
# Words allowed between a name and its title besides ORG/LOC entities ("معاون استاندار شهرستان X").
APPOSITION_FILLER = frozenset({"،", ",", "-", "–", "«", "»", '"', "“", "”", "استان", "شهرستان", "شهر", "کشور"})
TITLES_JOINED = APPOSITION_FILLER | {"و"}
DEMONSTRATIVE = "این"
PRONOUNS = {"وی", "او", "ایشان"}
REPRESENTATIVE = "نماینده"  # normalized; "نماینده مردم X در مجلس" names the ORG after the constituency
MAX_CONSTITUENCY_WORDS = 12


# Scraped text often keeps the Arabic forms of these letters ("توضيح داد", "تاكيد كرد").
LETTER_VARIANTS = {"ی": "[یيى]", "ک": "[کك]"}


def _letters(word: str) -> str:
    return "".join(LETTER_VARIANTS.get(char, re.escape(char)) for char in word)


def _verb_pattern(verb: str) -> str:
    return r"[\s\u200c]*".join(map(_letters, verb.split()))


# A cue word, standing alone or glued to a leading pronoun ("ویافزود", "وی‌افزود").
CUE_RE = re.compile(
    rf"(?:(?<!\w)|(?<={_letters('وی')})|(?<={_letters('وی')}\u200c))(?:" + "|".join(_verb_pattern(v) for v in CUE_VERBS) + r")(?!\w)"
)
SENTENCE_MARKS = ".!?؟"
# the point of a decimal split by a line break ("۱۴.\n۴ تریلیون ین") ends no sentence
SENTENCE_END = re.compile(rf"(?!\.{SPLIT_DECIMAL})[{SENTENCE_MARKS}](?=\s|$)|{LINE_BREAK.pattern}")


@lru_cache(maxsize=8192)  # the same names, titles and words are compared again and again
def normalize(s: str) -> str:
    """Compare titles and names as the model reads them (the shared Persian normalizer), without spaces,
    and with the hamza spellings news mixes ("مسؤول"/"مسئول"/"مسوول", "رئیس"/"رییس") made one."""
    return re.sub(r"\s+", "", normalize_text(s).text).replace("ؤ", "و").replace("ئو", "وو").replace("ئی", "یی")


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """[start, end) of the sentence holding pos (sentences end at . ! ? ؟ or a newline).

    A mark right before pos ends the sentence even when no space follows it."""
    starts, ends = _sentence_ends(text)
    if pos > 0 and text[pos - 1] in SENTENCE_MARKS:
        start = pos
    else:
        before = bisect.bisect_right(ends, pos)
        start = ends[before - 1] if before else 0
    after = bisect.bisect_left(starts, pos)
    return start, (ends[after] if after < len(starts) else len(text))


@lru_cache(maxsize=4)  # every mention of an article asks: index its sentence ends once
def _sentence_ends(text: str) -> tuple[list[int], list[int]]:
    matches = list(SENTENCE_END.finditer(text))
    return [m.start() for m in matches], [m.end() for m in matches]


def paragraph_start(text: str, pos: int) -> int:
    return line_start(text, pos)


def _previous_word(text: str, pos: int) -> str:
    """Normalized, so that "براي" is "برای"."""
    words = re.findall(r"[^\s\u200c]+", text[max(0, pos - 30) : pos])
    return normalize(words[-1]) if words else ""


def _speech_point(text: str, start: int, end: int) -> int | None:
    """Where someone starts speaking in text[start:end]: the first colon or cue verb, if any."""
    points = [m.start() for m in (CUE_RE.search(text, start, end), re.compile(":").search(text, start, end)) if m]
    return min(points) if points else None


def _subject(text: str, mentions: Iterable[dict], start: int, end: int) -> dict | None:
    """The first person mention in [start, end) that is not the object of a preposition; none when
    a pronoun opens the sentence ("وی به مناسبت رحلت امام خمینی گفت:")."""
    first_word = re.match(r"[\s«\"]*([^\s\u200c،,:]+)", text[start:end])
    if first_word and normalize(first_word.group(1)) in PRONOUNS:
        return None
    for e in sorted(mentions, key=lambda e: e["start"]):
        if start <= e["start"] and e["end"] <= end and _previous_word(text, e["start"]) not in PREPOSITIONS:
            return e
    return None


# --- officials ------------------------------------------------------------------


class _Groups:
    """Union-find over mention ids that refuses to merge two different names."""

    def __init__(self, text: str, mentions: list[dict]) -> None:
        self.parent = {e["id"]: e["id"] for e in mentions}
        self.by_id = {e["id"]: e for e in mentions}
        self.text = {e["id"]: text[e["start"] : e["end"]] for e in mentions}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def members(self, x: str) -> list[dict]:
        root = self.find(x)
        return [e for i, e in self.by_id.items() if self.find(i) == root]

    def names(self, x: str) -> list[str]:
        return [self.text[e["id"]] for e in self.members(x) if e["label"] == "PER"]

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not all(same_person(n, m) for n in self.names(a) for m in self.names(b)):
            return False
        self.parent[rb] = ra
        return True


def same_person(a: str, b: str) -> bool:
    """Equal names, or one ends the other: a surname alone ("اکبری" / "کمال اکبری"),
    also a surname of two words ("بندری زاده" / "عبدالرضا بندری زاده")."""
    ta, tb = a.split(), b.split()
    if normalize(a) == normalize(b):
        return True
    short, long = sorted((ta, tb), key=len)
    if 0 < len(short) < len(long) and [normalize(t) for t in short] == [normalize(t) for t in long[-len(short):]]:
        return True
    # the same surname written with and without a space ("عطاءاللهی" / "سعید عطاء اللهی")
    return len(short) == 1 and any(normalize(short[0]) == normalize("".join(long[-k:])) for k in range(2, len(long)))


def _shortens(short: str, long: str) -> bool:
    """The words of `short` begin `long`, which has more ("معاون" / "معاون شهرسازی و معماری")."""
    short_words, long_words = [normalize(w) for w in short.split()], [normalize(w) for w in long.split()]
    return len(short_words) < len(long_words) and long_words[: len(short_words)] == short_words


def _adjacent(text: str, left: dict, right: dict, entities: list[dict], filler: frozenset = APPOSITION_FILLER) -> bool:
    """Only commas, a few filler words and ORG/LOC entities between two mentions."""
    gap = text[left["end"] : right["start"]]
    for e in entities:
        if e["label"] in ("ORG", "LOC") and left["end"] <= e["start"] and e["end"] <= right["start"]:
            gap = gap.replace(text[e["start"] : e["end"]], " ")
    return all(normalize(w) in filler for w in re.findall(r"[^\s\u200c،,]+|[،,]", gap))


def _pairs(text: str, mentions: list[dict], entities: list[dict]) -> list[tuple[dict, dict]]:
    """Name–title pairs inside each sentence."""
    pairs: list[tuple[dict, dict]] = []
    by_sentence: dict[tuple[int, int], list[dict]] = {}
    for e in mentions:
        by_sentence.setdefault(sentence_bounds(text, e["start"]), []).append(e)
    for group in by_sentence.values():
        paired: set[str] = set()
        for a, b in zip(group, group[1:]):  # appositive or title-then-name, side by side
            if {a["label"], b["label"]} == {"PER", "ROLE"} and _adjacent(text, a, b, entities):
                pairs.append((a, b))
                paired |= {a["id"], b["id"]}
            # a second title joined by "و" ("نام، عضو کمیسیون ... و نماینده مردم ...") after a paired one
            elif a["id"] in paired and a["label"] == b["label"] == "ROLE" and _adjacent(text, a, b, entities, TITLES_JOINED):
                pairs.append((a, b))
                paired.add(b["id"])
        free = [e for e in group if e["id"] not in paired]
        for i, role in enumerate(free):  # "سمت ... نام": a title before a name further on
            if role["label"] != "ROLE":
                continue
            name = next((e for e in free[i + 1 :] if e["label"] == "PER" and e["id"] not in paired), None)
            # not a name inside the title's own words ("فرماندار ... ادامه داد: قیام امام حسین ...")
            if name and _previous_word(text, name["start"]) not in PREPOSITIONS \
                    and _speech_point(text, role["end"], name["start"]) is None:
                pairs.append((role, name))
                paired |= {role["id"], name["id"]}
    return pairs


def _is_speaker(text: str, mention: dict, mentions: list[dict]) -> bool:
    """The mention is the subject of a sentence in which someone speaks."""
    start, end = sentence_bounds(text, mention["start"])
    point = _speech_point(text, mention["end"], end)
    if point is None:
        return False
    subject = _subject(text, mentions, start, point)
    return subject is not None and subject["id"] == mention["id"]


def _headline_speaker(text: str, mention: dict, mentions: list[dict], speakers: set[str]) -> dict | None:
    """The name a headline quotes ("محسن هاشمی: ..."), when the mention is the subject of the lead after it."""
    headline_end = LINE_BREAK.search(text)
    if headline_end is None or paragraph_start(text, mention["start"]) != headline_end.end():
        return None
    start, end = sentence_bounds(text, mention["start"])
    if _subject(text, mentions, start, end) is not mention:
        return None
    quoted = _subject(text, mentions, 0, headline_end.start())
    if quoted is None or quoted["label"] != "PER" or quoted["id"] not in speakers:
        return None
    return quoted if re.match(r"[\s»\"”]*:", text[quoted["end"] : headline_end.start()]) else None


ALSO_RE = re.compile(rf"(?<!\w){_letters('نیز')}(?!\w)")


def _speaks_on(text: str, mention: dict) -> bool:
    """The mention speaks through a reporting verb (not only a colon) and no "نیز" comes before it
    ("مدیرکل ... نیز گفت" brings in another person)."""
    _, end = sentence_bounds(text, mention["start"])
    point = _speech_point(text, mention["end"], end)
    return point is not None and CUE_RE.match(text, point) is not None and not ALSO_RE.search(text, mention["end"], point)


def _last_speaker(earlier: list[dict], speakers: set[str]) -> dict | None:
    return next((m for m in reversed(earlier) if m["id"] in speakers), None)


def _previous_sentence_subject(text: str, mention: dict, mentions: list[dict]) -> dict | None:
    """The subject of the sentence just before the mention's, in the same paragraph."""
    start, _ = sentence_bounds(text, mention["start"])
    if start == 0 or LINE_BREAK.match(text, start - 1):
        return None
    previous_start, previous_end = sentence_bounds(text, start - 1)
    return _subject(text, mentions, previous_start, previous_end)


def build_officials(text: str, entities: list[dict]) -> list[dict]:
    """Cluster PER/ROLE mentions into officials (SPEC §2 format), with the ORG after each title."""
    mentions = sorted((e for e in entities if e["label"] in PERSON_LABELS), key=lambda e: e["start"])
    groups = _Groups(text, mentions)
    for a, b in _pairs(text, mentions, entities):
        groups.union(a["id"], b["id"])

    speakers = {e["id"] for e in mentions if _is_speaker(text, e, mentions)}
    for i, e in enumerate(mentions):
        earlier = mentions[:i]
        if e["label"] == "ROLE":  # title-only repeat
            same = [m for m in earlier if m["label"] == "ROLE" and normalize(groups.text[m["id"]]) == normalize(groups.text[e["id"]])]
            if any(groups.union(m["id"], e["id"]) for m in reversed(same)) or len(groups.members(e["id"])) > 1:
                continue
            # a shortened title ("معاون" after "معاون بهبود تولیدات دامی") when one person had the longer one
            longer = {groups.find(m["id"]) for m in earlier if m["label"] == "ROLE" and _shortens(groups.text[e["id"]], groups.text[m["id"]])}
            if len(longer) == 1:
                groups.union(longer.pop(), e["id"])
            # "این استاد دانشگاه اضافه کرد:": a title after "این" that speaks is the person speaking so far
            elif e["id"] in speakers and _previous_word(text, e["start"]) == DEMONSTRATIVE:
                last = _last_speaker(earlier, speakers)
                if last is not None:
                    groups.union(last["id"], e["id"])
            # a headline quoting a name ("محسن هاشمی: ...") and a lead that opens with a title
            elif (quoted := _headline_speaker(text, e, mentions, speakers)) is not None:
                groups.union(quoted["id"], e["id"])
            # "ناصر پورمعلم ... اظهار داشت: ... معاون وزیر راه ... تصریح کرد:": the title of the named
            # speaker so far, who had none (a title as a paragraph's label, "سخنگوی استانداری: ...",
            # brings in another person)
            elif e["id"] in speakers and _speaks_on(text, e):
                last = _last_speaker(earlier, speakers)
                if last is not None and groups.names(last["id"]) and \
                        all(m["label"] == "PER" for m in groups.members(last["id"])):
                    groups.union(last["id"], e["id"])
            continue
        same = [m for m in earlier if m["label"] == "PER" and same_person(groups.text[m["id"]], groups.text[e["id"]])]
        if any(groups.union(m["id"], e["id"]) for m in reversed(same)):
            continue
        alone = all(m["label"] == "PER" for m in groups.members(e["id"]))
        if alone and e["id"] in speakers:
            # "مدیرکل ... نیز گزارشی ارائه کرد. مینا کشاورزیان گفت:": the title the sentence before is about
            introduced = _previous_sentence_subject(text, e, mentions)
            if introduced is not None and introduced["label"] == "ROLE" and not groups.names(introduced["id"]):
                groups.union(introduced["id"], e["id"])
                continue
            # lead title named in the next paragraph
            nameless = [m for m in reversed(earlier) if m["id"] in speakers and not groups.names(m["id"])]
            if nameless:
                groups.union(nameless[0]["id"], e["id"])

    officials: list[dict] = []
    seen: set[str] = set()
    for e in mentions:
        root = groups.find(e["id"])
        if root in seen:
            continue
        seen.add(root)
        members = sorted(groups.members(root), key=lambda m: m["start"])
        names = [m for m in members if m["label"] == "PER"]
        roles = [m for m in members if m["label"] == "ROLE"]
        officials.append({
            "id": f"o{len(officials) + 1}",
            "mentions": [m["id"] for m in members],
            "name": max(names, key=lambda m: m["end"] - m["start"])["id"] if names else None,
            "roles": [m["id"] for m in roles],
            "orgs": _orgs_after(text, roles, entities),
        })
    return officials


def _org_of(text: str, role: dict, entities: list[dict]) -> dict | None:
    """The ORG right after a title, separated only by spaces ("معاون ... سازمان ..."); for a
    representative, after the people represented ("نماینده مردم ایلام، ایوان و ... در مجلس")."""
    after = min((e for e in entities if e["label"] == "ORG" and e["start"] >= role["end"]), key=lambda e: e["start"], default=None)
    if after is None:
        return None
    gap = text[role["end"] : after["start"]]
    if not gap.strip(" \t\u00a0" + ZWNJ):
        return after
    words = [normalize(w) for w in re.findall(r"[^\s\u200c،,]+", gap)]
    represents = normalize(text[role["start"] : role["end"]]) == REPRESENTATIVE and len(words) <= MAX_CONSTITUENCY_WORDS
    return after if represents and words[:1] == ["مردم"] and words[-1:] == ["در"] and not SENTENCE_END.search(gap) else None


def _orgs_after(text: str, roles: list[dict], entities: list[dict]) -> list[str]:
    """The ids of the titles' organizations (`_org_of`), each once, in title order."""
    orgs = [org["id"] for org in (_org_of(text, role, entities) for role in roles) if org is not None]
    return list(dict.fromkeys(orgs))


# --- attribution ----------------------------------------------------------------


def attribute_claims(text: str, entities: list[dict], officials: list[dict], claims: list[dict]) -> list[dict]:
    """Copies of the claims with `claimant` and `quantities` set; input order kept."""
    official_of = {m: o["id"] for o in officials for m in o["mentions"]}
    mentions = [e for e in entities if e["id"] in official_of]
    quantities = [e for e in entities if e["label"] == "QUANTITY"]

    # Who speaks where: the subject of every sentence with a cue verb or a colon.
    turns: list[tuple[int, str]] = []
    for e in sorted(mentions, key=lambda e: e["start"]):
        if _is_speaker(text, e, mentions):
            turns.append((e["start"], official_of[e["id"]]))

    def current_speaker(pos: int) -> str | None:
        before = [t for t in turns if t[0] < pos]
        return max(before)[1] if before else None

    resolved: dict[int, str | None] = {}
    for index in sorted(range(len(claims)), key=lambda i: claims[i]["start"]):
        claim = claims[index]
        claimant = _claimant(text, claim, entities, mentions, official_of, current_speaker)
        resolved[index] = claimant
        if claimant in official_of.values():  # an attributed claim is a speaking turn too
            turns.append((claim["cue"][0] if claim.get("cue") else claim["start"], claimant))

    out = []
    for index, claim in enumerate(claims):
        inside = [e["id"] for e in quantities if claim["start"] <= e["start"] and e["end"] <= claim["end"]]
        out.append({**claim, "claimant": resolved[index], "quantities": inside})
    return out


def _claimant(text, claim, entities, mentions, official_of, current_speaker) -> str | None:
    cue = claim.get("cue")
    if cue:
        if normalize(text[cue[0] : cue[1]]) == REPORTED_BY:  # "به گزارش X، ..." → X
            org = next((e for e in sorted(entities, key=lambda e: e["start"]) if e["label"] == "ORG" and cue[1] <= e["start"] < claim["start"]), None)
            return org["id"] if org else None
        start, _ = sentence_bounds(text, cue[0])
        subject = _subject(text, mentions, start, cue[0])
        if subject is None:  # subject in an earlier sentence of the paragraph
            subject = _subject(text, mentions, paragraph_start(text, cue[0]), cue[0])
        if subject is not None:
            return official_of[subject["id"]]
        # "وی/او/ایشان افزود" or a dropped subject ("افزود:"): whoever spoke last.
        return current_speaker(cue[0])
    # No cue: "سمت: ..." (or a quote continuing after a colon) in the same paragraph.
    start = paragraph_start(text, claim["start"])
    colon = text.rfind(":", start, claim["start"])
    if colon < 0:
        return None  # a headline or unattributed statement
    subject = _subject(text, mentions, start, colon)
    if subject is not None:
        return official_of[subject["id"]]
    # "خبرگزاری فارس: ...", "طالبان: ...": an organization as the paragraph's label speaks for itself
    label = next((e for e in entities if e["label"] == "ORG" and not text[start : e["start"]].strip()
                  and not text[e["end"] : colon].strip()), None)
    return label["id"] if label else current_speaker(claim["start"])
