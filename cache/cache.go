// Package cache is kiosk's offline library: one SQLite file holding feeds,
// entries, full articles, read and starred state and a full-text index. It
// imports fetch for its types only.
//
// Reads never write and never load all entries; lists are paged, newest
// first. The file works with several processes at once (WAL, busy timeout):
// a sync may write while a list or the TUI reads.
package cache

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/kiosk-reader/kiosk/fetch"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNotFound is wrapped by errors about entries, articles, feeds or cache
// files that do not exist.
var ErrNotFound = errors.New("not found")

// appID marks a kiosk cache in the SQLite header (PRAGMA application_id):
// "kios" in ASCII. A database with another application ID, or with tables
// but no ID, is someone else's and is never touched.
const appID = 0x6b696f73

// busyTimeout is how long (ms) a statement waits for another process's
// write lock before it fails with SQLITE_BUSY.
const busyTimeout = 5000

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is an open cache file. Its methods are safe for concurrent use.
type Store struct {
	db       *sql.DB
	path     string
	readOnly bool
	watch    watcher // the pinned connection of Changed
}

var (
	_ fetch.FeedBatchStore  = (*Store)(nil)
	_ fetch.FeedStatesStore = (*Store)(nil)
)

// migration is one embedded schema step; version n brings user_version to n.
type migration struct {
	version int
	name    string
	sql     string
}

// SchemaVersion is the schema version this code reads and writes. It is
// worked out once, from the migrations' names: opening a cache asks for it
// on every start, and reading the migrations' SQL for it cost a third of
// a millisecond there.
func SchemaVersion() int { return schemaVersion() }

var schemaVersion = sync.OnceValue(func() int {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return 0
	}
	v := 0
	for _, name := range names {
		num, _, _ := strings.Cut(filepath.Base(name), "_")
		if n, err := strconv.Atoi(num); err == nil && n > v {
			v = n
		}
	}
	return v
})

// migrations returns the embedded migrations in version order.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	var ms []migration
	for _, name := range names {
		base := filepath.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a version number", base)
		}
		b, err := migrationFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", base, err)
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d", m.name, i+1)
		}
	}
	return ms, nil
}

// Open opens the cache at path for reading and writing, creating the
// directory and the file when missing, and brings the schema up to date.
// Each migration runs in one transaction; a current database is not
// written to. A file that is not a kiosk cache (corrupt, or another
// program's SQLite database) gives an error naming it and is left as is.
func Open(ctx context.Context, path string) (*Store, error) {
	return open(ctx, path, true)
}

// ErrOutdated is wrapped by OpenCurrent's error for a cache whose schema is
// older than this kiosk's (or an empty file): Open would upgrade it.
var ErrOutdated = errors.New("cache schema is older than this kiosk")

// OpenCurrent is Open for a cache that needs no migration: it changes no
// schema, and a cache that would need one gives an error wrapping
// ErrOutdated. The reader opens an existing cache this way while its config
// is still being read, so that a config with a mistake leaves an older
// cache as it was (an older kiosk can still read it).
func OpenCurrent(ctx context.Context, path string) (*Store, error) {
	return open(ctx, path, false)
}

// open is Open, or OpenCurrent without migrate.
func open(ctx context.Context, path string, migrate bool) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create cache dir: %w", err)
	}
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	if err := registerFold(); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("open cache %s: %w", path, err)
	}
	s := &Store{db: db, path: path}
	if err := s.prepare(ctx, SchemaVersion(), migrate); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	return s, nil
}

// OpenReadOnly opens an existing cache for reading only, as list, search
// and read do: it never writes to the database. (Like any reader of a WAL
// database, SQLite may create the empty kiosk.db-wal and kiosk.db-shm side
// files when no writer left them.) A missing file gives an error wrapping
// ErrNotFound; a schema older than this code asks for a sync.
//
// When those side files cannot be created (the directory is not writable:
// a read-only mount, another user's data dir, chmod 0555) and no writer has
// left a WAL behind, the file is opened as immutable, which SQLite reads
// without the side files. Such a reader takes no locks: a writer that
// appears meanwhile (only one that may write where this process may not)
// is not seen.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	return openReadOnly(ctx, path, canWrite)
}

