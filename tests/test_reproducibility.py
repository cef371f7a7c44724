"""Reproducibility: the same code and inputs give the same tables and figures, byte for byte, and the committed
report's tables are what the code makes now.

test_end_to_end.py already checks that a second run gives the same bytes for every table and figure of the
first; here the second run differs in everything that must not matter (working directory, output folder and
its name, notebooks in parallel), and the figures embedded in notebooks and pages are compared too.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import nbformat
import pytest

from opedlens.paths import OUTPUTS_DIR, PROJECT_ROOT

PRODUCTS = ("tables", "figures")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()} if folder.is_dir() else {}


def _differences(expected: dict[str, bytes], actual: dict[str, bytes]) -> list[str]:
    """Missing, extra and differing files, the differing ones with their first differing line (for text)."""
    found = [f"missing: {name}" for name in sorted(set(expected) - set(actual))]
    found += [f"extra: {name}" for name in sorted(set(actual) - set(expected))]
    for name in sorted(set(expected) & set(actual)):
        if expected[name] != actual[name]:
            try:
                diff = list(difflib.unified_diff(expected[name].decode().splitlines(),
                                                 actual[name].decode().splitlines(), lineterm="", n=0))
                first = next((line for line in diff[2:] if line[:1] in "+-"), "")
                found.append(f"differs: {name} ({len([d for d in diff[2:] if d[:1] == '-'])} line(s) changed, "
                             f"e.g. {first[:160]!r})")
            except UnicodeDecodeError:
                found.append(f"differs: {name} (binary, {len(expected[name])} vs {len(actual[name])} bytes)")
    return found


def _embedded_images(notebook: Path) -> list[str]:
    """Every image a notebook shows (base64 PNG, SVG text), in order."""
    nb = nbformat.read(notebook, as_version=4)
    return [str(output["data"][kind]) for cell in nb.cells if cell.cell_type == "code"
            for output in cell.get("outputs", []) for kind in ("image/png", "image/svg+xml")
            if kind in output.get("data", {})]


@pytest.fixture(scope="module")
def second_run(seed_report_elsewhere) -> Path:
    """The seeds again, from another directory, into another folder name, two notebooks at a time."""
    return seed_report_elsewhere


@pytest.mark.parametrize("folder", PRODUCTS)
def test_two_runs_give_byte_identical_tables_and_figures(seed_report, second_run, folder):
    first, second = _files(seed_report / folder), _files(second_run / folder)
    assert first, f"the report has no {folder}"
    differences = _differences(first, second)
    assert not differences, f"{folder} differ between two runs of the same inputs:\n  " + "\n  ".join(differences)


def test_two_runs_give_notebooks_with_the_same_cell_ids(seed_report, second_run):
    """Cell ids are how a diff or a reviewer's comment finds a cell: they must not change between runs (papermill
    draws a random one for the cell it injects)."""
    for path in sorted((seed_report / "notebooks").glob("*.ipynb")):
        ids = [cell["id"] for cell in nbformat.read(path, as_version=4).cells]
        again = [cell["id"] for cell in nbformat.read(second_run / "notebooks" / path.name, as_version=4).cells]
        assert ids == again, path.name
        assert "injected-parameters" in ids, path.name


def test_two_runs_show_the_same_figures_in_notebooks_and_pages(seed_report, second_run):
    notebooks = sorted(p.name for p in (seed_report / "notebooks").iterdir())
    assert notebooks == sorted(p.name for p in (second_run / "notebooks").iterdir())
    for name in notebooks:
        first = _embedded_images(seed_report / "notebooks" / name)
        assert first == _embedded_images(second_run / "notebooks" / name), name
    data_uri = re.compile(r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+")
    pages = sorted(p.name for p in (seed_report / "html").glob("*.html"))
    assert pages == sorted(p.name for p in (second_run / "html").glob("*.html"))
    shown = 0
    for page in pages:
        first = data_uri.findall((seed_report / "html" / page).read_text(encoding="utf-8"))
        assert first == data_uri.findall((second_run / "html" / page).read_text(encoding="utf-8")), page
        shown += len(first)
    assert shown, "the pages embed figures"


def test_the_committed_tables_are_what_the_code_makes(seed_report):
    """`outputs/tables` as committed must be what `make report` makes from this code and these seeds (every file,
    byte for byte, and no file more or less): a change to a notebook or the library that changes a result must
    come with the regenerated report."""
    committed, fresh = _files(OUTPUTS_DIR / "tables"), _files(seed_report / "tables")
    assert fresh, "the fresh report has no tables"
    differences = _differences(committed, fresh)
    assert not differences, (
        f"the committed {OUTPUTS_DIR.relative_to(PROJECT_ROOT)}/tables do not match a fresh run of the code "
        f"(left: committed, right: fresh, in {seed_report / 'tables'}):\n  " + "\n  ".join(differences)
        + "\nRun `make report` and commit outputs/ with the change that caused this."
    )


def test_figures_do_not_depend_on_the_order_of_the_machines_font_cache():
    """matplotlib draws with the first of equally good fonts in its cache, and the cache lists them in whatever order
    the machine built it: with the system's DejaVu Sans listed first, the same figure came out with other glyph ids."""
    import io

    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    from opedlens.report import plots

    matplotlib.use("Agg")
    fonts = font_manager.fontManager.ttflist
    bundled = Path(matplotlib.get_data_path())
    if not any(f.name == "DejaVu Sans" and bundled not in Path(f.fname).parents for f in fonts):
        pytest.skip("the system has no DejaVu Sans of its own: nothing to choose between")

    def drawn() -> bytes:
        plots.set_theme()
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([0, 1], [-0.5, 0.5])
        ax.set_title("Sentiment \u2212 tone \u2026 ")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
        plt.close(fig)
        return buffer.getvalue()

    original = list(fonts)
    try:
        first = drawn()
        fonts.reverse()  # as another machine's cache may list them
        font_manager.FontManager._findfont_cached.cache_clear()
        second = drawn()
        fonts[:] = [f for f in original if bundled not in Path(f.fname).parents]  # a cache without matplotlib's own
        font_manager.FontManager._findfont_cached.cache_clear()
        third = drawn()
        chosen = Path(font_manager.findfont("DejaVu Sans"))
    finally:
        fonts[:] = original
        font_manager.FontManager._findfont_cached.cache_clear()
    assert first == second == third and bundled in chosen.parents
