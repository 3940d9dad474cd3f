"""Graph embeddings: random walks for DeepWalk and node2vec, and edge splits for link prediction.

Chapter 7 turns a graph into "sentences" of node ids with :func:`random_walks` and trains
the skip-gram of chapter 3 on them. With ``p = q = 1`` the walks are DeepWalk's (each step
goes to a uniformly chosen neighbour); other values give node2vec's biased second-order walks:
a small ``p`` makes a walk return to where it came from, a small ``q`` sends it outward (a
depth-first flavour), a large ``q`` keeps it near its start (breadth-first).
:func:`split_edges` hides a share of a graph's edges, and draws as many non-edges, to test
whether the embedding of the rest predicts them.

Graphs are ``networkx`` graphs; networkx is imported only inside the functions.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tutorial_utils._validation import positive_int as _positive_int, positive_number as _positive_number

__all__ = ["node2vec_step_probabilities", "random_walks", "split_edges"]


def _check_graph(graph: Any) -> None:
    import networkx as nx

    if not isinstance(graph, nx.Graph) or graph.is_directed():
        raise ValueError(f"graph must be an undirected networkx Graph; got {type(graph).__name__}")
    if graph.number_of_nodes() == 0:
        raise ValueError("graph has no nodes")


def node2vec_step_probabilities(graph: Any, previous: Any, current: Any, p: float = 1.0, q: float = 1.0) -> dict:
    """Where a node2vec walk that went ``previous -> current`` steps next: ``{neighbour: probability}``.

    A neighbour ``x`` of ``current`` gets weight ``1/p`` if it is ``previous`` (going back),
    ``1`` if it is also a neighbour of ``previous`` (staying close), ``1/q`` otherwise
    (moving away); the weights are normalised to sum to 1. With ``previous=None`` (a
    walk's first step) every neighbour is equally likely.
    """
    _check_graph(graph)
    p, q = _positive_number(p, "p"), _positive_number(q, "q")
    if current not in graph:
        raise ValueError(f"node {current!r} is not in the graph")
    neighbours = list(graph.neighbors(current))
    if not neighbours:
        return {}
    if previous is None:
        weights = np.ones(len(neighbours))
    else:
        if not graph.has_edge(previous, current):
            raise ValueError(f"{previous!r} -> {current!r} is not an edge, so no walk can have taken it")
        weights = np.array([1.0 / p if x == previous else 1.0 if graph.has_edge(x, previous) else 1.0 / q
                            for x in neighbours])
    return dict(zip(neighbours, weights / weights.sum()))


def random_walks(
    graph: Any,
    walks_per_node: int,
    walk_length: int,
    rng: np.random.Generator,
    p: float = 1.0,
    q: float = 1.0,
) -> list[list[Any]]:
    """``walks_per_node`` random walks of ``walk_length`` nodes from every node of ``graph``.

    Each round visits the nodes in a fresh random order (as DeepWalk does) and walks from
    each; a walk stops early only at a node without neighbours. ``p = q = 1`` gives
    DeepWalk's uniform walks, other values node2vec's biased ones (see
    :func:`node2vec_step_probabilities`). Returns one list of nodes per walk.
    """
    _check_graph(graph)
    walks_per_node = _positive_int(walks_per_node, "walks_per_node")
    walk_length = _positive_int(walk_length, "walk_length")
    p, q = _positive_number(p, "p"), _positive_number(q, "q")
    nodes = list(graph.nodes())
    neighbours = {node: list(graph.neighbors(node)) for node in nodes}
    neighbour_sets = {node: set(ns) for node, ns in neighbours.items()}
    # cumulative step weights out of `current` after arriving from `previous`, one table per directed edge
    tables: dict[tuple[Any, Any], np.ndarray] = {}
    for current, options in neighbours.items():
        for previous in options:
            weights = [1.0 / p if x == previous else 1.0 if x in neighbour_sets[previous] else 1.0 / q
                       for x in options]
            tables[previous, current] = np.cumsum(weights)
    walks = []
    for _ in range(walks_per_node):
        for start in rng.permutation(len(nodes)):
            walk = [nodes[start]]
            draws = rng.random(walk_length)
            while len(walk) < walk_length:
                options = neighbours[walk[-1]]
                if not options:
                    break
                u = draws[len(walk)]
                if len(walk) == 1:  # the first step is uniform
                    walk.append(options[min(int(u * len(options)), len(options) - 1)])
                    continue
                cumulative = tables[walk[-2], walk[-1]]
                step = int(np.searchsorted(cumulative, u * cumulative[-1], side="right"))
                walk.append(options[min(step, len(options) - 1)])
            walks.append(walk)
    return walks


def split_edges(
    graph: Any, test_fraction: float, rng: np.random.Generator, keep_connected: bool = True
) -> tuple[Any, np.ndarray, np.ndarray]:
    """Hide ``test_fraction`` of the edges for link prediction: ``(train_graph, test_edges, non_edges)``.

    ``train_graph`` has every node and the remaining edges; ``test_edges`` (m, 2) holds the
    hidden ones and ``non_edges`` (m, 2) as many node pairs drawn uniformly among the pairs
    that are not edges of ``graph`` (the negatives to rank them against). With
    ``keep_connected`` (node2vec's protocol) an edge is hidden only if the rest of the
    graph stays connected, so no node loses all its edges; raises ``ValueError`` when
    not enough edges can be hidden that way.
    """
    import networkx as nx

    _check_graph(graph)
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, (int, float, np.floating)) \
            or not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), e.g. 0.1 to hide 10% of the edges; got {test_fraction!r}")
    if keep_connected and not nx.is_connected(graph):
        raise ValueError("graph is not connected: pass keep_connected=False, or split its largest component")
    edges = list(graph.edges())
    n_test = int(round(test_fraction * len(edges)))
    if n_test < 1:
        raise ValueError(f"{test_fraction} of {len(edges)} edges rounds to no edge; raise test_fraction")
    train = nx.Graph()
    train.add_nodes_from(graph.nodes(data=True))
    train.add_edges_from(graph.edges(data=True))
    hidden = []
    for index in rng.permutation(len(edges)):
        u, v = edges[index]
        train.remove_edge(u, v)
        if keep_connected and not nx.has_path(train, u, v):
            train.add_edge(u, v, **graph.edges[u, v])
            continue
        hidden.append((u, v))
        if len(hidden) == n_test:
            break
    if len(hidden) < n_test:
        raise ValueError(f"only {len(hidden)} of {n_test} edges can be hidden with the graph kept connected; "
                         "lower test_fraction")
    nodes = list(graph.nodes())
    n_pairs = len(nodes) * (len(nodes) - 1) // 2
    if n_pairs - graph.number_of_edges() < n_test:
        raise ValueError(f"the graph has fewer than {n_test} non-edges to draw as negatives")
    negatives: list[tuple[Any, Any]] = []  # a list, in draw order: a set of strings would vary between runs
    while len(negatives) < n_test:
        i, j = sorted(rng.choice(len(nodes), size=2, replace=False))
        pair = (nodes[i], nodes[j])
        if not graph.has_edge(*pair) and pair not in negatives:
            negatives.append(pair)
    return train, np.array(hidden, dtype=object), np.array(negatives, dtype=object)
