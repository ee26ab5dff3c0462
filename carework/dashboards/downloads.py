"""Downloads built on demand: a button that makes the export file only when pressed, then
offers it as a link, so a dashboard page carries no file until someone asks for one.

The file travels inside the page as a ``data:`` URL (no server round trip, which Voila has no
route for), built from what the dashboard shows at the time of the click; when the view
changes, :meth:`ExportButton.invalidate` drops the link, and the next press builds afresh.

Examples
--------
>>> export_name("Khách hàng rủi ro", pd.Timestamp("2026-09-29"), "xlsx")
'khach-hang-rui-ro_2026-09-29.xlsx'
>>> button = ExportButton(lambda: ("a.csv", b"x,y\\r\\n"))
>>> button.payload is None
True
>>> button.button.click()
>>> button.file_name, button.payload
('a.csv', b'x,y\\r\\n')
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from pathlib import PurePath

import ipywidgets as w
import pandas as pd

from carework.errors import DataError, ModelError
from carework.i18n import fmt_decimal, fmt_number, t
from carework.vntext import slug

__all__ = ["CLASS", "MIME_TYPES", "ExportButton", "export_name", "file_size", "mime_type"]

CLASS = "carework-export"
"""The class of every export widget (browser tests find it by this)."""

MIME_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".parquet": "application/vnd.apache.parquet",
    ".html": "text/html",
}
"""The MIME type of each export file's extension; others are ``application/octet-stream``."""


def mime_type(name: str) -> str:
    """The MIME type of the file called ``name``, from its extension.

    >>> mime_type("khach-hang_2026-09-29.CSV")
    'text/csv'
    """
    return MIME_TYPES.get(PurePath(name).suffix.lower(), "application/octet-stream")


def file_size(size: int) -> str:
    """A file's size in bytes as the current language writes it: ``1,2 MB`` (vi),
    ``1.2 MB`` (en), ``850 KB``, ``12 B``.

    >>> from carework.i18n import language
    >>> with language("vi"):
    ...     file_size(1_258_291), file_size(870_400), file_size(12)
    ('1,2 MB', '850 KB', '12 B')
    """
    if size < 1024:
        return f"{fmt_number(size)} B"
    if size < 1024 * 1024:
        return f"{fmt_number(size / 1024)} KB"
    return f"{fmt_decimal(size / 1024 / 1024, 1)} MB"


def export_name(stem: str, as_of: pd.Timestamp, ext: str) -> str:
    """An export's file name: ``stem`` (translated words) as an ASCII slug, the day the figures
    describe in ISO form, and the extension.

    >>> export_name("Bảng điểm: rời bỏ", pd.Timestamp("2026-09-29 10:00"), ".csv")
    'bang-diem-roi-bo_2026-09-29.csv'
    >>> export_name("", pd.Timestamp("2026-09-29"), "xlsx")
    'carework_2026-09-29.xlsx'
    """
    words = slug(stem).replace("_", "-") or "carework"
    day = str(pd.Timestamp(as_of).date())  # ISO, whatever the language: a file name's date
    return f"{words}_{day}.{ext.lstrip('.')}"


class ExportButton(w.VBox):
    """A button that builds an export only when pressed, then offers it as a download link.

    Parameters
    ----------
    build : makes the file from what is shown now: returns ``(file name, bytes)``. A
        :class:`carework.DataError` or :class:`carework.ModelError` it raises is shown as its
        one-line message; any other exception propagates.
    label_key : the i18n key of the button's text.

    Attributes
    ----------
    button : the button (``button.click()`` presses it).
    status : "building…" while it builds, or the problem that stopped it.
    link : the download link once built.
    file_name, payload : the file built (``None`` before a press and after
        :meth:`invalidate`).

    Examples
    --------
    >>> def build() -> tuple[str, bytes]:
    ...     raise DataError("no surveys in the data")
    >>> button = ExportButton(build)
    >>> button.button.click()
    >>> "no surveys in the data" in button.status.value, button.payload
    (True, None)
    """

    def __init__(self, build: Callable[[], tuple[str, bytes]],
                 label_key: str = "export.button") -> None:
        self._build = build
        self.file_name: str | None = None
        self.payload: bytes | None = None
        self.button = w.Button(description=t(label_key), icon="download",
                               layout=w.Layout(width="auto"))
        self.status = w.HTML()
        self.link = w.HTML()
        super().__init__([w.HBox([self.button, self.status, self.link],
                                 layout=w.Layout(align_items="center", grid_gap="10px"))])
        self.add_class(CLASS)
        self.button.on_click(lambda _button: self.export())

    def export(self) -> None:
        """Build the file now and show its link (what pressing the button does)."""
        self.invalidate()
        self.button.disabled = True
        self.status.value = f"<i>{html.escape(t('export.building'))}</i>"
        try:
            name, payload = self._build()
        except (DataError, ModelError) as exc:
            message = " ".join(str(exc).split())
            self.status.value = (f"<span class='carework-export-error' style='color:#a94442'>"
                                 f"{html.escape(message)}</span>")
            return
        except BaseException:
            self.status.value = ""
            raise
        finally:
            self.button.disabled = False
        self.file_name, self.payload = name, bytes(payload)
        encoded = base64.b64encode(self.payload).decode("ascii")
        text = t("export.download", name=name, size=file_size(len(self.payload)))
        self.status.value = ""
        self.link.value = (f'<a download="{html.escape(name)}" '
                           f'href="data:{mime_type(name)};base64,{encoded}">'
                           f"{html.escape(text)}</a>")

    def invalidate(self) -> None:
        """The view changed: drop the built file and its link (nothing is rebuilt until the
        button is pressed again)."""
        self.file_name = self.payload = None
        self.link.value = ""
        self.status.value = ""
