"""A visitor without a browser, for benchmarks/server.py: Streamlit's own websocket protocol spoken
from Python, reduced to opening a page and moving a widget.

As the browser's frontend: the health check hands out the XSRF cookie, ``/_stcore/stream`` is
opened with its token, a script run is asked for with ``BackMsg.rerun_script`` (the URL's query
string, the page and the widget values), and the run is over when ``script_finished`` arrives with
a final status (a run stopped early for ``st.rerun()`` is not the end). The server cannot tell it
from a browser: it runs the same script in its own session.

(The load test has a fuller client, with uploads and the page's text: tests/load/wsclient.py.)
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from http.cookiejar import CookieJar

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

FINAL = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR}
XSRF_COOKIE = "_streamlit_xsrf"


class ProtocolError(RuntimeError):
    pass


class Session:
    """One visitor's Streamlit session over its own websocket."""

    def __init__(self, base_url: str, timeout: float = 120.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.query_string = ""
        self.pages: dict[str, str] = {}    # url_pathname → page_script_hash
        self.page_hash = ""
        self.elements: list[Element] = []  # the page after the last finished run, in delivery order
        self._widgets: dict[str, WidgetState] = {}
        self._run: dict[tuple, Element] = {}
        self._done: asyncio.Future | None = None
        self._ws = None
        self._reader: asyncio.Task | None = None

    async def __aenter__(self) -> Session:
        xsrf = await asyncio.to_thread(self._xsrf_token)
        self._ws = await connect("ws" + self.base_url[len("http"):] + "/_stcore/stream",
                                 subprotocols=[Subprotocol("streamlit"), Subprotocol(xsrf)],
                                 max_size=None, open_timeout=self.timeout, close_timeout=5)
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc) -> None:
        await self._ws.close()
        self._reader.cancel()
        try:
            await self._reader
        except (asyncio.CancelledError, Exception):
            pass

    def _xsrf_token(self) -> str:
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(self.base_url + "/_stcore/health", timeout=self.timeout):
            pass
        token = next((c.value for c in jar if c.name == XSRF_COOKIE), "")
        if not token:
            raise ProtocolError("the server set no XSRF cookie")
        return token

    async def _read(self) -> None:
        try:
            async for raw in self._ws:
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                self._handle(msg)
        except Exception as err:  # the connection broke: whoever waits learns why
            self._fail(ProtocolError(f"websocket closed: {err!r}"))
            raise
        self._fail(ProtocolError("websocket closed by the server"))

    def _fail(self, err: Exception) -> None:
        if self._done is not None and not self._done.done():
            self._done.set_exception(err)

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash
            self.pages.update((p.url_pathname, p.page_script_hash) for p in msg.new_session.app_pages)
            self._run = {}
        elif kind == "navigation":  # st.navigation ran: the page this run shows
            self.pages.update((p.url_pathname, p.page_script_hash) for p in msg.navigation.app_pages)
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._run[tuple(msg.metadata.delta_path)] = msg.delta.new_element
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "script_finished" and msg.script_finished in FINAL:
            self.elements = [self._run[k] for k in sorted(self._run)]
            if self._done is not None and not self._done.done():
                self._done.set_result(msg.script_finished)

    async def run(self, page: str | None = None) -> float:
        """Ask for a script run (of ``page``, a URL path name, or the current page) and wait for its
        end; returns the seconds from the request to the final ``script_finished``."""
        state = ClientState(query_string=self.query_string,
                            widget_states=WidgetStates(widgets=list(self._widgets.values())))
        if page is None:
            state.page_script_hash = self.page_hash
        else:
            state.page_name = page
            state.page_script_hash = self.pages.get(page, "")
        self._done = asyncio.get_running_loop().create_future()
        t0 = time.perf_counter()
        await self._ws.send(BackMsg(rerun_script=state).SerializeToString())
        status = await asyncio.wait_for(self._done, self.timeout)
        seconds = time.perf_counter() - t0
        if status != ForwardMsg.FINISHED_SUCCESSFULLY:
            raise ProtocolError(f"the script run ended with status {status}")
        return seconds

    async def open(self, page: str, query_string: str = "") -> float:
        """What the browser does on opening ``/<page>?<query_string>``."""
        self.query_string = query_string
        return await self.run(page=page)

    async def set_widget(self, widget_id: str, **value) -> float:
        """Change one widget's value (a WidgetState field, e.g. ``double_value=1.0``) and wait for the rerun."""
        self._widgets[widget_id] = WidgetState(id=widget_id, **value)
        return await self.run()

    def widget_id(self, kind: str, key: str) -> str:
        """The id of the ``kind`` widget (slider, radio, …) made with ``key=key``."""
        ids = [getattr(e, kind).id for e in self.elements if e.WhichOneof("type") == kind]
        ids = [i for i in ids if i.endswith("-" + key)]
        if len(ids) != 1:
            raise ProtocolError(f"{len(ids)} {kind} widgets with the key {key!r} on the page")
        return ids[0]

    def check_page(self, where: str) -> None:
        """An exception box on the page ends the benchmark (the server log has the traceback)."""
        shown = [f"{e.exception.type}: {e.exception.message}" for e in self.elements
                 if e.WhichOneof("type") == "exception"]
        if shown:
            raise ProtocolError(f"{where}: an exception on the page (its traceback is in the server log): "
                                f"{shown[0][:200]}")
