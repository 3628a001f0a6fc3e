package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/kiosk-reader/kiosk/fetch"
)

func TestConfigRanges(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string // want: "" for no error, else a part of the error
	}{
		{"keep_days max", "keep_days = 36500\n", ""},
		{"keep_days 0", "keep_days = 0\n", ""},
		{"keep_days huge", "\n\nkeep_days = 999999\n", "config.toml:3: keep_days = 999999: want 0 (keep all) to 36500"},
		{"keep_days negative", "keep_days = -1\n", "config.toml:1: keep_days = -1"},
		{"concurrency", "# c\nconcurrency = 65\n", "config.toml:2: concurrency = 65: want 1 to 64"},
		{"concurrency negative", "concurrency = -3\n", "config.toml:1: concurrency = -3"},
		{"max_items", "max_items = 10000\n", ""},
		{"max_items 0", "max_items = 0\n", "config.toml:1: max_items = 0: want 1 to 10000"},
		{"max_items big", "keep_days = 1\nmax_items = 10001\n", "config.toml:2: max_items = 10001: want 1 to 10000"},
		{"feed max_items", "[[feed]]\nurl = \"https://a.example/f\"\nmax_items = 50\n", ""},
		{"feed max_items 0", "[[feed]]\nurl = \"https://a.example/f\"\n\n[[feed]]\nurl = \"https://b.example/f\"\nmax_items = 0\n", "config.toml:6: feed 2: max_items = 0: want 1 to 10000"},
		{"feed max_items big", "[[feed]]\nurl = \"https://a.example/f\"\nmax_items = 20000\n", "config.toml:3: feed 1: max_items = 20000"},
		{"int64 overflow", "keep_days = 99999999999999999999\n", "config.toml:1:"},
		{"url csi", "[[feed]]\nname = \"x\"\nurl = \"https://a.example/\\u009b31m\"\n", `config.toml:3: feed 1: url "https://a.example/\u009b31m" holds control or invisible characters`},
		{"url bidi", "[[feed]]\nurl = \"https://a.example/\u202egpj.exe\"\n", `config.toml:2: feed 1: url "https://a.example/\u202egpj.exe" holds control`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.toml")
			_, err := parseConfig(path, []byte(tc.text))
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("parseConfig(%q) = %v, want no error", tc.text, err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("parseConfig(%q) = %v, want an error with %q", tc.text, err, tc.want)
			}
		})
	}
}

