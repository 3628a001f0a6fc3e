package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mattn/go-runewidth"

	"github.com/kiosk-reader/kiosk/cache"
)

// cmdSearch runs "kiosk search": a full-text search of titles, leads and
// article bodies in the cache, best matches first, each with a snippet.
func cmdSearch(ctx context.Context, e *env, args []string) (err error) {
	fs := newFlagSet("search", e)
	limit := fs.Int("limit", 20, "show at most `N` matches")
	asJSON := fs.Bool("json", false, "print a JSON array")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "usage: kiosk search QUERY [--limit N] [--json]\n\n"+
			"Every word must occur; a trailing * after 3 or more letters matches a prefix\n(Fernseh* finds Fernsehübertragung; words inside compounds are not found).\n"+
			"ä, ö, ü and ß also match ae, oe, ue and ss.\n\n")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(e, fs, args)
	if err != nil {
		return err
	}
	query := strings.TrimSpace(strings.Join(pos, " "))
	if query == "" {
		return fmt.Errorf("search: no query (usage: kiosk search QUERY [--limit N] [--json])")
	}
	if *limit < 1 {
		return fmt.Errorf("search: --limit must be at least 1, not %d", *limit)
	}
	s, err := e.openStoreReadOnly(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	hits, err := s.Search(ctx, query, *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]itemJSON, len(hits))
		for i, h := range hits {
			out[i] = newItemJSON(h.Item)
			out[i].Snippet, out[i].Rank = h.Snippet, h.Rank
		}
		return writeJSON(e.stdout, out)
	}
	if len(hits) == 0 {
		fmt.Fprintf(e.stderr, "no matches for %q\n", query)
		return nil
	}
	width := e.width()
	items := make([]cache.Item, len(hits))
	for i, h := range hits {
		items[i] = h.Item
	}
	t := newTable(items, width)
	var b strings.Builder
	for _, h := range hits {
		b.WriteString(t.row(h.Item) + "\n")
		for _, line := range wrap(h.Snippet, width-4) {
			b.WriteString("    " + line + "\n")
		}
	}
	if _, err := fmt.Fprint(e.stdout, b.String()); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	return nil
}

// wrap breaks text into lines of at most width terminal cells at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		switch {
		case line == "":
			line = w
		case runewidth.StringWidth(line)+1+runewidth.StringWidth(w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
