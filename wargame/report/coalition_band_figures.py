"""The Monte Carlo report's coalition bands: each nation's stock and each mission's demand
served and shortfall, day by day, as the median and the middle 50% and 90% of replications."""

from __future__ import annotations

from wargame import numbers
from wargame.analysis.coalition_bands import Paths, coalition_paths
from wargame.analysis.montecarlo import MonteCarlo
from wargame.config.scenario import Scenario
from wargame.report.chart import Chart
from wargame.report.figures import PALETTE, fit_time_axis, styled
from wargame.report.labels import display_name
from wargame.report.uncertainty_figures import add_fan, mc_end


def coalition_band_figures(mc: MonteCarlo, scenario: Scenario) -> dict[str, Chart]:
    """By element id: the nations' stock bands, and one chart of bands per mission."""
    paths = coalition_paths(mc, scenario)
    horizon = scenario.scenario.horizon_days
    figures: dict[str, Chart] = {}
    stock = [p for p in paths if p.entity == "nation"]
    if stock:
        fig = Chart()
        for index, p in enumerate(stock):
            colour = scenario.nations[p.id].colour or PALETTE[index % len(PALETTE)]
            add_fan(fig, mc.salvo_days.tolist(), p.quantiles(), colour, scenario.nations[p.id].name)
        _finish(fig, mc, horizon, "Stock by nation", "missiles in stock at the day's end", stock)
        figures["nation-stock-bands"] = fig
    for name in scenario.missions:
        own = [p for p in paths if p.entity == "mission" and p.id == name]
        if not own:
            continue
        fig = Chart()
        for index, p in enumerate(own):
            label = "served that day" if p.measure == "served" else "short by then"
            add_fan(fig, mc.salvo_days.tolist(), p.quantiles(), PALETTE[index], label)
        title = f"Mission {display_name(name)}: demanded shots served and short"
        _finish(fig, mc, horizon, title, "demanded shots", own)
        figures[f"mission-{name}-bands"] = fig
    return figures


def _finish(
    fig: Chart, mc: MonteCarlo, horizon: int, title: str, y_title: str, paths: list[Paths]
) -> None:
    kept = paths[0].values.shape[1]
    styled(
        fig,
        f"{title}: median and the middle 50% and 90% of {numbers.count(kept)} replications",
        "day of the conflict",
        y_title,
    )
    fit_time_axis(fig, mc_end(mc, horizon), horizon)
