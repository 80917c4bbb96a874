"""Issue 13: the C-level PostgreSQL tests of src/store (tests/unit/store/
test_pg.c: BYTEA, constraint and deadlock classification, statement
timeout, advisory locks, prepared statements, reconnection) against the
suite's PostgreSQL server. They need a server, so they run here, in the
integration suite's PostgreSQL pass, from the build directory next to
EIMZA_BIN (build/tests/unit/store/test_store_pg)."""
import os
import subprocess

import pytest

from conftest import BIN, ON_PG, PG_URL

UNIT = os.path.join(os.path.dirname(BIN), 'tests', 'unit', 'store', 'test_store_pg')


@pytest.mark.skipif(not ON_PG, reason='needs the PostgreSQL pass (EIMZA_TEST_DB=pg)')
def test_store_on_postgresql():
    if not os.path.exists(UNIT):
        pytest.skip('%s not built beside EIMZA_BIN' % UNIT)
    env = dict(os.environ, EIMZA_TEST_PG_URL=PG_URL)
    p = subprocess.run([UNIT], capture_output=True, text=True, timeout=120, env=env)
    assert p.returncode == 0, p.stdout + p.stderr
    assert '[  PASSED  ] 6 test(s).' in p.stdout + p.stderr, p.stdout + p.stderr
