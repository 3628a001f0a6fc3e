package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// configEnv runs kiosk with a config file path in a temporary directory.
func configEnv(t *testing.T, cfgPath string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	all := append([]string{"--config", cfgPath, "--data-dir", filepath.Join(filepath.Dir(cfgPath), "data")}, args...)
	err = run(t.Context(), e, all)
	return out.String(), errb.String(), err
}

func writeCfg(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readCfg(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestLoadConfigDefaults(t *testing.T) {
	dir := t.TempDir()
	e := &env{getenv: func(k string) string {
		if k == "XDG_CONFIG_HOME" {
			return dir
		}
		return ""
	}}
	cfg, err := e.loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Exists || cfg.Path != filepath.Join(dir, "kiosk", "config.toml") || cfg.KeepDays != 180 || !cfg.RefreshOnStart {
		t.Errorf("loadConfig without a file = %+v", cfg)
	}
	want := []FeedConfig{
		{Name: "heise online", URL: "https://www.heise.de/rss/heise-atom.xml"},
		{Name: "Telepolis", URL: "https://www.telepolis.de/news-atom.xml"},
	}
	if len(cfg.Feeds) != 2 || cfg.Feeds[0] != want[0] || cfg.Feeds[1] != want[1] {
		t.Errorf("default feeds = %+v, want %+v", cfg.Feeds, want)
	}
}

func TestParseConfig(t *testing.T) {
	text := `# my feeds
keep_days = 30
refresh_on_start = false
concurrency = 8
browser = "firefox"

[[feed]]
name = "heise online"
url = "https://www.heise.de/rss/heise-atom.xml"

[[feed]]
url = "https://example.org/feed.xml" # no name
`
	cfg, err := parseConfig("c.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.KeepDays != 30 || cfg.RefreshOnStart || cfg.Concurrency != 8 || cfg.Browser != "firefox" || len(cfg.Feeds) != 2 || cfg.Feeds[1].URL != "https://example.org/feed.xml" || cfg.Feeds[1].Name != "" {
		t.Errorf("parseConfig = %+v", cfg)
	}
}

func TestParseConfigStartScreen(t *testing.T) {
	for text, want := range map[string]string{"": "list", "start_screen = \"list\"\n": "list", "start_screen = \"feeds\"\n": "feeds"} {
		cfg, err := parseConfig("c.toml", []byte(text))
		if err != nil || cfg.StartScreen != want {
			t.Errorf("parseConfig(%q).StartScreen = %q, %v, want %q", text, cfg.StartScreen, err, want)
		}
	}
}

func TestParseConfigInlineFeeds(t *testing.T) {
	cfg, err := parseConfig("c.toml", []byte(`feed = [{name = "x", url = "https://a.example/f"}]`+"\n"))
	if err != nil || len(cfg.Feeds) != 1 || cfg.Feeds[0].URL != "https://a.example/f" {
		t.Errorf("parseConfig = %+v, %v", cfg.Feeds, err)
	}
	_, err = parseConfig("c.toml", []byte("keep_days = 3\nfeed = [{url = \"ftp://a.example/f\"}]\n"))
	if err == nil || !strings.Contains(err.Error(), "c.toml:2: feed 1: url") {
		t.Errorf("parseConfig error = %v, want it to name line 2", err)
	}
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"unknown top-level key", "keep_days = 3\ncolour = \"red\"\n", `c.toml:2: unknown key "colour"`},
		{"unknown feed key", "[[feed]]\nurl = \"https://a.example/f\"\n\n[[feed]]\nurl = \"https://b.example/f\"\nnmae = \"B\"\n", `c.toml:6: unknown key "feed.nmae"`},
		{"unknown table", "\n[display]\nwidth = 80\n", `c.toml:2: unknown key "display"`},
		{"syntax", "keep_days = 3\n\n\n[[feed]\nurl = 1\n", "c.toml:4: expected end of table array name"},
		{"bad value", "\nkeep_days = = 3\n", "c.toml:2: "},
		{"unterminated string", "[[feed]]\nurl = \"https://a.example\nname = \"x\"\n", "c.toml:2: "},
		{"wrong type", "\nkeep_days = \"many\"\n", "c.toml:2: keep_days: incompatible types"},
		{"negative keep_days", "\n\nkeep_days = -1\n", "c.toml:3: keep_days = -1"},
		{"concurrency", "concurrency = 1000\n", "c.toml:1: concurrency = 1000"},
		{"missing url", "[[feed]]\nname = \"x\"\n", "c.toml:1: feed 1: url is missing"},
		{"bad url", "[[feed]]\nname = \"x\"\nurl = \"ftp://x.example/f\"\n", `c.toml:3: feed 1: url "ftp://x.example/f" is not an http or https URL`},
		{"duplicate", "[[feed]]\nurl = \"https://a.example/f\"\n[[feed]]\nurl = \"https://a.example/f\"\n", "c.toml:4: feed https://a.example/f is listed twice"},
		{"start_screen", "keep_days = 3\nstart_screen = \"articles\"\n", `c.toml:2: start_screen = "articles": want "list" or "feeds"`},
		{"empty start_screen", "\n\n\nstart_screen = \"\"\n", `c.toml:4: start_screen = "": want "list" or "feeds"`},
		{"start_screen type", "start_screen = 1\n", "c.toml:1: start_screen: incompatible types"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseConfig("c.toml", []byte(tt.text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseConfig error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestFeedsAddListRemove(t *testing.T) {
	cfgPath := filepath.Join(t.TempDir(), "kiosk", "config.toml")

	// No file: the defaults are listed; the first add writes a config with
	// just the feed added (the defaults stand in only for no config).
	out, _, err := configEnv(t, cfgPath, "feeds", "list")
	if err != nil || !strings.Contains(out, "heise online") || !strings.Contains(out, "https://www.telepolis.de/news-atom.xml") {
		t.Fatalf("feeds list without config = %q, %v", out, err)
	}
	if _, _, err := configEnv(t, cfgPath, "feeds", "add", "https://lwn.net/headlines/rss", "--name", `LWN "net"`); err != nil {
		t.Fatal(err)
	}
	out, _, err = configEnv(t, cfgPath, "feeds", "list")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`LWN "net"`, "https://lwn.net/headlines/rss"} {
		if !strings.Contains(out, s) {
			t.Errorf("feeds list after add = %q, want %q in it", out, s)
		}
	}
	if strings.Contains(out, "heise") || strings.Contains(out, "Telepolis") {
		t.Errorf("feeds list after the first add = %q, want only the feed added", out)
	}
	if _, _, err := configEnv(t, cfgPath, "feeds", "add", "https://www.telepolis.de/news-atom.xml", "--name", "Telepolis"); err != nil {
		t.Fatal(err)
	}

	// Comments survive add and remove.
	text := readCfg(t, cfgPath)
	text = "# my own comment\nkeep_days = 90 # three months\n\n" + text + "\n# trailing comment\n"
	writeCfg(t, cfgPath, text)
	if _, _, err := configEnv(t, cfgPath, "feeds", "add", "https://go.dev/blog/feed.atom"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := configEnv(t, cfgPath, "feeds", "remove", "telepolis"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := configEnv(t, cfgPath, "feeds", "remove", "https://lwn.net/headlines/rss"); err != nil {
		t.Fatal(err)
	}
	text = readCfg(t, cfgPath)
	for _, s := range []string{"# my own comment", "keep_days = 90 # three months", "# trailing comment", "https://go.dev/blog/feed.atom"} {
		if !strings.Contains(text, s) {
			t.Errorf("config lost %q:\n%s", s, text)
		}
	}
	for _, s := range []string{"telepolis", "lwn.net"} {
		if strings.Contains(text, s) {
			t.Errorf("config still has %q:\n%s", s, text)
		}
	}
	cfg, err := parseConfig(cfgPath, []byte(text))
	if err != nil || len(cfg.Feeds) != 1 || cfg.KeepDays != 90 {
		t.Errorf("edited config = %+v, %v; want go.dev's feed alone", cfg, err)
	}

	// Errors: duplicates, bad URLs, unknown names; the file is left alone.
	before := readCfg(t, cfgPath)
	for _, args := range [][]string{
		{"feeds", "add", "https://go.dev/blog/feed.atom"},
		{"feeds", "add", "not a url"},
		{"feeds", "remove", "nothing-like-this"},
		{"feeds", "add"},
		{"feeds", "frobnicate"},
	} {
		if _, _, err := configEnv(t, cfgPath, args...); err == nil {
			t.Errorf("kiosk %v succeeded, want an error", args)
		}
	}
	if readCfg(t, cfgPath) != before {
		t.Error("a failed feeds command changed the config")
	}
}

func TestFeedsRemoveAmbiguousName(t *testing.T) {
	cfgPath := filepath.Join(t.TempDir(), "config.toml")
	writeCfg(t, cfgPath, "[[feed]]\nname = \"News\"\nurl = \"https://a.example/f\"\n[[feed]]\nname = \"news\"\nurl = \"https://b.example/f\"\n")
	_, _, err := configEnv(t, cfgPath, "feeds", "remove", "News")
	if err == nil || !strings.Contains(err.Error(), "2 feeds are named") {
		t.Errorf("remove of an ambiguous name = %v", err)
	}
}

func TestFeedsRefuseBrokenConfig(t *testing.T) {
	cfgPath := filepath.Join(t.TempDir(), "config.toml")
	writeCfg(t, cfgPath, "keep_dayz = 3\n")
	_, _, err := configEnv(t, cfgPath, "feeds", "add", "https://a.example/f")
	if err == nil || !strings.Contains(err.Error(), cfgPath+":1: unknown key \"keep_dayz\"") {
		t.Errorf("feeds add with a broken config = %v", err)
	}
}

func TestOPMLImportExport(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.toml")
	writeCfg(t, cfgPath, "# mine\n[[feed]]\nname = \"Go\"\nurl = \"https://go.dev/blog/feed.atom\"\n")
	opml := filepath.Join(dir, "subs.opml")
	writeCfg(t, opml, `<?xml version="1.0"?>
<opml version="1.0"><head><title>x</title></head><body>
  <outline text="Cat A">
    <outline text="Go again" xmlUrl="https://go.dev/blog/feed.atom"/>
    <outline text="Cat B"><outline text="Deep" title="Deep feed" xmlUrl="https://deep.example/rss"/></outline>
  </outline>
  <outline text="Top" xmlUrl="https://top.example/atom"/>
  <outline text="Top twice" xmlUrl="https://top.example/atom"/>
</body></opml>`)
	_, stderr, err := configEnv(t, cfgPath, "opml", "import", opml)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "2 feeds added, 1 skipped") {
		t.Errorf("import report = %q", stderr)
	}
	cfg, err := parseConfig(cfgPath, []byte(readCfg(t, cfgPath)))
	if err != nil {
		t.Fatal(err)
	}
	want := []FeedConfig{{Name: "Go", URL: "https://go.dev/blog/feed.atom"}, {Name: "Deep feed", URL: "https://deep.example/rss"}, {Name: "Top", URL: "https://top.example/atom"}}
	if len(cfg.Feeds) != 3 || cfg.Feeds[0] != want[0] || cfg.Feeds[1] != want[1] || cfg.Feeds[2] != want[2] {
		t.Errorf("feeds after import = %+v, want %+v", cfg.Feeds, want)
	}
	if !strings.HasPrefix(readCfg(t, cfgPath), "# mine\n") {
		t.Error("import dropped the comment")
	}

	// Export and import into an empty config: the same feeds come back.
	out, _, err := configEnv(t, cfgPath, "opml", "export")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `<opml version="2.0">`) {
		t.Errorf("export = %s", out)
	}
	exported := filepath.Join(dir, "export.opml")
	writeCfg(t, exported, out)
	cfg2 := filepath.Join(dir, "second", "config.toml")
	writeCfg(t, cfg2, "keep_days = 7\n")
	if _, _, err := configEnv(t, cfg2, "opml", "import", exported); err != nil {
		t.Fatal(err)
	}
	back, err := parseConfig(cfg2, []byte(readCfg(t, cfg2)))
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Feeds) != 3 || back.Feeds[0] != want[0] || back.Feeds[1] != want[1] || back.Feeds[2] != want[2] {
		t.Errorf("round trip = %+v, want %+v", back.Feeds, want)
	}

	// Bad input.
	writeCfg(t, opml, "<html><body>no</body></html>")
	if _, _, err := configEnv(t, cfgPath, "opml", "import", opml); err == nil {
		t.Error("import of HTML succeeded")
	}
	if _, _, err := configEnv(t, cfgPath, "opml", "import", filepath.Join(dir, "missing.opml")); err == nil {
		t.Error("import of a missing file succeeded")
	}
	if _, _, err := configEnv(t, cfgPath, "--offline", "opml", "import", "https://example.org/subs.opml"); err == nil || !strings.Contains(err.Error(), "--offline") {
		t.Errorf("offline import of a URL = %v", err)
	}
}

// TestFeedsFreshInstall: on a fresh install, feeds list --json names the
// defaults as such, and removing one default writes a config with the other.
func TestFeedsFreshInstall(t *testing.T) {
	cfgPath := filepath.Join(t.TempDir(), "kiosk", "config.toml")
	out, _, err := configEnv(t, cfgPath, "feeds", "list", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var feeds []feedJSON
	if err := json.Unmarshal([]byte(out), &feeds); err != nil || len(feeds) != 2 || !feeds[0].Default || feeds[0].URL != "https://www.heise.de/rss/heise-atom.xml" {
		t.Fatalf("feeds list --json without config = %q (%v)", out, err)
	}
	if _, _, err := configEnv(t, cfgPath, "feeds", "remove", "Telepolis"); err != nil {
		t.Fatal(err)
	}
	out, _, err = configEnv(t, cfgPath, "feeds", "list", "--json")
	if err != nil {
		t.Fatal(err)
	}
	feeds = nil
	if err := json.Unmarshal([]byte(out), &feeds); err != nil || len(feeds) != 1 || feeds[0].Default || feeds[0].Name != "heise online" {
		t.Errorf("feeds list --json after removing a default = %q (%v)", out, err)
	}
}
