"""tutorial_utils.quantization against brute-force references and sentence-transformers."""

from __future__ import annotations

import numpy as np
import pytest

from tutorial_utils import quantization
from tutorial_utils.quantization import (
    Int8Calibration,
    binarize,
    binary_rescore_search,
    calibrate_int8,
    dequantize_int8,
    hamming_distances,
    hamming_search,
    int8_search,
    pack_bits,
    quantize_binary,
    quantize_int8,
    unpack_bits,
)

ODD_DIMS = (1, 5, 13, 64, 100)   # 1, 5, 13 and 100 are not multiples of 8; 64 packs into whole 64-bit words


def _random(n, d, seed=0):
    return np.random.default_rng(seed).normal(size=(n, d)).astype(np.float32)


def _brute_hamming(q_bits, x_bits):
    return np.array([[int(np.sum(a != b)) for b in x_bits] for a in q_bits])


def _brute_top_k(distances, k):
    # smallest first, ties by lower index
    return np.array([sorted(range(len(row)), key=lambda j: (row[j], j))[:k] for row in distances])


# --------------------------------------------------------------------------- int8


def test_int8_codes_by_hand_and_bucket_centres():
    calibration = calibrate_int8(np.array([[0.0, -1.0], [2.55, 1.55]], dtype=np.float32))
    np.testing.assert_allclose(calibration.minimum, [0.0, -1.0])
    np.testing.assert_allclose(calibration.step, [0.01, 0.01], rtol=1e-6)
    codes = quantize_int8(np.array([[0.0, -1.0], [2.55, 1.55], [1.005, 0.0]], dtype=np.float32), calibration)
    assert codes.dtype == np.int8
    # bucket = floor((x - min) / step): 0 -> -128, 255 -> 127, 100 -> -28
    np.testing.assert_array_equal(codes[:2], [[-128, -128], [127, 127]])
    assert codes[2, 0] == 100 - 128 and codes[2, 1] == 100 - 128
    decoded = dequantize_int8(codes, calibration)
    np.testing.assert_allclose(decoded[2], [1.005, 0.005], atol=1e-5)   # centre of bucket 100


@pytest.mark.parametrize("dim", ODD_DIMS)
def test_int8_matches_sentence_transformers_and_error_is_half_a_bucket(dim):
    from sentence_transformers.util.quantization import quantize_embeddings

    calibration_data, data = _random(500, dim, 1), _random(200, dim, 2)
    calibration = calibrate_int8(calibration_data)
    ours = quantize_int8(data, calibration)
    theirs = quantize_embeddings(data, "int8", calibration_embeddings=calibration_data)
    np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(ours, quantize_embeddings(data, "int8", ranges=calibration.ranges))
    inside = (data >= calibration.minimum) & (data <= calibration.maximum)
    error = np.abs(dequantize_int8(ours, calibration) - data)
    assert np.all(error[inside] <= calibration.step.max() / 2 + 1e-5)


def test_int8_clips_values_outside_the_calibrated_range():
    calibration = calibrate_int8(np.array([[0.0], [1.0]], dtype=np.float32))
    codes = quantize_int8(np.array([[-5.0], [0.5], [7.0]], dtype=np.float32), calibration)
    assert codes[:, 0].tolist() == [-128, 127 - 128, 127]


def test_int8_constant_dimension_gets_step_one():
    calibration = calibrate_int8(np.array([[3.0, 0.0], [3.0, 1.0]], dtype=np.float32))
    assert calibration.step[0] == 1.0
    assert quantize_int8(np.array([[3.0, 0.5]], dtype=np.float32), calibration)[0, 0] == -128


def test_calibration_of_the_wrong_dimension_is_refused():
    calibration = calibrate_int8(_random(100, 8))
    with pytest.raises(ValueError, match="calibration was computed on 8-dimensional embeddings but the embeddings have 6"):
        quantize_int8(_random(10, 6), calibration)
    with pytest.raises(ValueError, match="dimension mismatch"):
        dequantize_int8(np.zeros((2, 6), dtype=np.int8), calibration)
    with pytest.raises(ValueError, match="dimension mismatch"):
        int8_search(_random(3, 6), quantize_int8(_random(10, 8), calibration), calibration, 2)


