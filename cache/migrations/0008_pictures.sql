-- Version 8: the pictures of articles, stored at sync for offline reading
-- (fetch.Picture: checked, scaled to at most 1200 px wide, re-encoded).
-- url is the image URL the article names (its hero's or an inline
-- figure's). They go with their entry (ON DELETE CASCADE), so retention
-- removes them too.
CREATE TABLE pictures (
    id       INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    url      TEXT    NOT NULL,
    type     TEXT    NOT NULL,
    width    INTEGER NOT NULL,
    height   INTEGER NOT NULL,
    data     BLOB    NOT NULL,
    preview  BLOB    NOT NULL DEFAULT x''  -- fetch.Picture.Preview, for half-blocks
);
CREATE UNIQUE INDEX pictures_by_entry ON pictures(entry_id, url);
