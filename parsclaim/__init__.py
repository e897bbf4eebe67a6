"""parsclaim: Persian NER and claim extraction for news.

`from parsclaim import Extractor` (and `ParallelExtractor`): imported on first use, so that
`import parsclaim` and the CLI's argument errors do not wait for torch.
"""

__all__ = ["Extractor", "ParallelExtractor"]


def __getattr__(name: str):
    if name == "Extractor":
        from .inference.extractor import Extractor

        return Extractor
    if name == "ParallelExtractor":
        from .inference.parallel import ParallelExtractor

        return ParallelExtractor
    raise AttributeError(f"module 'parsclaim' has no attribute {name!r}")
