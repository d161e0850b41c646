"""How `mkdocs serve` notices a save. MkDocs polls: every half second it lists and stats every
file it watches, which at 10,000 entries is work enough to hold Python's lock through most of
a rebuild. The operating system's own notifications (inotify on Linux, FSEvents on macOS, the
Windows API) cost nothing while nothing changes. They do not reach every file system (a folder
shared into Docker from another system, a network drive): there, `watch: polling` keeps
MkDocs' way."""

from __future__ import annotations

from typing import Any

from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

WATCHES = ("native", "polling")

# A build opens and reads the files it watches: notifications of reading must not start the
# next build.
_CHANGES: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileDeletedEvent,
    DirCreatedEvent,
    DirMovedEvent,
    DirDeletedEvent,
]


class _Relay(FileSystemEventHandler):
    """Tells MkDocs of a folder made, moved or deleted as of a file. MkDocs passes over folders'
    events; polling saw each file of a folder moved away, but the system reports the folder
    alone, and the entries in it are gone all the same."""

    def __init__(self, handler: FileSystemEventHandler) -> None:
        super().__init__()
        self.handler = handler

    def dispatch(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            event = FileModifiedEvent(event.src_path)
        self.handler.dispatch(event)


class _Changes(Observer):  # type: ignore[misc,valid-type]
    """The platform's observer, told of changes only."""

    def schedule(self, handler: Any, path: str, *, recursive: bool = False, **_: Any) -> Any:
        relay = _Relay(handler)
        return super().schedule(relay, path, recursive=recursive, event_filter=_CHANGES)


def native(server: LiveReloadServer) -> LiveReloadServer:
    """The server, watching what it watches with the operating system's notifications. Called
    before it starts (MkDocs' `on_serve`); what is watched after is watched the same way."""
    watched = dict(server._watched_paths)  # no public list of them; pinned by mkdocs<2
    for path, count in watched.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = _Changes(timeout=server.observer.timeout)
    for path, count in watched.items():
        for _ in range(count):
            server.watch(path)
    return server
