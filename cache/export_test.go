package cache

// RankWindow is how many of the newest matches Search ranks, for tests
// that need more matches than that.
const RankWindow = rankWindow

// OneConnection makes s use a single connection, and PageCacheSize reads
// that connection's cache_size, for tests of what FirstPage leaves behind.
func OneConnection(s *Store) { s.db.SetMaxOpenConns(1) }

func PageCacheSize(s *Store) (int64, error) {
	var n int64
	err := s.db.QueryRow("PRAGMA cache_size").Scan(&n)
	return n, err
}
