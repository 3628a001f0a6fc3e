package cache

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"modernc.org/sqlite"

	"github.com/kiosk-reader/kiosk/fetch"
)

// Search index and tokenizer
//
// The index is an FTS5 table with the unicode61 tokenizer (remove_diacritics
// 2): it splits on everything but letters and digits and folds case for all
// of Unicode, so "Über" finds "über". Before text reaches it (and before a
// query does) foldGerman spells the German letters out the way German does
// without them: ä→ae, ö→oe, ü→ue, ß→ss (capitals too). So "Straße" finds
// "Strasse" and "strasse", "Müller" finds "Mueller", and the other way
// round; other accents are dropped by the tokenizer ("Café" finds "cafe").
//
// Matching is by whole word: "übertragung" does not find
// "Fernsehübertragung", because German compounds are one token and
// unicode61 does not split them. A trailing * after at least minPrefix
// letters asks for a prefix: "Fernseh*" finds "Fernsehübertragung",
// "übertrag*" finds "Übertragung" and "Übertragungen". The trigram
// tokenizer would find words inside compounds, but its index is several
// times larger and slower to write (BenchmarkIndexStrategy/trigram), and
// it cannot rank by words.
//
// The table is contentless (see migrations/0002_search.sql): it holds no
// copy of the text, so snippets are cut in Go from the stored article.

// foldGerman spells out umlauts and ß as ae, oe, ue, ss. It works on the
// UTF-8 bytes (ä is C3 A4, ẞ is E1 BA 9E) and copies the text between the
// letters it replaces, as it runs over every article body at every sync.
func foldGerman(s string) string {
	var b strings.Builder
	last := 0 // s[last:i] is not copied yet
	for i := 0; i < len(s); i++ {
		var rep string
		n := 2
		switch {
		case s[i] == 0xc3 && i+1 < len(s):
			rep = germanFold(s[i+1])
		case s[i] == 0xe1 && strings.HasPrefix(s[i:], "ẞ"):
			rep, n = "SS", 3
		}
		if rep == "" {
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s) + 32)
		}
		b.WriteString(s[last:i])
		b.WriteString(rep)
		i += n - 1
		last = i + 1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// registerFold makes foldGerman the SQL function kiosk_fold(text) for the
// connections that Open opens from then on (see indexer.flush); a value
// that is not text is returned as it is.
var registerFold = sync.OnceValue(func() error {
	return sqlite.RegisterDeterministicScalarFunction("kiosk_fold", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		if t, ok := args[0].(string); ok {
			return foldGerman(t), nil
		}
		return args[0], nil
	})
})

// germanFold maps the second UTF-8 byte of ä, ö, ü, Ä, Ö, Ü and ß (the
// first is C3) to their spelled-out forms, "" for other letters.
func germanFold(c byte) string {
	switch c {
	case 0xa4:
		return "ae"
	case 0xb6:
		return "oe"
	case 0xbc:
		return "ue"
	case 0x84:
		return "Ae"
	case 0x96:
		return "Oe"
	case 0x9c:
		return "Ue"
	case 0x9f:
		return "ss"
	}
	return ""
}

// doc is the text of one entry as the search index holds it: the title,
// the lead (the article's, else the entry's summary, then the article's
// extra text: kicker, hero caption and credit, authors) and the body.
type doc struct{ title, lead, body string }

// newDoc is the indexed text of an entry with this title and summary and
// this article lead, extra text and body ("" when there is no article).
func newDoc(title, summary, articleLead, extra, body string) doc {
	if articleLead == "" {
		articleLead = summary
	}
	if extra != "" {
		articleLead += "\n" + extra
	}
	return doc{title: title, lead: articleLead, body: body}
}

// articleExtra is the text of an article that is searchable but neither
// lead nor body: the kicker, the hero figure's caption and credit (inline
// figures are in the body) and the authors, as articles.extra stores it.
func articleExtra(a fetch.Article) string {
	parts := []string{a.Kicker}
	if a.Hero != nil {
		parts = append(parts, a.Hero.Caption, a.Hero.Credit)
	}
	parts = append(parts, strings.Join(a.Authors, ", "))
	var b strings.Builder
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(p)
		}
	}
	return b.String()
}

// docSQL is newDoc in SQL, folded, over entries e LEFT JOIN articles a:
// the three values for an INSERT into search (after a rowid).
func docSQL() string {
	return sqlFold("e.title") + ", " +
		sqlFold("coalesce(nullif(a.lead, ''), e.summary) || CASE WHEN coalesce(a.extra, '') != '' THEN char(10) || a.extra ELSE '' END") + ", " +
		sqlFold("coalesce(a.body, '')")
}

