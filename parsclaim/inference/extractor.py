"""The Extractor: raw texts in, entities, quantities, officials and claims out.

One encoder pass per window feeds both heads; the spans they produce are
turned into the corpus format of SPEC §2 (so a prediction file validates,
evaluates and renders exactly like gold), with parsed QUANTITY values, rule-based
officials and claim attribution. Offsets always index the caller's text.
"""

from __future__ import annotations

import contextlib
import re
import warnings
from collections.abc import Callable, Iterable, Iterator

import torch

from ..data.align import MIN_WINDOW
from ..data.normalize import LINE_BREAK
from ..data.quantities import find_quantities, has_number, parse_quantity, quantity_in_context, readable_quantities
from ..data.schema import ENTITY_LABELS
from ..models.configuration import OWN_SCHEME
from ..models.decoding import check_decoding
from ..models.modeling import load_model_and_tokenizer, resolve
from .officials import CUE_RE, SENTENCE_END, SENTENCE_MARKS, attribute_claims, build_officials

# How far a reporting verb may sit from the claim it introduces ("گفت: ...").
CUE_BEFORE_CHARS = 40
CUE_AFTER_CHARS = 25
# A claim is a proposition: shorter predicted pieces are noise, not claims.
MIN_CLAIM_WORDS = 3
# The entity head sometimes opens a second span inside one name ("شرکت" | "گاز کردستان").
# Same-label neighbours split by spaces alone are rejoined, except places, which
# really do stand side by side ("محله سیدآباد گنبدکاووس").
REJOINED_LABELS = set(ENTITY_LABELS) - {"LOC"}
SPACES_ONLY = re.compile(r"[ \u00a0]+")
PRECISIONS = ("auto", "float32", "bfloat16", "int8")


def extract_in_chunks(extract: Callable[..., list[dict]], records: Iterable[tuple[str, str]], chunk_size: int) -> Iterator[dict]:
    """(id, text) pairs through `extract(texts, ids=...)`, `chunk_size` at a time, articles out in order."""
    if not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive number of articles, not {chunk_size!r}")
    chunk: list[tuple[str, str]] = []
    for number, record in enumerate(records):
        # a str or a dict would unpack into characters or keys and be tagged as nonsense
        if not isinstance(record, (tuple, list)) or len(record) != 2 or not isinstance(record[1], str):
            raise TypeError(f"extract_stream takes (id, text) pairs; record {number} is {type(record).__name__} "
                            f"{str(record)[:60]!r}")
        chunk.append(record)
        if len(chunk) == chunk_size:
            yield from extract([t for _, t in chunk], ids=[i for i, _ in chunk])
            chunk = []
    if chunk:
        yield from extract([t for _, t in chunk], ids=[i for i, _ in chunk])


