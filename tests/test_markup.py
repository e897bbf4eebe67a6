import pytest

from parsclaim.data.corpus import validate_article
from parsclaim.data.gold import assign_splits, choose_scraped, scrape
from parsclaim.data.markup import MarkupError, to_article

BODY = """[[Q=19000|۱۹هزار]] سازمان {{c|در [[LOC|ایران]] فعال هستند}}

[[ROLE@o1|معاون مشارکت‌های اجتماعی]] [[ORG@o1|سازمان امور اجتماعی]] <<گفت>>: {{c@o1|[[Q=67 percent|67 درصد]] سازمان‌ها فعال‌اند}}.
<<به گزارش>> [[ORG#irna|ایرنا]]، {{c@#irna|بارش‌ها [[Q=10~15 percent|۱۰ تا ۱۵ درصد]] کم شد}}. [[PER@o1|کمال اکبری]] افزود: {{c9@o1|این}} را وی <<c9|گفت>>."""


def spans(article, kind="entities"):
    return [article["text"][x["start"]:x["end"]] for x in article[kind]]


def test_markup_becomes_a_valid_article():
    article = to_article("t1", BODY, {"domain": "x"})
    assert validate_article(article) == []
    assert spans(article) == ["۱۹هزار", "ایران", "معاون مشارکت‌های اجتماعی", "سازمان امور اجتماعی", "67 درصد", "ایرنا", "۱۰ تا ۱۵ درصد", "کمال اکبری"]
    quantity = article["entities"][6]
    assert (quantity["value"], quantity["unit"]) == ([10, 15], "percent")
    (official,) = article["officials"]
    assert official["name"] == "e8" and official["roles"] == ["e3"] and official["orgs"] == ["e4"]
    claims = article["claims"]
    assert [c["claimant"] for c in claims] == [None, "o1", "e6", "o1"]
    text = article["text"]
    assert [text[c["cue"][0]:c["cue"][1]] if c["cue"] else None for c in claims] == [None, "گفت", "به گزارش", "گفت"]
    assert claims[1]["quantities"] == ["e5"]


@pytest.mark.parametrize("body, words", [
    ("[[PER|a [[ORG|b]]]]", "nested"),
    ("[[PER a]]", "without '|'"),
    ("text ]] more", "unexpected"),
    ("[[Q|12]]", "needs Q=VALUE"),
    ("[[LOC@o1|x]]", "@official on a LOC"),
    ("<<گفت>> no claim", "no claim"),
    ("{{c@#nokey|x}}", "names no #key"),
    ("[[ORG@o1|x]]", "no PER/ROLE mention"),
])
def test_markup_errors_are_clear(body, words):
    with pytest.raises(MarkupError, match=words):
        to_article("t", body, {})


def test_scraped_variant_keeps_every_span_exact():
    clean = to_article("t1", BODY, {})
    scraped = to_article("t1", BODY, {}, transform=scrape("t1"))
    assert validate_article(scraped) == []
    assert "\u200c" not in scraped["text"] and "انتهای پیام" in scraped["text"]
    # The headline appears twice (other digit script), so its entities and claim do too.
    assert spans(scraped).count("19هزار") == 1 and spans(scraped).count("۱۹هزار") == 1
    assert len(scraped["claims"]) == len(clean["claims"]) + 1
    brands = [e for e in scraped["entities"] if e["start"] > scraped["text"].index("انتهای پیام")]
    assert brands and all(e["label"] == "ORG" for e in brands)
    assert all(c["end"] < scraped["text"].index("انتهای پیام") for c in scraped["claims"])


def test_splits_are_stratified_and_scraped_is_a_third():
    metas = [{"id": f"g{d}{i:03d}", "domain": d} for d in "ab" for i in range(30)]
    scraped = choose_scraped(metas)
    assert len(scraped) == 20
    articles = [{"id": m["id"], "domain": m["domain"], "scraped": m["id"] in scraped} for m in metas]
    assign_splits(articles)
    for domain in "ab":
        for flag in (True, False):
            group = [a["split"] for a in articles if a["domain"] == domain and a["scraped"] == flag]
            assert group.count("dev") == group.count("test") == round(len(group) * 0.15)
