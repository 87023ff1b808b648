"""Plain-Python events, so that app state can notify its views without Qt (napari's ViewerModel idea).

An `Event` is a list of callbacks called in order, synchronously, on the thread that emits it. The
`Workspace` is only ever touched on the UI thread, so no locking is needed; the Qt side turns
worker-thread signals into calls on that thread before they reach it.
"""

from __future__ import annotations

from typing import Any, Callable

Callback = Callable[..., Any]


class Event:
    """``connect(callback)``; ``emit(*args)`` calls every callback with ``args``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._callbacks: list[Callback] = []

    def connect(self, callback: Callback) -> Callback:
        """Subscribe ``callback`` (returned, so this can be used as a decorator)."""
        self._callbacks.append(callback)
        return callback

    def disconnect(self, callback: Callback) -> None:
        self._callbacks.remove(callback)

    def emit(self, *args: Any) -> None:
        for callback in list(self._callbacks):  # a callback may disconnect itself
            callback(*args)

    def __repr__(self) -> str:
        return f"Event({self.name!r}, {len(self._callbacks)} callback(s))"


class EventGroup:
    """A namespace of events: a subclass declares ``name: Event`` per event and gets one of each.

    Declared rather than created from a list of strings, so that a misspelt event name is an
    AttributeError (and a type checker's error), not a new, silently unheard event."""

    def __init__(self) -> None:
        for klass in reversed(type(self).__mro__):
            for name in vars(klass).get("__annotations__", {}):
                setattr(self, name, Event(name))

    def connect(self, **callbacks: Callback) -> None:
        """Subscribe to several at once: ``events.connect(changed=on_changed, reset=on_reset)``."""
        for name, callback in callbacks.items():
            getattr(self, name).connect(callback)
