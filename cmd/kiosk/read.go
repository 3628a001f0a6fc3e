package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/term"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
	"github.com/kiosk-reader/kiosk/ui"
)

// maxFileSize caps what kiosk read takes from a local file, like the HTTP body cap.
const maxFileSize = 10 << 20

// cmdRead runs "kiosk read ID|URL|FILE": it prints one article as Markdown,
// plain text, the TUI's ANSI rendering, or JSON.
func cmdRead(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("read", e)
	format := fs.String("format", "ansi", "output `format`: ansi, markdown, text or json")
	width := fs.Int("width", 0, "wrap at `N` columns (default: the terminal's width, 80 when piped, at most 100)")
	images := fs.Bool("images", true, "with --format ansi on a terminal, draw the pictures above their captions")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: kiosk read ID|URL|FILE [--format ansi|markdown|text|json] [--width N] [--images=false]")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("kiosk read", "read: want one ID, URL or FILE, got %d arguments", len(pos))
	}
	switch *format {
	case "ansi", "markdown", "md", "text", "json":
	default:
		return fmt.Errorf("read: unknown format %q (want ansi, markdown, text or json)", *format)
	}
	if *width < 0 {
		return fmt.Errorf("read: --width must be positive, got %d", *width)
	}
	a, err := loadArticle(ctx, e, pos[0])
	if err != nil {
		return err
	}
	var out string
	if proto := e.pictureProtocol(*format, *images); proto != ui.ProtocolNone {
		out, err = e.renderWithPictures(ctx, pos[0], a, e.outputWidth(*width), e.outputStyle(*format), proto)
	} else {
		out, err = formatArticle(a, *format, e.outputWidth(*width), e.outputStyle(*format))
	}
	if err != nil {
		return err
	}
	if _, err := io.WriteString(e.stdout, out); err != nil {
		return fmt.Errorf("write article: %w", err)
	}
	return nil
}

// loadArticle gets the article an argument names: an http(s) URL is fetched
// (or read from the cache with --offline), an existing file is read, and
// anything else is a cache ID.
func loadArticle(ctx context.Context, e *env, arg string) (fetch.Article, error) {
	if u, err := url.Parse(arg); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return readURL(ctx, e, arg)
	}
	if strings.HasPrefix(arg, "file://") {
		u, err := url.Parse(arg)
		if err != nil {
			return fetch.Article{}, fmt.Errorf("read %s: %w", arg, err)
		}
		return readFile(u.Path)
	}
	if _, err := os.Stat(arg); err == nil {
		return readFile(arg)
	}
	a, err := loadCachedArticle(ctx, e, arg)
	if err != nil {
		if errors.Is(err, cache.ErrNotFound) && !looksLikeID(arg) {
			return fetch.Article{}, fmt.Errorf("read %s: no such file, URL or cached article", arg)
		}
		return fetch.Article{}, fmt.Errorf("read %s: %w", arg, err)
	}
	return a, nil
}

// looksLikeID reports whether s has the shape of a cache ID (digits, or k and hex).
func looksLikeID(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == 'k' {
		s = s[1:]
	}
	return strings.Trim(s, "0123456789abcdef") == ""
}

// readURL fetches and extracts a page. With --offline it reads the cached
// copy of the entry the URL belongs to instead. A fetched page that belongs
// to a cached entry is stored, so it reads offline afterwards.
func readURL(ctx context.Context, e *env, raw string) (fetch.Article, error) {
	if e.g.offline {
		a, err := loadCachedArticle(ctx, e, fetch.StableID(fetch.HeiseContentID(raw), "", raw))
		if errors.Is(err, cache.ErrNotFound) {
			a, err = cachedByURL(ctx, e, raw)
		}
		if err != nil {
			return fetch.Article{}, fmt.Errorf("read %s: offline and not in the cache: %w", raw, err)
		}
		return a, nil
	}
	page := fetch.StripTracking(raw)
	a, err := e.client().Page(ctx, page)
	if err != nil {
		return fetch.Article{}, fmt.Errorf("read: %w", err)
	}
	if err := storeIfCached(ctx, e, page, a); err != nil {
		fmt.Fprintln(e.stderr, "kiosk: warning:", err)
	}
	return a, nil
}

// readFile extracts a page saved on disk.
func readFile(path string) (fetch.Article, error) {
	f, err := os.Open(path)
	if err != nil {
		return fetch.Article{}, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fetch.Article{}, fmt.Errorf("read %s: %w", path, err)
	}
	if st.IsDir() {
		return fetch.Article{}, fmt.Errorf("read %s: is a directory", path)
	}
	body, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return fetch.Article{}, fmt.Errorf("read %s: %w", path, err)
	}
	if len(body) > maxFileSize {
		return fetch.Article{}, fmt.Errorf("read %s: %w (limit %d bytes)", path, fetch.ErrTooLarge, maxFileSize)
	}
	if len(body) == 0 {
		return fetch.Article{}, fmt.Errorf("read %s: %w (empty file)", path, fetch.ErrNotHTML)
	}
	if !fetch.SniffHTML(body) {
		return fetch.Article{}, fmt.Errorf("read %s: %w (looks like %s)", path, fetch.ErrNotHTML, http.DetectContentType(body))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return fetch.Article{}, fmt.Errorf("read %s: %w", path, err)
	}
	a, err := fetch.Extract((&url.URL{Scheme: "file", Path: abs}).String(), body)
	if err != nil {
		return fetch.Article{}, fmt.Errorf("read %s: %w", path, err)
	}
	return a, nil
}

