"""Self-supervised contrastive learning (SimCLR) on small images, in PyTorch.

Chapter 7 trains an encoder on MNIST without labels: two random views of each image
(:func:`augment_images`: a random crop-and-shift, a small rotation, pixel noise) should
map to nearby vectors, and the other images of the batch should not. :func:`nt_xent_loss`
is SimCLR's loss (NT-Xent, an InfoNCE loss over the batch); given labels it becomes the
supervised contrastive loss, in which every image of the same class is a positive.

PyTorch is imported inside the functions, so importing this module stays light.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from tutorial_utils._validation import positive_number as _positive_number

__all__ = ["augment_images", "nt_xent_loss", "nt_xent_loss_numpy"]


def _non_negative_number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a non-negative finite number; got {value!r}")
    return float(value)


def augment_images(
    images: Any,
    generator: Any = None,
    max_rotation: float = 15.0,
    max_shift: float = 0.15,
    scale: tuple[float, float] = (0.8, 1.1),
    noise_std: float = 0.1,
) -> Any:
    """A random view of each image in a batch: crop/zoom, shift, rotate, add noise.

    ``images`` is a float tensor (n, channels, height, width) with values in [0, 1].
    Each image gets its own rotation in +-``max_rotation`` degrees, zoom factor drawn
    from ``scale`` (above 1 crops in, below 1 zooms out), shift in +-``max_shift`` of
    the image size, and Gaussian pixel noise of standard deviation ``noise_std``;
    the result is clipped to [0, 1]. ``generator`` (a ``torch.Generator``) makes the
    draws reproducible. All of it is one batched ``affine_grid``/``grid_sample`` call.
    """
    import torch
    import torch.nn.functional as F

    if not isinstance(images, torch.Tensor) or images.ndim != 4 or not images.is_floating_point():
        shape = tuple(images.shape) if hasattr(images, "shape") else type(images).__name__
        raise ValueError(
            f"images must be a float tensor of shape (n, channels, height, width); got {shape}. "
            "For MNIST: torch.from_numpy(x / 255.0).float().unsqueeze(1)"
        )
    max_rotation = _non_negative_number(max_rotation, "max_rotation")
    max_shift = _non_negative_number(max_shift, "max_shift")
    noise_std = _non_negative_number(noise_std, "noise_std")
    low, high = (_positive_number(s, "scale") for s in scale)
    if low > high:
        raise ValueError(f"scale must be (low, high) with low <= high; got {scale!r}")
    n = images.shape[0]

    def uniform(a: float, b: float) -> Any:
        return a + (b - a) * torch.rand(n, generator=generator, device=images.device)

    angle = uniform(-max_rotation, max_rotation) * (math.pi / 180.0)
    zoom = uniform(low, high)
    # affine_grid maps output coordinates to input ones: dividing by the zoom enlarges the digit
    cos, sin = torch.cos(angle) / zoom, torch.sin(angle) / zoom
    shift = 2.0 * max_shift  # affine_grid's coordinates run from -1 to 1
    theta = torch.stack([
        torch.stack([cos, -sin, uniform(-shift, shift)], dim=1),
        torch.stack([sin, cos, uniform(-shift, shift)], dim=1),
    ], dim=1)
    grid = F.affine_grid(theta, list(images.shape), align_corners=False)
    views = F.grid_sample(images, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    if noise_std > 0:
        views = views + noise_std * torch.randn(views.shape, generator=generator, device=images.device)
    return views.clamp(0.0, 1.0)


def _check_views(z1: Any, z2: Any, labels: Any, temperature: float) -> float:
    if tuple(z1.shape) != tuple(z2.shape) or len(z1.shape) != 2:
        raise ValueError(
            f"z1 and z2 must both have shape (batch, dim), row i of each a view of image i; got "
            f"{tuple(z1.shape)} and {tuple(z2.shape)}"
        )
    if z1.shape[0] < 2:
        raise ValueError("the batch needs at least 2 images: the other images are the negatives")
    if labels is not None and tuple(np.shape(labels)) != (z1.shape[0],):
        raise ValueError(f"labels must hold one class per image, shape ({z1.shape[0]},); got {tuple(np.shape(labels))}")
    return _positive_number(temperature, "temperature")


def nt_xent_loss(z1: Any, z2: Any, temperature: float = 0.5, labels: Any = None) -> Any:
    """SimCLR's NT-Xent loss of two views (each (batch, dim)); row i of ``z1`` and ``z2`` see image i.

    Every one of the 2 * batch vectors is an anchor: after L2 normalisation its cosine
    similarities to the other 2 * batch - 1 vectors, divided by ``temperature``, go
    through a softmax, and the loss is minus the log-probability of its positive (the
    other view of the same image), averaged over anchors. With ``labels`` (one class
    per image) every other vector of the same class is a positive, and an anchor's loss
    is the mean over its positives (the supervised contrastive loss, "SupCon").
    """
    import torch
    import torch.nn.functional as F

    temperature = _check_views(z1, z2, labels, temperature)
    n = z1.shape[0]
    z = F.normalize(torch.cat([z1, z2], dim=0), dim=1)
    logits = z @ z.T / temperature
    self_mask = torch.eye(2 * n, dtype=torch.bool, device=z.device)
    logits = logits.masked_fill(self_mask, float("-inf"))
    log_prob = F.log_softmax(logits, dim=1)
    if labels is None:
        index = torch.arange(n, device=z.device)
        positive = torch.cat([index + n, index])
        return -log_prob[torch.arange(2 * n, device=z.device), positive].mean()
    classes = torch.as_tensor(labels, device=z.device).repeat(2)
    positives = (classes[:, None] == classes[None, :]) & ~self_mask
    per_anchor = -(log_prob.masked_fill(~positives, 0.0)).sum(dim=1) / positives.sum(dim=1)
    return per_anchor.mean()


def nt_xent_loss_numpy(z1: Any, z2: Any, temperature: float = 0.5, labels: Any = None) -> float:
    """:func:`nt_xent_loss` written as a plain loop over anchors in numpy (to check it by hand)."""
    a, b = np.asarray(z1, dtype=np.float64), np.asarray(z2, dtype=np.float64)
    temperature = _check_views(a, b, labels, temperature)
    n = a.shape[0]
    z = np.concatenate([a, b])
    z = z / np.linalg.norm(z, axis=1, keepdims=True)
    classes = np.tile(np.asarray(labels), 2) if labels is not None else np.tile(np.arange(n), 2)
    losses = []
    for i in range(2 * n):
        others = [j for j in range(2 * n) if j != i]
        sims = np.array([z[i] @ z[j] / temperature for j in others])
        log_denominator = np.log(np.sum(np.exp(sims)))
        positives = [k for k, j in enumerate(others) if classes[j] == classes[i]]
        losses.append(np.mean([log_denominator - sims[k] for k in positives]))
    return float(np.mean(losses))
