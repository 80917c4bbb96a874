-- Facts about this database itself (issue 12). `dev` = '1' marks a
-- database made by `eimza init --demo`: only such a one may be served with
-- `serve --dev` (dev routes, messages kept in the dev sink).
CREATE TABLE instance_meta (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- Secret parts of queued messages (SMS codes): the text that outbox.body
-- holds in clear only until the message is sent, failed or expired; then
-- the worker replaces it in body with a mask and clears this column.
ALTER TABLE outbox ADD COLUMN secret TEXT;
