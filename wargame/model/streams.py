"""Random numbers keyed by (seed, input, replication, draw): per-replication streams in numpy.

Replication r's numbers for an input are a SplitMix64 stream whose state is a hash of a key that
SeedSequence(seed) generates, the input's dotted path and r. So a replication can be re-run alone
(its numbers do not depend on how many others ran, or in which batch), and two variants of a
scenario draw the same numbers for the same input (common random numbers). A numpy Generator per
replication would do the same but costs ~26 us to build, more than a whole vectorised replication.
"""

from __future__ import annotations

import hashlib

import numpy as np
from numpy.typing import NDArray
from scipy import special

from wargame.model.rates import FloatArray, IntArray

U64 = NDArray[np.uint64]
GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # SplitMix64's increment
MAX_POISSON_STEPS = 64  # corrections after the Cornish-Fisher guess (one or two in practice)


def _mix(z: U64) -> U64:
    """SplitMix64's output function: a bijection on 64-bit words with full avalanche."""
    z = z ^ (z >> np.uint64(30))
    z = z * np.uint64(0xBF58476D1CE4E5B9)
    z = z ^ (z >> np.uint64(27))
    z = z * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def root_key(seed: int) -> int:
    """A 64-bit key for every stream of a scenario, from SeedSequence(seed)."""
    return int(np.random.SeedSequence(seed).generate_state(1, np.uint64)[0])


def uniforms(key: int, name: str, reps: IntArray, draws: int = 0) -> FloatArray:
    """Uniforms in (0, 1) for replications `reps` of input `name`.

    With `draws` 0 the result is (R,): one number per replication. Otherwise (draws, R): the
    first `draws` numbers of each replication's stream (one per step or lot).
    """
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    salt = np.uint64(int.from_bytes(digest, "little"))
    with np.errstate(over="ignore"):
        state = _mix((np.uint64(key) ^ salt) + reps.astype(np.uint64) * GOLDEN)
        count = max(draws, 1)
        ahead = np.arange(1, count + 1, dtype=np.uint64)[:, None] * GOLDEN
        words = _mix(state[None, :] + ahead)
    values = ((words >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53
    return values[0] if draws == 0 else values


def poisson(u: FloatArray, mean: FloatArray) -> IntArray:
    """Poisson(mean) by inverting its CDF at `u`: exact, elementwise, no hidden generator.

    Starts from the Cornish-Fisher guess and steps until F(k - 1) < u <= F(k).
    """
    mean = np.broadcast_to(mean, u.shape)
    z = special.ndtri(u)
    k: FloatArray = np.maximum(0.0, np.floor(mean + np.sqrt(mean) * z + (z * z - 1.0) / 6.0 + 0.5))
    for _ in range(MAX_POISSON_STEPS):
        up = u > special.pdtr(k, mean)
        down = (k > 0) & (u <= special.pdtr(k - 1, mean))
        if not (up.any() or down.any()):
            return k.astype(np.int64)
        k = k + up - down
    raise ArithmeticError("Poisson inversion did not converge")  # unreachable for finite means
