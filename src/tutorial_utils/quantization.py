"""Smaller embeddings: int8 and binary quantization, bit packing and Hamming search.

Chapter 6 writes each of these in a few lines of numpy first, then calls them from here:

- :func:`calibrate_int8`, :func:`quantize_int8`, :func:`dequantize_int8`: scalar quantization.
  Each dimension's range (minimum to maximum over calibration embeddings) is cut into 256
  equal buckets and a value is stored as its bucket number, -128 to 127 (one byte instead of
  four). The codes are those of ``sentence_transformers.quantization.quantize_embeddings(...,
  "int8", calibration_embeddings=...)``; values outside the calibrated range are clipped.
- :func:`int8_search`: top-k by inner product of float queries with int8 codes, without
  decoding the whole index (asymmetric search: the query stays float).
- :func:`binarize`, :func:`pack_bits`, :func:`unpack_bits`, :func:`quantize_binary`: keep the
  sign of each value (1 bit) and pack 8 bits into a byte, like ``np.packbits`` and
  ``quantize_embeddings(..., "ubinary")``. A dimension not divisible by 8 is padded with 0 bits,
  which never change a Hamming distance.
- :func:`hamming_distances`, :func:`hamming_search`: the number of differing bits, by XOR and
  popcount, in numpy or with ``faiss.IndexBinaryFlat``.
- :func:`binary_rescore_search`: binary search for ``k * rescore_multiplier`` candidates, then
  rescore them with the float query against the candidates' +-1 vectors (or float vectors you
  keep elsewhere) and keep the best ``k``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from tutorial_utils._validation import positive_int as _positive_int

__all__ = [
    "Int8Calibration",
    "binarize",
    "binary_rescore_search",
    "calibrate_int8",
    "dequantize_int8",
    "hamming_distances",
    "hamming_search",
    "int8_search",
    "pack_bits",
    "quantize_binary",
    "quantize_int8",
    "unpack_bits",
]


def _float_matrix(values: Any, name: str, allow_empty: bool = False) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim == 1:
        array = array[np.newaxis, :]
    if array.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (one row per vector); got shape {array.shape}")
    if array.shape[1] == 0 or (array.shape[0] == 0 and not allow_empty):
        raise ValueError(f"{name} is empty (shape {array.shape}); pass at least one vector")
    if not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)) \
            or array.dtype == np.bool_:
        raise ValueError(f"{name} must hold real numbers; got dtype {array.dtype}")
    array = array.astype(np.float32, copy=False)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def _packed_matrix(values: Any, name: str, allow_empty: bool = False) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim == 1:
        array = array[np.newaxis, :]
    if array.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array of packed bits (one row per vector); got shape {array.shape}")
    if array.dtype == np.int8:  # quantize_embeddings(..., "binary") stores packed bytes minus 128
        raise ValueError(f"{name} has dtype int8: pass packed bits as uint8 (quantize_embeddings(..., 'ubinary') "
                         "or tutorial_utils.quantization.quantize_binary), not the signed 'binary' precision")
    if array.dtype != np.uint8:
        raise ValueError(f"{name} must be packed bits of dtype uint8 (see pack_bits); got dtype {array.dtype}")
    if array.shape[1] == 0 or (array.shape[0] == 0 and not allow_empty):
        raise ValueError(f"{name} is empty (shape {array.shape}); pass at least one vector")
    return np.ascontiguousarray(array)


def _check_k(k: object, n_index: int) -> int:
    k = _positive_int(k, "k")
    if n_index == 0:
        raise ValueError("the index is empty: add at least one vector before searching")
    if k > n_index:
        raise ValueError(f"k={k} is larger than the {n_index} vectors in the index; use k <= {n_index}")
    return k


def _top_k_smallest(values: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the k smallest values per row, smallest first, ties by lower index."""
    n = values.shape[1]
    if k == 1:  # argmin returns the first (lowest) index among ties
        return np.argmin(values, axis=1)[:, np.newaxis].astype(np.int64)
    if k < n:
        candidates = np.argpartition(values, k - 1, axis=1)[:, :k]
        kth = np.take_along_axis(values, candidates, axis=1).max(axis=1, keepdims=True)
    else:
        kth = values.max(axis=1, keepdims=True)
    result = np.empty((values.shape[0], k), dtype=np.int64)
    for row in range(values.shape[0]):
        # every item at most as far as the k-th, ordered by (value, index): ties keep the lower index
        within = np.flatnonzero(values[row] <= kth[row, 0])
        order = np.lexsort((within, values[row, within]))[:k]
        result[row] = within[order]
    return result


