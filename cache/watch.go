package cache

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// watcher holds the one connection Changed asks. SQLite's data_version is
// per connection (it moves when another connection commits), so asking
// through the pool would compare numbers of different connections.
type watcher struct {
	mu   sync.Mutex
	conn *sql.Conn
}

// Changed returns a number that differs from the one of the previous call
// when the cache has changed in between: when another process (a cron
// kiosk sync) or another connection of this Store has committed a write.
// It is SQLite's PRAGMA data_version on a connection pinned for this
// purpose, so a call reads no table and costs microseconds; the reader
// polls it every second. Compare values of one Store only.
func (s *Store) Changed(ctx context.Context) (uint64, error) {
	w := &s.watch
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn == nil {
		c, err := s.db.Conn(ctx)
		if err != nil {
			return 0, fmt.Errorf("watch cache %s: %w", s.path, err)
		}
		w.conn = c
	}
	var v uint64
	if err := w.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		// A broken connection is dropped and the next call takes a new
		// one, whose numbers are not comparable with this one's.
		cerr := w.conn.Close()
		w.conn = nil
		if cerr != nil {
			return 0, fmt.Errorf("watch cache %s: %w (close: %w)", s.path, err, cerr)
		}
		return 0, fmt.Errorf("watch cache %s: %w", s.path, err)
	}
	return v, nil
}

// close returns the pinned connection to the pool.
func (w *watcher) close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn == nil {
		return nil
	}
	err := w.conn.Close()
	w.conn = nil
	if err != nil {
		return fmt.Errorf("close watch connection: %w", err)
	}
	return nil
}
