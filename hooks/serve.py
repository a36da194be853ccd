"""Preview: a save is noticed within 0.1 s, and a failed rebuild keeps the server answering with the error shown."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.plugins.serve")

POLL_SECONDS = 0.1  # MkDocs' file watcher polls every 0.5 s: a save waited 0.25 s on average to be seen
ERROR_PAGE = "404.html"  # the live-reload server answers every missing page with it
ERROR_TEMPLATE = "build-error.html"


class Collector(logging.Handler):
    """Keeps the ERROR messages logged during one build."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def guarded(build, render, site_dir: Path):
    """Wrap a builder: on failure, write the error page instead of leaving the server stuck."""

    def builder(*args, **kwargs):
        collector = Collector()
        logging.getLogger("mkdocs").addHandler(collector)
        try:
            build(*args, **kwargs)
        except SystemExit as error:  # mkdocs' Abort after a BuildError
            site_dir.mkdir(parents=True, exist_ok=True)
            messages = collector.messages or [str(error)]
            (site_dir / ERROR_PAGE).write_text(render(messages), encoding="utf-8")
            log.info("The preview shows the error until it is fixed.")
        finally:
            logging.getLogger("mkdocs").removeHandler(collector)

    return builder


def poll_every(observer, seconds: float) -> None:
    """Make watchdog's polling observer, and the watches it already has, look every `seconds`.

    MkDocs creates the observer with a fixed interval and no option to change it; watchdog (pinned in
    pyproject.toml) keeps the interval on the observer and on each watch's emitter.
    """
    observer._timeout = seconds
    for emitter in observer.emitters:
        emitter._timeout = seconds


def on_serve(server, *, config: MkDocsConfig, builder):
    poll_every(server.observer, POLL_SECONDS)
    template = config.theme.get_env().get_template(ERROR_TEMPLATE)
    server.builder = guarded(server.builder, lambda messages: template.render(messages=messages), Path(server.root))
    return server