def _top_k_largest(values: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the k largest values per row, largest first, ties by lower index."""
    if k == 1:  # argmax returns the first (lowest) index among ties; no negated copy
        return np.argmax(values, axis=1)[:, np.newaxis].astype(np.int64)
    return _top_k_smallest(-values, k)


#: int8 codes turned into float32 at a time by :func:`int8_search` (2**23 values: 32 MB).
_DECODED_ELEMENTS = 2**23


# --------------------------------------------------------------------------- int8 (scalar) quantization


@dataclass(frozen=True)
class Int8Calibration:
    """Per-dimension ranges for int8 quantization: bucket ``b`` (0..255) covers ``[start + b*step, start + (b+1)*step)``."""

    minimum: np.ndarray
    maximum: np.ndarray

    @property
    def dim(self) -> int:
        return int(self.minimum.shape[0])

    @property
    def step(self) -> np.ndarray:
        """Width of one of the 256 buckets in each dimension (1 where the range is zero, as sentence-transformers)."""
        step = (self.maximum - self.minimum) / np.float32(255)
        return np.where(step == 0, np.float32(1), step).astype(np.float32)

    @property
    def ranges(self) -> np.ndarray:
        """The (2, dim) array ``quantize_embeddings(..., ranges=...)`` takes: minimum row, maximum row."""
        return np.vstack([self.minimum, self.maximum])


def calibrate_int8(calibration_embeddings: Any) -> Int8Calibration:
    """Per-dimension minimum and maximum of representative embeddings (at least two vectors).

    Calibrate on embeddings like the ones you will quantize (a sample of the collection):
    a value outside the calibrated range is clipped to the first or last bucket.
    """
    data = _float_matrix(calibration_embeddings, "calibration_embeddings")
    if data.shape[0] < 2:
        raise ValueError("calibrate on at least two embeddings (better: thousands); one vector gives zero-width ranges")
    return Int8Calibration(data.min(axis=0), data.max(axis=0))


def _check_calibration(calibration: Int8Calibration, dim: int, name: str) -> None:
    if not isinstance(calibration, Int8Calibration):
        raise TypeError(f"calibration must be an Int8Calibration (from calibrate_int8); got {type(calibration).__name__}")
    if calibration.dim != dim:
        raise ValueError(
            f"dimension mismatch: the calibration was computed on {calibration.dim}-dimensional embeddings but "
            f"{name} have {dim} dimensions; calibrate on embeddings from the same model (and the same truncation)"
        )


def quantize_int8(embeddings: Any, calibration: Int8Calibration) -> np.ndarray:
    """int8 codes of ``embeddings``: ``clip(floor((x - minimum) / step), 0, 255) - 128``, one byte per value."""
    x = _float_matrix(embeddings, "embeddings", allow_empty=True)
    _check_calibration(calibration, x.shape[1], "the embeddings")
    buckets = np.floor((x - calibration.minimum) / calibration.step)
    return (np.clip(buckets, 0, 255) - 128).astype(np.int8)


def dequantize_int8(codes: Any, calibration: Int8Calibration) -> np.ndarray:
    """Float32 approximation of the embeddings behind int8 ``codes``: the centre of each code's bucket."""
    array = np.asarray(codes)
    if array.dtype != np.int8 or array.ndim != 2:
        raise ValueError(f"codes must be a 2-D int8 array (from quantize_int8); got dtype {array.dtype}, shape {array.shape}")
    _check_calibration(calibration, array.shape[1], "the codes")
    return calibration.minimum + (array.astype(np.float32) + np.float32(128.5)) * calibration.step


def int8_search(
    queries: Any, codes: Any, calibration: Int8Calibration, k: int, chunk_size: int = 128
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k by inner product of float ``queries`` with the vectors int8 ``codes`` stand for: ``(indices, scores)``.

    The decoded vector is ``minimum + (code + 128.5) * step``, so ``q . decoded = (q * step) . code
    + constant(q)``: the index is scanned as int8 codes, turned into floats at most about 32 MB
    at a time (``chunk_size`` queries at a time), and never decoded as a whole when it is larger.
    Scores are the inner products with the decoded vectors, best first; ties keep the lower index
    first.
    """
    q = _float_matrix(queries, "queries")
    array = np.asarray(codes)
    if array.dtype != np.int8 or array.ndim != 2:
        raise ValueError(f"codes must be a 2-D int8 array (from quantize_int8); got dtype {array.dtype}, shape {array.shape}")
    _check_calibration(calibration, q.shape[1], "the queries")
    _check_calibration(calibration, array.shape[1], "the codes")
    k = _check_k(k, array.shape[0])
    chunk_size = _positive_int(chunk_size, "chunk_size")
    scaled = q * calibration.step                                                   # (n_queries, d)
    offset = q @ (calibration.minimum + np.float32(128.5) * calibration.step)        # (n_queries,)
    rows = max(8192, _DECODED_ELEMENTS // max(array.shape[1], 1))                   # index rows as floats at a time
    # an index that fits the budget is turned into floats once, not once per block of queries
    whole = array.astype(np.float32) if rows >= array.shape[0] else None
    indices = np.empty((q.shape[0], k), dtype=np.int64)
    scores = np.empty((q.shape[0], k), dtype=np.float32)
    for start in range(0, q.shape[0], chunk_size):
        block = scaled[start:start + chunk_size]
        if whole is not None:
            partial = block @ whole.T
        else:
            partial = np.empty((block.shape[0], array.shape[0]), dtype=np.float32)
            for first in range(0, array.shape[0], rows):
                partial[:, first:first + rows] = block @ array[first:first + rows].astype(np.float32).T
        best = _top_k_largest(partial, k)
        indices[start:start + chunk_size] = best
        scores[start:start + chunk_size] = np.take_along_axis(partial, best, axis=1)
    return indices, scores + offset[:, np.newaxis]


# --------------------------------------------------------------------------- binary quantization


def binarize(embeddings: Any) -> np.ndarray:
    """One bit per value: True where the value is positive (> 0), as sentence-transformers does."""
    return _float_matrix(embeddings, "embeddings", allow_empty=True) > 0


def pack_bits(bits: Any) -> np.ndarray:
    """Pack each row of booleans into bytes, 8 per byte, first bit highest (``np.packbits``); pads with 0 bits."""
    array = np.asarray(bits)
    if array.ndim != 2:
        raise ValueError(f"bits must be a 2-D array (one row per vector); got shape {array.shape}")
    if array.dtype != np.bool_:
        if not np.issubdtype(array.dtype, np.integer) or not np.isin(array, (0, 1)).all():
            raise ValueError("bits must be booleans or 0/1 integers; threshold the embeddings first (binarize)")
        array = array.astype(bool)
    if array.shape[1] == 0:
        raise ValueError("bits have zero columns: there is nothing to pack")
    return np.packbits(array, axis=1)


def unpack_bits(packed: Any, dim: int) -> np.ndarray:
    """Booleans of shape (n, dim) from packed bytes: the inverse of :func:`pack_bits` (drops the padding)."""
    array = _packed_matrix(packed, "packed", allow_empty=True)
    dim = _positive_int(dim, "dim")
    if not 8 * (array.shape[1] - 1) < dim <= 8 * array.shape[1]:
        raise ValueError(f"dim={dim} does not fit {array.shape[1]} packed bytes per vector "
                         f"(which hold from {8 * array.shape[1] - 7} to {8 * array.shape[1]} bits)")
    return np.unpackbits(array, axis=1, count=dim).astype(bool)


def quantize_binary(embeddings: Any) -> np.ndarray:
    """Packed sign bits, ``ceil(dim / 8)`` bytes per vector: same as ``quantize_embeddings(x, "ubinary")``."""
    return pack_bits(binarize(embeddings))


def _check_packed_pair(queries: Any, index: Any) -> tuple[np.ndarray, np.ndarray]:
    q = _packed_matrix(queries, "queries")
    x = _packed_matrix(index, "index", allow_empty=True)
    if q.shape[1] != x.shape[1]:
        raise ValueError(f"the queries have {q.shape[1]} packed bytes per vector, the index {x.shape[1]}: "
                         "quantize both from embeddings of the same dimension")
    return q, x


def hamming_distances(queries: Any, index: Any) -> np.ndarray:
    """Number of differing bits between every packed query and every packed index vector: (n_queries, n_index) ints.

    XOR marks the differing bits, popcount (``np.bitwise_count``) counts them. For sign
    vectors s, t in {-1, +1}^d: ``s . t = d - 2 * hamming``, so the fewest differing bits is
    the largest inner product of the sign vectors.
    """
    q, x = _check_packed_pair(queries, index)
    n_bytes = q.shape[1]
    if n_bytes % 8 == 0:  # 64 bits at a time
        q, x = q.view(np.uint64), x.view(np.uint64)
    distances = np.zeros((q.shape[0], x.shape[0]), dtype=np.int32)
    rows = 64  # queries at a time: the XOR temporaries stay small next to the result
    for start in range(0, q.shape[0], rows):
        block = distances[start:start + rows]
        for column in range(q.shape[1]):
            xor = q[start:start + rows, column:column + 1] ^ x[np.newaxis, :, column]
            block += np.bitwise_count(xor)
    return distances


def hamming_search(
    queries: Any,
    index: Any,
    k: int,
    backend: Literal["numpy", "faiss"] = "numpy",
    chunk_size: int = 64,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest packed index vectors of each packed query by Hamming distance: ``(indices, distances)``.

    ``backend="numpy"`` computes :func:`hamming_distances` ``chunk_size`` queries at a time and
    orders ties by index. ``backend="faiss"`` uses ``faiss.IndexBinaryFlat`` (much faster; its
    order among equal distances may differ). Both return the same distances.
    """
    q, x = _check_packed_pair(queries, index)
    k = _check_k(k, x.shape[0])
    chunk_size = _positive_int(chunk_size, "chunk_size")
    if backend == "faiss":
        import faiss

        binary_index = faiss.IndexBinaryFlat(8 * x.shape[1])
        binary_index.add(x)
        distances, indices = binary_index.search(q, k)
        return indices.astype(np.int64), distances.astype(np.int32)
    if backend != "numpy":
        raise ValueError(f"backend must be 'numpy' or 'faiss'; got {backend!r}")
    indices = np.empty((q.shape[0], k), dtype=np.int64)
    distances = np.empty((q.shape[0], k), dtype=np.int32)
    for start in range(0, q.shape[0], chunk_size):
        block = hamming_distances(q[start:start + chunk_size], x)
        best = _top_k_smallest(block, k)
        indices[start:start + chunk_size] = best
        distances[start:start + chunk_size] = np.take_along_axis(block, best, axis=1)
    return indices, distances


def binary_rescore_search(
    queries: Any,
    index: Any,
    k: int,
    rescore_multiplier: int = 4,
    rescore_vectors: Any = None,
    backend: Literal["numpy", "faiss"] = "faiss",
) -> tuple[np.ndarray, np.ndarray]:
    """Binary search, then rescoring with the float query: ``(indices, scores)``, best first.

    1. Quantize the float ``queries`` to bits and find the ``k * rescore_multiplier`` nearest
       packed ``index`` vectors by Hamming distance.
    2. Score each candidate by the inner product of the float query with the candidate's
       +-1 sign vector (from the packed bits themselves, so memory stays 1 bit per value), or
       with its row of ``rescore_vectors`` when given (float vectors kept elsewhere, e.g. on disk).
    3. Keep the ``k`` best.
    """
    q = _float_matrix(queries, "queries")
    x = _packed_matrix(index, "index", allow_empty=True)
    dim = q.shape[1]
    if x.shape[1] != (dim + 7) // 8:
        raise ValueError(f"the queries have {dim} dimensions, which pack into {(dim + 7) // 8} bytes, but the index "
                         f"has {x.shape[1]} bytes per vector: quantize the index from embeddings of the same dimension")
    k = _check_k(k, x.shape[0])
    n_candidates = min(k * _positive_int(rescore_multiplier, "rescore_multiplier"), x.shape[0])
    candidates, _ = hamming_search(quantize_binary(q), x, n_candidates, backend=backend)
    if rescore_vectors is None:
        signs = unpack_bits(x[candidates.ravel()], dim).astype(np.float32) * 2 - 1
        vectors = signs.reshape(candidates.shape + (dim,))
    else:
        stored = _float_matrix(rescore_vectors, "rescore_vectors")
        if stored.shape != (x.shape[0], dim):
            raise ValueError(f"rescore_vectors must have one {dim}-dimensional row per index vector, shape "
                             f"({x.shape[0]}, {dim}); got {stored.shape}")
        vectors = stored[candidates]
    scores = np.einsum("qd,qcd->qc", q, vectors)
    order = np.lexsort((candidates, -scores), axis=1)[:, :k]
    return np.take_along_axis(candidates, order, axis=1), np.take_along_axis(scores, order, axis=1)
