"""tutorial_utils.wiki_questions: chapter 5's questions do not leak their answers, and each can be answered."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from tutorial_utils.wiki_questions import QUESTIONS, relevant_passages, wikipedia_passages


@pytest.fixture(scope="module")
def collection():
    from tutorial_utils.datasets import load_wikipedia_articles

    articles = load_wikipedia_articles()
    passages, titles = wikipedia_passages(articles)
    return articles, passages, titles


def test_at_least_fifty_distinct_questions_of_three_strings():
    assert len(QUESTIONS) >= 50
    assert all(len(entry) == 3 and all(isinstance(s, str) and s.strip() for s in entry) for entry in QUESTIONS)
    assert len({question.lower() for question, _, _ in QUESTIONS}) == len(QUESTIONS)


def test_no_question_contains_its_answer_phrase():
    leaking = [(q, phrase) for q, _, phrase in QUESTIONS if phrase.lower() in q.lower()]
    assert not leaking, f"questions that contain their answer phrase: {leaking}"


def test_every_title_is_an_article_and_every_phrase_is_in_its_passages(collection):
    articles, passages, titles = collection
    names = {a.title for a in articles}
    assert not [t for _, t, _ in QUESTIONS if t not in names]
    relevant = relevant_passages(passages, titles)
    assert len(relevant) == len(QUESTIONS)
    for (question, title, phrase), ids in zip(QUESTIONS, relevant):
        assert ids.size >= 1, question
        assert all(titles[i] == title and phrase.lower() in passages[i].lower() for i in ids)
        # every passage of the article that holds the phrase is counted relevant, and no other
        others = [i for i in np.flatnonzero(titles == title) if i not in set(ids.tolist())]
        assert not [i for i in others if phrase.lower() in passages[i].lower()]


def test_the_questions_span_many_articles():
    assert len({title for _, title, _ in QUESTIONS}) >= 50


def test_wikipedia_passages_cuts_the_first_paragraphs_of_each_article():
    articles = [SimpleNamespace(title="A", paragraphs=("One two. Three four.", "Five six.", "Seven.")),
                SimpleNamespace(title="B", paragraphs=("Eight nine ten.",))]
    passages, titles = wikipedia_passages(articles, max_words=2, max_paragraphs=2)
    assert passages == ["One two.", "Three four.", "Five six.", "Eight nine", "ten."]
    assert titles.tolist() == ["A", "A", "A", "B", "B"]


def test_wikipedia_passages_refuses_bad_inputs():
    with pytest.raises(ValueError, match="max_words"):
        wikipedia_passages([], max_words=0)
    with pytest.raises(ValueError, match="max_paragraphs"):
        wikipedia_passages([], max_paragraphs=-1)
    with pytest.raises(TypeError, match="WikiArticle"):
        wikipedia_passages(["not an article"])


def test_relevant_passages_matches_case_insensitively_within_the_article():
    passages = ["The capital is Paris.", "paris is large.", "Paris, Texas."]
    titles = ["France", "France", "Texas"]
    relevant = relevant_passages(passages, titles, [("Where?", "France", "PARIS")])
    assert [r.tolist() for r in relevant] == [[0, 1]]


def test_relevant_passages_refuses_unanswerable_questions_and_mismatched_lengths():
    with pytest.raises(ValueError, match="no passage of 'France' contains 'Lyon'"):
        relevant_passages(["The capital is Paris."], ["France"], [("Where?", "France", "Lyon")])
    with pytest.raises(ValueError, match="one title per passage"):
        relevant_passages(["a", "b"], ["A"], [("q", "A", "a")])
