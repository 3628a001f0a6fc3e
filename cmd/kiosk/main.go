// Command kiosk is a terminal news reader: it syncs feeds and full articles
// into a local SQLite cache and reads them offline.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/kiosk-reader/kiosk/fetch"
)

// errUsage marks errors whose message is a usage hint.
var errUsage = errors.New("usage")

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
}

// client returns an HTTP client with the environment's settings; with
// --offline it sends nothing.
func (e *env) client() *fetch.Client {
	o := e.http
	o.Offline = o.Offline || e.g.offline
	return fetch.NewClient(o)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	err := run(ctx, e, os.Args[1:])
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, errorLine(err))
		}
		os.Exit(1)
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
}

// run parses the global flags, then runs the subcommand (or the TUI).
func run(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("kiosk", e)
	fs.Usage = func() { fmt.Fprint(e.stderr, usageText) }
	if err := fs.Parse(args); err != nil {
		return err
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
		return fmt.Errorf("unknown command %q (see kiosk help)", rest[0])
	}
	return sub(ctx, e, rest[1:])
}

// newFlagSet returns a flag set that also takes the global flags, so that
// they work before and after the subcommand name.
func newFlagSet(name string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&e.g.config, "config", e.g.config, "config `file` (default $XDG_CONFIG_HOME/kiosk/config.toml)")
	fs.StringVar(&e.g.dataDir, "data-dir", e.g.dataDir, "data `dir` holding kiosk.db (default $XDG_DATA_HOME/kiosk; env KIOSK_DATA_DIR)")
	fs.BoolVar(&e.g.offline, "offline", e.g.offline, "never touch the network")
	return fs
}

// parseInterleaved parses flags that may stand before and after positional
// arguments ("read URL --width 60"), returning the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
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
  kiosk version

global flags:
  --config FILE    config file (default $XDG_CONFIG_HOME/kiosk/config.toml)
  --data-dir DIR   data directory (default $XDG_DATA_HOME/kiosk; env KIOSK_DATA_DIR)
  --offline        never touch the network
`