// formatArticle turns an article into the requested output.
func formatArticle(a fetch.Article, format string, width int, style ui.Style) (string, error) {
	switch format {
	case "json":
		b, err := json.MarshalIndent(a, "", "  ")
		if err != nil {
			return "", fmt.Errorf("encode article: %w", err)
		}
		return string(b) + "\n", nil
	case "markdown", "md":
		return fetch.Markdown(a), nil
	case "text":
		// The print view itself, as plain text.
		return fetch.PrintText(a, width), nil
	}
	out, err := ui.NewRenderer().Render(fetch.Markdown(a), width, style)
	if err != nil {
		return "", err
	}
	return out, nil
}

// outputWidth is --width when given, else the terminal's width (80 when
// stdout is no terminal), at most ui.MaxWidth.
func (e *env) outputWidth(flagWidth int) int {
	if flagWidth > 0 {
		return flagWidth
	}
	w := 80
	if f, ok := e.stdout.(*os.File); ok && term.IsTerminal(f.Fd()) {
		if tw, _, err := term.GetSize(f.Fd()); err == nil && tw > 0 {
			w = tw
		}
	}
	return min(w, ui.MaxWidth)
}

// outputStyle picks the rendering style: text has no colour; ansi follows
// the terminal's background and honours NO_COLOR.
func (e *env) outputStyle(format string) ui.Style {
	if format == "text" {
		return ui.StyleASCII
	}
	if e.getenv("NO_COLOR") != "" {
		return ui.StyleNoColor
	}
	out, ok := e.stdout.(*os.File)
	if !ok || !term.IsTerminal(out.Fd()) || !term.IsTerminal(os.Stdin.Fd()) {
		return ui.StyleDark
	}
	if lipgloss.HasDarkBackground(os.Stdin, out) {
		return ui.StyleDark
	}
	return ui.StyleLight
}

// storeIfCached stores a page fetched from pageURL as the full article of
// the cached entries it belongs to: those whose URL is pageURL, or the
// page's canonical URL when that is on the same site, and the heise or
// Telepolis entry whose content ID pageURL carries. A page never updates
// an entry by a canonical URL on another site, so no page can overwrite
// another site's article. No cache yet, or no such entry: nothing happens.
func storeIfCached(ctx context.Context, e *env, pageURL string, a fetch.Article) (err error) {
	path, err := e.storePath()
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); err != nil {
		return nil // no cache yet: nothing to update
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return fmt.Errorf("store article %s: %w", pageURL, err)
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	owners := []string{pageURL}
	for _, u := range []string{a.CanonicalURL, a.URL} {
		if u != "" && sameSite(pageURL, u) && !slices.Contains(owners, u) {
			owners = append(owners, u)
		}
	}
	ids, err := s.IDsByURL(ctx, owners...)
	if err != nil {
		return fmt.Errorf("store article %s: %w", pageURL, err)
	}
	for _, u := range owners {
		cid := fetch.HeiseContentID(u)
		if cid == "" || slices.Contains(ids, cid) {
			continue
		}
		if _, err := s.Item(ctx, cid); err == nil {
			ids = append(ids, cid)
		} else if !errors.Is(err, cache.ErrNotFound) {
			return fmt.Errorf("store article %s: %w", pageURL, err)
		}
	}
	if len(ids) == 0 {
		return nil // not a cached entry
	}
	now := time.Now()
	results := make([]fetch.ArticleResult, 0, len(ids))
	for _, id := range ids {
		art := a
		art.ID = id
		results = append(results, fetch.ArticleResult{EntryID: id, Article: &art, FetchedAt: now})
	}
	if err := s.SaveArticles(ctx, results); err != nil {
		return fmt.Errorf("store article %s: %w", pageURL, err)
	}
	return nil
}

// sameSite reports whether two URLs are on the same host, a leading "www."
// aside.
func sameSite(a, b string) bool {
	ua, err := url.Parse(a)
	if err != nil {
		return false
	}
	ub, err := url.Parse(b)
	if err != nil {
		return false
	}
	host := func(u *url.URL) string { return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.") }
	return (ub.Scheme == "http" || ub.Scheme == "https") && host(ua) != "" && host(ua) == host(ub)
}

// cachedByURL reads the cached article (or teaser) of the entry whose URL
// is raw, for entries whose ID came from a feed GUID.
func cachedByURL(ctx context.Context, e *env, raw string) (fetch.Article, error) {
	st, err := e.openStoreReadOnly(ctx)
	if err != nil {
		return fetch.Article{}, err
	}
	id, err := st.IDByURL(ctx, raw)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fetch.Article{}, err
	}
	return loadCachedArticle(ctx, e, id)
}
