"""Standard annealing benchmarks: Euclidean TSP (2-opt moves) and Rastrigin (Gaussian steps).

Scope
-----
``TSP``: cities in the unit square (``TSP.random(n, seed)``) or on a circle (``TSP.circle(n)``,
known optimum: the regular n-gon perimeter ``2 n sin(pi/n)``); state = a permutation; energy = closed
tour length; neighbour = 2-opt (reverse the segment ``i..j``, ``0 <= i < j < n``, Croes 1958).
:func:`tsp_brute_force` gives the exact optimum for ``n <= 9``.

``Rastrigin``: ``f(x) = 10 d + sum(x_i^2 - 10 cos(2 pi x_i))`` on ``[-5.12, 5.12]^d``, global
minimum 0 at the origin; neighbour = ``x + sigma N(0, I)`` clipped to the box. Its local minima sit
near integer points with ``f ~ sum(x_i^2)``, so ``f < 0.5`` means every coordinate is in the
origin's basin (:meth:`Rastrigin.near_optimum`).

All randomness comes from the caller's ``np.random.Generator``.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np

__all__ = ["TSP", "Rastrigin", "tsp_brute_force", "near_optimum"]


@dataclass
class TSP:
    cities: np.ndarray
    known_optimum: float | None = None
    dist: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.cities = np.asarray(self.cities, dtype=np.float64)
        diff = self.cities[:, None, :] - self.cities[None, :, :]
        self.dist = np.sqrt((diff * diff).sum(-1))

    @classmethod
    def random(cls, n: int, seed: int) -> TSP:
        return cls(np.random.default_rng(seed).random((n, 2)))

    @classmethod
    def circle(cls, n: int) -> TSP:
        """Cities evenly on the unit circle, listed in scrambled order (optimum = n-gon perimeter)."""
        angles = 2 * math.pi * np.arange(n) / n
        order = np.random.default_rng(0).permutation(n)
        return cls(np.stack([np.cos(angles), np.sin(angles)], 1)[order], known_optimum=2 * n * math.sin(math.pi / n))

    @property
    def n(self) -> int:
        return len(self.cities)

    def energy(self, tour: np.ndarray) -> float:
        return float(self.dist[tour, np.roll(tour, -1)].sum())

    def neighbor(self, tour: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        i, j = sorted(rng.choice(self.n, size=2, replace=False))
        new = tour.copy()
        new[i:j + 1] = tour[i:j + 1][::-1]
        return new

    def initial(self, rng: np.random.Generator) -> np.ndarray:
        return rng.permutation(self.n)


@dataclass
class Rastrigin:
    d: int
    sigma: float = 0.5
    bound: float = 5.12
    known_optimum: float = 0.0

    def energy(self, x: np.ndarray) -> float:
        return float(10.0 * self.d + np.sum(x * x - 10.0 * np.cos(2 * np.pi * x)))

    def neighbor(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return np.clip(x + self.sigma * rng.standard_normal(self.d), -self.bound, self.bound)

    def initial(self, rng: np.random.Generator) -> np.ndarray:
        return rng.uniform(-self.bound, self.bound, self.d)

    def near_optimum(self, x: np.ndarray) -> bool:
        """Every coordinate in the global minimum's basin (``|x_i| < 0.5``)."""
        return bool(np.all(np.abs(x) < 0.5))


def tsp_brute_force(problem: TSP) -> float:
    """Exact optimal tour length by enumeration (city 0 fixed; ``n <= 9``)."""
    if problem.n > 9:
        raise ValueError("brute force is limited to n <= 9")
    best = math.inf
    for perm in itertools.permutations(range(1, problem.n)):
        best = min(best, problem.energy(np.array((0,) + perm)))
    return best


def near_optimum(energy: float, known_optimum: float, rel: float = 1e-9, abs_tol: float = 1e-9) -> bool:
    """``energy`` is within ``abs_tol + rel |optimum|`` of the known optimum."""
    return energy <= known_optimum + abs_tol + rel * abs(known_optimum)