@pytest.mark.parametrize("bad, message", [
    (np.zeros((1, 4)), "at least two embeddings"),
    (np.zeros((0, 4)), "empty"),
    (np.array([[np.nan, 1.0], [0.0, 1.0]]), "NaN"),
    (np.array([["a", "b"], ["c", "d"]]), "real numbers"),
    (np.zeros((2, 2, 2)), "2-D"),
])
def test_bad_calibration_data(bad, message):
    with pytest.raises(ValueError, match=message):
        calibrate_int8(bad)


def test_quantize_int8_refuses_a_calibration_of_the_wrong_type():
    with pytest.raises(TypeError, match="Int8Calibration"):
        quantize_int8(_random(2, 3), np.zeros((2, 3)))


@pytest.mark.parametrize("dim", ODD_DIMS)
def test_int8_search_equals_brute_force_on_the_decoded_vectors(dim):
    base, queries = _random(300, dim, 3), _random(7, dim, 4)
    calibration = calibrate_int8(base)
    codes = quantize_int8(base, calibration)
    indices, scores = int8_search(queries, codes, calibration, k=5, chunk_size=3)
    decoded_scores = queries.astype(np.float64) @ dequantize_int8(codes, calibration).T.astype(np.float64)
    expected = _brute_top_k(-decoded_scores, 5)
    np.testing.assert_allclose(scores, np.take_along_axis(decoded_scores, expected, axis=1), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(np.take_along_axis(decoded_scores, indices, axis=1),
                               np.take_along_axis(decoded_scores, expected, axis=1), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("k", [1, 4])
def test_int8_search_in_blocks_equals_the_whole_index_at_once(monkeypatch, k):
    # An index larger than the decoding budget is turned into floats block by block; the
    # blocks must give the same neighbours and scores as decoding it whole.
    base, queries = _random(9000, 3, 5), _random(6, 3, 6)
    calibration = calibrate_int8(base)
    codes = quantize_int8(base, calibration)
    whole = int8_search(queries, codes, calibration, k=k, chunk_size=4)
    monkeypatch.setattr(quantization, "_DECODED_ELEMENTS", 1)  # 8,192 rows at a time
    in_blocks = int8_search(queries, codes, calibration, k=k, chunk_size=4)
    np.testing.assert_array_equal(in_blocks[0], whole[0])
    np.testing.assert_allclose(in_blocks[1], whole[1], rtol=1e-5, atol=1e-5)


def test_int8_search_refuses_an_empty_index_and_bad_codes():
    calibration = calibrate_int8(_random(10, 4))
    with pytest.raises(ValueError, match="index is empty"):
        int8_search(_random(2, 4), np.zeros((0, 4), dtype=np.int8), calibration, 1)
    with pytest.raises(ValueError, match="int8"):
        int8_search(_random(2, 4), np.zeros((3, 4), dtype=np.float32), calibration, 1)
    with pytest.raises(ValueError, match="k=4 is larger"):
        int8_search(_random(2, 4), np.zeros((3, 4), dtype=np.int8), calibration, 4)


# --------------------------------------------------------------------------- bits


@pytest.mark.parametrize("dim", ODD_DIMS)
def test_pack_and_unpack_round_trip_and_match_sentence_transformers(dim):
    from sentence_transformers.util.quantization import quantize_embeddings

    data = _random(20, dim, 5)
    packed = quantize_binary(data)
    assert packed.dtype == np.uint8 and packed.shape == (20, (dim + 7) // 8)
    np.testing.assert_array_equal(packed, quantize_embeddings(data, "ubinary"))
    np.testing.assert_array_equal(unpack_bits(packed, dim), data > 0)
    # the padding bits of the last byte are zero
    if dim % 8:
        assert np.all(packed[:, -1] & ((1 << (8 - dim % 8)) - 1) == 0)


def test_pack_bits_by_hand_first_bit_is_the_highest():
    assert pack_bits(np.array([[1, 0, 0, 0, 0, 0, 0, 1, 1]])).tolist() == [[0b10000001, 0b10000000]]
    assert binarize(np.array([[0.0, -0.0, 1e-9, -3.0]])).tolist() == [[False, False, True, False]]


@pytest.mark.parametrize("bad, message", [
    (np.array([[0, 2, 1]]), "booleans or 0/1"),
    (np.array([[0.5, 1.0]]), "booleans or 0/1"),
    (np.array([True, False]), "2-D"),
    (np.zeros((3, 0), dtype=bool), "nothing to pack"),
])
def test_pack_bits_refuses_bad_input(bad, message):
    with pytest.raises(ValueError, match=message):
        pack_bits(bad)


def test_unpack_bits_refuses_a_dimension_that_does_not_fit():
    packed = quantize_binary(_random(2, 13))
    with pytest.raises(ValueError, match="does not fit 2 packed bytes"):
        unpack_bits(packed, 17)
    with pytest.raises(ValueError, match="does not fit"):
        unpack_bits(packed, 8)
    with pytest.raises(ValueError, match="uint8"):
        unpack_bits(packed.astype(np.int64), 13)


# --------------------------------------------------------------------------- Hamming


@pytest.mark.parametrize("dim", ODD_DIMS)
def test_hamming_distances_equal_counting_differing_bits(dim):
    q, x = _random(6, dim, 6), _random(40, dim, 7)
    expected = _brute_hamming(q > 0, x > 0)
    np.testing.assert_array_equal(hamming_distances(quantize_binary(q), quantize_binary(x)), expected)
    # and the identity with the inner product of the +-1 sign vectors
    signs_q, signs_x = np.where(q > 0, 1, -1), np.where(x > 0, 1, -1)
    np.testing.assert_array_equal(signs_q @ signs_x.T, dim - 2 * expected)


def test_hamming_distances_match_scipy():
    from scipy.spatial.distance import cdist

    q, x = _random(4, 37, 8) > 0, _random(9, 37, 9) > 0
    expected = np.rint(cdist(q, x, metric="hamming") * 37).astype(int)
    np.testing.assert_array_equal(hamming_distances(pack_bits(q), pack_bits(x)), expected)


@pytest.mark.parametrize("dim", [16, 64, 100])
def test_hamming_distances_over_several_blocks_of_queries_match_scipy(dim):
    """More queries than one block (the helper XORs 64 queries at a time), on both paths
    (64-bit words when the bytes divide by 8, single bytes otherwise)."""
    from scipy.spatial.distance import cdist

    q, x = _random(150, dim, 10) > 0, _random(70, dim, 11) > 0
    expected = np.rint(cdist(q, x, metric="hamming") * dim).astype(int)
    distances = hamming_distances(pack_bits(q), pack_bits(x))
    assert distances.dtype == np.int32
    np.testing.assert_array_equal(distances, expected)


@pytest.mark.parametrize("dim", ODD_DIMS)
def test_hamming_search_numpy_and_faiss_against_brute_force(dim):
    q, x = _random(9, dim, 10), _random(120, dim, 11)
    pq, px = quantize_binary(q), quantize_binary(x)
    distances = _brute_hamming(q > 0, x > 0)
    k = min(10, len(x))
    expected = _brute_top_k(distances, k)
    indices, found = hamming_search(pq, px, k, chunk_size=4)
    np.testing.assert_array_equal(indices, expected)          # numpy: ties by lower index, like the reference
    np.testing.assert_array_equal(found, np.take_along_axis(distances, expected, axis=1))
    f_indices, f_found = hamming_search(pq, px, k, backend="faiss")
    np.testing.assert_array_equal(f_found, found)               # faiss: same distances, any order among ties
    np.testing.assert_array_equal(np.take_along_axis(distances, f_indices, axis=1), f_found)


def test_hamming_search_refuses_an_empty_index_and_mismatched_widths():
    queries = quantize_binary(_random(2, 13))
    with pytest.raises(ValueError, match="index is empty"):
        hamming_search(queries, np.zeros((0, 2), dtype=np.uint8), 1)
    with pytest.raises(ValueError, match="index is empty"):
        hamming_search(queries, np.zeros((0, 2), dtype=np.uint8), 1, backend="faiss")
    with pytest.raises(ValueError, match="2 packed bytes per vector, the index 3"):
        hamming_search(queries, quantize_binary(_random(5, 20)), 1)
    with pytest.raises(ValueError, match="k=6 is larger"):
        hamming_search(queries, quantize_binary(_random(5, 13)), 6)
    with pytest.raises(ValueError, match="backend"):
        hamming_search(queries, quantize_binary(_random(5, 13)), 1, backend="annoy")
    with pytest.raises(ValueError, match="signed 'binary'"):
        hamming_search(queries.astype(np.int8), quantize_binary(_random(5, 13)), 1)
    with pytest.raises(ValueError, match="k must be a positive integer"):
        hamming_search(queries, quantize_binary(_random(5, 13)), 0)


# --------------------------------------------------------------------------- rescoring


@pytest.mark.parametrize("dim", ODD_DIMS)
def test_rescoring_every_candidate_is_exact_search_over_the_sign_vectors(dim):
    q, x = _random(5, dim, 12), _random(50, dim, 13)
    signs = np.where(x > 0, 1.0, -1.0)
    scores = q.astype(np.float64) @ signs.T
    expected = _brute_top_k(-scores, 4)
    # a multiplier large enough to rescore the whole index: the result is exact over the +-1 vectors
    indices, found = binary_rescore_search(q, quantize_binary(x), 4, rescore_multiplier=50, backend="numpy")
    np.testing.assert_allclose(found, np.take_along_axis(scores, expected, axis=1), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np.take_along_axis(scores, indices, axis=1), found, rtol=1e-5, atol=1e-5)


def test_rescoring_with_float_vectors_recovers_exact_search():
    q, x = _random(5, 24, 14), _random(60, 24, 15)
    exact = _brute_top_k(-(q @ x.T), 3)
    indices, scores = binary_rescore_search(q, quantize_binary(x), 3, rescore_multiplier=20, rescore_vectors=x)
    np.testing.assert_array_equal(indices, exact)
    np.testing.assert_allclose(scores, np.take_along_axis(q @ x.T, exact, axis=1), rtol=1e-5)


def test_rescoring_only_reorders_the_binary_candidates():
    q, x = _random(8, 32, 16), _random(200, 32, 17)
    candidates, _ = hamming_search(quantize_binary(q), quantize_binary(x), 12)
    indices, _ = binary_rescore_search(q, quantize_binary(x), 3, rescore_multiplier=4, backend="numpy")
    assert all(set(row) <= set(c) for row, c in zip(indices.tolist(), candidates.tolist()))


def test_rescoring_refuses_bad_input():
    x = quantize_binary(_random(10, 16))
    with pytest.raises(ValueError, match="index is empty"):
        binary_rescore_search(_random(2, 16), np.zeros((0, 2), dtype=np.uint8), 1)
    with pytest.raises(ValueError, match="pack into 3 bytes"):
        binary_rescore_search(_random(2, 20), x, 1)
    with pytest.raises(ValueError, match="rescore_vectors must have one 16-dimensional row"):
        binary_rescore_search(_random(2, 16), x, 1, rescore_vectors=_random(9, 16))
    with pytest.raises(ValueError, match="rescore_multiplier"):
        binary_rescore_search(_random(2, 16), x, 1, rescore_multiplier=0)


def test_int8_calibration_dataclass_properties():
    calibration = Int8Calibration(np.zeros(3, dtype=np.float32), np.full(3, 2.55, dtype=np.float32))
    assert calibration.dim == 3
    assert calibration.ranges.shape == (2, 3)
