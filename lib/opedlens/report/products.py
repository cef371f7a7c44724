"""Write a notebook's products: tables as CSV and figures as PNG + SVG, named after the notebook.

A notebook numbered ``01`` writes ``<output_dir>/tables/01-<name>.csv`` and ``<output_dir>/figures/01-<name>.png``
(and ``.svg``). Files are written atomically, and byte for byte the same for the same data.

Researchers open the CSV files in spreadsheets, which run a cell starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return as a formula, and article text can start that way (``=HYPERLINK(...)``). So, as the OWASP
guidance on CSV injection advises, such a text cell is written with a ``'`` in front, which a spreadsheet shows
as text; a cell that already starts with quotes before such a character gets one more, so the change can always
be undone. :func:`read_table` reads a table back with the exact text (it removes that one ``'``).
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pandas as pd

from opedlens.files import write_atomic
from opedlens.paths import resolve_output

_FORMULA = re.compile(r"'*[=+\-@\t\r]")  # what a spreadsheet would run, possibly behind quotes already added
_NEUTRALISED = re.compile(r"'(?='*[=+\-@\t\r])")  # the quote :func:`neutralise` added
SVG_METADATA = {"Date": None}  # no timestamp, so the same figure gives the same file
PNG_DPI = 144  # figure files are sharp on high-density screens ...
SCREEN_DPI = 96  # ... and shown in the report at their size in inches


class Products:
    """The tables and figures one notebook writes into an output folder."""

    def __init__(self, output_dir: str | Path, notebook: str):
        self.output_dir = resolve_output(output_dir)
        self.output_dir.mkdir(parents=True, exist_ok=True)
        self.prefix = notebook

    def table(self, frame: pd.DataFrame, name: str) -> pd.DataFrame:
        """Save ``frame`` as ``tables/NN-name.csv`` (UTF-8, no index; text cells a spreadsheet would run as a
        formula neutralised, see :func:`neutralise`) and return it unchanged, for display."""
        path = self.output_dir / "tables" / f"{self.prefix}-{name}.csv"
        write_atomic(path, neutralise(frame).to_csv(index=False, lineterminator="\n").encode("utf-8"), parents=False)
        return frame

    def figure(self, fig, name: str, *, show: bool = True) -> None:
        """Save ``fig`` as ``figures/NN-name.png`` and ``.svg``, show that PNG in the notebook, then close it.

        The figure is drawn once at 144 dpi: the PNG is the tight crop of that drawing (unless something lies
        outside the figure's area, which only a redraw can include), the SVG is drawn with the same crop. The
        notebook shows the very PNG that was saved, at its size in inches, so report and file never differ.
        """
        import io

        import matplotlib.pyplot as plt

        alt = alt_text(fig, name)  # before the figure is closed
        fig.set_dpi(PNG_DPI)
        fig.canvas.draw()
        tight, pad = fig.get_tightbbox(fig.canvas.get_renderer()), plt.rcParams["savefig.pad_inches"]
        crop = tight.padded(pad)
        images = {"png": _cropped_png(fig, tight, pad)}
        for ext, options in (("png", {"dpi": PNG_DPI}), ("svg", {"metadata": SVG_METADATA})):
            if images.get(ext) is None:
                buffer = io.BytesIO()
                fig.savefig(buffer, format=ext, bbox_inches=crop, **options)
                images[ext] = buffer.getvalue()
        plt.close(fig)
        for ext, data in images.items():
            write_atomic(self.output_dir / "figures" / f"{self.prefix}-{name}.{ext}", data, parents=False)
        if show:
            from IPython.display import Image, display

            width, _ = struct.unpack(">II", images["png"][16:24])  # from the PNG header (IHDR)
            display(Image(data=images["png"], format="png", width=width * SCREEN_DPI // PNG_DPI, alt=alt))


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell that starts like a spreadsheet formula (``=``, ``+``, ``-``, ``@``, tab, carriage
    return, possibly after quotes) given one more leading ``'``; numbers and other cells are left as they are."""
    out = frame
    for position, column in enumerate(frame.columns):
        values = frame.iloc[:, position]
        if not (values.dtype == object or pd.api.types.is_string_dtype(values)):
            continue
        risky = values.map(lambda v: isinstance(v, str) and _FORMULA.match(v) is not None).astype(bool)
        if risky.any():
            out = frame.copy() if out is frame else out
            out.iloc[:, position] = values.where(~risky, "'" + values[risky].astype(str))
    return out


def read_table(path: str | Path, **read_csv_options) -> pd.DataFrame:
    """A table a notebook wrote, with its exact text: :func:`pandas.read_csv` (empty cells as missing, no other
    text taken for missing) with the ``'`` that :func:`neutralise` put before formula-like cells removed."""
    options = {"keep_default_na": False, "na_values": [""]} | read_csv_options
    frame = pd.read_csv(path, **options)
    for position in range(frame.shape[1]):
        values = frame.iloc[:, position]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            frame.iloc[:, position] = values.map(lambda v: v[1:] if isinstance(v, str) and _NEUTRALISED.match(v) else v)
    return frame


def _cropped_png(fig, crop, pad: float) -> bytes | None:
    """The figure's drawn canvas inside ``crop`` (the tight box, in inches) plus ``pad`` inches of the figure's
    background on every side, rounded out to whole pixels, as PNG; None when the box reaches outside the
    canvas (a title placed above the figure, say: only a redraw shows it) or there is no pixel buffer."""
    import io

    import matplotlib
    import numpy as np
    from matplotlib.colors import to_rgba_array
    from PIL import Image, PngImagePlugin

    try:
        pixels = np.asarray(fig.canvas.buffer_rgba())
    except AttributeError:
        return None
    height, width = pixels.shape[:2]
    left, bottom = (int(np.floor(v * PNG_DPI)) for v in (crop.x0, crop.y0))
    right, top = (int(np.ceil(v * PNG_DPI)) for v in (crop.x1, crop.y1))
    if left < 0 or bottom < 0 or right > width or top > height:
        return None
    margin = int(round(pad * PNG_DPI))
    image = np.empty((top - bottom + 2 * margin, right - left + 2 * margin, 4), dtype=np.uint8)
    image[...] = np.round(to_rgba_array(fig.get_facecolor())[0] * 255).astype(np.uint8)
    image[margin:margin + top - bottom, margin:margin + right - left] = pixels[height - top:height - bottom, left:right]
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/")
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="png", pnginfo=info, dpi=(PNG_DPI, PNG_DPI))
    return buffer.getvalue()


def alt_text(fig, name: str) -> str:
    """What a figure shows, in words, for its ``alt`` text: its title, then each panel's title and axis labels.

    Falls back to the figure's file name ("sentence-lengths" -> "Figure: sentence lengths") when nothing is labelled.
    """
    parts: list[str] = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text().strip():
        parts.append(suptitle.get_text().strip())
    for ax in fig.get_axes():
        title = " ".join(t for t in (ax.get_title("left"), ax.get_title(), ax.get_title("right")) if t.strip())
        axes = [label for label in (ax.get_xlabel(), ax.get_ylabel()) if label.strip()]
        if axes:
            title = f"{title} ({' against '.join(axes)})" if title else " against ".join(axes)
        if title and title not in parts:
            parts.append(title)
    words = "; ".join(" ".join(part.split()) for part in parts)
    return f"Figure: {words}" if words else "Figure: " + name.replace("-", " ")
