"""Uncertain inputs: distributions in the scenario file, their draws, per-replication streams."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import stats

from tests.conftest import REPO, scenario_data
from wargame.config.loading import validate_study
from wargame.config.uncertain import Study
from wargame.errors import InputError
from wargame.model.draws import sample

N = 20_000


def study_with(path: list[str], dist: dict[str, Any], **kwargs: Any) -> Study:
    """The one-munition test scenario with the input at `path` given `dist`."""
    data = scenario_data(**kwargs)
    node: Any = data
    for key in path[:-1]:
        node = node[int(key)] if isinstance(node, list) else node[key]
    node[path[-1]] = dist
    return validate_study(data, "test.toml")


def draws(study: Study, path: str, n: int = N, seed: int = 0) -> np.ndarray:
    return sample(study.uncertain, seed, np.arange(n)).values[path]


INVENTORY = ["munitions", "m", "inventory"]
RATE = ["munitions", "m", "firing", "0", "rate_per_day"]


def test_uniform_whole_numbers_cover_the_range_evenly() -> None:
    study = study_with(INVENTORY, {"dist": "uniform", "low": 3000, "high": 4000})
    x = draws(study, "munitions.m.inventory")
    assert np.all(x == np.rint(x)) and x.min() >= 3000 and x.max() <= 4000
    assert stats.kstest((x - 3000) / 1000, "uniform").pvalue > 0.001
    assert study.scenario.munitions["m"].inventory == 3500  # validated at the median


def test_triangular_has_its_closed_form_mean() -> None:
    study = study_with(RATE, {"dist": "triangular", "low": 40, "mode": 100, "high": 200})
    x = draws(study, "munitions.m.firing.0.rate_per_day")
    assert x.mean() == pytest.approx((40 + 100 + 200) / 3, rel=0.01)
    assert stats.kstest(x, stats.triang(c=60 / 160, loc=40, scale=160).cdf).pvalue > 0.001


def test_normal_is_truncated_at_the_fields_physical_bound() -> None:
    """A rate cannot be negative: the draws follow the normal cut at zero, not a clipped one."""
    study = study_with(RATE, {"dist": "normal", "mean": 10, "sd": 10})
    x = draws(study, "munitions.m.firing.0.rate_per_day")
    assert x.min() >= 0
    truncated = stats.truncnorm(a=-1, b=np.inf, loc=10, scale=10)
    assert stats.kstest(x, truncated.cdf).pvalue > 0.001
    assert np.mean(x == 0) == 0  # no mass piled on the bound


def test_lognormal_median_and_user_bounds() -> None:
    dist = {"dist": "lognormal", "median": 60, "sigma": 0.5, "high": 100}
    study = study_with(["munitions", "m", "production", "funded_per_year"], dist)
    x = draws(study, "munitions.m.production.funded_per_year")
    assert x.max() <= 100
    cut = stats.lognorm(s=0.5, scale=60)
    expected_median = cut.ppf(0.5 * cut.cdf(100))
    assert np.median(x) == pytest.approx(expected_median, rel=0.02)


def test_choice_follows_its_weights() -> None:
    dist = {"dist": "choice", "values": [3000, 3500, 4000], "weights": [1, 2, 1]}
    x = draws(study_with(INVENTORY, dist), "munitions.m.inventory")
    counts = [np.sum(x == v) for v in (3000, 3500, 4000)]
    assert stats.chisquare(counts, [N / 4, N / 2, N / 4]).pvalue > 0.001


def test_fixed_is_a_number() -> None:
    study = study_with(INVENTORY, {"dist": "fixed", "value": 1234})
    assert set(draws(study, "munitions.m.inventory", 10)) == {1234}


def test_a_replication_rerun_alone_draws_the_same() -> None:
    study = study_with(INVENTORY, {"dist": "uniform", "low": 0, "high": 10_000})
    batch = draws(study, "munitions.m.inventory", 100)
    alone = sample(study.uncertain, 0, np.array([37])).values["munitions.m.inventory"]
    assert alone[0] == batch[37]
    other_seed = draws(study, "munitions.m.inventory", 100, seed=1)
    assert np.mean(other_seed == batch) < 0.05


def test_variants_share_random_numbers_for_the_same_input() -> None:
    """Common random numbers: changing one input's distribution leaves the others' draws."""
    inventory = {"dist": "uniform", "low": 3000, "high": 4000}
    base = study_with(INVENTORY, inventory)
    data = scenario_data()
    data["munitions"]["m"]["inventory"] = inventory
    data["munitions"]["m"]["firing"][0]["rate_per_day"] = {"dist": "uniform", "low": 5, "high": 9}
    variant = validate_study(data, "variant.toml")
    same = draws(base, "munitions.m.inventory", 500)
    assert np.array_equal(same, draws(variant, "munitions.m.inventory", 500))


@pytest.mark.parametrize(
    ("path", "dist", "message"),
    [
        (INVENTORY, {"dist": "uniform", "low": 5, "high": 1}, "inventory: high 1 is below low 5"),
        (INVENTORY, {"dist": "beta", "low": 1}, "does not match any of the expected tags"),
        (INVENTORY, {"dist": "uniform", "low": 1}, "munitions.m.inventory.high: Field required"),
        (INVENTORY, {"dist": "normal", "mean": -50, "sd": 1}, "no probability between"),
        (["scenario", "horizon_days"], {"dist": "fixed", "value": 9}, "[scenario] table is fixed"),
        (["munitions", "m", "backlog"], {"dist": "fixed", "value": 1}, "only a number"),
        (
            ["munitions", "m", "production", "funded_per_year"],
            {"dist": "uniform", "low": 0, "high": 2000},
            "funded_per_year: the distribution reaches 2000, which the schema rejects",
        ),
    ],
)
def test_bad_distributions_name_the_field(path: list[str], dist: Any, message: str) -> None:
    with pytest.raises(InputError) as info:
        study_with(path, dist, funded_per_year=10.0, capacity_per_year=1000.0)
    assert message in str(info.value)
    assert str(info.value).startswith("test.toml: ")
    assert "\n" not in str(info.value)


def test_default_scenario_is_uncertain_and_sourced() -> None:
    from wargame.config.loading import load_study

    study = load_study(REPO / "configs" / "tomahawk-wargame.toml")
    paths = {item.path for item in study.uncertain}
    assert "munitions.tomahawk.inventory" in paths
    assert study.stochastic and study.replications == 2000


def test_cli_rejects_a_bad_distribution(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from wargame.cli import app

    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "run",
            str(REPO / "configs" / "tomahawk-wargame.toml"),
            "--set",
            'munitions.tomahawk.inventory={dist="uniform",low=9,high=1}',
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 2
    assert "munitions.tomahawk.inventory: high 1 is below low 9" in result.stderr
    assert not out.exists()


def test_unbounded_and_open_bounded_fields_take_normal_and_lognormal() -> None:
    """A stock has no upper bound; a lot interval is at least a day: both can be uncertain, and
    draws are truncated at the bounds."""
    study = study_with(INVENTORY, {"dist": "normal", "mean": 1500, "sd": 200})
    assert draws(study, "munitions.m.inventory", 100).min() >= 0
    interval = ["munitions", "m", "production", "lot_interval_days"]
    lots = study_with(interval, {"dist": "lognormal", "median": 30, "sigma": 0.2})
    assert draws(lots, "munitions.m.production.lot_interval_days", 100).min() >= 1


def test_the_hash_changes_with_a_distribution_of_the_same_median() -> None:
    from wargame.config.loading import study_sha256

    narrow = study_with(INVENTORY, {"dist": "uniform", "low": 3000, "high": 4000})
    wide = study_with(INVENTORY, {"dist": "uniform", "low": 1000, "high": 6000})
    assert narrow.scenario == wide.scenario  # the same medians
    assert study_sha256(narrow) != study_sha256(wide)


@pytest.mark.parametrize(
    ("path", "dist"),
    [
        (INVENTORY, {"dist": "uniform", "low": 3000, "high": 4001}),
        (RATE, {"dist": "uniform", "low": 0.1, "high": 0.7}),
        (RATE, {"dist": "triangular", "low": 40, "mode": 50, "high": 100}),
        (RATE, {"dist": "triangular", "low": 40, "mode": 40, "high": 100}),
        (INVENTORY, {"dist": "triangular", "low": 3000, "mode": 3901, "high": 4000}),
        (RATE, {"dist": "normal", "mean": 60, "sd": 40}),
        (RATE, {"dist": "lognormal", "median": 60, "sigma": 0.5, "high": 90}),
        (INVENTORY, {"dist": "choice", "values": [18, 22, 20], "weights": [1, 2, 1]}),
        (RATE, {"dist": "fixed", "value": 4.5}),
    ],
)
def test_one_number_and_an_array_of_draws_agree(path: list[str], dist: dict[str, Any]) -> None:
    """A median or a range end worked out alone (with `math`, what validation uses) is
    exactly the draw at the same probability in an array (numpy, what the engines read)."""
    (item,) = study_with(path, dist).uncertain
    u = np.array([0.0, 1e-9, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0 - 1e-9, 1.0])
    drawn = item.sample(u)
    alone = [item.sample(float(p)) for p in u]
    assert all(type(x) is float for x in alone)
    assert np.array_equal(drawn, alone)
    assert item.median() == drawn[4]
    low, high = item.ends()
    assert (low, high) == (drawn[0], drawn[-1])
