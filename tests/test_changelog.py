"""CHANGELOG.md and the version: `wargame.__version__` is the newest released version there."""

from __future__ import annotations

import datetime
import re

from tests.conftest import REPO
from wargame import __version__

CHANGELOG = REPO / "CHANGELOG.md"
# Keep a Changelog's release headings: "## [0.2.0] - 2026-11-29".
RELEASE = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", re.M)


def releases(text: str) -> list[tuple[tuple[int, ...], datetime.date]]:
    """Each released version and its date, in the order the changelog lists them."""
    return [
        (tuple(int(part) for part in version.split(".")), datetime.date.fromisoformat(day))
        for version, day in RELEASE.findall(text)
    ]


def newest_release(text: str) -> str:
    """The first release heading's version: the newest, as releases run newest first."""
    listed = releases(text)
    assert listed, "CHANGELOG.md lists no release ('## [X.Y.Z] - YYYY-MM-DD')"
    return ".".join(map(str, listed[0][0]))


def test_the_version_is_the_newest_release_in_the_changelog() -> None:
    newest = newest_release(CHANGELOG.read_text())
    assert __version__ == newest, f"wargame/__init__.py says {__version__}, CHANGELOG.md {newest}"


def test_releases_run_newest_first_under_an_unreleased_section() -> None:
    text = CHANGELOG.read_text()
    listed = releases(text)
    versions, dates = [v for v, _ in listed], [d for _, d in listed]
    assert versions == sorted(versions, reverse=True) and len(set(versions)) == len(versions)
    assert dates == sorted(dates, reverse=True)
    assert text.index("## [Unreleased]") < text.index("## [" + __version__ + "]")


def test_a_release_the_version_does_not_follow_is_caught() -> None:
    """A changelog with a newer release than the package: the newest is read, not any match."""
    text = "## [Unreleased]\n\n## [0.10.0] - 2027-01-01\n\n## [0.9.0] - 2026-12-01\n"
    assert newest_release(text) == "0.10.0"
    assert releases(text)[0][0] > releases(text)[1][0]  # 10 > 9 as numbers, not as text