// sqlFold is foldGerman as an SQL expression over expr (the same
// replacements as migrations/0002_search.sql).
func sqlFold(expr string) string {
	for _, r := range [][2]string{{"ä", "ae"}, {"ö", "oe"}, {"ü", "ue"}, {"Ä", "Ae"}, {"Ö", "Oe"}, {"Ü", "Ue"}, {"ß", "ss"}, {"ẞ", "SS"}} {
		expr = "replace(" + expr + ", '" + r[0] + "', '" + r[1] + "')"
	}
	return expr
}

// indexer keeps the search table current inside a write transaction. The
// table is contentless, so removing a row takes the text it was indexed
// with: callers pass the old doc, read from the entries and articles
// tables before they change.
//
// add and replace only queue their work; flush, called last in the
// transaction, runs it. FTS5 keeps new index data in memory until the
// transaction ends, but flushes it to a new segment on disk whenever a
// statement that needs a statement journal (a multi-row INSERT, INSERT …
// SELECT, RETURNING) runs after the table was written to. Interleaved with
// the entry statements, that made one segment per entry and kept FTS5
// merging them; queued, a transaction writes one segment.
//
// New entries of a feed are not queued one by one: addNew records the
// first rowid of the entries the transaction inserts, and flush indexes
// them all with one INSERT … SELECT from their rows (see addNew).
type indexer struct {
	tx    *sql.Tx
	ops   []indexOp
	fresh int64 // the first rowid inserted in this transaction, 0 for none
}

// indexOp is one queued change: delete old (when del is set), then add d.
type indexOp struct {
	id     int64
	del    bool
	old, d doc
}

func newIndexer(tx *sql.Tx) *indexer { return &indexer{tx: tx} }

// addNew indexes the entries rows from rowid first on, inserted in this
// transaction, as they are when flush runs: their title and summary (a
// new entry has no article yet). Entries are inserted with ascending
// rowids above every other, so every row from the first one inserted on is
// new. Queued changes to new entries are dropped by flush, which reads
// their final text.
func (x *indexer) addNew(first int64) {
	if x.fresh == 0 || first < x.fresh {
		x.fresh = first
	}
}

// replace re-indexes an entry whose text changed from old to d.
func (x *indexer) replace(id int64, old, d doc) {
	if old == d {
		return
	}
	x.ops = append(x.ops, indexOp{id: id, del: true, old: old, d: d})
}

// flush runs the queued changes, by rowid and for one rowid in the order
// they were queued. Call it after the transaction's last statement on the
// other tables. FTS5 also writes its in-memory data to a new segment when
// the rowids it is given go down, so the changes go in rowid order
// (changes to different rows do not depend on each other).
func (x *indexer) flush(ctx context.Context) error {
	if x.fresh != 0 {
		x.ops = slices.DeleteFunc(x.ops, func(op indexOp) bool { return op.id >= x.fresh })
	}
	if err := x.flushOps(ctx); err != nil {
		return err
	}
	if x.fresh == 0 {
		return nil
	}
	// After the changes to older rows, so that the rowids FTS5 is given
	// keep going up. A text goes through kiosk_fold (foldGerman, see
	// registerFold) only when it may have a letter to fold: ä, ö, ü, Ä, Ö,
	// Ü and ß start with the byte C3 in UTF-8, ẞ is the only other. (The
	// replace() calls of sqlFold cost more than the rest of the statement,
	// and so did GLOB '*[äöüÄÖÜßẞ]*'.)
	fold := func(col string) string {
		return "CASE WHEN instr(CAST(" + col + " AS BLOB), x'c3') OR instr(" + col + ", 'ẞ') THEN kiosk_fold(" + col + ") ELSE " + col + " END"
	}
	if _, err := x.tx.ExecContext(ctx, `INSERT INTO search(rowid, title, lead, body)
		SELECT id, `+fold("title")+`, `+fold("summary")+`, '' FROM entries WHERE id >= ? ORDER BY id`, x.fresh); err != nil {
		return fmt.Errorf("index new entries: %w", err)
	}
	x.fresh = 0
	return nil
}

