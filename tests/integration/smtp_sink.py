#!/usr/bin/python3
"""A local SMTP server for tests: stores every message it receives.

usage: /usr/bin/python3 smtp_sink.py PORT DIR

Listens on 127.0.0.1:PORT (aiosmtpd, Debian's python3-aiosmtpd) and writes
each message to DIR/msg-N.eml exactly as received (envelope in DIR/msg-N.env:
MAIL FROM, then one RCPT TO per line). Recipients whose local part starts
with "reject" are refused with 550, so tests can check permanent failures.
Runs until SIGTERM/SIGINT. Writes DIR/ready once it accepts connections.
"""
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.dir = directory
        self.n = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split('@')[0].startswith('reject'):
            return '550 5.1.1 No such user'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.n += 1
            n = self.n
        base = os.path.join(self.dir, 'msg-%d' % n)
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode('utf-8')
        with open(base + '.tmp', 'wb') as fh:
            fh.write(data)
        with open(base + '.env', 'w') as fh:
            fh.write(envelope.mail_from + '\n')
            for r in envelope.rcpt_tos:
                fh.write(r + '\n')
        os.rename(base + '.tmp', base + '.eml')
        return '250 Message accepted for delivery'


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    ctl = Controller(Sink(directory), hostname='127.0.0.1', port=port)
    ctl.start()
    with open(os.path.join(directory, 'ready'), 'w') as fh:
        fh.write(str(os.getpid()))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGINT, lambda *a: stop.set())
    stop.wait()
    ctl.stop()


if __name__ == '__main__':
    main()
