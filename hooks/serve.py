"""Preview: a save is noticed within 0.1 s, and a failed rebuild keeps the server answering with the error shown."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.serve")

POLL_SECONDS = 0.1  # MkDocs' server polls every 0.5 s: a save waited 0.25 s on average to be seen
ERROR_PAGE = "404.html"  # the live-reload server answers every missing page with it
ERROR_TEMPLATE = "build-error.html"


class Collector(logging.Handler):
    """Keeps the ERROR messages logged during one build."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def guarded(build: Callable, render: Callable[[list[str]], str], site_dir: Path) -> Callable:
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


def polling_faster(server: LiveReloadServer, config: MkDocsConfig, seconds: float) -> LiveReloadServer:
    """The same server, not yet started, with a file watcher that polls every `seconds`.

    MkDocs creates its server with the default interval and offers no option for it; the server's
    constructor does (polling_interval), and on_serve may hand MkDocs another server. The new one
    watches what the first one watched so far (MkDocs adds `watch:` after on_serve).
    """
    host, port = config.dev_addr
    faster = LiveReloadServer(
        builder=server.builder, host=host, port=port, root=server.root, mount_path=server.mount_path,
        polling_interval=seconds,
    )
    faster.error_handler = server.error_handler
    for emitter in server.observer.emitters:
        faster.watch(emitter.watch.raw_path, recursive=emitter.watch.is_recursive)
    server.server_close()
    return faster


def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable) -> LiveReloadServer:
    server = polling_faster(server, config, POLL_SECONDS)
    template = config.theme.get_env().get_template(ERROR_TEMPLATE)
    server.builder = guarded(server.builder, lambda messages: template.render(messages=messages), Path(server.root))
    return server