// Writable reports whether the cache at path can be opened for writing: its
// directory can take new files (SQLite's -wal and -shm) and the file, when
// it exists, can be written. Unlike a permission-bit check it is true for
// root on a writable file system and false on a read-only mount.
func Writable(path string) bool {
	// A missing directory is created by Open: its first existing ancestor
	// must take it.
	dir := filepath.Dir(path)
	for {
		if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if !canWrite(dir) {
		return false
	}
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		return true
	}
	return canWrite(path)
}

// openReadOnly is OpenReadOnly with the writability check injected, so
// that tests running as root can take the read-only-directory path.
func openReadOnly(ctx context.Context, path string, writable func(string) bool) (*Store, error) {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("cache %s: %w", path, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("open cache: %w", err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("cache %s is a directory", path)
	}
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	src := dsn(path, true)
	if !writable(filepath.Dir(path)) && !walInUse(path) {
		src += "&immutable=1"
	}
	db, err := sql.Open("sqlite", src)
	if err != nil {
		return nil, fmt.Errorf("open cache %s: %w", path, err)
	}
	s := &Store{db: db, path: path, readOnly: true}
	v, _, err := s.identify(ctx)
	if err == nil {
		want := SchemaVersion()
		switch {
		case v < want:
			err = fmt.Errorf("cache %s has schema version %d, this kiosk needs %d: run kiosk sync to upgrade it", path, v, want)
		case v > want:
			err = fmt.Errorf("cache %s has schema version %d, newer than this kiosk (%d): update kiosk", path, v, want)
		}
	}
	if err != nil {
		return nil, errors.Join(err, db.Close())
	}
	return s, nil
}

// walInUse reports whether the cache's -wal file holds frames: a writer is
// running or did not checkpoint, and an immutable open would miss them.
func walInUse(path string) bool {
	st, err := os.Stat(path + "-wal")
	return err == nil && st.Size() > 0
}

// Close closes the database.
func (s *Store) Close() error {
	werr := s.watch.close()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close cache %s: %w", s.path, errors.Join(err, werr))
	}
	if werr != nil {
		return fmt.Errorf("close cache %s: %w", s.path, werr)
	}
	return nil
}

// Path is the file the store was opened from.
func (s *Store) Path() string { return s.path }

// dsn is the modernc.org/sqlite data source name for path: a file: URI so
// that mode=ro works and odd characters in the path stay part of it.
func dsn(path string, readOnly bool) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	q := "_pragma=busy_timeout(" + strconv.Itoa(busyTimeout) + ")"
	if readOnly {
		return "file:" + esc + "?mode=ro&" + q
	}
	// journal_mode is set by prepare, after the file is known to be ours:
	// it is a persistent change to the file. _txlock=immediate takes the
	// write lock at BEGIN, so two writers queue instead of deadlocking.
	// temp_store=MEMORY keeps statement journals (statements that may
	// abort half-way need them, such as SaveFeed's INSERT … SELECT into
	// seen and into the search index) in memory instead of writing them
	// to a temp file.
	return "file:" + esc + "?" + q + "&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)&_txlock=immediate"
}

// sqliteMagic starts every SQLite database file.
const sqliteMagic = "SQLite format 3\x00"

// checkHeader rejects a non-empty file that is not an SQLite database,
// before SQLite sees it.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open cache: %w", err)
	}
	head := make([]byte, len(sqliteMagic))
	n, err := io.ReadFull(f, head)
	if cerr := f.Close(); cerr != nil {
		return fmt.Errorf("read cache %s: %w", path, cerr)
	}
	if n == 0 && (err == io.EOF || err == nil) {
		return nil // an empty file becomes a new cache
	}
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("read cache %s: %w", path, err)
	}
	if string(head[:n]) != sqliteMagic {
		return fmt.Errorf("cache %s is not an SQLite database (corrupt or another program's file); kiosk leaves it alone: move it away and run kiosk sync", path)
	}
	return nil
}

