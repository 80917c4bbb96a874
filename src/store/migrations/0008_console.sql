-- The staff console (src/web/console_*.c, src/web/tracking.c).
--
-- paperwork: the wet-signed form's official letter (DYS number and date)
-- and the registered-post number, recorded by a CA operator.
-- payments: fees taken by an operator (amount equals applications.fee_kurus).
-- shipments: cards handed to a courier; status is 'yolda' (in transit),
-- 'dagitimda' (out for delivery), 'teslim' (delivered) or 'iade' (returned).
-- shipment_events: what the courier reports (API / CSV) and what the
-- operator records; the public /kurye-takip page shows them.
CREATE TABLE paperwork (
	application_id BIGINT PRIMARY KEY REFERENCES applications (id),
	dys_no TEXT NOT NULL,
	dys_date TEXT NOT NULL,
	post_no TEXT NOT NULL,
	recorded_by TEXT NOT NULL,
	recorded_at BIGINT NOT NULL
);

CREATE TABLE payments (
	application_id BIGINT PRIMARY KEY REFERENCES applications (id),
	amount_kurus BIGINT NOT NULL,
	receipt_no TEXT NOT NULL,
	recorded_by TEXT NOT NULL,
	recorded_at BIGINT NOT NULL
);

CREATE TABLE shipments (
	id INTEGER PRIMARY KEY,
	application_id BIGINT NOT NULL REFERENCES applications (id),
	courier TEXT NOT NULL,
	tracking_no TEXT NOT NULL UNIQUE,
	status TEXT NOT NULL CHECK (status IN ('yolda', 'dagitimda', 'teslim', 'iade')),
	shipped_at BIGINT NOT NULL,
	delivered_at BIGINT,
	returned_at BIGINT,
	note TEXT
);
CREATE INDEX shipments_app ON shipments (application_id, id);

CREATE TABLE shipment_events (
	id INTEGER PRIMARY KEY,
	shipment_id BIGINT NOT NULL REFERENCES shipments (id),
	at BIGINT NOT NULL,
	status TEXT NOT NULL,
	location TEXT,
	note TEXT
);
CREATE INDEX shipment_events_ship ON shipment_events (shipment_id, at);

-- TOTP replay guard (the last accepted 30-second step) and the time of the
-- last completed login (the console's absolute session limit).
ALTER TABLE staff_users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE staff_users ADD COLUMN login_at BIGINT NOT NULL DEFAULT 0;
