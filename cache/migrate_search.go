package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/kiosk-reader/kiosk/fetch"
)

// fillSearchExtra is migration 7's Go step: it computes articles.extra from
// each stored article's metadata and, for those with any, replaces the
// indexed text (the old without extra, the new with it).
func fillSearchExtra(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT entry_id, meta FROM articles`)
	if err != nil {
		return fmt.Errorf("search extra: %w", err)
	}
	type fill struct {
		id    int64
		extra string
	}
	var fills []fill
	for rows.Next() {
		var id int64
		var meta string
		if err := rows.Scan(&id, &meta); err != nil {
			return fmt.Errorf("search extra: %w", errJoinClose(err, rows))
		}
		var a fetch.Article
		if err := json.Unmarshal([]byte(meta), &a); err != nil {
			continue // an unreadable meta: nothing to add
		}
		if x := articleExtra(a); x != "" {
			fills = append(fills, fill{id, x})
		}
	}
	if err := errJoinClose(rows.Err(), rows); err != nil {
		return fmt.Errorf("search extra: %w", err)
	}
	if len(fills) == 0 {
		return nil
	}
	set, err := tx.PrepareContext(ctx, `UPDATE articles SET extra = ? WHERE entry_id = ?`)
	if err != nil {
		return fmt.Errorf("search extra: %w", err)
	}
	defer set.Close()
	unindex, err := tx.PrepareContext(ctx, unindexSQL("?"))
	if err != nil {
		return fmt.Errorf("search extra: %w", err)
	}
	defer unindex.Close()
	reindex, err := tx.PrepareContext(ctx, `INSERT INTO search(rowid, title, lead, body)
		SELECT e.id, `+docSQL()+` FROM entries e LEFT JOIN articles a ON a.entry_id = e.id WHERE e.id = ?`)
	if err != nil {
		return fmt.Errorf("search extra: %w", err)
	}
	defer reindex.Close()
	for _, f := range fills {
		// The indexed text is still without extra: take it out, then put
		// it back with extra.
		if _, err := unindex.ExecContext(ctx, f.id); err != nil {
			return fmt.Errorf("search extra %d: %w", f.id, err)
		}
		if _, err := set.ExecContext(ctx, f.extra, f.id); err != nil {
			return fmt.Errorf("search extra %d: %w", f.id, err)
		}
		if _, err := reindex.ExecContext(ctx, f.id); err != nil {
			return fmt.Errorf("search extra %d: %w", f.id, err)
		}
	}
	return nil
}
