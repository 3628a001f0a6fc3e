package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
	"github.com/kiosk-reader/kiosk/fetch/remote"
)

// ServerConfig is the [server] table: a feed server that owns the
// subscriptions and the read/starred state (fetch/remote).
type ServerConfig struct {
	Kind string `toml:"kind"` // "greader" or "miniflux"
	URL  string `toml:"url"`  // base URL
	User string `toml:"user"` // Miniflux: empty means the password is an API key
	// PasswordCommand prints the password (or Miniflux API key) on its
	// first line of output; KIOSK_SERVER_PASSWORD, when set, is used
	// instead.
	PasswordCommand string `toml:"password_command"`
	// Password is refused: kiosk keeps no secret in its config.
	Password string `toml:"password"`
}

// passwordEnv names the environment variable that holds the server's
// password or API key.
const passwordEnv = "KIOSK_SERVER_PASSWORD"

// hasServer reports whether a server is configured.
func (c Config) hasServer() bool { return c.Server.Kind != "" || c.Server.URL != "" }

// checkServer checks the [server] table.
func checkServer(cfg Config, lines tomlLines) error {
	s := cfg.Server
	if !cfg.hasServer() {
		if s.User != "" || s.PasswordCommand != "" || s.Password != "" {
			return fmt.Errorf("%d: [server] needs kind and url", lines.keys["server"])
		}
		return nil
	}
	if s.Password != "" {
		return fmt.Errorf("%d: [server] password: kiosk keeps no password in its config; use password_command (e.g. \"pass show reader\") or the environment variable %s", lines.keys["server.password"], passwordEnv)
	}
	if s.Kind != remote.KindGReader && s.Kind != remote.KindMiniflux {
		return fmt.Errorf("%d: [server] kind = %q: want \"greader\" or \"miniflux\"", lines.keys["server.kind"], s.Kind)
	}
	if err := checkFeedURL(s.URL); err != nil {
		return fmt.Errorf("%d: [server] url: %w", lines.keys["server.url"], err)
	}
	if s.Kind == remote.KindGReader && s.User == "" {
		return fmt.Errorf("%d: [server] user: the Google Reader API needs a user", lines.keys["server"])
	}
	if fetch.HasControl(s.User) || fetch.HasControl(s.PasswordCommand) {
		return fmt.Errorf("%d: [server] user or password_command holds control characters", lines.keys["server"])
	}
	return nil
}

// serverAccount is the configured server as the cache records it.
func (c Config) serverAccount() remote.Account {
	return remote.Account{Kind: c.Server.Kind, URL: strings.TrimRight(strings.TrimSpace(c.Server.URL), "/"), User: c.Server.User}
}

// serverPassword returns the password: $KIOSK_SERVER_PASSWORD, else the
// first line password_command prints. Neither its output nor the secret
// appears in an error.
func (e *env) serverPassword(ctx context.Context, cfg Config) (string, error) {
	if p := e.getenv(passwordEnv); p != "" {
		return p, nil
	}
	cmdline := strings.TrimSpace(cfg.Server.PasswordCommand)
	if cmdline == "" {
		return "", fmt.Errorf("server: no password: set password_command in [server] of %s, or %s", cfg.Path, passwordEnv)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", cmdline)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = e.stderr // a password manager may say why it failed
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("server: password_command failed: %w", err)
	}
	line, _, _ := strings.Cut(out.String(), "\n")
	line = strings.TrimRight(line, "\r")
	if line == "" {
		return "", errors.New("server: password_command printed no password")
	}
	return line, nil
}

