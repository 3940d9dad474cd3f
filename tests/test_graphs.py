"""tutorial_utils.graphs: DeepWalk and node2vec random walks, and the edge split for link prediction."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import numpy as np
import pytest

from tutorial_utils.graphs import node2vec_step_probabilities, random_walks, split_edges


def test_walks_follow_edges_and_start_from_every_node():
    graph = nx.karate_club_graph()
    walks = random_walks(graph, walks_per_node=3, walk_length=12, rng=np.random.default_rng(0), p=0.5, q=2.0)
    assert len(walks) == 3 * graph.number_of_nodes()
    assert all(len(walk) == 12 for walk in walks)
    assert Counter(walk[0] for walk in walks) == {node: 3 for node in graph.nodes()}
    assert all(graph.has_edge(a, b) for walk in walks for a, b in zip(walk, walk[1:]))


def test_walks_are_reproducible_and_stop_at_an_isolated_node():
    graph = nx.path_graph(5)
    graph.add_node("alone")
    first = random_walks(graph, 2, 6, np.random.default_rng(1), q=0.5)
    assert first == random_walks(graph, 2, 6, np.random.default_rng(1), q=0.5)
    assert [walk for walk in first if walk[0] == "alone"] == [["alone"], ["alone"]]


def test_step_probabilities_by_hand():
    # 0 - 1 - 2 and 0 - 2 (a triangle), plus 1 - 3: a walk that went 0 -> 1 can go back to 0
    # (weight 1/p), to 2, a neighbour of 0 (weight 1), or to 3, farther away (weight 1/q)
    graph = nx.Graph([(0, 1), (1, 2), (0, 2), (1, 3)])
    probabilities = node2vec_step_probabilities(graph, 0, 1, p=2.0, q=0.25)
    weights = {0: 0.5, 2: 1.0, 3: 4.0}
    assert probabilities == pytest.approx({x: w / 5.5 for x, w in weights.items()})
    assert node2vec_step_probabilities(graph, None, 1) == pytest.approx({0: 1 / 3, 2: 1 / 3, 3: 1 / 3})
    assert node2vec_step_probabilities(graph, 0, 1) == pytest.approx({0: 1 / 3, 2: 1 / 3, 3: 1 / 3})


@pytest.mark.parametrize("p, q", [(1.0, 1.0), (4.0, 0.25), (0.25, 4.0)])
def test_walk_steps_match_the_step_probabilities(p, q):
    graph = nx.les_miserables_graph()
    walks = random_walks(graph, 40, 20, np.random.default_rng(2), p=p, q=q)
    transitions = Counter((w[i - 1], w[i], w[i + 1]) for w in walks for i in range(1, len(w) - 1))
    arrivals = Counter((w[i - 1], w[i]) for w in walks for i in range(1, len(w) - 1))
    # the ten most travelled (previous, current) edges: compare the next-step frequencies
    for (previous, current), n in arrivals.most_common(10):
        expected = node2vec_step_probabilities(graph, previous, current, p=p, q=q)
        for nxt, probability in expected.items():
            observed = transitions[previous, current, nxt] / n
            assert abs(observed - probability) < 4 * np.sqrt(probability * (1 - probability) / n) + 1e-3


def test_walks_refuse_bad_input():
    graph = nx.karate_club_graph()
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="p must be a positive"):
        random_walks(graph, 1, 5, rng, p=0)
    with pytest.raises(ValueError, match="walk_length"):
        random_walks(graph, 1, 0, rng)
    with pytest.raises(ValueError, match="undirected"):
        random_walks(nx.DiGraph([(0, 1)]), 1, 5, rng)
    with pytest.raises(ValueError, match="not an edge"):
        node2vec_step_probabilities(graph, 0, 9 if not graph.has_edge(0, 9) else 26, q=2)
    with pytest.raises(ValueError, match="not in the graph"):
        node2vec_step_probabilities(graph, None, "nobody")


def test_split_edges_hides_a_share_and_draws_as_many_non_edges():
    graph = nx.les_miserables_graph()
    train, hidden, negatives = split_edges(graph, 0.1, np.random.default_rng(0))
    n_hidden = round(0.1 * graph.number_of_edges())
    assert hidden.shape == negatives.shape == (n_hidden, 2)
    assert set(train.nodes()) == set(graph.nodes()) and nx.is_connected(train)
    assert train.number_of_edges() == graph.number_of_edges() - n_hidden
    assert all(graph.has_edge(u, v) and not train.has_edge(u, v) for u, v in hidden)
    assert all(not graph.has_edge(u, v) and u != v for u, v in negatives)
    assert len({frozenset(pair) for pair in negatives.tolist()}) == n_hidden
    # the same seed gives the same split
    _, hidden_again, negatives_again = split_edges(graph, 0.1, np.random.default_rng(0))
    assert hidden.tolist() == hidden_again.tolist() and negatives.tolist() == negatives_again.tolist()


def test_split_edges_refuses_what_it_cannot_do():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="kept connected"):
        split_edges(nx.path_graph(10), 0.2, rng)  # every edge of a path is a bridge
    with pytest.raises(ValueError, match="not connected"):
        split_edges(nx.Graph([(0, 1), (2, 3)]), 0.5, rng)
    with pytest.raises(ValueError, match="test_fraction"):
        split_edges(nx.karate_club_graph(), 1.5, rng)
    with pytest.raises(ValueError, match="rounds to no edge"):
        split_edges(nx.karate_club_graph(), 0.001, rng)
    train, hidden, _ = split_edges(nx.path_graph(10), 0.2, rng, keep_connected=False)
    assert len(hidden) == 2 and not nx.is_connected(train)