// flushOps runs the queued changes (see flush).
func (x *indexer) flushOps(ctx context.Context) error {
	if len(x.ops) == 0 {
		return nil
	}
	slices.SortStableFunc(x.ops, func(a, b indexOp) int { return cmp.Compare(a.id, b.id) })
	ins, err := x.tx.PrepareContext(ctx, `INSERT INTO search(rowid, title, lead, body) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare index: %w", err)
	}
	defer ins.Close()
	var del *sql.Stmt
	for _, op := range x.ops {
		if op.del {
			if del == nil {
				del, err = x.tx.PrepareContext(ctx, `INSERT INTO search(search, rowid, title, lead, body) VALUES ('delete', ?, ?, ?, ?)`)
				if err != nil {
					return fmt.Errorf("prepare index: %w", err)
				}
				defer del.Close()
			}
			if _, err := del.ExecContext(ctx, op.id, foldGerman(op.old.title), foldGerman(op.old.lead), foldGerman(op.old.body)); err != nil {
				return fmt.Errorf("unindex %d: %w", op.id, err)
			}
		}
		if _, err := ins.ExecContext(ctx, op.id, foldGerman(op.d.title), foldGerman(op.d.lead), foldGerman(op.d.body)); err != nil {
			return fmt.Errorf("index %d: %w", op.id, err)
		}
	}
	x.ops = x.ops[:0]
	return nil
}

// unindexSQL removes the index rows of the entries whose IDs the SQL
// query ids selects (with its args), using the stored text.
func unindexSQL(ids string) string {
	return `INSERT INTO search(search, rowid, title, lead, body)
		SELECT 'delete', e.id, ` + docSQL() + `
		FROM entries e LEFT JOIN articles a ON a.entry_id = e.id WHERE e.id IN (` + ids + `)`
}

// Hit is one search result.
type Hit struct {
	Item
	Snippet string  // plain text around the first match in the lead or body
	Rank    float64 // relevance, higher is better (minus FTS5's bm25)
}

// Search ranks at most rankWindow+rankTitles candidates (see Search).
const (
	rankWindow = 5000
	rankTitles = 1000
)

// maxTerms caps the words of one query.
const maxTerms = 16

// minPrefix is the shortest prefix searched as a prefix: "a*" would visit
// every document of the cache (about a second for 100,000 articles), so
// shorter ones are searched as whole words.
const minPrefix = 3

// term is one word of a search query, folded like indexed text.
type term struct {
	word   string
	prefix bool
}

// parseQuery turns what a user typed into search terms: runs of letters
// and digits, each optionally followed by * for a prefix search. Anything
// else (quotes, parentheses, operators' punctuation) separates words, and
// words like AND or NEAR are searched as words, so no input breaks the
// FTS5 syntax.
func parseQuery(q string) []term {
	var terms []term
	rs := []rune(q)
	for i := 0; i < len(rs) && len(terms) < maxTerms; {
		if !isWordRune(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && isWordRune(rs[j]) {
			j++
		}
		t := term{word: foldWord(string(rs[i:j]))}
		if j < len(rs) && rs[j] == '*' && j-i >= minPrefix {
			t.prefix = true
		}
		terms = append(terms, t)
		i = j
	}
	return terms
}

// isWordRune reports whether r belongs to a token, as unicode61 sees it.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r)
}

// matchExpr is the FTS5 expression of terms: every word quoted, all
// required.
func matchExpr(terms []term) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = `"` + strings.ReplaceAll(t.word, `"`, `""`) + `"`
		if t.prefix {
			parts[i] += "*"
		}
	}
	return strings.Join(parts, " ")
}

