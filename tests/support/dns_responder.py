#!/usr/bin/python3
"""A tiny DNS server for tests: answers A queries from a JSON file, re-read at every query.

    dns_responder.py --hosts FILE [--port 0]

FILE is {"name.test": ["127.0.0.2", "127.0.0.3"], ...} (names without the trailing dot, any
case). An A query for a listed name answers its addresses (TTL 0), in the file's order; any other
query of a listed name answers no records (NOERROR), and an unlisted name NXDOMAIN. UDP on
127.0.0.1 only. When listening it prints "dns_responder ready on port <port>"; SIGTERM stops it.
Lets a test change what a name resolves to while a client (gRPC's c-ares resolver, given
dns://127.0.0.1:<port>/name:port) keeps running.
"""

import argparse
import json
import socket
import struct
import sys

TYPE_A = 1
CLASS_IN = 1


def read_name(packet, offset):
    labels = []
    while True:
        length = packet[offset]
        offset += 1
        if length == 0:
            return ".".join(labels), offset
        if length & 0xC0:
            raise ValueError("compressed name in a question")
        labels.append(packet[offset:offset + length].decode("ascii", "replace"))
        offset += length


def answer(packet, hosts):
    ident, flags, qdcount = struct.unpack("!HHH", packet[:6])
    if qdcount != 1:
        return None
    name, offset = read_name(packet, 12)
    qtype, qclass = struct.unpack("!HH", packet[offset:offset + 4])
    question = packet[12:offset + 4]
    addresses = hosts.get(name.lower().rstrip("."))
    rcode = 3 if addresses is None else 0
    records = b""
    count = 0
    if addresses and qtype == TYPE_A and qclass == CLASS_IN:
        for address in addresses:
            # A pointer to the question's name (offset 12), type A, class IN, TTL 0.
            records += struct.pack("!HHHIH", 0xC00C, TYPE_A, CLASS_IN, 0, 4)
            records += socket.inet_aton(address)
            count += 1
    reply_flags = 0x8000 | (flags & 0x0100) | 0x0400 | rcode
    header = struct.pack("!HHHHHH", ident, reply_flags, 1, count, 0, 0)
    return header + question + records


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", args.port))
    print(f"dns_responder ready on port {sock.getsockname()[1]}", flush=True)
    while True:
        packet, peer = sock.recvfrom(512)
        try:
            with open(args.hosts) as file:
                hosts = {k.lower().rstrip("."): v for k, v in json.load(file).items()}
            reply = answer(packet, hosts)
        except (ValueError, OSError, struct.error, json.JSONDecodeError) as error:
            print(f"dns_responder: {error}", file=sys.stderr, flush=True)
            continue
        if reply is not None:
            sock.sendto(reply, peer)


if __name__ == "__main__":
    main()
