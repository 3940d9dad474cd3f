"""tutorial_utils.contrastive: the NT-Xent (SimCLR) and supervised contrastive losses, and image augmentations."""

from __future__ import annotations

import numpy as np
import pytest
import torch  # a pinned dependency: if it is missing, the tests fail rather than skip
from torch.nn import functional as F

from tutorial_utils.contrastive import augment_images, nt_xent_loss, nt_xent_loss_numpy


def test_nt_xent_matches_a_loop_and_cross_entropy():
    gen = torch.Generator().manual_seed(0)
    z1, z2 = torch.randn(6, 4, generator=gen), torch.randn(6, 4, generator=gen)
    loss = nt_xent_loss(z1, z2, temperature=0.3)
    assert loss.item() == pytest.approx(nt_xent_loss_numpy(z1.numpy(), z2.numpy(), 0.3), rel=1e-5)
    # SimCLR's usual implementation: cross-entropy over the similarity matrix with the diagonal masked out
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    logits = z @ z.T / 0.3 - 1e9 * torch.eye(12)
    target = torch.cat([torch.arange(6, 12), torch.arange(6)])
    assert loss.item() == pytest.approx(F.cross_entropy(logits, target).item(), rel=1e-5)


def test_supervised_contrastive_matches_a_loop_and_reduces_to_nt_xent():
    gen = torch.Generator().manual_seed(1)
    z1, z2 = torch.randn(8, 5, generator=gen), torch.randn(8, 5, generator=gen)
    labels = torch.tensor([0, 1, 0, 2, 1, 0, 3, 2])
    loss = nt_xent_loss(z1, z2, 0.5, labels=labels)
    assert loss.item() == pytest.approx(nt_xent_loss_numpy(z1.numpy(), z2.numpy(), 0.5, labels.numpy()), rel=1e-5)
    # with every image its own class the only positive is the other view: plain NT-Xent
    distinct = nt_xent_loss(z1, z2, 0.5, labels=torch.arange(8))
    assert distinct.item() == pytest.approx(nt_xent_loss(z1, z2, 0.5).item(), rel=1e-6)


def test_nt_xent_value_for_perfectly_separated_views():
    # the two views agree and the images are orthogonal: each anchor has similarity 1 to its
    # positive and 0 to the 2n - 2 others
    z = torch.eye(4, dtype=torch.float64)
    t = 0.5
    expected = -np.log(np.exp(1 / t) / (np.exp(1 / t) + 6))
    assert nt_xent_loss(z, z.clone(), t).item() == pytest.approx(expected, rel=1e-5)
    z1 = torch.randn(4, 3, requires_grad=True)
    nt_xent_loss(z1, torch.randn(4, 3)).backward()
    assert z1.grad is not None and torch.isfinite(z1.grad).all()


def test_nt_xent_refuses_bad_input():
    with pytest.raises(ValueError, match="same shape|shape \\(batch, dim\\)"):
        nt_xent_loss(torch.zeros(4, 3), torch.zeros(5, 3))
    with pytest.raises(ValueError, match="at least 2"):
        nt_xent_loss(torch.ones(1, 3), torch.ones(1, 3))
    with pytest.raises(ValueError, match="temperature"):
        nt_xent_loss(torch.ones(2, 3), torch.ones(2, 3), temperature=0)
    with pytest.raises(ValueError, match="one class per image"):
        nt_xent_loss(torch.ones(2, 3), torch.ones(2, 3), labels=torch.tensor([0, 1, 2]))


def test_augmentations_are_random_views_in_range_and_reproducible():
    images = torch.zeros(16, 1, 28, 28)
    images[:, :, 10:18, 12:16] = 1.0
    views = augment_images(images, torch.Generator().manual_seed(0))
    assert views.shape == images.shape and views.min() >= 0 and views.max() <= 1
    again = augment_images(images, torch.Generator().manual_seed(0))
    assert torch.equal(views, again)
    assert not torch.allclose(views[0], views[1])  # each image gets its own transformation
    # with every transformation switched off, a view is the image itself
    same = augment_images(images, max_rotation=0, max_shift=0, scale=(1, 1), noise_std=0)
    torch.testing.assert_close(same, images, atol=1e-5, rtol=0)
    # a pure shift moves the bright bar: its centre of mass moves by up to max_shift * 28 pixels
    shifted = augment_images(images, torch.Generator().manual_seed(1), max_rotation=0, max_shift=0.1,
                             scale=(1, 1), noise_std=0)
    columns = torch.arange(28.0)
    centre = (images.sum(dim=(1, 2)) * columns).sum(dim=1) / images.sum(dim=(1, 2, 3))
    moved = (shifted.sum(dim=(1, 2)) * columns).sum(dim=1) / shifted.sum(dim=(1, 2, 3))
    assert (moved - centre).abs().max() <= 0.1 * 28 + 0.5 and (moved - centre).abs().max() > 0.5


def test_augmentations_refuse_bad_input():
    with pytest.raises(ValueError, match="float tensor"):
        augment_images(torch.zeros(28, 28))
    with pytest.raises(ValueError, match="float tensor"):
        augment_images(np.zeros((2, 1, 28, 28)))
    with pytest.raises(ValueError, match="low <= high"):
        augment_images(torch.zeros(2, 1, 8, 8), scale=(1.2, 0.8))
    with pytest.raises(ValueError, match="noise_std"):
        augment_images(torch.zeros(2, 1, 8, 8), noise_std=-1)
