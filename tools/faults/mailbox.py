"""A mail server of the drill's own: it speaks enough SMTP for Django's backend, keeps each
message it accepts, and greets and accepts slowly, so that a worker can be killed holding a
claim (before the email starts) or in the middle of sending it."""

from __future__ import annotations

import socketserver
import threading
import time
from email import message_from_bytes
from email.message import Message

from tools.serving import free_port


class Mailbox(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *, reply_delay: float = 0.2) -> None:
        self.port = free_port()
        self.reply_delay = reply_delay
        self.messages: list[Message] = []
        self.arrived: list[float] = []  # time.time() of each message's arrival
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", self.port), _Session)

    def start(self) -> None:
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def keep(self, data: bytes) -> None:
        with self.lock:
            self.messages.append(message_from_bytes(data))
            self.arrived.append(time.time())

    def headers(self, name: str) -> list[tuple[str, float]]:
        """The header's value in each message that has it, with when the message arrived."""
        with self.lock:
            pairs = zip(self.messages, self.arrived, strict=True)
            return [(str(message[name]), at) for message, at in pairs if message[name]]


class _Session(socketserver.StreamRequestHandler):
    server: Mailbox

    def say(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        time.sleep(self.server.reply_delay)  # a slow greeting: the worker waits, claim held
        self.say("220 drill mailbox")
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().split(" ")[0].upper()
            if verb == "EHLO":
                self.say("250-drill mailbox")
                self.say("250 8BITMIME")
            elif verb == "DATA":
                self.say("354 end with <CRLF>.<CRLF>")
                self._data()
            elif verb == "QUIT":
                self.say("221 bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self.say("250 ok")

    def _data(self) -> None:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        # Kept as soon as it has arrived, as a real server queues it before answering.
        self.server.keep(b"".join(lines))
        time.sleep(self.server.reply_delay)
        self.say("250 queued")
