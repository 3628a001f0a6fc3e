-- Version 10: sync with a feed server (fetch/remote). The server is the
-- source of truth for subscriptions and read/starred state; the cache keeps
-- the entries, their full articles and a durable queue of local changes.
--
-- server_account: the one server this cache syncs with (at most one row).
CREATE TABLE server_account (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    kind       TEXT    NOT NULL,
    url        TEXT    NOT NULL,
    user       TEXT    NOT NULL,
    cursor     TEXT    NOT NULL DEFAULT '',
    last_sync  INTEGER,           -- the last sync that reached the server
    last_error TEXT    NOT NULL DEFAULT ''
);
-- server_feeds: the subscriptions, in the server's order.
CREATE TABLE server_feeds (
    url       TEXT    PRIMARY KEY,
    server_id TEXT    NOT NULL,
    title     TEXT    NOT NULL DEFAULT '',
    category  TEXT    NOT NULL DEFAULT '',
    pos       INTEGER NOT NULL
);
-- server_items: the server's items and the state kiosk last knew the server
-- to have (the base a local or a server change is told from). An item
-- whose entry keep_days removed keeps its row with entry_id NULL, so that
-- a sync does not download it again.
CREATE TABLE server_items (
    server_id TEXT    PRIMARY KEY,
    entry_id  INTEGER REFERENCES entries(id) ON DELETE SET NULL,
    read      INTEGER NOT NULL,
    starred   INTEGER NOT NULL
);
CREATE INDEX server_items_by_entry ON server_items(entry_id);
-- server_outbox: local changes the server has not taken yet, one per entry
-- and field (a later change replaces an earlier one), written by triggers
-- in the same transaction as the change (see cache/server.go).
CREATE TABLE server_outbox (
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    field    TEXT    NOT NULL CHECK (field IN ('read', 'starred')),
    value    INTEGER NOT NULL,
    at       INTEGER NOT NULL,   -- Unix nanoseconds of the change
    PRIMARY KEY (entry_id, field)
) WITHOUT ROWID;
