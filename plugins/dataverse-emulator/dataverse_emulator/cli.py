"""``dataverse-emulator``: run the emulator as a loopback HTTP server until Ctrl-C."""

from __future__ import annotations

import argparse
import sys

from .app import Emulator


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv``, start the server, print how to reach it, and serve until Ctrl-C."""
    parser = argparse.ArgumentParser(
        prog="dataverse-emulator",
        description="Serve an in-memory Dataverse Web API and a fake token endpoint on loopback.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    parser.add_argument(
        "--certificate",
        metavar="FILE.pem",
        help="also accept client assertions signed with this certificate's private key",
    )
    args = parser.parse_args(argv)
    emulator = Emulator()
    if args.certificate:
        with open(args.certificate, "rb") as f:
            emulator.register_certificate(f.read())
    server = emulator.serve(host=args.host, port=args.port)
    print(f"Dataverse emulator listening on {server.url}")
    print(f"  service root:  {server.api_url}")
    print(f"  authority:     {server.authority}")
    print(f"  client id:     {emulator.client_id}")
    print(f"  client secret: {emulator.client_secret}  (a fixed, emulator-only value)")
    print("Press Ctrl-C to stop.", file=sys.stderr, flush=True)
    server.wait()
    print("emulator stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
