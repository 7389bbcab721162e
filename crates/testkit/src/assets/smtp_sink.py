#!/usr/bin/env python3
"""An SMTP server for tests (aiosmtpd): accepts every mail and writes it to
DIR as <n>.eml, with the envelope recipients in an X-Envelope-To header, and
whether the session was encrypted (X-Sink-TLS) and who logged in (X-Sink-Login).

usage: smtp_sink.py PORT DIR [DELAY_SECONDS] [--tls starttls|implicit --cert PEM --key PEM]
                    [--login USER:PASSWORD]
DELAY_SECONDS holds every mail that long before accepting it (a slow server).
--tls starttls refuses mail before STARTTLS; --tls implicit speaks TLS from the start.
--login refuses mail from a client that has not logged in with these credentials.
"""
import argparse
import asyncio
import os
import ssl
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, folder, delay):
        self.folder = folder
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        encrypted = server.transport.get_extra_info("ssl_object") is not None
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else ""
        name = os.path.join(self.folder, f"{time.time_ns()}.eml")
        with open(name + ".part", "wb") as out:
            out.write(f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n".encode())
            out.write(f"X-Sink-TLS: {'yes' if encrypted else 'no'}\r\n".encode())
            out.write(f"X-Sink-Login: {login}\r\n".encode())
            out.write(envelope.original_content)
        os.rename(name + ".part", name)
        return "250 Message accepted"


def authenticator_for(expected):
    user, password = expected.split(":", 1)

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        )
        # handled=False: aiosmtpd answers a refusal with 535 itself.
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    return authenticate


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("folder")
    parser.add_argument("delay", type=float, nargs="?", default=0.0)
    parser.add_argument("--tls", choices=["starttls", "implicit"])
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--login")
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)

    options = {}
    if args.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        if args.tls == "starttls":
            options.update(tls_context=context, require_starttls=True)
        else:
            options.update(ssl_context=context)
    if args.login:
        options.update(authenticator=authenticator_for(args.login), auth_required=True)
    controller = Controller(Sink(args.folder, args.delay), hostname="127.0.0.1", port=args.port, **options)
    controller.start()
    print(f"listening {args.port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
