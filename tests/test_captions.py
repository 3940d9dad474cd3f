"""tutorial_utils.captions: attributes measured on digits, captions written from them, word ids."""

from __future__ import annotations

import numpy as np
import pytest

from tutorial_utils.captions import (
    ATTRIBUTES,
    DIGIT_WORDS,
    PROMPT_TEMPLATES,
    TRAIN_TEMPLATES,
    build_vocabulary,
    describe,
    fill_template,
    fit_tertiles,
    ink,
    levels,
    make_captions,
    slant,
    token_ids,
    tokenize,
)


def _bar(shear: float, width: int = 1) -> np.ndarray:
    """A 28 x 28 vertical bar whose column moves by ``shear`` pixels per row up the image."""
    image = np.zeros((28, 28))
    for row in range(4, 24):
        column = round(14 + shear * (14 - row))
        image[row, column:column + width] = 1.0
    return image


def test_ink_is_the_sum_of_the_pixels_in_either_shape():
    images = np.stack([_bar(0.0), _bar(0.0, width=3)])
    assert ink(images).tolist() == [20.0, 60.0]
    assert ink(images.reshape(2, -1)).tolist() == [20.0, 60.0]
    assert ink(images.astype(np.uint8)).dtype == np.float64  # no uint8 overflow
    with pytest.raises(ValueError, match="must be a batch"):
        ink(np.ones(5))


def test_slant_is_positive_for_a_digit_leaning_right_and_zero_upright():
    images = np.stack([_bar(0.0), _bar(0.5), _bar(-0.5)])
    measured = slant(images)
    assert measured[0] == pytest.approx(0.0, abs=1e-12)
    assert measured[1] == pytest.approx(0.5, abs=0.05)  # the shear it was drawn with
    assert measured[2] == pytest.approx(-0.5, abs=0.05)
    # flattened images, and any chunk size, give the same values
    assert np.allclose(slant(images.reshape(3, -1), chunk=2), measured)


def test_slant_refuses_bad_input():
    with pytest.raises(ValueError, match="square images"):
        slant(np.ones((2, 10)))
    with pytest.raises(ValueError, match="square images"):
        slant(np.ones(4))
    with pytest.raises(ValueError, match="blank image"):
        slant(np.zeros((1, 28, 28)))
    with pytest.raises(ValueError, match="chunk must be a positive integer"):
        slant(np.ones((1, 28, 28)), chunk=0)


def test_tertiles_are_fitted_per_class_and_levels_apply_them():
    values = np.r_[np.arange(1, 7), np.arange(101, 107)]
    labels = np.repeat([0, 1], 6)
    cuts = fit_tertiles(values, labels)
    assert cuts.shape == (2, 2)
    assert np.allclose(cuts[1] - cuts[0], 100)  # each class its own cuts
    assert levels(values, labels, cuts).tolist() == [0, 0, 1, 1, 2, 2] * 2
    assert levels(values, labels, cuts).dtype == np.int8
    # a value high for class 0 is low for class 1
    assert levels([50, 50], [0, 1], cuts).tolist() == [2, 0]
    assert levels([], np.array([], dtype=int), cuts).tolist() == []


