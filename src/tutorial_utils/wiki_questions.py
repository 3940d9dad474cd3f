"""Questions about chapter 5's Wikipedia articles, each with the article and a phrase of its answer.

Chapter 5 scores BM25, dense and hybrid retrieval on these questions, and chapter 6 reuses
them. Each entry of :data:`QUESTIONS` is ``(question, article title, answer phrase)``: the
relevant passages of a question are the passages of that article that contain the answer
phrase (case-insensitive), which :func:`relevant_passages` finds. No question contains its
own answer phrase (the tests check it), so a search engine cannot find the answer by
matching the phrase itself; the questions paraphrase what the passages say, as a person
who does not know the answer would ask.

:func:`wikipedia_passages` cuts the articles into the passages both chapters search.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from tutorial_utils._validation import positive_int
from tutorial_utils.search import split_passages

__all__ = ["QUESTIONS", "relevant_passages", "wikipedia_passages"]

#: (question, title of the article that answers it, phrase found in the answering passage)
QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ('Who was the first person to walk on the Moon?',
     'Apollo 11', 'Armstrong'),
    ('Which mission first flew a crew around the Moon and back?',
     'Apollo 8', 'first manned spacecraft'),
    ('Which nocturnal African mammal digs up ant hills with its claws?',
     'Aardvark', 'dig out'),
    ('What small striped relative of the hyenas eats insects rather than meat?',
     'Aardwolf', 'termites'),
    ('How much of the sunlight that falls on a surface is bounced back?',
     'Albedo', 'diffuse reflectivity'),
    ('What is the SI base unit for a flow of electric charge?',
     'Ampere', 'electric current'),
    ('Which German philosopher saw the world as driven by an irrational striving that is never satisfied?',
     'Arthur Schopenhauer', 'blind, insatiable'),
    ('Which American tennis player was ranked best in the world in the 1990s?',
     'Andre Agassi', 'World No. 1'),
    ('How do you compute the average of a list of numbers?',
     'Arithmetic mean', 'divided by'),
    ('Which political philosophy wants people to govern themselves without a state?',
     'Anarchism', 'self-governed'),
    ('Which developmental condition makes it hard for a child to relate to and talk with other people?',
     'Autism', 'social interaction'),
    ('Which US president led the country through its bloodiest conflict in the 1860s?',
     'Abraham Lincoln', 'Civil War'),
    ('Which Greek philosopher tutored the young Macedonian prince who went on to conquer Persia?',
     'Aristotle', 'Alexander the Great'),
    ('Which short novel tells the story of the Soviet revolution with farm animals?',
     'Animal Farm', 'Stalin'),
    ('Which physicist won a Nobel prize for explaining how light knocks electrons out of metal?',
     'Albert Einstein', 'photoelectric effect'),
    ('What are hydrocarbons in which every carbon atom holds as many hydrogens as it can called?',
     'Alkane', 'saturated hydrocarbon'),
    ('What kind of chemical tastes sour and turns blue indicator paper red?',
     'Acid', 'litmus'),
    ('Which tiny country lies in the mountains between France and Spain?',
     'Andorra', 'Pyrenees'),
    ('What is the old calculating tool on which you slide counters along rods?',
     'Abacus', 'counting frame'),
    ('What building material is made from earth and straw shaped into blocks and dried in the sun?',
     'Adobe', 'mud brick'),
    ('Which time standard averages the readings of hundreds of very precise clocks around the world?',
     'International Atomic Time', 'atomic clocks'),
    ('Which English novelist imagined a dystopian London where people are kept content by a drug?',
     'Aldous Huxley', 'Brave New World'),
    ('Which Soviet film director made a science-fiction film about a space station orbiting a living ocean planet?',
     'Andrei Tarkovsky', 'Solaris'),
    ('What is the capital city of Angola?',
     'Angola', 'Luanda'),
    ('Which medieval practice sought to transform cheap metals into precious ones?',
     'Alchemy', 'base metals'),
    ('Which animals start life as larvae with gills and later breathe air?',
     'Amphibian', 'metamorphosis'),
    ("Which Japanese martial art aims to blend with an attacker's force and protect them from harm?",
     'Aikido', 'unifying'),
    ('What is the capital of Alabama?',
     'Alabama', 'Montgomery'),
    ('Which philosophy did the author of Atlas Shrugged develop?',
     'Ayn Rand', 'Objectivism'),
    ("Which country's walled old capital, with the palace of the Shirvanshahs, is a world heritage site?",
     'Azerbaijan', 'Maiden Tower'),
    ('When were the Oscars first shown on television?',
     'Academy Awards', 'televised in 1953'),
    ('Who composed a jazz-influenced orchestral piece, with taxi horns, about a visitor to France?',
     'An American in Paris', 'George Gershwin'),
    ('Who directed the Catalan film in which every role is played by a woman?',
     'Actrius', 'Ventura Pons'),
    ("Who wrote and illustrated the alliterative children's alphabet book of animals?",
     'Animalia (book)', 'Graeme Base'),
    ("From which language comes the root of the word for caring about other people's welfare?",
     'Altruism', 'Italian altrui'),
    ('Which French mathematician classified injective factors in his early work?',
     'Alain Connes', 'von Neumann algebras'),
    ('In which Canadian city was the early Hollywood film director Allan Dwan born?',
     'Allan Dwan', 'Toronto'),
    ('Which city is the capital of the biggest country in Africa?',
     'Algeria', 'Algiers'),
    ("Who runs the railroad's operations in Ayn Rand's best-known novel?",
     'List of Atlas Shrugged characters', 'Dagny Taggart'),
    ('Which discipline studies people and their societies, past and present?',
     'Anthropology', 'study of humans'),
    ('What do the letters of the 7-bit character encoding used by early computers stand for?',
     'ASCII', 'American Standard Code'),
    ('Which Greek god of music and prophecy is the brother of the huntress Artemis?',
     'Apollo', 'twin sister'),
    ('Which large language family is spoken across the Southeast Asian mainland and in parts of India?',
     'Austroasiatic languages', 'continental Southeast Asia'),
    ('Which language family includes Arabic, Hebrew and Amharic?',
     'Afroasiatic languages', 'Semitic'),
    ('How many clubs play in each of the two halves of the National Football League?',
     'American Football Conference', '16 teams'),
    ('Which US state shares a sea border with Russia?',
     'Alaska', 'Bering Strait'),
    ('What development let humans settle in one place by producing surpluses of food?',
     'Agriculture', 'sedentary'),
    ('Why are algae not a proper group in biological classification?',
     'Algae', 'polyphyletic'),
    ('Which statistician developed the method for comparing the means of several groups?',
     'Analysis of variance', 'Ronald Fisher'),
    ('What is another name for a court that reviews the decisions of lower courts?',
     'Appellate court', 'court of second instance'),
    ('At which stage of a criminal case is the accused formally read the charges and asked how they plead?',
     'Arraignment', 'enter a plea'),
    ('Who wrote the words of the patriotic song that began as a poem called Pikes Peak?',
     'America the Beautiful', 'Katharine Lee Bates'),
    ('Which university runs the long experiment that shows tar slowly flowing?',
     'Asphalt', 'University of Queensland'),
    ('What do the Russians call their space travellers?',
     'Astronaut', 'cosmonaut'),
    ('Who wrote the satirical essay suggesting that poor Irish families sell their children as food?',
     'A Modest Proposal', 'Jonathan Swift'),
    ('What identifies a chemical element by how many positive particles its nucleus holds?',
     'Atomic number', 'protons'),
    ('Which Confederate general died in battle in Tennessee in 1862?',
     'Albert Sidney Johnston', 'Shiloh'),
    ('What is the capital of the Canadian province whose biggest city is Calgary?',
     'Alberta', 'Edmonton'),
    ('What are the bony fishes whose fins are webs of skin held up by spines called?',
     'Actinopterygii', 'ray-finned'),
    ('What is the capital of Afghanistan?',
     'Afghanistan', 'Kabul'),
    ('What is the capital of Albania?',
     'Albania', 'Tirana'),
    ('Which treaty ended the American War of Independence?',
     'American Revolutionary War', 'Treaty of Paris'),
    ('Who was the mother of the greatest Greek warrior of the Iliad?',
     'Achilles', 'Thetis'),
    ('In which town was the 16th US president born?',
     'Abraham Lincoln', 'Hodgenville'),
    ('What was the birth name of the Russian-born author of The Fountainhead?',
     'Ayn Rand', 'Rosenbaum'),
    ("Which Athenian philosopher's school did Aristotle study in as a young man?",
     'Aristotle', "Plato's Academy"),
    ('Which Caribbean island off Venezuela is a country within the Kingdom of the Netherlands?',
     'Aruba', 'constituent country'),
    ('What was the first written constitution of the United States?',
     'Articles of Confederation', 'first constitution'),
    ("Which is the second-biggest of the world's oceans?",
     'Atlantic Ocean', 'second largest'),
    ('What is a robot built to resemble a person called?',
     'Android (robot)', 'look and act like a human'),
    ('Which group of soft, very reactive metals includes lithium, sodium and potassium?',
     'Alkali metal', 'group 1'),
    ('Which branch of biology studies the structure of living things?',
     'Anatomy', 'structure of organisms'),
    ("What is the logical mistake of concluding P from 'if P then Q' and Q?",
     'Affirming the consequent', 'formal fallacy'),
    ('What is a finite, unambiguous list of instructions for solving a class of problems called?',
     'Algorithm', 'well-defined'),
    ('Which is the largest and most populous continent?',
     'Asia', "Earth's largest"),
    ('Which perceptual effect is thought to make a rapid sequence of still drawings look like motion?',
     'Animation', 'phi phenomenon'),
    ('What is a pregnancy that ends on its own before the fetus can survive called?',
     'Abortion', 'miscarriage'),
    ('Which ancient script is considered the first true alphabet?',
     'Alphabet', 'Phoenician'),
)


def wikipedia_passages(
    articles: Sequence[Any], max_words: int = 100, max_paragraphs: int = 12
) -> tuple[list[str], np.ndarray]:
    """The passages of ``articles`` (from ``load_wikipedia_articles()``) and each one's article title.

    The first ``max_paragraphs`` paragraphs of every article are cut with
    :func:`tutorial_utils.search.split_passages` into passages of at most ``max_words`` words.
    Returns ``(passages, titles)``, ``titles`` a NumPy array of strings, one per passage.
    """
    max_words = positive_int(max_words, "max_words")
    max_paragraphs = positive_int(max_paragraphs, "max_paragraphs")
    passages: list[str] = []
    titles: list[str] = []
    for article in articles:
        if not hasattr(article, "title") or not hasattr(article, "paragraphs"):
            raise TypeError(f"articles must have .title and .paragraphs (WikiArticle); got {type(article).__name__}")
        text = "\n\n".join(article.paragraphs[:max_paragraphs])
        for passage in split_passages(text, max_words=max_words):
            passages.append(passage)
            titles.append(article.title)
    return passages, np.array(titles)


def relevant_passages(
    passages: Sequence[str],
    titles: Sequence[str],
    questions: Sequence[tuple[str, str, str]] = QUESTIONS,
) -> list[np.ndarray]:
    """For each question, the indices of the passages of its article that contain its answer phrase.

    ``passages`` and ``titles`` are parallel (one article title per passage). The match is
    case-insensitive. A question whose article has no passage holding the phrase is refused
    with a ``ValueError`` naming it: it could never be answered, and every metric would count
    it as a miss.
    """
    if len(passages) != len(titles):
        raise ValueError(f"{len(passages)} passages but {len(titles)} titles: pass one title per passage")
    titles = np.asarray(titles)
    lower = [p.lower() for p in passages]
    relevant = []
    for question, title, phrase in questions:
        found = np.array([i for i in np.flatnonzero(titles == title) if phrase.lower() in lower[i]], dtype=np.int64)
        if found.size == 0:
            raise ValueError(f"no passage of {title!r} contains {phrase!r} (the answer to {question!r})")
        relevant.append(found)
    return relevant
