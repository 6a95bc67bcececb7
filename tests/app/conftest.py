"""App test fixtures: the real app, started once per test module over a copy of the corpus index."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from apphelpers import RunningApp, copy_index, start_app, stop_app  # type: ignore[import-not-found]


@pytest.fixture(scope="module")
def running_app(corpus_index, tmp_path_factory) -> Iterator[RunningApp]:
    """The app over a copy of the corpus index, started once per test module."""
    tmp = tmp_path_factory.mktemp("app")
    app = start_app(copy_index(corpus_index, tmp / "data"), tmp)
    yield app
    stop_app(app)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    """Keep each phase's report on the test item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
