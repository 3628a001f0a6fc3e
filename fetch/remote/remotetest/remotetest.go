// Package remotetest runs a real Miniflux on a real PostgreSQL for the
// server-sync tests: a throw-away database cluster in a temporary directory,
// Miniflux with its REST API and its Google Reader API, both on free
// loopback ports. Nothing here is a mock; it is how the tests get a server.
//
// Start needs the Miniflux binary (go install miniflux.app/v2@v2.3.5) named
// by $KIOSK_MINIFLUX, or on $PATH as miniflux or miniflux.app, and
// PostgreSQL 15's binaries ($KIOSK_PG_BIN, else /usr/lib/postgresql/15/bin);
// without them the tests that need a server are skipped with a message
// saying so. When $KIOSK_MINIFLUX_URL and $KIOSK_MINIFLUX_PGPORT name a
// running one (scripts/miniflux -env, as .ci/run starts it for the whole
// run), Start uses that one instead, and Stop leaves it running.
package remotetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Admin is the Miniflux administrator the server is created with.
const (
	AdminUser     = "admin"
	AdminPassword = "kiosk-test-password"
	// GReaderPassword is the Google Reader API password of AdminUser.
	GReaderPassword = "kiosk-greader-password"
)

// ErrUnavailable says the binaries a server needs are not installed.
var ErrUnavailable = errors.New("miniflux or postgresql not installed")

// Server is a running Miniflux with its PostgreSQL.
type Server struct {
	URL    string // Miniflux's base URL, http://127.0.0.1:port
	DBURL  string
	dir    string
	pgBin  string
	runAs  string // "postgres" when started as root, else ""
	mf     *exec.Cmd
	mfLog  *bytes.Buffer
	psql   string
	pgPort int
	shared bool // started by someone else: Stop leaves it alone
}

// Suffix makes names unique to this process, so that tests sharing one
// server (or run twice against it) do not collide.
var Suffix = fmt.Sprintf("-%d", os.Getpid())

