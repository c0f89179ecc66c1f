"""The article-extraction-benchmark body metric, re-implemented so our numbers compare with upstream's.

Upstream (scrapinghub/article-extraction-benchmark, ``evaluate.py``) scores bodies on 4-token
shingles: per page it counts TP/FP/FN over shingle multisets, normalises the three to sum 1 (so
every page weighs the same, whatever its length), averages precision and recall over pages and
reports F1 as the harmonic mean of the two averages. Tokens are ``\\w+`` runs, case kept, so
punctuation and whitespace differences never count.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str, n: int = 4) -> list[str]:
    """Short texts still give one (shorter) shingle, as upstream does, so they are not invisible."""
    tokens = tokenize(text)
    out = []
    for i in range(max(1, len(tokens) - n + 1)):
        shingle = " ".join(tokens[i:i + n])
        if shingle:
            out.append(shingle)
    return out


def tp_fp_fn(true: str, pred: str, n: int = 4) -> tuple[int, int, int]:
    t = Counter(shingles(true, n))
    p = Counter(shingles(pred, n))
    return sum((t & p).values()), sum((p - t).values()), sum((t - p).values())


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def page_scores(true: str, pred: str) -> tuple[float, float]:
    """(precision, recall) of one page, after upstream's normalisation to sum 1."""
    tp, fp, fn = tp_fp_fn(true, pred)
    total = tp + fp + fn
    if total:
        tp, fp, fn = tp / total, fp / total, fn / total
    return _precision(tp, fp, fn), _recall(tp, fp, fn)


def score(pairs: Iterable[tuple[str, str]]) -> dict:
    """Mean precision/recall over (true, pred) pages and the F1 of those means."""
    precisions, recalls = [], []
    for true, pred in pairs:
        p, r = page_scores(true, pred)
        precisions.append(p)
        recalls.append(r)
    if not precisions:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "pages": 0}
    precision = sum(precisions) / len(precisions)
    recall = sum(recalls) / len(recalls)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "pages": len(precisions)}


def score_predictions(ground_truth: Mapping[str, Mapping], predictions: Mapping[str, str]) -> dict:
    """Score ``{id: body}`` against upstream's ``{id: {"articleBody": ...}}``; a missing id counts as empty."""
    return score((gt.get("articleBody") or "", predictions.get(key) or "") for key, gt in ground_truth.items())
