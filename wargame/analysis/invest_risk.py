"""The supplemental under uncertainty: the least money that meets the target with an accepted risk.

Method (sample average, then an out-of-sample check):
1. Draw RISK_REPLICATIONS replications of the uncertain inputs and compile each one's LP rows
   (invest.py): in replication j a plan meets the target when it covers every row of j.
2. Price covering each replication alone, and keep the cheapest (1 - risk) share of them, plus a
   margin of 1.645 binomial standard errors so that the share holds beyond the sample.
3. Solve one LP over the rows of every kept replication: the least-cost plan covering them all.
4. Run the plan's scenario on fresh replications with the vectorised engine and report the share
   that runs out before the target, with its one-sided 95% upper bound (Clopper-Pearson), and
   whether that bound is within the accepted risk.
What this guarantees: the plan covers the kept share of the sample exactly; the margin makes that
share hold beyond the sample with about 95% confidence if the sample is representative. It does
not make any risk certain, and `--risk 0` cannot be promised from a finite sample: it covers every
sampled replication, and the fresh ones say how often that is not enough.
Keeping the cheapest replications is a heuristic: with one munition and one lever it is exact; with
more, a costlier set can occasionally be cheaper to cover together. Prices, ceilings and lever
timings are taken at their medians. Missions and spending caps join each replication's LP as in
invest.py (each replication's missions' rows, with the salvos its allies have joined for).
Scenarios with platforms, a munition serving two missions, or missiles bought off other lines
are not covered yet.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from wargame.analysis.invest import Coverage, Plan, coverage_rows, solve
from wargame.analysis.invest_bills import SpendingCap
from wargame.analysis.invest_missions import GroupCoverage, mission_coverage
from wargame.analysis.montecarlo import run_montecarlo
from wargame.config.scenario import Scenario
from wargame.config.uncertain import Study
from wargame.model.compile import compile_batch
from wargame.model.draws import sample
from wargame.model.rates import FloatArray

RISK_REPLICATIONS = 400  # replications the plan is fitted to
CHECK_REPLICATIONS = 4000  # fresh replications it is checked on
MARGIN_Z = 1.645  # covers this many binomial standard errors more than (1 - risk) of the sample


@dataclass(frozen=True)
class RiskCheck:
    """How the plan fares across replications."""

    accepted: float | None  # the accepted probability of running out before the target
    fitted: int  # replications the plan was fitted to
    covered: int  # of them, those it covers
    checked: int  # fresh replications it was run on
    out_before_target: int  # of those, how many ran out before the target day

    @property
    def p_out_before_target(self) -> float:
        """The share of fresh replications that ran out before the target day."""
        return self.out_before_target / self.checked

    @property
    def p_out_upper95(self) -> float:
        """A one-sided 95% upper bound on the true chance of running out before the target
        (Clopper-Pearson, from the fresh replications)."""
        k, n = self.out_before_target, self.checked
        from scipy import stats  # here: scipy.stats costs over half a second to load

        return 1.0 if k >= n else float(stats.beta.ppf(0.95, k + 1, n - k))

    @property
    def risk_met(self) -> bool | None:
        """Whether the upper bound is within the accepted risk (None without one)."""
        return None if self.accepted is None else self.p_out_upper95 <= self.accepted

    def as_json(self) -> dict[str, float | int | bool | None]:
        """The `risk` block of invest.json."""
        return {
            "accepted": self.accepted,
            "fitted_replications": self.fitted,
            "covered_replications": self.covered,
            "checked_replications": self.checked,
            "p_out_before_target": self.p_out_before_target,
            "p_out_before_target_upper95": self.p_out_upper95,
            "risk_met_at_95": self.risk_met,
        }


def solve_at_risk(
    study: Study,
    scenario: Scenario,
    target: float,
    risk: float,
    caps: Sequence[SpendingCap] = (),
    origin: str = "",
) -> tuple[Plan, int]:
    """The least-cost plan covering the cheapest (1 - risk) share of sampled replications, and
    how many of them it covers (`caps`: the nations' spending caps, on every plan)."""
    sampled = _rows_per_replication(study, scenario, origin)
    plans = [solve(rows, target, groups, caps) for rows, groups in sampled]
    cost = np.array([p.total_usd if p.feasible else math.inf for p in plans])
    n = len(plans)  # a one-sided 95% margin, so that fresh replications meet the risk too
    keep = min(n, math.ceil((1 - risk) * n + MARGIN_Z * math.sqrt(n * risk * (1 - risk))))
    kept = np.argsort(cost, kind="stable")[:keep]
    coverable = np.nonzero(np.isfinite(cost))[0]
    if coverable.size < keep:  # no money meets the target in enough replications
        if not coverable.size:
            return plans[int(np.argmax(cost))], 0
        rows, groups = _union([sampled[j] for j in coverable.tolist()])
        best = solve(rows, target, groups, caps)
        detail = (
            f"only {coverable.size} of {n} sampled replications can meet day {target:g} with "
            f"any money; the accepted risk needs {keep} (this plan covers those {coverable.size})"
        )
        return replace(best, feasible=False, binding="risk", binding_detail=detail), coverable.size
    rows, groups = _union([sampled[j] for j in kept.tolist()])
    return solve(rows, target, groups, caps), keep


def check(
    study: Study, closed: Scenario, target: float, risk: float | None, covered: int | None
) -> RiskCheck:
    """Run the closed scenario on fresh replications; the share out before the target (with
    missions: the share with a mission's salvo not served in full before it)."""
    seed = closed.scenario.seed + 1  # fresh streams, not the ones the plan was fitted to
    seeded = closed.model_copy(
        update={"scenario": closed.scenario.model_copy(update={"seed": seed})}
    )
    outcome = run_montecarlo(Study(seeded, study.uncertain), CHECK_REPLICATIONS)
    early = np.zeros(CHECK_REPLICATIONS, dtype=bool)
    # With missions, a munition that runs dry while the next one serves is no failure: whether
    # the demand was met is the groups' first short salvo.
    days = (
        [g.days_to_shortfall for g in outcome.outcomes.groups]
        if closed.missions
        else [run.days_to_depletion for run in outcome.outcomes.munitions]
    )
    for day in days:
        early |= np.isfinite(day) & (day < target)
    fitted = 0 if covered is None else RISK_REPLICATIONS
    return RiskCheck(risk, fitted, covered or 0, CHECK_REPLICATIONS, int(early.sum()))


Sampled = tuple[tuple[Coverage, ...], tuple[GroupCoverage, ...]]


def _rows_per_replication(study: Study, scenario: Scenario, origin: str) -> list[Sampled]:
    """Each sampled replication's LP rows and its missions' rows (prices and levers at their
    medians)."""
    reps = np.arange(RISK_REPLICATIONS)
    batch = compile_batch(scenario, sample(study.uncertain, scenario.scenario.seed, reps))
    out = []
    for j in range(RISK_REPLICATIONS):
        model = batch.replication(j)
        rows = coverage_rows(model, scenario)
        out.append((rows, mission_coverage(model, rows, origin)))
    return out


def _union(sets: list[Sampled]) -> Sampled:
    """One set of rows per munition and per mission holding every replication's rows, in the
    same order (a salvo of one replication is one index in every row)."""

    def joined(i: int, field: str) -> FloatArray:
        return np.concatenate([getattr(rows[i], field) for rows, _ in sets])

    first, groups = sets[0]
    rows = tuple(
        replace(
            row,
            salvo_days=joined(i, "salvo_days"),
            made_by=joined(i, "made_by"),
            need=joined(i, "need"),
            spare=joined(i, "spare"),
            expansion=joined(i, "expansion"),
        )
        for i, row in enumerate(first)
    )
    merged = tuple(
        replace(
            group,
            need=np.concatenate([each[g].need for _, each in sets]),
            live=tuple(
                np.concatenate([each[g].live[n] for _, each in sets])
                for n in range(len(group.members))
            ),
        )
        for g, group in enumerate(groups)
    )
    return rows, merged
