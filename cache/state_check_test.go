package cache

import (
	"context"
	"fmt"
	"strings"
)

// CheckReadState reports the first broken rule of the read-state tables
// (migration 10): every entry has a reads row or an unread row, never
// both; unread repeats its entry's sort_time and uid; feed_unread holds
// exactly the memberships (entry_feeds rows, with their sort_time and uid)
// of unread entries; and every entry has its seen row (migration 12).
// Tests run it before closing every store they open.
func (s *Store) CheckReadState(ctx context.Context) error {
	for _, c := range []struct{ what, query string }{
		{"entries with both or neither of reads and unread",
			`SELECT count(*) FROM entries e WHERE EXISTS (SELECT 1 FROM reads r WHERE r.id = e.id) = EXISTS (SELECT 1 FROM unread u WHERE u.id = e.id)`},
		{"unread rows that differ from their entry",
			`SELECT count(*) FROM unread u LEFT JOIN entries e ON e.id = u.id WHERE e.id IS NULL OR e.sort_time != u.sort_time OR e.uid != u.uid`},
		{"reads rows without an entry",
			`SELECT count(*) FROM reads r WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE e.id = r.id)`},
		{"memberships of unread entries missing from feed_unread",
			`SELECT count(*) FROM (SELECT feed_id, sort_time, uid, entry_id FROM entry_feeds WHERE entry_id IN (SELECT id FROM unread)
				EXCEPT SELECT feed_id, sort_time, uid, entry_id FROM feed_unread)`},
		{"feed_unread rows that are no membership of an unread entry",
			`SELECT count(*) FROM (SELECT feed_id, sort_time, uid, entry_id FROM feed_unread
				EXCEPT SELECT feed_id, sort_time, uid, entry_id FROM entry_feeds WHERE entry_id IN (SELECT id FROM unread))`},
		{"entries without a seen row (version 12)",
			`SELECT count(*) FROM entries e WHERE NOT EXISTS (SELECT 1 FROM seen s WHERE s.id = e.id)`},
		{"seen rows without an entry",
			`SELECT count(*) FROM seen s WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE e.id = s.id)`},
		{"memberships whose sort_time or uid differ from their entry",
			`SELECT count(*) FROM entry_feeds ef JOIN entries e ON e.id = ef.entry_id WHERE ef.sort_time != e.sort_time OR ef.uid != e.uid`},
	} {
		var n int
		if err := s.db.QueryRowContext(ctx, c.query).Scan(&n); err != nil {
			if strings.Contains(err.Error(), "database is closed") {
				return nil // a test closed the store itself
			}
			return fmt.Errorf("check read state: %w", err)
		}
		if n != 0 {
			return fmt.Errorf("read state: %d %s", n, c.what)
		}
	}
	return nil
}