// serverClient returns the client for the configured server.
func (e *env) serverClient(ctx context.Context, cfg Config) (remote.Client, error) {
	if e.g.offline {
		return nil, fmt.Errorf("server: %w", fetch.ErrOffline)
	}
	pw, err := e.serverPassword(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return remote.New(remote.Config{Kind: cfg.Server.Kind, URL: cfg.Server.URL, User: cfg.Server.User, Password: pw, HTTP: e.serverHTTP})
}

// serverSync pulls from and pushes to the server, then fetches the full
// articles of the new entries (unless articles is false) as any sync does.
func serverSync(ctx context.Context, c remote.Client, cfg Config, store *cache.Store, s *fetch.Syncer, only []string, articles bool, progress func(fetch.Event)) (remote.Result, fetch.Summary, error) {
	start := time.Now()
	res, err := remote.Sync(ctx, c, store, cfg.serverAccount())
	if err != nil {
		return res, fetch.Summary{}, fmt.Errorf("sync with %s: %w", cfg.Server.URL, err)
	}
	sum := fetch.Summary{FeedsOK: len(res.Subscriptions), NewEntries: res.NewEntries}
	if articles {
		feeds := only
		if feeds == nil {
			for _, sub := range res.Subscriptions {
				feeds = append(feeds, sub.URL)
			}
		}
		s.StoredOnly = true
		asum, err := s.Run(ctx, feeds, progress)
		sum.ArticlesFetched, sum.ArticlesFailed = asum.ArticlesFetched, asum.ArticlesFailed
		sum.PicturesStored, sum.PicturesFailed = asum.PicturesStored, asum.PicturesFailed
		sum.Bytes, sum.Failures, sum.Notices = asum.Bytes, asum.Failures, asum.Notices
		if err != nil {
			sum.Duration = time.Since(start)
			return res, sum, err
		}
	}
	sum.Duration = time.Since(start)
	return res, sum, nil
}

// serverLine says in one line what a server sync did.
func serverLine(cfg Config, res remote.Result) string {
	a := res.Applied
	line := fmt.Sprintf("server %s: %s, %s pulled (%s); from the server: %d read, %d unread, %d starred, %d unstarred; %s pushed",
		cfg.Server.URL, plural(len(res.Subscriptions), "feed", "feeds"), plural(res.Items, "entry", "entries"), plural(res.NewEntries, "new", "new"),
		a.Read, a.Unread, a.Starred, a.Unstarred, plural(res.Pushed, "change", "changes"))
	if a.KeptLocal > 0 {
		line += fmt.Sprintf("; %d kept as changed here (changed here later)", a.KeptLocal)
	}
	return line
}

const serverUsage = `usage:
  kiosk server status   the configured server, the last sync and the changes waiting to be pushed
`

// cmdServer runs "kiosk server".
func cmdServer(ctx context.Context, e *env, args []string) (err error) {
	fs := newFlagSet("server", e)
	fs.Usage = func() { fmt.Fprint(fs.Output(), serverUsage) }
	pos, err := parseInterleaved(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "status" {
		return usagef("kiosk server", "server: want status")
	}
	cfg, err := e.loadConfig()
	if err != nil {
		return err
	}
	if !cfg.hasServer() {
		fmt.Fprintf(e.stdout, "no server configured (add a [server] table to %s; see the README)\n", cfg.Path)
		return nil
	}
	store, err := e.openStoreReadOnly(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, store.Close()) }()
	acct, ok, err := store.ServerAccount(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "server:\t%s (%s)\n", fetch.CleanLine(cfg.Server.URL), cfg.Server.Kind)
	user := cfg.Server.User
	if user == "" {
		user = "(API key)"
	}
	fmt.Fprintf(tw, "user:\t%s\n", fetch.CleanLine(user))
	switch {
	case !ok || !acct.Same(cfg.serverAccount()):
		fmt.Fprintf(tw, "last sync:\tnever (kiosk sync pulls the subscriptions and entries)\n")
	case acct.LastSync.IsZero():
		fmt.Fprintf(tw, "last sync:\tnever\n")
	default:
		fmt.Fprintf(tw, "last sync:\t%s (%s ago)\n", acct.LastSync.Local().Format("2006-01-02 15:04:05"), time.Since(acct.LastSync).Round(time.Second))
	}
	if ok && acct.LastError != "" {
		fmt.Fprintf(tw, "last error:\t%s\n", fetch.CleanLine(acct.LastError))
	}
	if ok {
		fmt.Fprintf(tw, "queued:\t%s waiting to be pushed\n", plural(acct.Pending, "change", "changes"))
		fmt.Fprintf(tw, "cached:\t%s, %s\n", plural(acct.Feeds, "feed", "feeds"), plural(acct.Items, "server entry", "server entries"))
	}
	return tw.Flush()
}
