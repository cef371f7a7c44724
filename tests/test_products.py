"""Figure files: the PNG is the tight crop of the one drawing at 144 dpi, padded like matplotlib's own
``bbox_inches``; what lies outside the figure's area is still in it; the same figure gives the same bytes."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from opedlens.report import plots, products


@pytest.fixture(autouse=True)
def report_theme():
    """The notebooks' theme (salted SVG ids), for these tests only."""
    with matplotlib.rc_context():
        plots.set_theme()
        yield


def _figure(title_y: float | None = None):
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(["a", "b"], [1, 2], color="#d62728")
    ax.set(title="two bars", xlabel="letter")
    if title_y is not None:
        fig.suptitle("a title above the figure", y=title_y)
    fig.tight_layout()
    return fig


def _matplotlib_png(fig) -> Image.Image:
    buffer = io.BytesIO()
    fig.set_dpi(products.PNG_DPI)
    fig.savefig(buffer, format="png", dpi=products.PNG_DPI, bbox_inches="tight")
    return Image.open(buffer)


def _save(tmp_path, fig, name="demo") -> Image.Image:
    products.Products(tmp_path, "09").figure(fig, name, show=False)
    return Image.open(tmp_path / "figures" / f"09-{name}.png")


def test_the_png_is_the_tight_crop_with_its_padding(tmp_path):
    reference = _matplotlib_png(_figure())
    saved = _save(tmp_path, _figure())
    assert abs(saved.width - reference.width) <= 2 and abs(saved.height - reference.height) <= 2
    pixels = np.asarray(saved.convert("RGB"))
    assert (pixels[0] == 255).all() and (pixels[-1] == 255).all(), "a white margin above and below"
    assert (pixels[:, 0] == 255).all() and (pixels[:, -1] == 255).all(), "and on both sides"
    red = (pixels[..., 0] > 200) & (pixels[..., 1] < 80) & (pixels[..., 2] < 80)
    assert red.sum() > 1000, "the bars are drawn"
    assert (tmp_path / "figures" / "09-demo.svg").read_text(encoding="utf-8").startswith("<?xml")


def test_what_lies_outside_the_figure_area_is_kept(tmp_path):
    fig = _figure(title_y=1.15)
    fig.set_dpi(products.PNG_DPI)
    fig.canvas.draw()
    assert products._cropped_png(fig, fig.get_tightbbox(fig.canvas.get_renderer()), 0.1) is None, "needs a redraw"
    reference = _matplotlib_png(_figure(title_y=1.15))
    saved = _save(tmp_path, _figure(title_y=1.15))
    assert saved.height > 3 * products.PNG_DPI, "taller than the figure: the title is in"
    assert abs(saved.height - reference.height) <= 2


def test_the_same_figure_gives_the_same_bytes(tmp_path):
    _save(tmp_path / "a", _figure())
    _save(tmp_path / "b", _figure())
    for ext in ("png", "svg"):
        assert (tmp_path / "a" / "figures" / f"09-demo.{ext}").read_bytes() == \
            (tmp_path / "b" / "figures" / f"09-demo.{ext}").read_bytes()
