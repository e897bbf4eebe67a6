"""Rule-based officials and attribution: the seed with gold entities, and the patterns one by one."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from parsclaim.data.corpus import validate_article
from parsclaim.evaluate.metrics import score
from parsclaim.inference import officials as rules
from parsclaim.inference.officials import attribute_claims, build_officials, normalize, same_person
from tiny_models import load_script



def test_seed_officials_and_claimants_from_gold_spans(seed):
    text, entities = seed["text"], seed["entities"]
    officials = build_officials(text, entities)
    assert officials == seed["officials"]  # the 3 clusters, ids and order included

    bare = [{k: v for k, v in c.items() if k not in ("claimant", "quantities")} for c in seed["claims"]]
    claims = attribute_claims(text, entities, officials, bare)
    assert [c["claimant"] for c in claims] == [c["claimant"] for c in seed["claims"]]
    assert [c["quantities"] for c in claims] == [c["quantities"] for c in seed["claims"]]

    predicted = dict(seed, officials=officials, claims=claims)
    assert validate_article(predicted) == []
    report = score([seed], [predicted])
    assert report["attribution"]["accuracy"] == 1.0
    assert report["officials"]["clusters"]["f1"] == 1.0


def _article(marked: str) -> tuple[str, list[dict]]:
    """Text with [LABEL|surface] entities -> (text, entities e1, e2, ...)."""
    text, entities, i = "", [], 0
    while i < len(marked):
        if marked[i] == "[":
            j = marked.index("]", i)
            label, surface = marked[i + 1 : j].split("|")
            entities.append({"id": f"e{len(entities) + 1}", "start": len(text), "end": len(text) + len(surface), "label": label})
            text += surface
            i = j + 1
        else:
            text += marked[i]
            i += 1
    return text, entities


def _claim(text: str, content: str, cue: str | None = None, after: int = 0) -> dict:
    start = text.index(content, after)
    claim = {"id": f"c{start}", "start": start, "end": start + len(content), "cue": None}
    if cue:
        cue_start = text.rindex(cue, 0, start)
        claim["cue"] = [cue_start, cue_start + len(cue)]
    return claim


def test_appositive_title_then_name_and_orgs():
    text, entities = _article(
        "[PER|جواد اوجی]، [ROLE|وزیر نفت] گفت: تولید [QUANTITY|۱۰ درصد] بیشتر شد.\n"
        "[ROLE|سخنگوی]  [ORG|وزارت نفت] [PER|علی رضایی] افزود: صادرات بالا رفت.\n"
        "[ROLE|وزیر‌نفت] اعلام کرد: قیمت ثابت می‌ماند."
    )
    officials = build_officials(text, entities)
    # e7 "وزیر‌نفت" (with a ZWNJ) repeats e2's title; the ORG between title and name is the title's
    assert [o["mentions"] for o in officials] == [["e1", "e2", "e7"], ["e4", "e6"]]
    assert [o["orgs"] for o in officials] == [[], ["e5"]]
    assert officials[0]["name"] == "e1" and officials[1]["name"] == "e6"


def test_role_org_adjacent_and_nameless_role():
    text, entities = _article("[ROLE|مدیرعامل] [ORG|شرکت ملی گاز] گفت: مصرف بالا رفت. به فرمان [ROLE|رئیس جمهور] عمل شد.")
    officials = build_officials(text, entities)
    assert officials == [
        {"id": "o1", "mentions": ["e1"], "name": None, "roles": ["e1"], "orgs": ["e2"]},
        {"id": "o2", "mentions": ["e3"], "name": None, "roles": ["e3"], "orgs": []},
    ]


def test_surname_repeat_and_two_people_not_merged():
    text, entities = _article(
        "[PER|کمال اکبری]، [ROLE|معاون وزیر] گفت: الف.\n[PER|حسن کریمی]، [ROLE|معاون وزیر] گفت: ب.\n[PER|اکبری] افزود: ج."
    )
    officials = build_officials(text, entities)
    assert [o["mentions"] for o in officials] == [["e1", "e2", "e5"], ["e3", "e4"]]


def test_pronoun_glued_pronoun_reported_by_and_colon_attribution():
    text, entities = _article(
        "قیمت نفت [QUANTITY|۲ برابر] شد\n\n"
        "به گزارش [ORG|ایرنا]، بارش‌ها [QUANTITY|۳۰ درصد] کم شد.\n\n"
        "[ROLE|سخنگوی دولت]: بودجه [QUANTITY|۵ میلیارد] تومان است.\n\n"
        "[PER|مریم احمدی]، [ROLE|وزیر راه] گفت: جاده تمام شد.\n\n"
        "ویافزود: پل ساخته شد.\n\n"
        "وی‌ادامه داد: فرودگاه باز شد.\n\n"
        "[ROLE|سخنگوی دولت] در دیدار با [PER|مریم احمدی] گفت: قطار راه افتاد.\n\n"
        "او تاکید کرد: بندر آماده است."
    )
    officials = build_officials(text, entities)
    claims = [
        _claim(text, "قیمت نفت ۲ برابر شد"),
        _claim(text, "بارش‌ها ۳۰ درصد کم شد", "به گزارش"),
        _claim(text, "بودجه ۵ میلیارد تومان است"),
        _claim(text, "جاده تمام شد", "گفت"),
        _claim(text, "پل ساخته شد", "افزود"),
        _claim(text, "فرودگاه باز شد", "ادامه داد"),
        _claim(text, "قطار راه افتاد", "گفت"),
        _claim(text, "بندر آماده است", "تاکید کرد"),
    ]
    out = attribute_claims(text, entities, officials, claims)
    official_of = {m: o["id"] for o in officials for m in o["mentions"]}
    spokesman, minister = official_of["e4"], official_of["e6"]
    assert [c["claimant"] for c in out] == [None, "e2", spokesman, minister, minister, minister, spokesman, spokesman]
    assert [c["quantities"] for c in out][:3] == [["e1"], ["e3"], ["e5"]]


def test_normalize_ignores_zwnj_and_spaces():
    assert normalize("معاون مشارکتهای") == normalize("معاون مشارکت های") == normalize("معاون مشارکت\u200cهای")
    assert same_person("اکبری", "کمال اکبری") and not same_person("کریمی", "کمال اکبری")


def test_a_title_in_the_sentence_before_names_the_next_speaker():
    text, entities = _article(
        "[ROLE|مدیرکل] [ORG|هواشناسی فارس] نیز گزارشی از بارش‌ها ارائه کرد. [PER|مینا کشاورزیان] بیان داشت: بارش کم شد.\n\n"
        "[ROLE|استاندار] در جلسه حاضر بود.\n\n[PER|علی رضایی] گفت: جلسه تمام شد."
    )
    officials = build_officials(text, entities)
    # neither title speaks; in the same paragraph the next speaker is that title's holder, across a break not
    assert [o["mentions"] for o in officials] == [["e1", "e3"], ["e4"], ["e5"]]


@pytest.mark.parametrize("paragraph_break", ["\r\n\r\n", "\r", "\u2029", "\n"])
def test_any_line_break_ends_a_paragraph(paragraph_break):
    text, entities = _article(
        f"[ROLE|استاندار] در جلسه حاضر بود.{paragraph_break}[PER|علی رضایی] گفت: جلسه تمام شد. [PER|مینا کشاورزیان] نیز آمد.")
    assert [o["mentions"] for o in build_officials(text, entities)] == [["e1"], ["e2"], ["e3"]]
    text, entities = _article("[ROLE|استاندار] در جلسه حاضر بود. [PER|علی رضایی] گفت: جلسه تمام شد.")
    assert [o["mentions"] for o in build_officials(text, entities)] == [["e1", "e2"]]  # the same paragraph: one person


def test_cue_verbs_and_prepositions_in_arabic_letters():
    # "توضيح داد" with Arabic yeh makes the title a speaker, so the lead rule names it
    text, entities = _article("[ROLE|مديرعامل] [ORG|شركت آب] از كمبود آب خبر داد و توضيح داد.\n\n[PER|كورش ذوالقدر] گفت: آب كم است.")
    assert [o["mentions"] for o in build_officials(text, entities)] == [["e1", "e3"]]
    # "براي" is a preposition: its object is not the speaker
    text, entities = _article("[ROLE|وزیر] براي [PER|علی رضایی] گفت: خوب است.")
    assert [o["mentions"] for o in build_officials(text, entities)] == [["e1"], ["e2"]]


def test_a_shortened_title_repeats_the_one_person_who_had_the_longer_one():
    text, entities = _article("[ROLE|معاون بهبود تولیدات دامی] [ORG|جهاد کشاورزی] خبر داد.\n\n[ROLE|معاون] افزود: دام کم است.")
    assert [o["mentions"] for o in build_officials(text, entities)] == [["e1", "e3"]]
    # two people had a longer "معاون ..." title: which one is meant is left open
    text, entities = _article("[ROLE|معاون فنی] و [ROLE|معاون مالی] آمدند.\n\n[ROLE|معاون] گفت: بودجه کم است.")
    assert [o["mentions"] for o in build_officials(text, entities)] == [["e1"], ["e2"], ["e3"]]


def test_a_second_title_joined_by_and_belongs_to_the_same_name():
    text, entities = _article("[PER|زینب محمدی]، [ROLE|عضو] [ORG|کمیسیون اجتماعی] و [ROLE|نماینده] مردم اصفهان گفت: الف.")
    assert [o["mentions"] for o in build_officials(text, entities)] == [["e1", "e2", "e4"]]


def test_a_representatives_organization_comes_after_the_constituency():
    text, entities = _article("[ROLE|نماینده] مردم ایلام، ایوان و مهدی‌شهر در [ORG|مجلس شورای اسلامی] گفت: الف.")
    assert [o["orgs"] for o in build_officials(text, entities)] == [["e2"]]
    for marked in ("[ROLE|مدیر] مردم را در [ORG|سازمان آب] دید.", "[ROLE|نماینده] مردم ایلام است. در [ORG|مجلس] گفت: ب."):
        text, entities = _article(marked)
        assert [o["orgs"] for o in build_officials(text, entities)] == [[]]


def test_sentence_bounds_match_a_scan_from_the_start():
    """The indexed lookup gives what scanning the text up to `pos` gives, edge cases included
    (a mark right before pos, a mark glued to the next word, newlines, a decimal split by a newline, the text's ends)."""
    def scanned(text, pos):
        # ends found in the whole text (what follows a newline decides whether it splits a decimal)
        start = max((m.end() for m in rules.SENTENCE_END.finditer(text) if m.end() <= pos), default=0)
        if pos and text[pos - 1] in rules.SENTENCE_MARKS:
            start = pos
        m = rules.SENTENCE_END.search(text, pos)
        return start, (m.end() if m else len(text))

    rng = random.Random(1)
    for _ in range(3000):
        text = "".join(rng.choice("اب .!?؟\n\u200c۴1") for _ in range(rng.randint(0, 12)))
        for pos in range(len(text) + 1):
            assert rules.sentence_bounds(text, pos) == scanned(text, pos), (text, pos)


def test_real_news_patterns_quotes_hamza_spellings_and_a_spaced_surname():
    # a quoted name beside its title; "مسؤول"/"مسوول" and "رییس"/"رئیس" are one spelling
    text, entities = _article("«[PER|عیسی قراقع]» [ROLE|رئیس] [ORG|کمیته اسرا] گفت: الف.\n\n[ROLE|رییس] [ORG|کمیته اسرا] افزود: ب.")
    assert [o["mentions"] for o in build_officials(text, entities)] == [["e1", "e2", "e4"]]
    assert normalize("مسؤول مطالبه‌گری") == normalize("مسوول مطالبه‌گری") == normalize("مسئول مطالبه‌گری")
    assert same_person("عطاءاللهی", "سعید عطاء اللهی") and not same_person("اللهی", "سعید عطاءاللهی")


def test_this_title_speaking_is_the_speaker_so_far():
    text, entities = _article("[PER|سعید درکوش] اظهار داشت: الف.\nوی ادامه داد: ب.\nاین [ROLE|استاد دانشگاه] اضافه کرد: ج.")
    assert [o["mentions"] for o in build_officials(text, entities)] == [["e1", "e2"]]


def test_a_title_speaking_after_a_named_speaker_without_one_is_that_speakers():
    text, entities = _article("[PER|ناصر پورمعلم] اظهار داشت: الف.\n[ROLE|معاون وزیر] [ORG|راه] تصریح کرد: ب.")
    assert [o["mentions"] for o in build_officials(text, entities)] == [["e1", "e2"]]
    # "نیز" brings in another person, and so does a title as a paragraph's label
    for marked in ("[PER|ناصر پورمعلم] اظهار داشت: الف.\n[ROLE|معاون وزیر] نيز تصریح کرد: ب.",
                   "[PER|ناصر پورمعلم] اظهار داشت: الف.\n[ROLE|سخنگوی] [ORG|استانداری]: ب."):
        text, entities = _article(marked)
        assert [o["mentions"] for o in build_officials(text, entities)] == [["e1"], ["e2"]]


def test_a_headline_quoting_a_name_before_a_lead_opening_with_a_title():
    text, entities = _article("[PER|محسن هاشمی]: الف\n[ROLE|رئیس] [ORG|شورای شهر] از همه خواست ب.\n[PER|هاشمی] گفت: ج.")
    assert [o["mentions"] for o in build_officials(text, entities)] == [["e1", "e2", "e4"]]
    # without the headline's name the title stays nameless until someone speaks
    text, entities = _article("خبر تازه\n[ROLE|رئیس] [ORG|شورای شهر] از همه خواست ب.")
    assert [o["mentions"] for o in build_officials(text, entities)] == [["e1"]]


def test_a_pronoun_opens_the_sentence_so_a_name_in_it_is_not_the_speaker():
    text, entities = _article("[ROLE|فرماندار] گفت: الف.\nوی به مناسبت رحلت امام [PER|خمینی] گفت: ب.\n"
                              "[ROLE|فرماندار] ادامه داد: قیام امام [PER|حسین] درس است.")
    assert [o["mentions"] for o in build_officials(text, entities)] == [["e1", "e3"], ["e2"], ["e4"]]


def test_the_rules_scored_on_gold_entities_script(tmp_path, capsys):
    script = load_script(Path(__file__).resolve().parents[1] / "scripts" / "officials_on_gold_entities.py", "officials_on_gold_entities")
    text, entities = _article("[PER|ناصر پورمعلم] اظهار داشت: الف.\n[ROLE|معاون وزیر] [ORG|راه] تصریح کرد: ب.")
    claim_start = text.index("ب")
    gold = {"id": "a1", "text": text, "entities": entities,
            "officials": [{"id": "o1", "mentions": ["e1", "e2"], "name": "e1", "roles": ["e2"], "orgs": ["e3"]}],
            "claims": [{"id": "c1", "start": claim_start, "end": claim_start + 1, "claimant": "o1", "quantities": []}]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold, ensure_ascii=False) + "\n", encoding="utf-8")
    assert script.main([str(path), "--show"])[str(path)] == {"name_role": 100.0, "role_org": 100.0, "clusters": 100.0, "attribution": 100.0}
    gold["officials"] = [{"id": "o1", "mentions": ["e1"], "name": "e1", "roles": [], "orgs": []},
                         {"id": "o2", "mentions": ["e2"], "name": None, "roles": ["e2"], "orgs": ["e3"]}]
    gold["claims"][0]["claimant"] = "o2"
    path.write_text(json.dumps(gold, ensure_ascii=False) + "\n", encoding="utf-8")
    assert script.main([str(path), "--show"])[str(path)]["name_role"] == 0.0
    assert "a1: extra 'ناصر پورمعلم' – 'معاون وزیر'" in capsys.readouterr().out


def test_an_organization_as_a_paragraphs_label_claims_what_follows():
    text, entities = _article("[ORG|خبرگزاري فارس]: [ORG|سازمان بسيج] [QUANTITY|۱۰ طرح] را افتتاح كرد.\n"
                              "[ROLE|سخنگوی] [ORG|طالبان]: [QUANTITY|۲ نفر] آزاد شدند.")
    text_claims = [{"id": "c1", "start": text.index("سازمان"), "end": text.index(".")},
                   {"id": "c2", "start": text.index("۲ نفر"), "end": len(text) - 1}]
    officials = build_officials(text, entities)
    claimants = [c["claimant"] for c in attribute_claims(text, entities, officials, text_claims)]
    assert claimants == ["e1", officials[0]["id"]]  # an official before the colon still wins
