// Command kiosk is a terminal news reader: it syncs feeds and full articles
// into a local SQLite cache and reads them offline.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/kiosk-reader/kiosk/fetch"
)

// usageError is a wrong command line: main prints its message with a hint
// to the help and exits 2, as Go's own tools do.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// plural is "1 feed" or "3 feeds": n with the word for its number.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// usagef returns a usageError for command cmd ("kiosk read").
func usagef(cmd, format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...) + " (see " + cmd + " -h)"}
}

// globals are the flags every subcommand accepts.
type globals struct {
	config  string
	dataDir string
	offline bool
}

// env is what a subcommand runs with: its streams and the global flags.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	g              globals
	getenv         func(string) string
	// http holds the HTTP client settings; tests shorten the timeouts.
	http fetch.ClientOptions
	// serverHTTP is the client for a feed server's API; nil means the
	// remote package's default.
	serverHTTP *http.Client
}

// client returns an HTTP client with the environment's settings; with
// --offline it sends nothing.
func (e *env) client() *fetch.Client {
	o := e.http
	o.Offline = o.Offline || e.g.offline
	return fetch.NewClient(o)
}

// interruptGrace is how long kiosk waits, after the first SIGINT or
// SIGTERM, for the command to notice its cancelled context before it exits
// anyway: extraction and rendering do not look at the context, and a
// hostile page can keep them busy for minutes.
const interruptGrace = time.Second

func main() {
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	restore := saveTerminal(os.Stdin, os.Stdout)
	os.Exit(runMain(e, os.Args[1:], sigs, run, interruptGrace, restore))
}

// runMain runs cmd in a goroutine and returns the exit status: 0, or 1
// with one line on stderr. The first signal on sigs cancels cmd's context;
// when cmd has not returned interruptGrace later (or at a second signal),
// runMain returns without it and main's exit ends it, after restore puts
// the terminal back in case the TUI had it. An interrupted run prints
// "kiosk: interrupted" and returns 130 for SIGINT, 143 for SIGTERM (128 +
// the signal, as shells report it), whatever cmd returned.
func runMain(e *env, args []string, sigs <-chan os.Signal, cmd func(context.Context, *env, []string) error, grace time.Duration, restore func() error) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- cmd(ctx, e, args) }()
	select {
	case err := <-done:
		if err == nil || errors.Is(err, flag.ErrHelp) {
			return 0 // -h printed the usage on stdout
		}
		fmt.Fprintln(e.stderr, errorLine(err))
		var ue *usageError
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	case sig := <-sigs:
		cancel()
		t := time.NewTimer(grace)
		defer t.Stop()
		abandoned := false
		select {
		case <-done: // its error is the cancellation's
		case <-t.C:
			abandoned = true
		case <-sigs:
			abandoned = true
		}
		if abandoned {
			if err := restore(); err != nil {
				fmt.Fprintln(e.stderr, errorLine(err))
			}
		}
		fmt.Fprintln(e.stderr, "kiosk: interrupted")
		if sig == syscall.SIGTERM {
			return 128 + int(syscall.SIGTERM)
		}
		return 128 + int(syscall.SIGINT)
	}
}

// saveTerminal records the terminal's mode when stdin is one and returns a
// function that puts it back and leaves the TUI's alternate screen, mouse
// mode and hidden cursor: for an exit that does not wait for the TUI to
// clean up after itself.
func saveTerminal(stdin, stdout *os.File) func() error {
	st, err := term.GetState(stdin.Fd())
	if err != nil {
		return func() error { return nil } // not a terminal: nothing to restore
	}
	return func() error {
		if err := term.Restore(stdin.Fd(), st); err != nil {
			return fmt.Errorf("restore the terminal: %w", err)
		}
		if term.IsTerminal(stdout.Fd()) {
			if _, err := io.WriteString(stdout, "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?25h\x1b[?1049l"); err != nil {
				return fmt.Errorf("restore the terminal: %w", err)
			}
		}
		return nil
	}
}

// errorLine is the one line main prints on stderr for err: joined errors
// (several failed feeds) share it, and text from the network in the
// message cannot reach the terminal as escape sequences.
func errorLine(err error) string {
	return "kiosk: " + fetch.CleanLine(strings.ReplaceAll(err.Error(), "\n", "; "))
}

// subcommands maps names to their implementations.
var subcommands = map[string]func(context.Context, *env, []string) error{
	"sync":   cmdSync,
	"list":   cmdList,
	"read":   cmdRead,
	"search": cmdSearch,
	"feeds":  cmdFeeds,
	"opml":   cmdOPML,
	"server": cmdServer,
}