// identify checks that the database is a kiosk cache (or empty) and
// returns its schema version.
func (s *Store) identify(ctx context.Context) (version int, empty bool, err error) {
	var id, tables int
	err = s.db.QueryRowContext(ctx, `SELECT (SELECT application_id FROM pragma_application_id()),
		(SELECT user_version FROM pragma_user_version()),
		(SELECT count(*) FROM sqlite_schema)`).Scan(&id, &version, &tables)
	if err != nil {
		return 0, false, fmt.Errorf("open cache %s (corrupt?): %w", s.path, err)
	}
	if id == appID || (id == 0 && tables == 0) {
		return version, tables == 0, nil
	}
	return 0, false, fmt.Errorf("cache %s is an SQLite database of another program, not a kiosk cache; kiosk leaves it alone: move it away or choose another --data-dir", s.path)
}

// pageSize is the page size of new caches (SQLite's default is 4096). A
// cold sync of 100 feeds × 500 news-sized entries, whose writer is its
// longest step, took 1.05 s with 8 KiB pages against 1.15 s with 4 KiB
// (medians of 6 alternating runs, whole process; 16 KiB: 1.00 s). Reads
// stayed within a few per cent of 4 KiB (opening a 100,000-entry cache and
// reading 500 rows 4.1 against 3.9 ms), where 16 KiB pages cost a quarter
// more (4.9 ms). Caches made before keep their 4 KiB pages.
const pageSize = 8192

// prepare checks the file, switches it to WAL and runs the migrations up
// to version target; without migrate, a file below target gives an error
// wrapping ErrOutdated instead, and nothing is changed.
func (s *Store) prepare(ctx context.Context, target int, migrate bool) error {
	v, empty, err := s.identify(ctx)
	if err != nil {
		return err
	}
	if !migrate && v < target {
		return fmt.Errorf("open cache %s: schema version %d, this kiosk's is %d: %w", s.path, v, target, ErrOutdated)
	}
	if empty {
		// Only a database without tables takes a page size (in WAL mode
		// it is fixed once the file has content).
		if _, err := s.db.ExecContext(ctx, fmt.Sprintf("PRAGMA page_size = %d", pageSize)); err != nil {
			return fmt.Errorf("open cache %s: %w", s.path, err)
		}
	}
	if v > SchemaVersion() {
		return fmt.Errorf("cache %s has schema version %d, newer than this kiosk (%d): update kiosk", s.path, v, SchemaVersion())
	}
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("open cache %s: %w", s.path, err)
	}
	if !strings.EqualFold(mode, "wal") {
		if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
			return fmt.Errorf("open cache %s: set WAL: %w", s.path, err)
		}
	}
	if v >= target {
		return nil
	}
	ms, err := migrations()
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.version > v && m.version <= target {
			if err := s.migrate(ctx, m); err != nil {
				return err
			}
		}
	}
	return nil
}

// migrate runs one migration in its own transaction, unless another
// process ran it meanwhile.
func (s *Store) migrate(ctx context.Context, m migration) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate cache %s to version %d: %w", s.path, m.version, err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	var cur int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
		return fmt.Errorf("migrate cache %s: %w", s.path, err)
	}
	if cur >= m.version {
		return tx.Rollback()
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migrate cache %s: %s: %w", s.path, m.name, err)
	}
	if step := goSteps[m.version]; step != nil {
		if err := step(ctx, tx); err != nil {
			return fmt.Errorf("migrate cache %s: %s: %w", s.path, m.name, err)
		}
	}
	stmt := fmt.Sprintf("PRAGMA user_version = %d; PRAGMA application_id = %d", m.version, appID)
	if _, err := tx.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("migrate cache %s: %s: %w", s.path, m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate cache %s: %s: commit: %w", s.path, m.name, err)
	}
	return nil
}
