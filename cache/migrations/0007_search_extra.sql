-- Version 7: articles.extra holds the searchable text of an article that is
-- neither lead nor body: the kicker, the hero figure's caption and credit,
-- the authors (see articleExtra in cache/search.go). The index takes it
-- after the lead, so a word only in a caption ("Fernsehübertragung") is
-- found. The Go step (cache/migrate_search.go) fills it for the articles
-- already stored and reindexes those that have any.
ALTER TABLE articles ADD COLUMN extra TEXT NOT NULL DEFAULT '';