// run parses the global flags, then runs the subcommand (or the TUI).
func run(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("kiosk", e)
	fs.Usage = func() { fmt.Fprint(fs.Output(), usageText) }
	if err := fs.Parse(args); err != nil {
		return flagError(e, fs, err)
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return cmdTUI(ctx, e)
	}
	if rest[0] == "help" {
		fmt.Fprint(e.stdout, usageText)
		return nil
	}
	if rest[0] == "version" {
		fmt.Fprintln(e.stdout, "kiosk", fetch.Version)
		return nil
	}
	sub, ok := subcommands[rest[0]]
	if !ok {
		return usagef("kiosk", "unknown command %q", rest[0])
	}
	return sub(ctx, e, rest[1:])
}

// newFlagSet returns a flag set that also takes the global flags, so that
// they work before and after the subcommand name.
// The flag package's own messages are discarded: flagError says what went
// wrong in one line, and -h prints the usage on stdout.
func newFlagSet(name string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&e.g.config, "config", e.g.config, "config `file` (default $XDG_CONFIG_HOME/kiosk/config.toml)")
	fs.StringVar(&e.g.dataDir, "data-dir", e.g.dataDir, "data `dir` holding kiosk.db (default $XDG_DATA_HOME/kiosk; env KIOSK_DATA_DIR)")
	fs.BoolVar(&e.g.offline, "offline", e.g.offline, "never touch the network")
	return fs
}

// flagError turns an error of fs.Parse into what kiosk says: for -h or
// --help the usage on stdout (and flag.ErrHelp, exit 0), else one line
// naming the flag (exit 2).
func flagError(e *env, fs *flag.FlagSet, err error) error {
	cmd := "kiosk"
	if fs.Name() != "kiosk" {
		cmd += " " + fs.Name()
	}
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(e.stdout)
		fs.Usage()
		fs.SetOutput(io.Discard)
		return flag.ErrHelp
	}
	msg := err.Error()
	dashes := func(name string) string {
		name = strings.TrimLeft(name, "-")
		if len(name) == 1 {
			return "-" + name
		}
		return "--" + name
	}
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		msg = "unknown flag " + dashes(name)
	} else if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		msg = dashes(name) + " needs a value"
	} else if i := strings.Index(msg, " for flag "); strings.HasPrefix(msg, "invalid ") && i > 0 {
		rest := msg[i+len(" for flag "):]
		name, _, _ := strings.Cut(rest, ":")
		msg = msg[:i] + " for " + dashes(name)
	}
	return usagef(cmd, "%s", msg)
}

// parseInterleaved parses flags that may stand before and after positional
// arguments ("read URL --width 60"), returning the positional ones.
func parseInterleaved(e *env, fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, flagError(e, fs, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// configPath is the config file to use.
func (e *env) configPath() (string, error) {
	if e.g.config != "" {
		return e.g.config, nil
	}
	if d := e.getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "kiosk", "config.toml"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find config dir: %w", err)
	}
	return filepath.Join(home, ".config", "kiosk", "config.toml"), nil
}

// dataDir is the directory holding kiosk.db.
func (e *env) dataDir() (string, error) {
	if e.g.dataDir != "" {
		return e.g.dataDir, nil
	}
	if d := e.getenv("KIOSK_DATA_DIR"); d != "" {
		return d, nil
	}
	if d := e.getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "kiosk"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find data dir: %w", err)
	}
	return filepath.Join(home, ".local", "share", "kiosk"), nil
}

const usageText = `kiosk: a terminal news reader with full articles offline

usage:
  kiosk [global flags]                          the reader (TUI)
  kiosk sync [--feed URL]... [--no-articles]    fetch feeds and full articles into the cache
  kiosk list [--feed NAME] [--unread] [--starred] [--limit N] [--json]
  kiosk read ID|URL|FILE [--format ansi|markdown|text|json] [--width N]
  kiosk search QUERY [--limit N] [--json]
  kiosk feeds list | add URL [--name NAME] | remove NAME|URL
  kiosk opml import FILE|URL | export
  kiosk server status                          the feed server ([server] in the config): last sync, queued changes
  kiosk version

global flags:
  --config FILE    config file (default $XDG_CONFIG_HOME/kiosk/config.toml)
  --data-dir DIR   data directory (default $XDG_DATA_HOME/kiosk; env KIOSK_DATA_DIR)
  --offline        never touch the network
`
