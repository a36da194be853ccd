"""Preview: a failed rebuild under `mkdocs serve` keeps the server answering and shows the error in the browser."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.plugins.serve")

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


def on_serve(server, *, config: MkDocsConfig, builder):
    template = config.theme.get_env().get_template(ERROR_TEMPLATE)
    server.builder = guarded(server.builder, lambda messages: template.render(messages=messages), Path(server.root))
    return server