// Binaries finds Miniflux and PostgreSQL's bin directory.
func Binaries() (miniflux, pgBin string, err error) {
	miniflux = os.Getenv("KIOSK_MINIFLUX")
	if miniflux == "" {
		for _, name := range []string{"miniflux", "miniflux.app"} {
			if p, err := exec.LookPath(name); err == nil {
				miniflux = p
				break
			}
		}
	}
	pgBin = os.Getenv("KIOSK_PG_BIN")
	if pgBin == "" {
		pgBin = "/usr/lib/postgresql/15/bin"
	}
	if miniflux == "" {
		return "", "", fmt.Errorf("%w: set KIOSK_MINIFLUX to a Miniflux v2.3.5 binary (go install miniflux.app/v2@v2.3.5)", ErrUnavailable)
	}
	if _, err := os.Stat(miniflux); err != nil {
		return "", "", fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	if _, err := os.Stat(filepath.Join(pgBin, "initdb")); err != nil {
		return "", "", fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return miniflux, pgBin, nil
}

// FreePort returns a loopback port nobody listens on right now.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start creates a cluster in a new directory of the system's temporary
// directory (removed by Stop; a test's own TempDir is not readable by the
// postgres user), starts PostgreSQL and Miniflux, and enables the Google Reader API
// for AdminUser. It waits until Miniflux answers.
func Start() (s *Server, err error) {
	if u := os.Getenv("KIOSK_MINIFLUX_URL"); u != "" {
		return attach(u, os.Getenv("KIOSK_MINIFLUX_PGPORT"))
	}
	miniflux, pgBin, err := Binaries()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "kiosk-miniflux-")
	if err != nil {
		return nil, fmt.Errorf("start miniflux: %w", err)
	}
	s = &Server{dir: dir, pgBin: pgBin, mfLog: &bytes.Buffer{}}
	defer func() {
		if err != nil {
			err = errors.Join(err, s.Stop())
		}
	}()
	if os.Geteuid() == 0 {
		s.runAs = "postgres" // PostgreSQL refuses to run as root
		if _, err := user.Lookup("postgres"); err != nil {
			return s, fmt.Errorf("start postgresql as root needs a postgres user: %w", err)
		}
		if err := os.Chmod(dir, 0o777); err != nil {
			return s, err
		}
	}
	data := filepath.Join(dir, "pg")
	if out, err := s.pg("initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C").CombinedOutput(); err != nil {
		return s, fmt.Errorf("initdb: %w: %s", err, out)
	}
	if s.pgPort, err = FreePort(); err != nil {
		return s, err
	}
	opts := fmt.Sprintf("-h 127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off", s.pgPort, dir)
	if out, err := s.pg("pg_ctl", "-D", data, "-l", filepath.Join(dir, "pg.log"), "-o", opts, "-w", "-t", "60", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "pg.log"))
		return s, fmt.Errorf("pg_ctl start: %w: %s %s", err, out, log)
	}
	s.psql = filepath.Join(pgBin, "psql")
	if _, err := s.SQL("CREATE DATABASE miniflux"); err != nil {
		return s, err
	}
	if _, err := s.SQLDB("miniflux", "CREATE EXTENSION IF NOT EXISTS pgcrypto"); err != nil {
		return s, err
	}
	s.DBURL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/miniflux?sslmode=disable", s.pgPort)
	port, err := FreePort()
	if err != nil {
		return s, err
	}
	s.URL = fmt.Sprintf("http://127.0.0.1:%d", port)
	s.mf = exec.Command(miniflux)
	s.mf.Env = append(os.Environ(),
		"DATABASE_URL="+s.DBURL,
		"RUN_MIGRATIONS=1",
		"CREATE_ADMIN=1",
		"ADMIN_USERNAME="+AdminUser,
		"ADMIN_PASSWORD="+AdminPassword,
		"LISTEN_ADDR="+fmt.Sprintf("127.0.0.1:%d", port),
		"FETCHER_ALLOW_PRIVATE_NETWORKS=1",
		"POLLING_FREQUENCY=60",
		"BATCH_SIZE=100",
		"WORKER_POOL_SIZE=4",
		"LOG_LEVEL=info",
		// Polling is started by the tests (refresh), not by the scheduler.
		"POLLING_SCHEDULER=round_robin",
		"CLEANUP_FREQUENCY_HOURS=1000",
		"BASE_URL="+s.URL,
	)
	s.mf.Stdout, s.mf.Stderr = s.mfLog, s.mfLog
	s.mf.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := s.mf.Start(); err != nil {
		return s, fmt.Errorf("start miniflux: %w", err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(s.URL + "/healthcheck")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			return s, fmt.Errorf("miniflux did not answer within 60 s: %s", s.mfLog.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The Google Reader API is off until a user turns it on with its own
	// password (bcrypt, as Miniflux stores it).
	_, err = s.SQLDB("miniflux", fmt.Sprintf(`INSERT INTO integrations (user_id, googlereader_enabled, googlereader_username, googlereader_password)
		SELECT id, true, '%s', crypt('%s', gen_salt('bf')) FROM users WHERE username = '%s'
		ON CONFLICT (user_id) DO UPDATE SET googlereader_enabled = true, googlereader_username = excluded.googlereader_username, googlereader_password = excluded.googlereader_password`,
		AdminUser, GReaderPassword, AdminUser))
	if err != nil {
		return s, err
	}
	return s, nil
}

// attach uses a Miniflux someone else started (see Start).
func attach(rawURL, pgPort string) (*Server, error) {
	port, err := strconv.Atoi(pgPort)
	if err != nil {
		return nil, fmt.Errorf("KIOSK_MINIFLUX_PGPORT %q: %w", pgPort, err)
	}
	pgBin := os.Getenv("KIOSK_PG_BIN")
	if pgBin == "" {
		pgBin = "/usr/lib/postgresql/15/bin"
	}
	s := &Server{URL: strings.TrimRight(rawURL, "/"), pgPort: port, psql: filepath.Join(pgBin, "psql"), shared: true, mfLog: &bytes.Buffer{}}
	s.DBURL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/miniflux?sslmode=disable", port)
	resp, err := http.Get(s.URL + "/healthcheck")
	if err != nil {
		return nil, fmt.Errorf("miniflux at %s: %w", s.URL, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("miniflux at %s: healthcheck answered %s", s.URL, resp.Status)
	}
	return s, nil
}

// pg is a command of PostgreSQL's, run as the postgres user when we are root.
func (s *Server) pg(name string, args ...string) *exec.Cmd {
	bin := filepath.Join(s.pgBin, name)
	if s.runAs != "" {
		return exec.Command("runuser", append([]string{"-u", s.runAs, "--", bin}, args...)...)
	}
	return exec.Command(bin, args...)
}

// SQL runs statements in the postgres database and returns psql's output.
func (s *Server) SQL(stmt string) (string, error) { return s.SQLDB("postgres", stmt) }

// SQLDB runs statements in the named database and returns the unaligned,
// tuples-only output.
func (s *Server) SQLDB(db, stmt string) (string, error) {
	cmd := exec.Command(s.psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", strconv.Itoa(s.pgPort), "-U", "postgres", "-d", db, "-c", stmt)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("psql %q: %w: %s", firstLine(stmt), err, out)
	}
	return strings.TrimSpace(string(out)), nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// Log is what Miniflux printed so far.
func (s *Server) Log() string { return s.mfLog.String() }

// Stop stops Miniflux and PostgreSQL and removes the cluster (not one
// that Start found running).
func (s *Server) Stop() error {
	if s.shared {
		return nil
	}
	var errs []error
	if s.mf != nil && s.mf.Process != nil {
		if err := s.mf.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
			errs = append(errs, err)
		}
		done := make(chan struct{})
		go func() { _ = s.mf.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = s.mf.Process.Kill()
			<-done
		}
	}
	data := filepath.Join(s.dir, "pg")
	if _, err := os.Stat(filepath.Join(data, "postmaster.pid")); err == nil {
		if out, err := s.pg("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop").CombinedOutput(); err != nil {
			errs = append(errs, fmt.Errorf("pg_ctl stop: %w: %s", err, out))
		}
	}
	if s.dir != "" {
		if err := os.RemoveAll(s.dir); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// NewUser creates a Miniflux user whose REST password and Google Reader
// API password are both password, so that each test has its own
// subscriptions and state.
func (s *Server) NewUser(name, password string) error {
	body := fmt.Sprintf(`{"username":%q,"password":%q}`, name, password)
	if err := s.API(AdminUser, AdminPassword, http.MethodPost, "/v1/users", body, nil); err != nil {
		return fmt.Errorf("create user %s: %w", name, err)
	}
	_, err := s.SQLDB("miniflux", fmt.Sprintf(`INSERT INTO integrations (user_id, googlereader_enabled, googlereader_username, googlereader_password)
		SELECT id, true, '%s', crypt('%s', gen_salt('bf')) FROM users WHERE username = '%s'
		ON CONFLICT (user_id) DO UPDATE SET googlereader_enabled = true, googlereader_username = excluded.googlereader_username, googlereader_password = excluded.googlereader_password`,
		name, password, name))
	return err
}

// API calls Miniflux's REST API as user and decodes the JSON answer into
// out (when not nil): the tests' way to act on the server as another
// device would.
func (s *Server) API(user, password, method, path, body string, out any) error {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		return err
	}
	req.SetBasicAuth(user, password)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, data)
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// PGPort is the loopback port of the server's PostgreSQL.
func (s *Server) PGPort() int { return s.pgPort }
