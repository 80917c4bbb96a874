-- Core reference and master data (src/store/refdata.c, import.c, demo.c).
--
-- provinces/districts: data/il_ilce.csv (81 provinces, 973 districts).
-- registry: the local population registry (MERNİS stand-in), imported.
-- institutions, personnel: the staff records (MEBBİS stand-in), imported.
-- authority_units: the yetki birimi that approves an institution's staff,
-- e.g. ZONGULDAK-MEM; created on institution import when missing.
-- Times are BIGINT seconds since the epoch; dates are TEXT 'YYYY-MM-DD'.
CREATE TABLE provinces (
	plate BIGINT PRIMARY KEY,
	name TEXT NOT NULL
);

CREATE TABLE districts (
	plate BIGINT NOT NULL REFERENCES provinces (plate),
	name TEXT NOT NULL,
	PRIMARY KEY (plate, name)
);

CREATE TABLE registry (
	tckn TEXT PRIMARY KEY,
	ad TEXT NOT NULL,
	soyad TEXT NOT NULL,
	dogum_yeri TEXT NOT NULL,
	dogum_tarihi TEXT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE authority_units (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	eposta TEXT NOT NULL DEFAULT ''
);

CREATE TABLE institutions (
	kurum_kodu TEXT PRIMARY KEY,
	kurum_adi TEXT NOT NULL,
	il_kodu BIGINT NOT NULL,
	ilce TEXT NOT NULL,
	adres TEXT NOT NULL,
	posta_kodu TEXT NOT NULL,
	resmi_eposta TEXT NOT NULL,
	yetki_birimi TEXT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE INDEX institutions_yetki_birimi ON institutions (yetki_birimi);

CREATE TABLE personnel (
	tckn TEXT PRIMARY KEY,
	sicil_no TEXT NOT NULL,
	kurum_kodu TEXT NOT NULL REFERENCES institutions (kurum_kodu),
	unvan TEXT NOT NULL,
	birim TEXT NOT NULL DEFAULT '',
	updated_at BIGINT NOT NULL
);

CREATE INDEX personnel_kurum_kodu ON personnel (kurum_kodu);

CREATE TABLE meta (
	key TEXT PRIMARY KEY,
	value TEXT
);
