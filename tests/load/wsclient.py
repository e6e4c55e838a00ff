"""A visitor without a browser: Streamlit's own websocket protocol, spoken from Python.

What the browser's frontend does, reduced to what a visitor of the Train and Predict pages needs:
open ``/_stcore/stream``, ask for a script run (``BackMsg.rerun_script`` with the URL's query string,
the page and the widget values), read the ``ForwardMsg``s (the elements of the page, the new query
string, the end of the run), and upload a file as the file uploader does (ask for an upload URL,
``PUT`` the bytes with the XSRF token, rerun with the uploader's new value). The server cannot tell
it from a browser: it runs the same script in its own session.

A run is over when ``script_finished`` arrives with a final status (a run stopped early for
``st.rerun()`` is not the end), which is what the browser's idle marker shows.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Iterable

import requests
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Common_pb2 import FileURLs, FileURLsRequest, FileUploaderState, StringArray, UploadedFileInfo
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

FINAL = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
         ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
XSRF_COOKIE = "_streamlit_xsrf"
COPY_HEADER = "X-Playground-Copy"   # set by playground.serve's HAProxy: which copy answered


class ProtocolError(AssertionError):
    pass


class Session:
    """One visitor's Streamlit session over its own websocket."""

    def __init__(self, base_url: str, timeout: float = 120.0, watch: re.Pattern[bytes] | None = None):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.watch = watch
        self.watched: set[bytes] = set()      # every match of ``watch`` in any message this session received
        self.session_id = ""
        self.query_string = ""
        self.pages: dict[str, str] = {}       # url_pathname → page_script_hash
        self.page_hash = ""
        self.elements: list[Element] = []     # the page after the last finished run, in delivery order
        self.finished: list[int] = []          # statuses of every script_finished
        self.compile_errors: list[str] = []
        self.bytes_received = 0
        self.run_bytes: list[int] = []        # bytes received during each run (request → script_finished)
        self.copies: set[str] = set()         # every copy that answered this session (behind playground.serve)
        self._widgets: dict[str, WidgetState] = {}
        self._fragments: dict[str, str] = {}   # widget id → the fragment drawing it (a click reruns only that)
        self._run: dict[tuple, Element] = {}
        self._done: asyncio.Future | None = None
        self._urls: dict[str, asyncio.Future] = {}
        self._ws = None
        self._reader: asyncio.Task | None = None
        self._http = requests.Session()

    # ------------------------------------------------------------------ connection
    async def __aenter__(self) -> Session:
        # As the browser: the health check hands out the XSRF cookie, the websocket carries its token.
        await asyncio.to_thread(self._get_xsrf_cookie)
        ws_url = "ws" + self.base_url[len("http"):] + "/_stcore/stream"
        # As the browser, the websocket carries the cookies: behind a balancer, its affinity cookie.
        cookies = "; ".join(f"{c.name}={c.value}" for c in self._http.cookies)
        self._ws = await connect(ws_url, subprotocols=[Subprotocol("streamlit"), Subprotocol(self._xsrf())],
                                 additional_headers={"Cookie": cookies}, max_size=None,
                                 open_timeout=self.timeout, close_timeout=5)
        self._note_copy(self._ws.response.headers)
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            try:
                await self._reader
            except (asyncio.CancelledError, Exception):
                pass
        self._http.close()

    async def _read(self) -> None:
        try:
            async for raw in self._ws:
                self.bytes_received += len(raw)
                if self.watch is not None:
                    self.watched.update(m.group(0) for m in self.watch.finditer(raw))
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                self._handle(msg)
        except Exception as err:  # the connection broke: whoever waits learns why
            self._fail(ProtocolError(f"websocket closed: {err!r}"))
            raise
        self._fail(ProtocolError("websocket closed by the server"))

    def _fail(self, err: Exception) -> None:
        for fut in [self._done, *self._urls.values()]:
            if fut is not None and not fut.done():
                fut.set_exception(err)

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            ns = msg.new_session
            if ns.HasField("initialize") and ns.initialize.session_id:
                self.session_id = ns.initialize.session_id
            self.page_hash = ns.page_script_hash
            self._note_pages(ns.app_pages)
            self._run = {}
        elif kind == "navigation":  # st.navigation ran: the page this run shows
            self._note_pages(msg.navigation.app_pages)
            if msg.navigation.page_script_hash:
                self.page_hash = msg.navigation.page_script_hash
        elif kind == "delta":
            if msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                self._run[tuple(msg.metadata.delta_path)] = element
                widget = getattr(element, element.WhichOneof("type") or "", None)
                if msg.delta.fragment_id and getattr(widget, "id", ""):
                    self._fragments[widget.id] = msg.delta.fragment_id
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "file_urls_response":
            fut = self._urls.pop(msg.file_urls_response.response_id, None)
            if fut is not None and not fut.done():
                fut.set_result(msg.file_urls_response)
        elif kind == "session_event":
            if msg.session_event.HasField("script_compilation_exception"):
                self.compile_errors.append(msg.session_event.script_compilation_exception.message)
        elif kind == "script_finished":
            self.finished.append(msg.script_finished)
            if msg.script_finished in FINAL:
                self.elements = [self._run[k] for k in sorted(self._run)]
                if self._done is not None and not self._done.done():
                    self._done.set_result(msg.script_finished)

    def _note_pages(self, pages: Iterable) -> None:
        for p in pages:
            self.pages[p.url_pathname] = p.page_script_hash

    # ------------------------------------------------------------------ actions
    async def run(self, page: str | None = None, query_string: str | None = None, fragment_id: str = "") -> float:
        """Ask for a script run (of ``page``, a URL path name, or the current page; of one fragment
        only, as the browser asks when a widget inside it changes) and wait for its end; returns the
        seconds from the request to the final ``script_finished``."""
        state = ClientState(
            query_string=self.query_string if query_string is None else query_string,
            widget_states=WidgetStates(widgets=list(self._widgets.values())),
            fragment_id=fragment_id,
        )
        if page is None:
            state.page_script_hash = self.page_hash
        else:
            state.page_name = page
            state.page_script_hash = self.pages.get(page, "")
        self._done = asyncio.get_running_loop().create_future()
        t0, b0 = time.perf_counter(), self.bytes_received
        await self._ws.send(BackMsg(rerun_script=state).SerializeToString())
        status = await asyncio.wait_for(self._done, self.timeout)
        seconds = time.perf_counter() - t0
        self.run_bytes.append(self.bytes_received - b0)
        if status not in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
            raise ProtocolError(f"the script run ended with status {status}: {self.compile_errors}")
        return seconds

    async def open(self, page: str, query_string: str = "") -> float:
        """What the browser does on opening ``/<page>?<query_string>``."""
        self.query_string = query_string
        return await self.run(page=page, query_string=query_string)

    async def set_widget(self, widget_id: str, **value) -> float:
        """Change one widget's value (a WidgetState field, e.g. ``bool_value=True``) and wait for the rerun
        (of its fragment only, for a widget drawn by one)."""
        self._widgets[widget_id] = WidgetState(id=widget_id, **value)
        return await self.run(fragment_id=self._fragments.get(widget_id, ""))

    async def click(self, widget_id: str) -> float:
        """Press a button and wait for its rerun (a button's trigger is true for that one run)."""
        try:
            return await self.set_widget(widget_id, trigger_value=True)
        finally:
            self._widgets.pop(widget_id, None)

    async def set_select_slider(self, widget_id: str, option: str) -> float:
        """Move a select_slider to ``option`` (its label as shown) and wait for the rerun."""
        return await self.set_widget(widget_id, string_array_value=StringArray(data=[option]))

    async def upload(self, widget_id: str, files: list[tuple[str, bytes, str]]) -> float:
        """Upload ``files`` (name, bytes, MIME type) to a file uploader as the browser does; returns the
        seconds from choosing the files to the end of the rerun that reads them."""
        t0 = time.perf_counter()
        request_id = str(uuid.uuid4())
        fut = asyncio.get_running_loop().create_future()
        self._urls[request_id] = fut
        req = FileURLsRequest(request_id=request_id, file_names=[f[0] for f in files], session_id=self.session_id)
        await self._ws.send(BackMsg(file_urls_request=req).SerializeToString())
        response = await asyncio.wait_for(fut, self.timeout)
        if response.error_msg:
            raise ProtocolError(f"no upload URLs: {response.error_msg}")
        infos = []
        for (name, data, mime), urls in zip(files, response.file_urls):
            await asyncio.to_thread(self._put, urls, name, data, mime)
            infos.append(UploadedFileInfo(file_id=urls.file_id, name=name, size=len(data),
                                          file_urls=FileURLs(file_id=urls.file_id, upload_url=urls.upload_url,
                                                             delete_url=urls.delete_url)))
        self._widgets[widget_id] = WidgetState(
            id=widget_id, file_uploader_state_value=FileUploaderState(uploaded_file_info=infos))
        await self.run()
        return time.perf_counter() - t0

    def _get_xsrf_cookie(self) -> None:
        with self._http.get(self.base_url + "/_stcore/health", timeout=self.timeout) as r:
            r.raise_for_status()
            self._note_copy(r.headers)
        if not self._xsrf():
            raise ProtocolError("the server set no XSRF cookie")

    def _note_copy(self, headers) -> None:
        if copy := headers.get(COPY_HEADER):
            self.copies.add(copy)

    def _xsrf(self) -> str:
        return self._http.cookies.get(XSRF_COOKIE, "")

    def _put(self, urls: FileURLs, name: str, data: bytes, mime: str) -> None:
        url = urls.upload_url if urls.upload_url.startswith("http") else self.base_url + urls.upload_url
        with self._http.put(url, files={"file": (name, data, mime)}, headers={"X-Xsrftoken": self._xsrf()},
                            timeout=self.timeout) as r:
            self._note_copy(r.headers)
            if r.status_code != 204:
                raise ProtocolError(f"upload of {name} refused: HTTP {r.status_code} {r.text[:200]}")

    # ------------------------------------------------------------------ reading the page
    def of_type(self, kind: str) -> list:
        return [getattr(e, kind) for e in self.elements if e.WhichOneof("type") == kind]

    def metric(self, label: str) -> str:
        bodies = [m.body for m in self.of_type("metric") if m.label == label]
        if len(bodies) != 1:
            raise ProtocolError(f"{len(bodies)} metrics labelled {label!r} on the page")
        return bodies[0]

    def widget_id(self, kind: str, key: str) -> str:
        """The id of the ``kind`` widget (slider, file_uploader, …) made with ``key=key``."""
        ids = [w.id for w in self.of_type(kind) if w.id.endswith("-" + key)]
        if len(ids) != 1:
            raise ProtocolError(f"{len(ids)} {kind} widgets with the key {key!r} on the page")
        return ids[0]

    def texts(self) -> list[str]:
        """The visible text of markdown, headings and alerts, in page order."""
        return [getattr(e, k).body for e in self.elements
                if (k := e.WhichOneof("type")) in ("markdown", "heading", "alert")]

    def exceptions(self) -> list[str]:
        return [f"{x.type}: {x.message}" for x in self.of_type("exception")]
