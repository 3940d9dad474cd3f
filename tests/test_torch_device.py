"""Torch notebooks train on the device they report (tests/torch_device_check.py), read from the source.

The checker is tested on small sources first (it must fail on a model left on the CPU), then
applied to the notebooks listed in TORCH_NOTEBOOKS.
"""

from __future__ import annotations

import pytest
from conftest import NOTEBOOKS
from torch_device_check import device_problems, source_device_problems

#: Notebooks whose every trained torch model must be moved to ``device`` (issue 15: every
#: notebook that trains with torch).
TORCH_NOTEBOOKS = [
    "03_word_embeddings.ipynb",
    "03_word_embeddings_speed.ipynb",
    "06_smaller_embeddings.ipynb",
    "07_beyond_words_and_pixels.ipynb",
    "08_pretraining_tasks.ipynb",
    "09_adapting_encoders.ipynb",
]

MOVED_AT_CREATION = """
model = Net().to(device)
optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
for x in batches:
    loss = model(x.to(device)).sum()
"""

MOVED_BY_CALLER = """
def train(model, steps):
    optimiser = torch.optim.SGD(model.parameters(), lr=0.1)
    for x in batches:
        model(x.to(device)).sum().backward()
    return model

a = train(Net().to(device), 3)
b = Net().to(device)
b = train(model=b, steps=2)
"""


def test_models_on_the_device_pass():
    assert source_device_problems(MOVED_AT_CREATION) == []
    assert source_device_problems(MOVED_BY_CALLER) == []
    moved_later = "model = Net()\nmodel.to(device)\nopt = Adam(model.parameters())\nx.to(device)\n"
    assert source_device_problems(moved_later) == []


def test_a_model_left_on_the_cpu_fails():
    unmoved = MOVED_AT_CREATION.replace("Net().to(device)", "Net()")
    assert any("`model` is trained but never moved" in p for p in source_device_problems(unmoved))
    # moved only after its optimiser was built: still reported
    late = "model = Net()\nopt = Adam(model.parameters())\nmodel = model.to(device)\n"
    assert any("`model` is trained" in p for p in source_device_problems(late))


def test_a_caller_passing_an_unmoved_model_fails():
    one_bad_call = MOVED_BY_CALLER.replace("a = train(Net().to(device), 3)", "a = train(Net(), 3)")
    problems = source_device_problems(one_bad_call)
    assert len(problems) == 1 and "`train(...)` is given a model" in problems[0]
    bad_name = MOVED_BY_CALLER.replace("b = Net().to(device)", "b = Net()")
    assert len(source_device_problems(bad_name)) == 1


def test_a_loop_that_never_names_the_device_fails():
    blind = "model = Net().to(device)\nopt = torch.optim.Adam(model.parameters())\n"
    blind += "def train(m):\n    o = Adam(m.parameters())\n    m(x)\ntrain(model)\n"
    problems = source_device_problems(blind)
    assert len(problems) == 1 and "never names `device`" in problems[0] and "`train`" in problems[0]


def test_the_device_name_is_a_parameter():
    source = MOVED_AT_CREATION.replace("device", "accelerator")
    assert source_device_problems(source, device_name="accelerator") == []
    assert len(source_device_problems(source)) == 2  # neither the model nor the batches use `device`


@pytest.mark.parametrize("name", TORCH_NOTEBOOKS)
def test_notebook_trains_on_its_device(name):
    path = NOTEBOOKS / name
    assert "torch_device()" in path.read_text(encoding="utf-8"), f"{name} never chooses a device"
    problems = device_problems(path)
    assert not problems, "\n".join(problems)
