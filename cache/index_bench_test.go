package cache_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/kiosk-reader/kiosk/cache/cachetest"
)

// indexStrategies are the ways of keeping a full-text index current that
// BenchmarkIndexStrategy compares on raw tables (docs holds the text, as
// entries and articles do in the cache). The cache uses
// "explicit-contentless": the text is stored once, in its own table, and
// the same transaction inserts it into a contentless FTS5 table.
var indexStrategies = []struct{ name, schema, insertFTS string }{
	{"no-index", ``, ``},
	{"explicit-contentless", `CREATE VIRTUAL TABLE fts USING fts5(title, lead, body, content='', contentless_delete=1,
			tokenize='unicode61 remove_diacritics 2');`,
		`INSERT INTO fts(rowid, title, lead, body) VALUES (?, ?, ?, ?)`},
	{"trigram", `CREATE VIRTUAL TABLE fts USING fts5(title, lead, body, content='', contentless_delete=1,
			tokenize='trigram remove_diacritics 1');`,
		`INSERT INTO fts(rowid, title, lead, body) VALUES (?, ?, ?, ?)`},
	{"explicit-regular", `CREATE VIRTUAL TABLE fts USING fts5(title, lead, body, tokenize='unicode61 remove_diacritics 2');`,
		`INSERT INTO fts(rowid, title, lead, body) VALUES (?, ?, ?, ?)`},
	{"trigger-external-content", `CREATE VIRTUAL TABLE fts USING fts5(title, lead, body, content='docs', content_rowid='id',
			tokenize='unicode61 remove_diacritics 2');
		CREATE TRIGGER docs_ai AFTER INSERT ON docs BEGIN
			INSERT INTO fts(rowid, title, lead, body) VALUES (new.id, new.title, new.lead, new.body);
		END;`, ``},
	{"trigger-regular", `CREATE VIRTUAL TABLE fts USING fts5(title, lead, body, tokenize='unicode61 remove_diacritics 2');
		CREATE TRIGGER docs_ai AFTER INSERT ON docs BEGIN
			INSERT INTO fts(rowid, title, lead, body) VALUES (new.id, new.title, new.lead, new.body);
		END;`, ``},
}

// BenchmarkIndexStrategy inserts 1,000 generated articles (5 KB bodies)
// per iteration, in one transaction, into a table that already holds
// 5,000, with each way of indexing them.
func BenchmarkIndexStrategy(b *testing.B) {
	const batch = 1000
	docs := make([][3]string, 0, 12*batch)
	for i := range cap(docs) {
		e, a := cachetest.Entry(i)
		docs = append(docs, [3]string{e.Title, a.Lead, a.Body})
	}
	for _, st := range indexStrategies {
		b.Run(st.name, func(b *testing.B) {
			ctx := context.Background()
			path := filepath.Join(b.TempDir(), "index.db")
			db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			if _, err := db.ExecContext(ctx, `CREATE TABLE docs(id INTEGER PRIMARY KEY, title TEXT, lead TEXT, body TEXT);`+st.schema); err != nil {
				b.Fatal(err)
			}
			next := 0
			insert := func() {
				tx, err := db.BeginTx(ctx, nil)
				if err != nil {
					b.Fatal(err)
				}
				for range batch {
					d := docs[next%len(docs)]
					next++
					if _, err := tx.ExecContext(ctx, `INSERT INTO docs(id, title, lead, body) VALUES (?, ?, ?, ?)`, next, d[0], d[1], d[2]); err != nil {
						b.Fatal(err)
					}
					if st.insertFTS != "" {
						if _, err := tx.ExecContext(ctx, st.insertFTS, next, d[0], d[1], d[2]); err != nil {
							b.Fatal(err)
						}
					}
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
			}
			for range 5 {
				insert()
			}
			b.ResetTimer()
			for b.Loop() {
				insert()
			}
			b.StopTimer()
			if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
				b.Fatal(err)
			}
			if fi, err := os.Stat(path); err == nil {
				b.ReportMetric(float64(fi.Size())/float64(next), "file-bytes/doc")
			}
		})
	}
}

// BenchmarkIndexReplace measures the sync pattern on a contentless index:
// a batch of 1,000 new entries indexed with title and teaser (SaveFeed),
// then each replaced by its full article (SaveArticles). "tombstone"
// removes the old row by rowid (contentless_delete=1); "delete-command",
// what the cache does, removes it with FTS5's 'delete' and the old text.
func BenchmarkIndexReplace(b *testing.B) {
	docs := make([][3]string, 0, 12000)
	for i := range cap(docs) {
		e, a := cachetest.Entry(i)
		docs = append(docs, [3]string{e.Title, a.Lead, a.Body})
	}
	for _, mode := range []string{"tombstone", "delete-command"} {
		b.Run(mode, func(b *testing.B) {
			ctx := context.Background()
			db, err := sql.Open("sqlite", "file:"+filepath.Join(b.TempDir(), "index.db")+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			opt := ""
			if mode == "tombstone" {
				opt = ", contentless_delete=1"
			}
			if _, err := db.ExecContext(ctx, `CREATE VIRTUAL TABLE fts USING fts5(title, lead, body, content=''`+opt+`,
				tokenize='unicode61 remove_diacritics 2')`); err != nil {
				b.Fatal(err)
			}
			next := 0
			exec := func(tx *sql.Tx, q string, args ...any) {
				if _, err := tx.ExecContext(ctx, q, args...); err != nil {
					b.Fatal(err)
				}
			}
			round := func() {
				tx, err := db.BeginTx(ctx, nil)
				if err != nil {
					b.Fatal(err)
				}
				for i := range 1000 {
					d := docs[(next+i)%len(docs)]
					exec(tx, `INSERT INTO fts(rowid, title, lead, body) VALUES (?, ?, ?, '')`, next+i+1, d[0], "Anreißer "+d[0])
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
				if tx, err = db.BeginTx(ctx, nil); err != nil {
					b.Fatal(err)
				}
				for i := range 1000 {
					d := docs[(next+i)%len(docs)]
					if mode == "tombstone" {
						exec(tx, `DELETE FROM fts WHERE rowid = ?`, next+i+1)
					} else {
						exec(tx, `INSERT INTO fts(fts, rowid, title, lead, body) VALUES ('delete', ?, ?, ?, '')`, next+i+1, d[0], "Anreißer "+d[0])
					}
					exec(tx, `INSERT INTO fts(rowid, title, lead, body) VALUES (?, ?, ?, ?)`, next+i+1, d[0], d[1], d[2])
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
				next += 1000
			}
			for range 5 {
				round()
			}
			b.ResetTimer()
			for b.Loop() {
				round()
			}
		})
	}
}
