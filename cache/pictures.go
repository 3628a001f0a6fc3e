package cache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/kiosk-reader/kiosk/fetch"
)

var _ fetch.PictureStore = (*Store)(nil)

// SavePictures replaces the stored pictures of the entries with pics, in
// one transaction. Entries no longer in the cache are skipped.
func (s *Store) SavePictures(ctx context.Context, entryIDs []string, pics []fetch.Picture) error {
	return s.write(ctx, "save pictures", func(tx *sql.Tx) error {
		del, err := tx.PrepareContext(ctx, `DELETE FROM pictures WHERE entry_id = ?`)
		if err != nil {
			return err
		}
		defer del.Close()
		ins, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO pictures(entry_id, url, type, width, height, data, preview) VALUES (?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for _, uid := range entryIDs {
			var id int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM entries WHERE uid = ?`, uid).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return fmt.Errorf("entry %s: %w", uid, err)
			}
			if _, err := del.ExecContext(ctx, id); err != nil {
				return fmt.Errorf("pictures of %s: %w", uid, err)
			}
			for _, p := range pics {
				if _, err := ins.ExecContext(ctx, id, p.URL, p.Type, p.Width, p.Height, p.Data, p.Preview); err != nil {
					return fmt.Errorf("picture %s of %s: %w", p.URL, uid, err)
				}
			}
		}
		return nil
	})
}

// Pictures returns the stored pictures of an entry, in the order they were
// stored (the hero first); none is no error.
func (s *Store) Pictures(ctx context.Context, id string) ([]fetch.Picture, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.url, p.type, p.width, p.height, p.data, p.preview
		FROM entries e JOIN pictures p ON p.entry_id = e.id WHERE e.uid = ? ORDER BY p.id`, id)
	if err != nil {
		return nil, fmt.Errorf("pictures of %s: %w", id, err)
	}
	defer rows.Close()
	var out []fetch.Picture
	for rows.Next() {
		var p fetch.Picture
		if err := rows.Scan(&p.URL, &p.Type, &p.Width, &p.Height, &p.Data, &p.Preview); err != nil {
			return nil, fmt.Errorf("pictures of %s: %w", id, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pictures of %s: %w", id, err)
	}
	return out, nil
}
