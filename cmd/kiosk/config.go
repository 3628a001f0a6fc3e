package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/kiosk-reader/kiosk/fetch"
)

// Config is the user's config file (see DESIGN.md), with defaults applied.
type Config struct {
	Feeds          []FeedConfig `toml:"feed"`
	KeepDays       int          `toml:"keep_days"`        // prune entries older than this; 0 keeps all (0..maxKeepDays)
	RefreshOnStart bool         `toml:"refresh_on_start"` // the TUI syncs in the background when it starts
	Concurrency    int          `toml:"concurrency"`      // requests in flight at once; 0 means the default (0..maxConcurrency)
	Browser        string       `toml:"browser"`          // command that opens a URL; empty means the system's
	// MaxItems is how many entries a sync takes from each feed, newest
	// first (1..maxMaxItems); a [[feed]]'s own max_items overrides it.
	MaxItems int `toml:"max_items"`
	// StartScreen is the TUI's first screen: "list" (the articles of every
	// feed) or "feeds" (the feeds overview).
	StartScreen string `toml:"start_screen"`
	// RefreshInterval is how often the TUI syncs in the background while it
	// runs; 0 never (a duration string: "30m", "2h", "0").
	RefreshInterval configDuration `toml:"refresh_interval"`
	// SaveDir is where the TUI saves articles as Markdown ("~/" is the
	// home directory); empty means the documents directory (saveDir).
	SaveDir string `toml:"save_dir"`
	// Keys remaps the TUI's actions: action name → keys ([keys] table).
	Keys map[string]keyList `toml:"keys"`
	// Images stores articles' pictures at sync and shows them: "on" or
	// "off"; ImageProtocol says how the reader draws them ("auto" detects
	// the terminal); ImagesPerArticle and ImageMaxKB bound what is stored.
	Images           string `toml:"images"`
	ImageProtocol    string `toml:"image_protocol"`
	ImagesPerArticle int    `toml:"images_per_article"`
	ImageMaxKB       int    `toml:"image_max_kb"`
	// Server is a feed server that owns the subscriptions and the
	// read/starred state ([server]; see server.go).
	Server ServerConfig `toml:"server"`

	Path   string `toml:"-"` // the file it was read from
	Exists bool   `toml:"-"` // false when there was no file and the defaults apply
}

// FeedConfig is one subscription.
type FeedConfig struct {
	Name     string `toml:"name"` // cleaned of control and bidi characters when read
	URL      string `toml:"url"`
	MaxItems int    `toml:"max_items"` // entries taken per sync; 0: the global max_items
}

// feedMaxItems maps the URLs of feeds with their own max_items to it, for
// fetch.Syncer.FeedMaxItems; the others take c.MaxItems (Syncer.MaxItems).
func (c Config) feedMaxItems() map[string]int {
	m := map[string]int{}
	for _, f := range c.Feeds {
		if f.MaxItems > 0 {
			m[f.URL] = f.MaxItems
		}
	}
	return m
}

// names maps feed URLs to their names in the config, for fetch.Syncer.Names.
func (c Config) names() map[string]string {
	m := make(map[string]string, len(c.Feeds))
	for _, f := range c.Feeds {
		if f.Name != "" {
			m[f.URL] = f.Name
		}
	}
	return m
}

// defaultFeeds are the subscriptions when there is no config file.
func defaultFeeds() []FeedConfig {
	return []FeedConfig{
		{Name: "heise online", URL: "https://www.heise.de/rss/heise-atom.xml"},
		{Name: "Telepolis", URL: "https://www.telepolis.de/news-atom.xml"},
	}
}

// Defaults and ranges of config values. Each bound keeps a typo (an extra
// digit) from doing damage and every value inside it meaningful.
const (
	defaultKeepDays = 180
	// maxKeepDays is 100 years. Far larger values overflowed the prune
	// cutoff (int64 nanoseconds end in 1677) and deleted everything.
	maxKeepDays = 36500
	// maxConcurrency bounds parallel requests: more only hammers servers
	// and runs into file-descriptor limits.
	maxConcurrency = 64
	// defaultMaxItems and maxMaxItems bound the entries a sync takes from
	// one feed; a hostile feed with a million items cannot fill the cache.
	// The default is fetch's: an archive feed still gives its newest 1000.
	defaultMaxItems = fetch.DefaultMaxItems
	maxMaxItems     = 10000
)

// knownKeys lists the config keys for the unknown-key error.
const knownKeys = "feed.name, feed.url, feed.max_items, keep_days, refresh_on_start, concurrency, max_items, browser, start_screen, refresh_interval, save_dir, images, image_protocol, images_per_article, image_max_kb, [keys], [server] kind, url, user, password_command"

