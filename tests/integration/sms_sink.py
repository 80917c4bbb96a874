#!/usr/bin/python3
"""A local SMS gateway for tests, answering like Kannel's sendsms.

usage: /usr/bin/python3 sms_sink.py PORT DIR [FAIL_FIRST]

Listens on 127.0.0.1:PORT. Each GET is recorded as DIR/req-N.json: the path
and the decoded query parameters ({"path": ..., "query": {"to": ..., ...}},
UTF-8, not ASCII-escaped). The first FAIL_FIRST requests (default 0) get
500 "3: Queue full"; the rest get 202 "0: Accepted for delivery".
Writes DIR/ready once it listens. Runs until SIGTERM/SIGINT.
"""
import json
import os
import signal
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE = {'n': 0, 'fail_first': 0, 'dir': '.'}
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        with LOCK:
            STATE['n'] += 1
            n = STATE['n']
        url = urllib.parse.urlsplit(self.path)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query, encoding='utf-8',
                                                           errors='strict').items()}
        rec = {'path': url.path, 'query': query}
        base = os.path.join(STATE['dir'], 'req-%d' % n)
        with open(base + '.tmp', 'w', encoding='utf-8') as fh:
            json.dump(rec, fh, ensure_ascii=False)
        os.rename(base + '.tmp', base + '.json')
        if n <= STATE['fail_first']:
            status, body = 500, b'3: Queue full\nretry later\n'
        else:
            status, body = 202, b'0: Accepted for delivery\n'
        self.send_response(status)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


def main():
    port, STATE['dir'] = int(sys.argv[1]), sys.argv[2]
    STATE['fail_first'] = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    srv = ThreadingHTTPServer(('127.0.0.1', port), Handler)
    with open(os.path.join(STATE['dir'], 'ready'), 'w') as fh:
        fh.write(str(os.getpid()))
    signal.signal(signal.SIGTERM, lambda *a: threading.Thread(target=srv.shutdown).start())
    signal.signal(signal.SIGINT, lambda *a: threading.Thread(target=srv.shutdown).start())
    srv.serve_forever()
    srv.server_close()


if __name__ == '__main__':
    main()