// Search finds entries whose title, lead or body contain every word of
// query, best first: FTS5's bm25 with the title weighing 10 times and the
// lead 3 times as much as the body. limit <= 0 means 20. A query with no
// words finds nothing.
//
// A query matching more than rankWindow entries ranks only a bounded set
// of candidates: the rankWindow newest matches (by rowid, the order
// entries came into the cache) and the rankTitles newest whose title has
// every word, so that an older title hit still ranks. Ranking every
// match of a word in most articles cost 0.17 s at 200,000 entries (issue
// 13); listing the candidates does not compute bm25 and costs little.
// bm25's statistics (how many entries have each word, their lengths) are
// the whole index's either way, so a candidate's score is what it would
// be among all matches.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]Hit, error) {
	terms := parseQuery(query)
	if len(terms) == 0 {
		return []Hit{}, nil
	}
	if limit <= 0 {
		limit = 20
	}
	feeds, err := s.feedNames(ctx)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	match := matchExpr(terms)
	// The window's floor is the rowid of the rankWindow-th newest match;
	// with fewer matches, every one is ranked.
	var floor int64
	err = s.db.QueryRowContext(ctx, `SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?`,
		match, rankWindow-1).Scan(&floor)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	candidates, args := "", []any{match}
	if floor > 0 {
		candidates = `AND (rowid >= ? OR rowid IN (SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid DESC LIMIT ?))`
		args = append(args, floor, "{title} : ("+match+")", rankTitles)
	}
	rows, err := s.db.QueryContext(ctx, `WITH hits AS (
			SELECT rowid AS id, bm25(search, 10.0, 3.0, 1.0) AS score FROM search
			WHERE search MATCH ? `+candidates+` ORDER BY score LIMIT ?)
		SELECT `+itemCols+`, hits.score, coalesce(a.lead, ''), coalesce(a.body, '')
		FROM hits JOIN entries e ON e.id = hits.id LEFT JOIN feeds f ON f.id = e.feed_id
			LEFT JOIN articles a ON a.entry_id = e.id
		ORDER BY hits.score, e.uid`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	defer rows.Close()
	hits := []Hit{}
	for rows.Next() {
		var h Hit
		var score float64
		var lead, body string
		if err := scanItem(rows, feeds, &h.Item, &score, &lead, &body); err != nil {
			return nil, fmt.Errorf("search %q: %w", query, err)
		}
		h.Rank = -score
		if lead == "" {
			lead = h.Summary
		}
		h.Snippet = snippet(terms, lead, body)
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	return hits, nil
}

// snippetLen is the rough length of a snippet in bytes.
const snippetLen = 200

// snippet returns plain text around the first match of terms in lead or
// body, or the start of the lead when only the title matched.
func snippet(terms []term, lead, body string) string {
	for _, text := range []string{plainText(lead), plainText(body)} {
		if start, ok := firstMatch(terms, text); ok {
			return cut(text, start)
		}
	}
	if lead != "" {
		return cut(plainText(lead), 0)
	}
	return cut(plainText(body), 0)
}

// firstMatch returns the byte offset of the first word of text that
// matches one of terms.
func firstMatch(terms []term, text string) (int, bool) {
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		j := i
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if !isWordRune(r) {
				break
			}
			j += size
		}
		w := foldWord(text[i:j])
		for _, t := range terms {
			if w == t.word || (t.prefix && strings.HasPrefix(w, t.word)) {
				return i, true
			}
		}
		i = j
	}
	return 0, false
}

// cut returns about snippetLen bytes of text around byte offset at,
// starting a few words before it, with "…" where text was cut.
func cut(text string, at int) string {
	start := at
	if start > snippetLen/3 {
		start = at - snippetLen/3
		for start < at && text[start] != ' ' {
			start++ // to a word boundary (spaces are ASCII)
		}
	} else {
		start = 0
	}
	end := start + snippetLen
	if end >= len(text) {
		end = len(text)
	} else {
		for end > at && text[end] != ' ' {
			end--
		}
	}
	out := strings.TrimSpace(text[start:end])
	if start > 0 {
		out = "…" + out
	}
	if end < len(text) {
		out += "…"
	}
	return out
}

// refMarker matches the " [n]" reference markers of article Markdown.
var refMarker = regexp.MustCompile(` ?\[\d+\]`)

// plainText turns article Markdown into one line of plain text for
// snippets: no reference markers, emphasis, heading or quote marks.
func plainText(md string) string {
	if md == "" {
		return ""
	}
	md = refMarker.ReplaceAllString(md, "")
	md = strings.NewReplacer("**", "", "__", "", "`", "", "\n#", "\n", "\n>", "\n").Replace("\n" + md)
	return strings.Join(strings.Fields(strings.TrimLeft(md, "#> ")), " ")
}

// foldWord folds one word the way the index sees it: German letters
// spelled out, lower case, common Latin accents dropped.
func foldWord(w string) string {
	w = strings.ToLower(foldGerman(w))
	var b strings.Builder
	for _, r := range w {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(stripAccent(r))
	}
	return b.String()
}

// stripAccent maps accented Latin-1 letters to their base letter.
func stripAccent(r rune) rune {
	if r < 0xc0 || r > 0x17f {
		return r
	}
	switch {
	case strings.ContainsRune("àáâãåāăą", r):
		return 'a'
	case strings.ContainsRune("çćĉċč", r):
		return 'c'
	case strings.ContainsRune("èéêëēĕėęě", r):
		return 'e'
	case strings.ContainsRune("ìíîïĩīĭįı", r):
		return 'i'
	case strings.ContainsRune("ñńņňŉ", r):
		return 'n'
	case strings.ContainsRune("òóôõøōŏő", r):
		return 'o'
	case strings.ContainsRune("ùúûũūŭůűų", r):
		return 'u'
	case strings.ContainsRune("ýÿ", r):
		return 'y'
	case strings.ContainsRune("śŝşš", r):
		return 's'
	case strings.ContainsRune("źżž", r):
		return 'z'
	}
	return r
}