// loadConfig reads the config file at e.configPath(). A missing file gives
// the defaults (heise online and Telepolis); an unknown key or a bad value is
// an error naming the file and line.
func (e *env) loadConfig() (Config, error) {
	path, err := e.configPath()
	if err != nil {
		return Config{}, err
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		cfg := defaultConfig()
		cfg.Path = path
		cfg.Feeds = defaultFeeds()
		return cfg, nil
	}
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	cfg, err := parseConfig(path, data)
	if err != nil {
		return Config{}, err
	}
	return cfg, nil
}

func defaultConfig() Config {
	return Config{KeepDays: defaultKeepDays, RefreshOnStart: true, MaxItems: defaultMaxItems, StartScreen: "list",
		RefreshInterval: configDuration(defaultRefreshInterval),
		Images:          "on", ImageProtocol: "auto", ImagesPerArticle: fetch.DefaultPicturesPerArticle, ImageMaxKB: fetch.DefaultPictureBytes >> 10}
}

// tomlLineErr matches the TOML library's type errors, which carry the line
// in the message: toml: line 3 (last key "keep_days"): incompatible types...
var tomlLineErr = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)

// parseConfig decodes and checks a config file's text.
func parseConfig(path string, data []byte) (Config, error) {
	cfg := defaultConfig()
	cfg.Path, cfg.Exists = path, true
	md, err := toml.Decode(string(data), &cfg)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) && pe.Position.Line > 0 {
			line := pe.Position.Line
			// The library counts an error at a line's end on the next line.
			if st := pe.Position.Start; st > 0 && st <= len(data) {
				line = 1 + bytes.Count(data[:st-1], []byte("\n"))
			}
			return Config{}, fmt.Errorf("%s:%d: %s", path, line, pe.Message)
		}
		if m := tomlLineErr.FindStringSubmatch(err.Error()); m != nil {
			return Config{}, fmt.Errorf("%s:%s: %s: %s", path, m[1], m[2], m[3])
		}
		return Config{}, fmt.Errorf("%s: %s", path, strings.TrimPrefix(err.Error(), "toml: "))
	}
	lines := scanTOML(data)
	if und := md.Undecoded(); len(und) > 0 {
		k := und[0]
		return Config{}, fmt.Errorf("%s:%d: unknown key %q (known: %s)", path, lines.lineOf(k), k.String(), knownKeys)
	}
	if cfg.KeepDays < 0 || cfg.KeepDays > maxKeepDays {
		return Config{}, fmt.Errorf("%s:%d: keep_days = %d: want 0 (keep all) to %d (100 years)", path, lines.keys["keep_days"], cfg.KeepDays, maxKeepDays)
	}
	if cfg.Concurrency < 0 || cfg.Concurrency > maxConcurrency {
		return Config{}, fmt.Errorf("%s:%d: concurrency = %d: want 1 to %d (0: the default)", path, lines.keys["concurrency"], cfg.Concurrency, maxConcurrency)
	}
	if cfg.MaxItems < 1 || cfg.MaxItems > maxMaxItems {
		return Config{}, fmt.Errorf("%s:%d: max_items = %d: want 1 to %d", path, lines.keys["max_items"], cfg.MaxItems, maxMaxItems)
	}
	if cfg.StartScreen != "list" && cfg.StartScreen != "feeds" {
		return Config{}, fmt.Errorf("%s:%d: start_screen = %q: want \"list\" or \"feeds\"", path, lines.keys["start_screen"], cfg.StartScreen)
	}
	if err := checkTUISettings(&cfg, lines); err != nil {
		return Config{}, fmt.Errorf("%s:%w", path, err)
	}
	if err := checkImageSettings(cfg, lines); err != nil {
		return Config{}, fmt.Errorf("%s:%w", path, err)
	}
	if err := checkServer(cfg, lines); err != nil {
		return Config{}, fmt.Errorf("%s:%w", path, err)
	}
	seen := map[string]int{}
	for i := range cfg.Feeds {
		f := &cfg.Feeds[i]
		line := lines.keys[fmt.Sprintf("feed[%d].url", i)]
		if line == 0 && len(lines.feedHeaders) > 0 {
			line = lines.feedHeaders[min(i, len(lines.feedHeaders)-1)]
		}
		if line == 0 {
			line = lines.keys["feed"] // feed = [{…}]: no [[feed]] headers
		}
		// A name is only shown, so it is cleaned; a URL is rejected below.
		f.Name = fetch.CleanLine(f.Name)
		mi, explicit := lines.keys[fmt.Sprintf("feed[%d].max_items", i)]
		if f.MaxItems < 0 || f.MaxItems > maxMaxItems || (f.MaxItems == 0 && explicit) {
			if mi == 0 {
				mi = line
			}
			return Config{}, fmt.Errorf("%s:%d: feed %d: max_items = %d: want 1 to %d", path, mi, i+1, f.MaxItems, maxMaxItems)
		}
		if err := checkFeedURL(f.URL); err != nil {
			return Config{}, fmt.Errorf("%s:%d: feed %d: %w", path, line, i+1, err)
		}
		if j, dup := seen[f.URL]; dup {
			return Config{}, fmt.Errorf("%s:%d: feed %s is listed twice (also feed %d)", path, line, f.URL, j+1)
		}
		seen[f.URL] = i
	}
	return cfg, nil
}

