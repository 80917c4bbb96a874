-- Certificate applications (başvurular) and their history.
CREATE TABLE applications (
	id INTEGER PRIMARY KEY,
	number TEXT NOT NULL UNIQUE,
	tckn TEXT NOT NULL,
	ad TEXT NOT NULL,
	soyad TEXT NOT NULL,
	-- "AD SOYAD" under Turkish case rules (trcase_name_key), for search.
	name_key TEXT NOT NULL DEFAULT '',
	dogum_yeri TEXT NOT NULL,
	dogum_tarihi TEXT NOT NULL,
	sicil_no TEXT NOT NULL,
	kurum_kodu TEXT NOT NULL,
	kurum_adi TEXT NOT NULL,
	yetki_birimi TEXT NOT NULL,
	reason TEXT NOT NULL,
	card_reader TEXT,
	years BIGINT NOT NULL,
	security_word_hash TEXT NOT NULL,
	birim TEXT NOT NULL,
	unvan TEXT NOT NULL,
	adres TEXT NOT NULL,
	posta_kodu TEXT NOT NULL,
	il BIGINT NOT NULL,
	ilce TEXT NOT NULL,
	eposta TEXT NOT NULL,
	is_tel TEXT NOT NULL,
	dahili TEXT,
	cep_tel TEXT NOT NULL,
	ev_tel TEXT,
	operator TEXT NOT NULL,
	bilgi_kanali TEXT NOT NULL,
	signing_method TEXT,
	state TEXT NOT NULL,
	flags BIGINT NOT NULL DEFAULT 0,
	fee_kurus BIGINT NOT NULL DEFAULT 0,
	reject_reason TEXT,
	replaces_serial TEXT,
	otp_hash BLOB,
	otp_expires_at BIGINT NOT NULL DEFAULT 0,
	otp_attempts BIGINT NOT NULL DEFAULT 0,
	otp_last_sent_at BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX applications_tckn ON applications (tckn);
CREATE INDEX applications_scope ON applications (yetki_birimi, state);

-- Every SMS code sent, for the per-hour limit.
CREATE TABLE otp_sends (
	application_id BIGINT NOT NULL REFERENCES applications (id),
	sent_at BIGINT NOT NULL
);
CREATE INDEX otp_sends_app ON otp_sends (application_id, sent_at);

-- What the applicant sees as the history of an application.
CREATE TABLE application_events (
	id INTEGER PRIMARY KEY,
	application_id BIGINT NOT NULL REFERENCES applications (id),
	at BIGINT NOT NULL,
	actor TEXT NOT NULL,
	from_state TEXT,
	to_state TEXT NOT NULL,
	note TEXT
);
CREATE INDEX application_events_app ON application_events (application_id, id);

-- Append-only audit trail. Each record carries the hash of the previous
-- one, so an edited, removed or inserted row breaks the chain.
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at BIGINT NOT NULL,
	actor TEXT NOT NULL,
	client_ip TEXT,
	object TEXT NOT NULL,
	action TEXT NOT NULL,
	before_state TEXT,
	after_state TEXT,
	detail TEXT,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
