-- Version 1: feeds, entries, their feed memberships and the full articles.
-- Times are Unix nanoseconds (INTEGER); NULL means unknown or never.

CREATE TABLE feeds (
    id            INTEGER PRIMARY KEY,
    url           TEXT    NOT NULL UNIQUE,
    title         TEXT    NOT NULL DEFAULT '',
    site_url      TEXT    NOT NULL DEFAULT '',
    etag          TEXT    NOT NULL DEFAULT '',
    last_modified TEXT    NOT NULL DEFAULT '',
    last_fetch    INTEGER,
    last_error    TEXT    NOT NULL DEFAULT ''
);

-- entries holds one row per stable ID (fetch.StableID), whatever the number
-- of feeds listing it. id is the rowid, also used as the rowid of the search
-- index. sort_time is coalesce(published, first_seen), the list order.
-- The article_* columns describe the full article so that lists never touch
-- the (large) articles table: has_article = a body is cached, stale = the
-- entry changed in its feed since, attempts/article_error = failed fetches.
CREATE TABLE entries (
    id            INTEGER PRIMARY KEY,
    uid           TEXT    NOT NULL UNIQUE,
    feed_id       INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
    guid          TEXT    NOT NULL DEFAULT '',
    url           TEXT    NOT NULL DEFAULT '',
    title         TEXT    NOT NULL DEFAULT '',
    summary       TEXT    NOT NULL DEFAULT '',
    author        TEXT    NOT NULL DEFAULT '',
    published     INTEGER,
    updated       INTEGER,
    image         TEXT    NOT NULL DEFAULT '',
    paywalled     INTEGER NOT NULL DEFAULT 0,
    first_seen    INTEGER NOT NULL,
    last_seen     INTEGER NOT NULL,
    sort_time     INTEGER NOT NULL,
    read_at       INTEGER,
    starred_at    INTEGER,
    has_article   INTEGER NOT NULL DEFAULT 0,
    stale         INTEGER NOT NULL DEFAULT 0,
    attempts      INTEGER NOT NULL DEFAULT 0,
    article_error TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX entries_by_time ON entries(sort_time DESC, uid DESC);
CREATE INDEX entries_unread  ON entries(sort_time DESC, uid DESC) WHERE read_at IS NULL;
CREATE INDEX entries_starred ON entries(sort_time DESC, uid DESC) WHERE starred_at IS NOT NULL;
CREATE INDEX entries_pending ON entries(sort_time DESC, uid DESC) WHERE has_article = 0 OR stale = 1;
CREATE INDEX entries_by_feed ON entries(feed_id);

-- entry_feeds says which feeds list an entry. sort_time and uid repeat the
-- entry's so that one feed's newest page is an index range scan.
CREATE TABLE entry_feeds (
    entry_id  INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    feed_id   INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    sort_time INTEGER NOT NULL,
    uid       TEXT    NOT NULL,
    PRIMARY KEY (entry_id, feed_id)
) WITHOUT ROWID;
CREATE INDEX entry_feeds_by_time ON entry_feeds(feed_id, sort_time DESC, uid DESC);

-- articles holds the full article: meta is the JSON of fetch.Article without
-- its Body, body the Markdown. Small columns first, so that reading them
-- never reads the body's overflow pages.
CREATE TABLE articles (
    entry_id   INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
    fetched_at INTEGER NOT NULL,
    lead       TEXT    NOT NULL DEFAULT '',
    meta       TEXT    NOT NULL,
    body       TEXT    NOT NULL
);
