"""carework — customer-care analytics for businesses that live on repeat customers.

>>> import carework
>>> data = carework.load("data/sample")          # doctest: +SKIP
>>> data.report()                                 # doctest: +SKIP
"""

from carework.errors import DataError, ModelError
from carework.io import Dataset, from_frames, load

__all__ = ["DataError", "Dataset", "ModelError", "from_frames", "load"]
__version__ = "0.1.0"