def cpu_has_native_bf16() -> bool:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            flags = next((line for line in handle if line.startswith("flags")), "").split()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def quantize_linear_layers(model: torch.nn.Module) -> torch.nn.Module:
    """Dynamic int8 for CPU inference: the encoder's Linear weights as int8 per output channel,
    activations quantized per batch on the fly (so the Extractor batches each text's windows apart
    from other texts': `predict(isolate_texts=True)`). The matrix products are ~75 % of the time on a CPU;
    on CPUs without native bfloat16 this is the fast path (README, "Speed and memory"). The heads stay
    float32: the classifiers cost nothing and decide every tag, and a scheme head's
    `nn.TransformerEncoderLayer` checks its weights' devices, which quantized layers lack."""
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    with warnings.catch_warnings():  # eager-mode quantization is deprecated in favour of torchao, still supported
        warnings.simplefilter("ignore")
        quantize_dynamic(model.encoder, {torch.nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8, inplace=True)
    return model


def check_windows(model, tokenizer, max_length: int | None, stride: int | None) -> None:
    """Window settings the model can read, checked before any text is (else a long article deep in a
    batch would be the first to fail)."""
    positions = model.encoder.config.max_position_embeddings
    length = max_length or model.config.window_length or min(tokenizer.model_max_length, positions)
    if not MIN_WINDOW <= length <= positions:
        raise ValueError(f"max_length {length} is outside what this model reads: {MIN_WINDOW} to {positions} tokens")
    stride = stride if stride is not None else model.config.window_stride
    if not 0 <= stride < length - 2:
        raise ValueError(f"stride {stride} must lie in [0, {length - 2}) for windows of {length} tokens "
                         f"(the model's default is {model.config.window_stride})")


def pick_device(device: str) -> torch.device:
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if not re.fullmatch(r"cpu|mps|cuda(:\d+)?", str(device)):
        raise ValueError(f"device must be auto, cpu, cuda, cuda:N or mps, not {device!r}")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(f"device {device!r}: this torch sees no CUDA GPU (a CPU build, or no driver); use cpu or auto")
    return torch.device(device)


def check_texts(texts: str | list[str], ids: list[str] | None) -> tuple[list[str], list[str]]:
    """(texts, ids) as lists, one string id per text (default doc-1, doc-2 ...), or a clear error."""
    texts = [texts] if isinstance(texts, str) else list(texts)
    bad = next((i for i, text in enumerate(texts) if not isinstance(text, str)), None)
    if bad is not None:
        raise TypeError(f"texts must be strings; item {bad} is {type(texts[bad]).__name__}")
    if ids is not None and len(ids) != len(texts):
        raise ValueError(f"{len(ids)} ids for {len(texts)} texts: give one id per text")
    return texts, [str(i) for i in ids] if ids is not None else [f"doc-{i + 1}" for i in range(len(texts))]


class Extractor:
    """`Extractor.from_pretrained(name_or_path).extract(texts)` -> one article dict per text."""

    def __init__(self, model, tokenizer, batch_size: int = 32, stride: int | None = None, max_length: int | None = None,
                 precision: str = "auto", entity_scheme: str | None = None, decoding: str = "viterbi",
                 compile: bool = False):
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive number of windows, not {batch_size!r}")
        check_decoding(decoding)
        # "viterbi": the most probable valid IOB2 tag sequence; "argmax": each token's best tag.
        self.decoding = decoding
        model.config.scheme_id(entity_scheme)  # raises, naming the heads it has, if there is none for it
        self.model, self.tokenizer = model, tokenizer
        # Entities in another corpus's conventions ("peyma", "arman") from that scheme's head; None: ours.
        self.entity_scheme = entity_scheme
        self.batch_size, self.stride, self.max_length = batch_size, stride, max_length
        check_windows(model, tokenizer, max_length, stride)
        self.precision = precision
        # On a CPU with native bfloat16 (AVX512-BF16, AMX) bfloat16 weights are ~3x faster than
        # float32 with the same scores (README, "Speed"); elsewhere bfloat16 would be emulated,
        # so float32 stays. Weights rather than autocast: autocast re-casts every weight per call.
        if precision == "int8" and model.device.type != "cpu":
            raise ValueError("precision 'int8' is for CPU inference; on a GPU use 'auto' (bfloat16 or float16)")
        if model.device.type == "cpu" and (precision == "bfloat16" or (precision == "auto" and cpu_has_native_bf16())):
            model.to(torch.bfloat16)
        elif model.device.type == "cpu" and precision in ("float32", "int8"):
            model.to(torch.float32)
            if precision == "int8":
                quantize_linear_layers(model)
        # torch.compile (Inductor, weights frozen into the graph) fuses GELU, layer norms and
        # attention around the matrix products: on a 2-core Xeon 1.6x faster forward passes and
        # 1.15-1.8x more articles/s, for 8-13 s of compiling once (README, "Speed"). Every batch is
        # then padded to one shape, so it compiles once.
        self.compile = compile
        if compile:
            model.encoder.compile(dynamic=False)  # the heads branch on scheme ids: eager, no graph breaks
            try:
                self._predict(["."], entity_scheme)  # compile now, not inside the first chunk
            except Exception as error:
                raise RuntimeError(f"torch.compile failed ({type(error).__name__}: {error}). Run without compile "
                                   "(`--compile` needs a C++ compiler for CPU inference).") from error

    @classmethod
    def from_pretrained(cls, name_or_path, revision: str | None = None, device: str = "auto", **kwargs) -> Extractor:
        try:
            directory = resolve(name_or_path, revision)
        except FileNotFoundError:  # resolve's hint is about training's loader, which also takes base encoders
            raise FileNotFoundError(f"{name_or_path} is not a model folder: give a folder written by `parsclaim train` "
                                    f"(the bundled one is \"parsclaim/default_model\") or a Hub id (org/name)") from None
        model, tokenizer = load_model_and_tokenizer(directory)
        target = pick_device(device)
        model.to(target)
        if target.type == "cuda":
            model.to(torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16)
        return cls(model, tokenizer, **kwargs)

    def extract(self, texts: str | list[str], ids: list[str] | None = None, entity_scheme: str | None = None) -> list[dict] | dict:
        """Articles in the corpus format for a list of texts (one dict for a single str).

        `entity_scheme` overrides the Extractor's for this call (see `ParsclaimConfig.scheme_heads`);
        "parsclaim" asks for the main entity head whatever the Extractor's scheme."""
        entity_scheme = self.entity_scheme if entity_scheme is None else entity_scheme
        single = isinstance(texts, str)
        texts, ids = check_texts(texts, ids)
        if not texts:
            return []
        # Similar lengths batch together: fewer pad tokens per window batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        predictions = self._predict([texts[i] for i in order], entity_scheme)
        results: list[dict | None] = [None] * len(texts)
        for i, prediction in zip(order, predictions):
            results[i] = self._article(ids[i], texts[i], prediction, entity_scheme)
        return results[0] if single else results

    def extract_stream(self, records: Iterable[tuple[str, str]], chunk_size: int = 256) -> Iterator[dict]:
        """(id, text) pairs in, articles out, `chunk_size` at a time: memory stays flat."""
        return extract_in_chunks(self.extract, records, chunk_size)

    def _predict(self, texts: list[str], entity_scheme: str | None):
        # Inductor's freezing (weights as constants, prepacked for oneDNN) is a global config switch,
        # read when a graph compiles; `options={"freezing": True}` does not reach it (measured).
        freezing = contextlib.nullcontext()
        if self.compile:
            from torch._inductor import config as inductor_config

            freezing = inductor_config.patch(freezing=True)
        with torch.inference_mode(), freezing:
            return self.model.predict(texts, tokenizer=self.tokenizer, max_length=self.max_length, stride=self.stride,
                                      batch_size=self.batch_size, scheme=entity_scheme, decoding=self.decoding,
                                      fixed_shape=self.compile, isolate_texts=self.precision == "int8")

    def _article(self, article_id: str, text: str, prediction, entity_scheme: str | None = None) -> dict:
        entities = []
        own_schema = entity_scheme in (None, OWN_SCHEME)  # PEYMA and ARMAN have "سید" and "از ..." inside entities
        spans = rejoin_split_entities(prediction.entity_spans(), text)
        if own_schema:
            spans = trim_function_words(spans, text)
        spans = fit_quantity_spans(trim_span_edges(spans, text), text)
        if own_schema:
            spans = trim_person_titles(spans, text)
        spans = extend_quantities_to_units(spans, text)
        for number, span in enumerate(spans, start=1):
            entity = {"id": f"e{number}", "start": span["start"], "end": span["end"], "label": span["label"], "score": round(span["score"], 4)}
            if entity["label"] == "QUANTITY":
                quantity = quantity_in_context(text, entity["start"], entity["end"])
                entity["value"], entity["unit"] = (quantity.to_json()["value"], quantity.unit) if quantity.ok else (None, None)
            entities.append(entity)
        claim_spans = prediction.claim_spans()
        cues = snap_cues_to_verbs([s for s in claim_spans if s["label"] == "CUE"], text)
        # no gold claim begins or ends with punctuation; on raw news the head took list marks ("*براساس ...")
        contents = trim_span_edges(merge_claim_pieces([s for s in claim_spans if s["label"] == "CLAIM"], cues, text), text)
        claims = pair_cues(contents, cues, text)
        officials = build_officials(text, entities)
        claims = attribute_claims(text, entities, officials, claims)
        return {"id": article_id, "text": text, "entities": entities, "officials": officials, "claims": claims}


EDGE_MARKS = set("،,؛;:.!؟?…-–—−*•\u200c\u200e\u200f")
# ... but a minus glued to the digits of a QUANTITY is its sign ("-۲٫۵ درصد", "−۳ درصد"), unless it follows
# a letter or a number ("A-5", "۱۰-۱۵", "۱۰ -۱۵": a code or a range), as `quantities` reads it.
MINUS_SIGN = re.compile(r"(?<!\w)(?<!\d[ \u00a0])[-−–](?=\d)")
BRACKETS = {"(": ")", "«": "»", "[": "]"}


# Honorifics, religious titles and ranks before a name, and the blessing after it, stay outside PER
# (GUIDELINES §4b; so are all 81 such names of the gold and real-news articles); the head sometimes
# takes them in ("سید هادی حسینی", "حضرت معصومه (س)"). Glued forms ("سیدضیاء") stay whole.
HONORIFICS = re.compile(r"(?:(?:س[یي]د|حضرت|امام|آ[یي][تة][ \u200c]?الله|ش[یي]خ|حجت[ \u200c]?الاسلام(?: و ?المسلمین)?"
                        r"|سردار|سرلشکر|سرتیپ|سرهنگ|سرگرد|د[کك]تر|مهندس)[ \u200c\u00a0]+)+")
BLESSING = re.compile(r"[ \u00a0]*\((?:ع|س|ص|ره|عج)\)$")


def trim_person_titles(spans: list[dict], text: str) -> list[dict]:
    trimmed = []
    for span in spans:
        if span["label"] == "PER":
            start, end = span["start"], span["end"]
            blessing = BLESSING.search(text, start, end)
            end = blessing.start() if blessing and blessing.start() > start else end
            title = HONORIFICS.match(text, start, end)
            start = title.end() if title and title.end() < end else start
            span = dict(span, start=start, end=end)
        trimmed.append(span)
    return trimmed


# No entity begins or ends with a preposition or conjunction (one of the 20,000 gold and real-news entities
# does: DATE "از تابستان امسال"); the head sometimes runs one word on ("مسئول نمایندگی ولی فقیه در").
# Our schema only: PEYMA's training split has 69 entities that begin with one.
FUNCTION_WORDS = "(?:و|در|از|به|با|که|را|برای|تا)"
LEADING_FUNCTION_WORD = re.compile(FUNCTION_WORDS + r"[ \u00a0\u200c]+")
TRAILING_FUNCTION_WORD = re.compile(r"[ \u00a0\u200c]+" + FUNCTION_WORDS + "$")


def trim_function_words(spans: list[dict], text: str) -> list[dict]:
    trimmed = []
    for span in spans:
        start, end = span["start"], span["end"]
        while True:
            leading = LEADING_FUNCTION_WORD.match(text, start, end)
            trailing = TRAILING_FUNCTION_WORD.search(text, start, end)
            if leading and leading.end() < end:
                start = leading.end()
            elif trailing and trailing.start() > start:
                end = trailing.start()
            else:
                break
        trimmed.append(dict(span, start=start, end=end))
    return trimmed


def trim_span_edges(spans: list[dict], text: str) -> list[dict]:
    """An entity or a claim does not begin or end with a space, a separator or an unmatched bracket: the head sometimes
    tags the comma glued to the word before ("شیعیان، یک‌شنبه ..." -> DATE "، یک‌شنبه ...") or stops inside
    a bracket ("پل احمد (خلیل‌آباد)" -> "پل احمد ("). Matched brackets stay ("امام خمینی (ره)"); a span of
    nothing else is dropped. Claims lose list marks the same way ("* براساس ...")."""
    partner = BRACKETS | {closer: opener for opener, closer in BRACKETS.items()}
    trimmed = []
    for span in spans:
        start, end = span["start"], span["end"]
        while start < end:
            first, last = text[start], text[end - 1]
            sign = span["label"] == "QUANTITY" and MINUS_SIGN.match(text, start, end)  # "-۲٫۵" stays, "- ۶۰" goes
            if first.isspace() or (first in EDGE_MARKS and not sign) or (first in partner and partner[first] not in text[start + 1:end]):
                start += 1
            elif last.isspace() or last in EDGE_MARKS or (last in partner and partner[last] not in text[start:end - 1]):
                end -= 1
            else:
                break
        if start < end:
            trimmed.append(dict(span, start=start, end=end))
    return trimmed


def _two_numbers(first: dict, second: dict, text: str) -> bool:
    """Two QUANTITY pieces that each hold a number are two quantities ("۸۱ میلیون تومان ۸۲ میلیون تومان" in a table)."""
    return first["label"] == "QUANTITY" and all(
        parse_quantity(text[s["start"] : s["end"]]).value is not None for s in (first, second))


def rejoin_split_entities(spans: list[dict], text: str) -> list[dict]:
    joined: list[dict] = []
    for span in sorted(spans, key=lambda s: s["start"]):
        last = joined[-1] if joined else None
        if (last is not None and last["label"] == span["label"] and span["label"] in REJOINED_LABELS
                and SPACES_ONLY.fullmatch(text[last["end"] : span["start"]]) and not _two_numbers(last, span, text)):
            last["score"] = min(last["score"], span["score"])
            last["end"] = span["end"]
            continue
        joined.append(dict(span))
    return joined


_DIGIT = re.compile(r"[0-9۰-۹٠-٩]")


def fit_quantity_spans(spans: list[dict], text: str) -> list[dict]:
    """A QUANTITY span the parser cannot read becomes the quantities with a unit inside it, when
    nothing outside them holds a digit: "۳۸ هزار و ۹۱۷ ریال و یورو" -> "۳۸ هزار و ۹۱۷ ریال" (rate
    tables, where the head runs on through "و یورو" or "، دلار"); two rates in one span become two.
    A QUANTITY without any number ("نرخ دلار" -> QUANTITY "دلار") is dropped. One with nothing
    readable with a unit inside loses the counted noun after it ("۴۲۰ هزار کتاب" -> "۴۲۰ هزار",
    `_without_counted_noun`); anything else stays as predicted. The head leaves a minus sign out
    ("-۲٫۵ درصد" -> "۲٫۵ درصد"): a QUANTITY takes the sign glued before its number back."""
    fitted: list[dict] = []
    for span in spans:
        start, end = span["start"], span["end"]
        if span["label"] == "QUANTITY" and start > 0 and MINUS_SIGN.match(text, start - 1, end):
            start, span = start - 1, dict(span, start=start - 1)
        if span["label"] == "QUANTITY" and not has_number(text[start:end]):
            continue
        pieces = [] if span["label"] != "QUANTITY" or parse_quantity(text[start:end]).ok else readable_quantities(text, start, end)
        bounds = [start] + [b for piece in pieces for b in piece] + [end]
        outside = "".join(text[bounds[k] : bounds[k + 1]] for k in range(0, len(bounds), 2))
        if not pieces or _DIGIT.search(outside):
            if span["label"] == "QUANTITY" and not pieces:
                span = dict(span, end=_without_counted_noun(text, start, end))
            fitted.append(span)
            continue
        fitted += [dict(span, start=piece_start, end=piece_end) for piece_start, piece_end in pieces]
    return fitted


_WORD_ENDS = re.compile(r"\S+")
COUNTED_NOUN_WORDS = 2


def _without_counted_noun(text: str, start: int, end: int) -> int:
    """The end of a QUANTITY the parser cannot read because the head took in the counted noun after it
    ("۸ سارق", "۲۲ هزار قربانی" -> "۸", "۲۲ هزار"; SPEC §1 leaves the counted noun outside): the longest
    run of whole words from its start that reads as a quantity, when at most two words without a digit
    follow. Otherwise the span stays as it is."""
    if parse_quantity(text[start:end]).ok:
        return end
    word_ends = [start + m.end() for m in _WORD_ENDS.finditer(text[start:end])]
    for cut in reversed(word_ends[:-1]):
        rest = text[cut:end]
        if len(rest.split()) > COUNTED_NOUN_WORDS or _DIGIT.search(rest):
            break
        if parse_quantity(text[start:cut]).ok:
            return cut
    return end


def extend_quantities_to_units(spans: list[dict], text: str) -> list[dict]:
    """A QUANTITY that stops before its unit or classifier takes it in, as far as the quantity finder reads
    from the same first character: on real news the head tagged "۲۱" of "۲۱ نفر فوت کردند", "۱۶" of
    "۱۶ مجلد", "34" of "34 عنوان برنامه" (units and classifiers are inside a QUANTITY, SPEC §1). Only
    words are added (no further number), and never over the next entity."""
    if not any(span["label"] == "QUANTITY" for span in spans):
        return spans
    reach = {start: end for start, end, _ in find_quantities(text)}
    extended = []
    for index, span in enumerate(spans):
        end = reach.get(span["start"], 0)
        next_start = spans[index + 1]["start"] if index + 1 < len(spans) else len(text)
        if span["label"] == "QUANTITY" and span["end"] < end <= next_start and not _DIGIT.search(text, span["end"], end):
            span = dict(span, end=end)
        extended.append(span)
    return extended


def snap_cues_to_verbs(cues: list[dict], text: str) -> list[dict]:
    """A cue that starts inside a word becomes the reporting verb it overlaps: with the pronoun
    glued on ("ویافزود", "ویادامه داد") the head marks the verb's last sub-tokens ("د", "ه داد")."""
    snapped = []
    for cue in cues:
        start, end = cue["start"], cue["end"]
        if start > 0 and text[start - 1].isalpha():
            word_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
            verb = next((m for m in CUE_RE.finditer(text, word_start, end + 20) if m.start() < end and start < m.end()), None)
            if verb is not None:
                start, end = verb.span()
        snapped.append(dict(cue, start=start, end=end))
    return snapped


def merge_claim_pieces(contents: list[dict], cues: list[dict], text: str) -> list[dict]:
    """Join CLAIM pieces of one sentence (the head sometimes drops a token mid-claim), then drop
    pieces too short to be a proposition. Pieces stay apart across a sentence end or a cue."""
    merged: list[dict] = []
    for piece in sorted(contents, key=lambda s: s["start"]):
        if merged:
            last = merged[-1]
            # searched in the whole text (whether "۱۴.\n" ends a sentence depends on what follows it),
            # and a mark right before the piece ends one too
            sentence_end = SENTENCE_END.search(text, last["end"])
            ends_between = (sentence_end is not None and sentence_end.start() < piece["start"]
                            or text[piece["start"] - 1 : piece["start"]] in tuple(SENTENCE_MARKS))
            cue_between = any(last["end"] <= c["start"] and c["end"] <= piece["start"] for c in cues)
            if not ends_between and not cue_between:
                words = len(text[last["start"] : last["end"]].split()), len(text[piece["start"] : piece["end"]].split())
                last["score"] = (last["score"] * words[0] + piece["score"] * words[1]) / sum(words)
                last["end"] = piece["end"]
                continue
        merged.append(dict(piece))
    return [c for c in merged if len(text[c["start"] : c["end"]].split()) >= MIN_CLAIM_WORDS]


def pair_cues(contents: list[dict], cues: list[dict], text: str) -> list[dict]:
    """Give each claim the reporting verb just before it ("گفت: ...") or, failing that, just after it."""
    claims, used = [], set()
    for number, content in enumerate(contents, start=1):
        before = [i for i, cue in enumerate(cues) if i not in used and 0 <= content["start"] - cue["end"] <= CUE_BEFORE_CHARS
                  and not LINE_BREAK.search(text, cue["end"], content["start"])]
        after = [i for i, cue in enumerate(cues) if i not in used and 0 <= cue["start"] - content["end"] <= CUE_AFTER_CHARS
                 and not LINE_BREAK.search(text, content["end"], cue["start"])]
        chosen = max(before, key=lambda i: cues[i]["end"], default=None)
        if chosen is None:
            chosen = min(after, key=lambda i: cues[i]["start"], default=None)
        if chosen is not None:
            used.add(chosen)
        claims.append({
            "id": f"c{number}", "start": content["start"], "end": content["end"],
            "cue": [cues[chosen]["start"], cues[chosen]["end"]] if chosen is not None else None,
            "claimant": None, "score": round(content["score"], 4),
        })
    return claims