func TestConfigMaxItems(t *testing.T) {
	cfg, err := parseConfig("config.toml", []byte("max_items = 30\n[[feed]]\nurl = \"https://a.example/f\"\nmax_items = 5\n[[feed]]\nurl = \"https://b.example/f\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.feedMaxItems(); cfg.MaxItems != 30 || len(got) != 1 || got["https://a.example/f"] != 5 {
		t.Errorf("max_items = %d, per feed %v; want 30 and a.example 5", cfg.MaxItems, got)
	}
	if def := defaultConfig(); def.MaxItems != fetch.DefaultMaxItems {
		t.Errorf("default max_items = %d, want %d", def.MaxItems, fetch.DefaultMaxItems)
	}
}

func TestConfigCleansNames(t *testing.T) {
	cfg, err := parseConfig("config.toml", []byte("[[feed]]\nname = \"Gut\\u009b31m \\u202eTitel\"\nurl = \"https://a.example/f\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Feeds[0].Name != "Gut Titel" {
		t.Errorf("name = %q, want it cleaned", cfg.Feeds[0].Name)
	}
}

func TestFeedsAddRejectsControlCharacters(t *testing.T) {
	for _, u := range []string{"https://a.example/\u009b31m", "https://a.example/\u202egpj.exe", "https://a.example/\u200bx"} {
		cfgPath := filepath.Join(t.TempDir(), "config.toml")
		_, _, err := configEnv(t, cfgPath, "feeds", "add", u)
		if err == nil || !strings.Contains(err.Error(), "control or invisible characters") {
			t.Errorf("feeds add %q = %v, want a rejection", u, err)
		}
		if _, err := os.Stat(cfgPath); !os.IsNotExist(err) {
			t.Errorf("feeds add %q wrote the config", u)
		}
	}
}

// An OPML with hostile xmlUrls imports the rest, and says which it skipped,
// the URL escaped, one line each; export and list show nothing raw.
func TestOPMLImportSkipsHostileURLs(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.toml")
	writeCfg(t, cfgPath, "[[feed]]\nurl = \"https://have.example/f\"\n")
	opml := filepath.Join(dir, "subs.opml")
	writeCfg(t, opml, "<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>t</title></head><body>\n"+
		"<outline text=\"csi\" xmlUrl=\"https://a.example/f\u009b31m\"/>\n"+
		"<outline text=\"bidi\" xmlUrl=\"https://b.example/&#x202E;gpj.exe\"/>\n"+
		"<outline text=\"file\" xmlUrl=\"file:///etc/passwd\"/>\n"+
		"<outline text=\"have\" xmlUrl=\"https://have.example/f\"/>\n"+
		"<outline text=\"Gut\u202e\" xmlUrl=\"https://ok.example/feed\"/>\n"+
		"</body></opml>")
	_, stderr, err := configEnv(t, cfgPath, "opml", "import", opml)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`skipped "https://a.example/f\u009b31m": control or invisible characters in the URL` + "\n",
		`skipped "https://b.example/\u202egpj.exe": control or invisible characters in the URL` + "\n",
		`skipped "file:///etc/passwd": not an http or https URL` + "\n",
		`skipped "https://have.example/f": already subscribed` + "\n",
		"1 feed added, 4 skipped",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("import report lacks %q:\n%s", want, stderr)
		}
	}
	for _, s := range []string{stderr, readCfg(t, cfgPath)} {
		if strings.ContainsAny(s, "\u009b\u202e") {
			t.Errorf("raw control or bidi character in %q", s)
		}
	}
	out, _, err := configEnv(t, cfgPath, "opml", "export")
	if err != nil || !strings.Contains(out, `xmlUrl="https://ok.example/feed"`) || strings.ContainsAny(out, "\u009b\u202e") {
		t.Errorf("opml export = %v\n%s", err, out)
	}
}

// Twenty concurrent feeds add end with twenty feeds in the config: the
// edits queue on the config lock instead of overwriting one another.
func TestConcurrentFeedsAdd(t *testing.T) {
	cfgPath := filepath.Join(t.TempDir(), "config.toml")
	writeCfg(t, cfgPath, "# mine\n")
	if err := os.Chmod(cfgPath, 0o600); err != nil {
		t.Fatal(err)
	}
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, _, errs[i] = configEnv(t, cfgPath, "feeds", "add", fmt.Sprintf("https://f%d.example/feed", i))
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("feeds add %d = %v", i, err)
		}
	}
	checkFeedCount(t, cfgPath, n)
	if st, err := os.Stat(cfgPath); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("config mode after edits = %v, %v; want 0600 kept", st.Mode(), err)
	}
}

// The same with twenty kiosk processes.
func TestConcurrentFeedsAddProcesses(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.toml")
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			cmd, _, stderr := kioskCmd(t, "--config", cfgPath, "--data-dir", filepath.Join(dir, "data"), "feeds", "add", fmt.Sprintf("https://p%d.example/feed", i))
			if err := cmd.Run(); err != nil {
				t.Errorf("kiosk feeds add %d = %v\n%s", i, err, stderr)
			}
		})
	}
	wg.Wait()
	checkFeedCount(t, cfgPath, n) // a new config holds just the feeds added
	if ents, err := os.ReadDir(dir); err != nil || len(ents) != 2 {
		t.Errorf("config dir holds %v, %v; want the config and its lock file, no temporary files", ents, err)
	}
}

func checkFeedCount(t *testing.T, cfgPath string, want int) {
	t.Helper()
	cfg, err := parseConfig(cfgPath, []byte(readCfg(t, cfgPath)))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Feeds) != want {
		t.Errorf("config has %d feeds after concurrent adds, want %d:\n%s", len(cfg.Feeds), want, readCfg(t, cfgPath))
	}
}