// checkFeedURL accepts absolute http and https URLs without control,
// bidi or other invisible characters (which could rewrite a terminal or
// disguise the URL).
func checkFeedURL(raw string) error {
	if strings.TrimSpace(raw) == "" {
		return errors.New("url is missing")
	}
	if fetch.HasControl(raw) {
		return fmt.Errorf("url %s holds control or invisible characters", strconv.QuoteToASCII(raw))
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || raw != strings.TrimSpace(raw) {
		return fmt.Errorf("url %q is not an http or https URL", raw)
	}
	return nil
}

// tomlLines maps keys of a config file to their line numbers, found by a
// line scanner, because the TOML library reports no positions for keys.
type tomlLines struct {
	keys        map[string]int // "keep_days", "feed[0].url", "x.y" → 1-based line
	feedHeaders []int          // line of each [[feed]] header
	headers     map[int]bool   // lines of all table headers
	lineCount   int
}

// scanTOML records where each key and [[feed]] header is. Keys inside
// multi-line strings are ignored.
func scanTOML(data []byte) tomlLines {
	out := tomlLines{keys: map[string]int{}, headers: map[int]bool{}}
	prefix := ""
	arrays := map[string]int{}
	inMulti := ""
	for i, line := range strings.Split(string(data), "\n") {
		n := i + 1
		out.lineCount = n
		t := strings.TrimSpace(line)
		if inMulti != "" {
			if strings.Count(t, inMulti)%2 == 1 {
				inMulti = ""
			}
			continue
		}
		switch {
		case t == "" || strings.HasPrefix(t, "#"):
			continue
		case strings.HasPrefix(t, "[["):
			name := tableName(t[2:], "]]")
			idx := arrays[name]
			arrays[name]++
			prefix = fmt.Sprintf("%s[%d].", name, idx)
			out.headers[n] = true
			if name == "feed" {
				out.feedHeaders = append(out.feedHeaders, n)
			}
			continue
		case strings.HasPrefix(t, "["):
			name := tableName(t[1:], "]")
			prefix = name + "."
			out.headers[n] = true
			if _, ok := out.keys[name]; !ok {
				out.keys[name] = n
			}
			continue
		}
		eq := strings.IndexByte(t, '=')
		if eq <= 0 {
			continue
		}
		key := strings.Trim(strings.TrimSpace(t[:eq]), `"'`)
		if _, ok := out.keys[prefix+key]; !ok {
			out.keys[prefix+key] = n
		}
		for _, q := range []string{`"""`, `'''`} {
			if strings.Count(t[eq:], q)%2 == 1 {
				inMulti = q
			}
		}
	}
	return out
}

// tableName is the name in a table header, up to the closing brackets.
func tableName(s, end string) string {
	if i := strings.Index(s, end); i >= 0 {
		s = s[:i]
	}
	return strings.Trim(strings.TrimSpace(s), `"'`)
}

// lineOf finds the line of a decoded key like feed.nmae (any [[feed]]) or
// colour; 0 when the scanner did not see it.
func (l tomlLines) lineOf(k toml.Key) int {
	if len(k) == 0 {
		return 0
	}
	if n, ok := l.keys[strings.Join(k, ".")]; ok {
		return n
	}
	best := 0
	want := "." + k[len(k)-1]
	head := k[0] + "["
	for key, n := range l.keys {
		if strings.HasPrefix(key, head) && strings.HasSuffix(key, want) && (best == 0 || n < best) {
			best = n
		}
	}
	return best
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// feedBlock is the text of one [[feed]] table.
func feedBlock(f FeedConfig) string {
	var b strings.Builder
	b.WriteString("[[feed]]\n")
	if f.Name != "" {
		b.WriteString("name = " + tomlString(f.Name) + "\n")
	}
	b.WriteString("url = " + tomlString(f.URL) + "\n")
	if f.MaxItems > 0 {
		fmt.Fprintf(&b, "max_items = %d\n", f.MaxItems)
	}
	return b.String()
}

// configHeader starts a config file that kiosk writes itself.
const configHeader = `# kiosk config (see kiosk help). Unknown keys are an error.
# keep_days = 180          # prune entries older than this, 0 to 36500; 0 keeps all
# refresh_on_start = true  # sync in the background when the reader starts
# concurrency = 16         # requests at once, 1 to 64
# max_items = 1000         # entries a sync takes per feed, 1 to 10000 (also per [[feed]])
# start_screen = "list"    # the reader's first screen: "list" (articles) or "feeds" (overview)
`

// configText returns the current text of the config file, or, when there is
// none, a new file holding the default subscriptions, so that editing it
// keeps them.
func configText(cfg Config, withDefaults bool) ([]byte, error) {
	if cfg.Exists {
		data, err := os.ReadFile(cfg.Path)
		if err != nil {
			return nil, fmt.Errorf("read config: %w", err)
		}
		return data, nil
	}
	var b bytes.Buffer
	b.WriteString(configHeader)
	if withDefaults {
		for _, f := range defaultFeeds() {
			b.WriteString("\n" + feedBlock(f))
		}
	}
	return b.Bytes(), nil
}

// appendFeeds returns data with [[feed]] blocks for feeds appended; the rest
// of the text, comments included, is unchanged.
func appendFeeds(data []byte, feeds []FeedConfig) []byte {
	out := bytes.Clone(data)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	for _, f := range feeds {
		out = append(out, '\n')
		out = append(out, feedBlock(f)...)
	}
	return out
}

// removeFeedBlock returns data without the idx-th [[feed]] table: its
// header and its lines up to the last key before the next table header.
func removeFeedBlock(data []byte, idx int) ([]byte, error) {
	lines := scanTOML(data)
	if idx < 0 || idx >= len(lines.feedHeaders) {
		return nil, errors.New("the feed is not written as a [[feed]] table; edit the file by hand")
	}
	text := strings.SplitAfter(string(data), "\n")
	start := lines.feedHeaders[idx] - 1 // 0-based
	// The block ends after its last key line, before the next header: blank
	// lines and comments after it stay, as they introduce what follows.
	end := start + 1
	for i := start + 1; i < len(text) && !lines.headers[i+1]; i++ {
		if t := strings.TrimSpace(text[i]); t != "" && !strings.HasPrefix(t, "#") {
			end = i + 1
		}
	}
	// Drop one blank line before the block so removals do not pile up blank lines.
	if start > 0 && strings.TrimSpace(text[start-1]) == "" {
		start--
	}
	return []byte(strings.Join(text[:start], "") + strings.Join(text[end:], "")), nil
}

// configTarget is the file a config path names: a symlinked config (as
// dotfile managers make) is edited where it lives instead of being
// replaced by a plain file.
func configTarget(path string) string {
	if t, err := filepath.EvalSymlinks(path); err == nil {
		return t
	}
	return path
}

// lockConfig takes an exclusive lock on the config file at path (on
// path.lock beside it), waiting while another kiosk holds it, so that
// concurrent feeds add/remove and opml import each read the file the
// previous one wrote. The caller must reload the config after locking.
func lockConfig(path string) (unlock func() error, err error) {
	path = configTarget(path)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("lock config: %w", err)
	}
	return lockFile(path + ".lock")
}

// writeConfig replaces the config file atomically (a temporary file in the
// same directory, synced, then renamed over it, keeping the old file's
// permissions), creating its directory when needed.
func writeConfig(path string, data []byte) error {
	path = configTarget(path)
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	mode := fs.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(dir, ".config-*.toml")
	if err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	renamed := false
	defer func() {
		if !renamed {
			os.Remove(tmp.Name()) // best effort: the error that matters is returned below
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("write config: %w", errors.Join(err, tmp.Close()))
	}
	if err := tmp.Chmod(mode); err != nil {
		return fmt.Errorf("write config: %w", errors.Join(err, tmp.Close()))
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write config: %w", errors.Join(err, tmp.Close()))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	renamed = true
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("write config: the file is replaced, but syncing %s failed: %w", dir, err)
	}
	return nil
}

// saveFeedEdit writes edited config text after checking that it still parses
// to want, so that a surgical edit can never leave a broken file behind.
func saveFeedEdit(cfg Config, data []byte, want []FeedConfig) error {
	got, err := parseConfig(cfg.Path, data)
	if err != nil {
		return fmt.Errorf("edited config does not parse, nothing written: %w", err)
	}
	if len(got.Feeds) != len(want) {
		return fmt.Errorf("edited config has %d feeds, want %d; nothing written", len(got.Feeds), len(want))
	}
	for i := range want {
		if got.Feeds[i] != want[i] {
			return fmt.Errorf("edited config has feed %+v where %+v was expected; nothing written", got.Feeds[i], want[i])
		}
	}
	return writeConfig(cfg.Path, data)
}
