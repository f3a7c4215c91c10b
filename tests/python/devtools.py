"""A minimal Chrome DevTools Protocol client over `--remote-debugging-pipe`
(file descriptors 3 and 4 of the browser, NUL-terminated JSON messages), so
that the browser test needs Debian's chromium and the standard library only."""

import fcntl
import json
import os
import select
import shutil
import tempfile
import time

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")


def find_chromium():
    for candidate in CHROMIUM_CANDIDATES:
        path = shutil.which(candidate)
        if path:
            return path
    return None


class BrowserError(Exception):
    pass


class Browser:
    """A headless Chromium with a fresh profile, driven through the pipe.
    `events` collects every event received, as (session, method, params)."""

    def __init__(self, executable, log_path, width=1280, height=1600, timeout=60.0):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="wfsim-chromium-")
        self.events = []
        self._buffer = b""
        self._next_id = 0
        to_browser_read, to_browser_write = os.pipe()
        from_browser_read, from_browser_write = os.pipe()
        # Above 10 so that the dup2 onto 3 and 4 cannot overwrite each other.
        child_read = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD_CLOEXEC, 10)
        child_write = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD_CLOEXEC, 10)
        for fd in (to_browser_read, from_browser_write):
            os.close(fd)
        self._write_fd, self._read_fd = to_browser_write, from_browser_read
        log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        arguments = [
            executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
            f"--window-size={width},{height}", f"--user-data-dir={self.profile}",
            "--remote-debugging-pipe", "about:blank",
        ]
        # The log first: its descriptor may be 3 or 4 itself.
        actions = [(os.POSIX_SPAWN_DUP2, log, 1), (os.POSIX_SPAWN_DUP2, log, 2),
                   (os.POSIX_SPAWN_DUP2, child_read, 3), (os.POSIX_SPAWN_DUP2, child_write, 4)]
        try:
            self.pid = os.posix_spawn(executable, arguments, os.environ, file_actions=actions)
        finally:
            for fd in (child_read, child_write, log):
                os.close(fd)

    # ---- protocol -----------------------------------------------------------

    def _receive(self, deadline):
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BrowserError(f"no answer from the browser within {self.timeout} s")
            ready, _, _ = select.select([self._read_fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._read_fd, 1 << 20)
            if not chunk:
                raise BrowserError("the browser closed its DevTools pipe (did it crash?)")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        try:
            return json.loads(message)
        except ValueError:
            raise BrowserError(f"not a DevTools message: {message[:300]!r}") from None

    def send(self, method, params=None, session=None):
        """Sends a command and returns its result; events that arrive
        meanwhile go to `events`."""
        self._next_id += 1
        identifier = self._next_id
        message = {"id": identifier, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._write_fd, data):]
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == identifier:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append((reply.get("sessionId"), reply["method"], reply.get("params", {})))

    def wait_for(self, method, session=None):
        """Waits for an event (or finds it among those already received)."""
        deadline = time.monotonic() + self.timeout
        seen = 0
        while True:
            for event in self.events[seen:]:
                if event[1] == method and (session is None or event[0] == session):
                    return event[2]
            seen = len(self.events)
            reply = self._receive(deadline)
            if "method" in reply:
                self.events.append((reply.get("sessionId"), reply["method"], reply.get("params", {})))

    def open_page(self):
        """A new tab with Page, Runtime, Log and Network events on; returns
        its session id."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=session)
        return session

    # ---- teardown -----------------------------------------------------------

    def close(self):
        try:
            self.send("Browser.close")
        except (BrowserError, OSError):
            pass
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.1)
        else:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        for fd in (self._read_fd, self._write_fd):
            os.close(fd)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
