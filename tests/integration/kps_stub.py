#!/usr/bin/python3
"""A local stand-in for NVİ's KPSPublic TCKimlikNoDogrula service (SOAP 1.1).

Usage: /usr/bin/python3 kps_stub.py PORT     (0 picks a free port)
Listens on 127.0.0.1 only and prints "PORT <n>" on its first line of output.

It checks what the real service needs: POST, Content-Type text/xml, the
SOAPAction header, the SOAP 1.1 envelope and the http://tckimlik.nvi.gov.tr/WS
namespace, and the four fields. A request that breaks any of these gets HTTP
400 (so a client that sends the wrong envelope never sees "true"). It answers
true only for the exact (TCKimlikNo, Ad, Soyad, DogumYili) rows in PEOPLE, so
names must arrive in Turkish upper case; false otherwise. Special numbers:
FAULT_TCKN -> SOAP fault (HTTP 500), SLOW_TCKN -> answers after SLOW_SECONDS,
BIG_TCKN -> a 100 KiB answer, DOCTYPE_TCKN -> an answer with a DOCTYPE.
"""
import os
import sys
import threading
import time
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
WS = "http://tckimlik.nvi.gov.tr/WS"
PATH = "/Service/KPSPublic.asmx"
ACTION = '"http://tckimlik.nvi.gov.tr/WS/TCKimlikNoDogrula"'

PEOPLE = {
    ("10000000146", "İSMAİL", "IŞIK", "1980"),
    ("12345678950", "AHMET ALİ", "ÇELİK", "1975"),
    ("23456789138", "ŞÜKRÜ", "ÖĞÜT", "1990"),
}
FAULT_TCKN = "34567891238"
SLOW_TCKN = "45678912316"
BIG_TCKN = "56789123416"
DOCTYPE_TCKN = "67891234594"
SLOW_SECONDS = 4

HEAD = ('<?xml version="1.0" encoding="utf-8"?>'
        '<soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>')
TAIL = '</soap:Body></soap:Envelope>'


def answer(value):
    return (HEAD + '<TCKimlikNoDogrulaResponse xmlns="http://tckimlik.nvi.gov.tr/WS">'
            '<TCKimlikNoDogrulaResult>%s</TCKimlikNoDogrulaResult>'
            '</TCKimlikNoDogrulaResponse>' % value + TAIL)


def fault():
    return (HEAD + '<soap:Fault><faultcode>soap:Server</faultcode>'
            '<faultstring>Server was unable to process request.</faultstring>'
            '<detail /></soap:Fault>' + TAIL)


def parse(body):
    """The four fields of a well-formed request, or None."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    if root.tag != "{%s}Envelope" % SOAP:
        return None
    op = root.find("{%s}Body/{%s}TCKimlikNoDogrula" % (SOAP, WS))
    if op is None:
        return None
    fields = []
    for name in ("TCKimlikNo", "Ad", "Soyad", "DogumYili"):
        el = op.find("{%s}%s" % (WS, name))
        if el is None or el.text is None:
            return None
        fields.append(el.text)
    return tuple(fields)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def reply(self, status, text, ctype="text/xml; charset=utf-8"):
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(min(length, 1 << 20))
        if self.path != PATH:
            return self.reply(404, "not found", "text/plain")
        if self.headers.get("SOAPAction") != ACTION:
            return self.reply(400, "bad SOAPAction", "text/plain")
        if not self.headers.get("Content-Type", "").startswith("text/xml"):
            return self.reply(400, "bad Content-Type", "text/plain")
        fields = parse(body)
        if fields is None:
            return self.reply(400, "bad envelope", "text/plain")
        sys.stderr.write("kps_stub: %r\n" % (fields,))
        tckn = fields[0]
        if tckn == FAULT_TCKN:
            return self.reply(500, fault())
        if tckn == SLOW_TCKN:
            time.sleep(SLOW_SECONDS)
        if tckn == BIG_TCKN:
            return self.reply(200, answer("true") + " " * (100 * 1024))
        if tckn == DOCTYPE_TCKN:
            doc = answer("true").replace("<soap:Envelope",
                                         '<!DOCTYPE x [<!ENTITY e "true">]><soap:Envelope', 1)
            return self.reply(200, doc)
        return self.reply(200, answer("true" if fields in PEOPLE else "false"))

    def log_message(self, fmt, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up (the timeout test) is not an error


def exit_with_parent():
    """Stops the stub if the test that started it dies without killing it."""
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def main():
    threading.Thread(target=exit_with_parent, daemon=True).start()
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = Server(("127.0.0.1", port), Handler)
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
