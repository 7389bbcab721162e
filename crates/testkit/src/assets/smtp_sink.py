#!/usr/bin/env python3
"""An SMTP server for tests (aiosmtpd): accepts every mail and writes it to
DIR as <n>.eml, with the envelope recipients in an X-Envelope-To header.

usage: smtp_sink.py PORT DIR [DELAY_SECONDS]
DELAY_SECONDS holds every mail that long before accepting it (a slow server).
"""
import asyncio
import os
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder, delay):
        self.folder = folder
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        name = os.path.join(self.folder, f"{time.time_ns()}.eml")
        with open(name + ".part", "wb") as out:
            out.write(f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n".encode())
            out.write(envelope.original_content)
        os.rename(name + ".part", name)
        return "250 Message accepted"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    os.makedirs(folder, exist_ok=True)
    controller = Controller(Sink(folder, delay), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"listening {port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
