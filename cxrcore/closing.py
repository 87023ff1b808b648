"""`Closing`: ``with`` support for everything that holds a native model, so no engine outlives its use.

LiteRT engines hold native memory and, on shutdown, print to the process's stderr; closing them
at a known point keeps both in hand. A class that defines ``close()`` and inherits this can be
used as ``with open_engine(path) as engine: ...``.
"""

from __future__ import annotations

from types import TracebackType
from typing import TypeVar

_Self = TypeVar("_Self", bound="Closing")


class Closing:
    """Mixin: ``__enter__`` returns the object, ``__exit__`` calls its ``close()`` whatever happened."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