def test_tertiles_and_levels_refuse_bad_input():
    with pytest.raises(ValueError, match="3 values for 2 labels"):
        fit_tertiles([1, 2, 3], [0, 0])
    with pytest.raises(ValueError, match="integers 0..C-1"):
        fit_tertiles([1, 2, 3], [0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="integers 0..C-1"):
        fit_tertiles([1, 2, 3], [-1, -1, -1])
    with pytest.raises(ValueError, match="no items"):
        fit_tertiles([], np.array([], dtype=int))
    with pytest.raises(ValueError, match="class 1 has 2 items"):
        fit_tertiles(np.arange(5), [0, 0, 0, 1, 1])
    with pytest.raises(ValueError, match=r"shape \(n_classes, 2\)"):
        levels([1.0], [0], np.ones(2))
    with pytest.raises(ValueError, match="label 3 has no cuts"):
        levels([1.0], [3], np.ones((2, 2)))


def test_describe_and_fill_template():
    assert describe(7) == "seven"
    assert describe(np.int64(7), ["thick", "slanted"]) == "thick, slanted seven"
    assert fill_template("a {}.", describe(8)) == "an eight."
    assert fill_template("a photo of a {}.", "thin one") == "a photo of a thin one."
    assert fill_template("a {}.", "italic two") == "an italic two."
    for bad in (10, -1, True, 2.0):
        with pytest.raises(ValueError, match="integer 0-9"):
            describe(bad)
    with pytest.raises(ValueError, match=r"exactly one '\{\}'"):
        fill_template("a digit", "seven")


def test_prompt_templates_are_never_training_templates():
    assert not set(PROMPT_TEMPLATES) & set(TRAIN_TEMPLATES)
    assert all(t.count("{}") == 1 for t in (*PROMPT_TEMPLATES, *TRAIN_TEMPLATES))
    assert len(DIGIT_WORDS) == 10


def test_captions_mention_the_digit_and_only_the_extreme_levels():
    digits = np.arange(10).repeat(30)
    thickness = np.tile([0, 1, 2], 100)
    slant_level = np.tile([2, 2, 1, 0, 0], 60)  # every pair of levels occurs
    always = make_captions(digits, thickness, slant_level, np.random.default_rng(0), mention=1.0)
    thick_words = set(ATTRIBUTES["thick"][2])
    slanted_words = {"slanted", "italic", "right"}  # "leaning" is shared with "left-leaning"
    attribute_words = set(tokenize(" ".join(w for a in ATTRIBUTES.values() for w in a[2])))
    for digit, level, tilt, text in zip(digits, thickness, slant_level, always):
        words = set(tokenize(text))
        assert DIGIT_WORDS[digit] in words
        assert bool(thick_words & words) == (level == 2)
        assert bool(slanted_words & words) == (tilt == 2)
        if level == 1 and tilt == 1:  # middle thickness and middle slant: the digit's name alone
            assert not attribute_words & words
    never = make_captions(digits, thickness, slant_level, np.random.default_rng(0), mention=0.0)
    names = {word for text in never for word in tokenize(text)} - set(DIGIT_WORDS)
    assert names <= {word for t in TRAIN_TEMPLATES for word in tokenize(t)}  # no attribute word
    again = make_captions(digits, thickness, slant_level, np.random.default_rng(0), mention=1.0)
    assert again == always  # seeded
    # every synonym turns up, and a thickness word comes before a slant word
    assert any("thick, slanted" in text for text in always)
    for value in ("thin", "thick", "right", "left"):
        assert all(any(s in text for text in always) for s in ATTRIBUTES[value][2])


def test_held_out_combinations_are_never_mentioned():
    digits = np.array([4, 4, 5])
    captions = make_captions(digits, [2, 2, 2], [1, 1, 1], np.random.default_rng(0), mention=1.0,
                             held_out=[(4, "thick")])
    assert not any(w in tokenize(captions[0]) + tokenize(captions[1]) for w in ATTRIBUTES["thick"][2])
    assert set(ATTRIBUTES["thick"][2]) & set(tokenize(captions[2]))  # the same value on another digit


def test_make_captions_refuses_bad_input():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="one of each per image"):
        make_captions([1, 2], [0], [0, 0], rng)
    with pytest.raises(ValueError, match="probability"):
        make_captions([1], [0], [0], rng, mention=1.5)
    with pytest.raises(ValueError, match="held_out values"):
        make_captions([1], [0], [0], rng, held_out=[(1, "bold")])


def test_vocabulary_and_token_ids():
    assert tokenize("A thick, slanted SEVEN.") == ["a", "thick", "slanted", "seven"]
    assert tokenize("left-leaning") == ["left", "leaning"]
    vocabulary = build_vocabulary(["a seven.", "a thick two"])
    assert vocabulary == {"<pad>": 0, "<unk>": 1, "a": 2, "seven": 3, "thick": 4, "two": 5}
    ids = token_ids(["a thick seven", "a purple two", ""], vocabulary, length=4)
    assert ids.dtype == np.int64
    assert ids.tolist() == [[2, 4, 3, 0], [2, 1, 5, 0], [0, 0, 0, 0]]


def test_token_ids_refuses_bad_input():
    vocabulary = build_vocabulary(["a seven"])
    with pytest.raises(ValueError, match="more than length=2"):
        token_ids(["a thick seven"], vocabulary, length=2)
    with pytest.raises(ValueError, match="length must be a positive integer"):
        token_ids(["a"], vocabulary, length=0)
    with pytest.raises(ValueError, match="build_vocabulary"):
        token_ids(["a"], {"a": 0}, length=2)
