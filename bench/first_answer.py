#!/usr/bin/env python3
"""Milliseconds from exec of a DNS server to the first answer it serves.

    first_answer.py ADDR PORT NAME -- COMMAND...

Takes the time, starts COMMAND, and asks ADDR:PORT for NAME/A over UDP every 2 ms (each try with
a new id) until an answer with at least one record comes back; prints the milliseconds and stops
COMMAND (SIGTERM). Gives up after 20 s.
"""
import os
import random
import select
import signal
import socket
import struct
import subprocess
import sys
import time


def query(name, qid):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\x00" + struct.pack(">HH", 1, 1)


def main():
    sep = sys.argv.index("--")
    addr, port, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    cmd = sys.argv[sep + 1:]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    started = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.monotonic() - started < 20:
            qid = random.randrange(65536)
            s.sendto(query(name, qid), (addr, port))
            deadline = time.monotonic() + 0.002
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([s], [], [], left)[0]:
                    break
                try:
                    reply = s.recv(4096)
                except ConnectionRefusedError:  # ICMP from the port nobody listens on yet
                    break
                rid, _, _, ancount = struct.unpack(">HHHH", reply[:8])
                if rid == qid and ancount > 0:
                    print("%.1f" % ((time.monotonic() - started) * 1000))
                    return 0
        print("no answer within 20 s", file=sys.stderr)
        return 1
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()


if __name__ == "__main__":
    sys.exit(main())
