"""carework — customer-care analytics for businesses that live on repeat customers.

>>> import carework
>>> data = carework.load("data/sample")          # doctest: +SKIP
>>> data.report()                                 # doctest: +SKIP

``CAREWORK_FIT_LOG=path`` appends one line per model fit (process, model, a hash of the data:
never customer data) to ``path``, so a test can count fits.
"""

import logging as _logging
import os as _os

from carework.errors import DataError, ModelError
from carework.io import Dataset, from_frames, load

if _os.environ.get("CAREWORK_FIT_LOG"):
    _handler = _logging.FileHandler(_os.environ["CAREWORK_FIT_LOG"], encoding="utf-8")
    _handler.setFormatter(_logging.Formatter("%(process)d %(message)s"))
    _fits = _logging.getLogger("carework.fits")
    _fits.addHandler(_handler)
    _fits.setLevel(_logging.INFO)

__all__ = ["DataError", "Dataset", "ModelError", "from_frames", "load"]
__version__ = "0.1.0"
