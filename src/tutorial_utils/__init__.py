"""Helpers for *Embeddings, from scratch*: what more than one chapter needs.

Modules (import the one you need; none of them imports TensorFlow or PyTorch
until you call a function that needs it):

- ``datasets``: MNIST and the English text corpora and word benchmarks, offline.
- ``similarity``: distances, similarities and exact nearest-neighbour search.
- ``reproducibility``: seeding every random generator, picking the torch device.
- ``plotting``: the book's figure style and the plots chapters share.
- ``figures``: reading the figures a notebook glued (for tests and the benchmark).
"""

__version__ = "0.1.0"
