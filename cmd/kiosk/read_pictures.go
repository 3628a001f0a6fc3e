package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
	"github.com/kiosk-reader/kiosk/ui"
)

// pictureProtocol is how kiosk read draws pictures: only for --format ansi
// written to a terminal, with --images and the config's images and
// image_protocol (detected from the terminal for "auto"); else none.
func (e *env) pictureProtocol(format string, images bool) string {
	if format != "ansi" || !images || !isTerminal(e.stdout) || e.getenv("NO_COLOR") != "" {
		return ui.ProtocolNone
	}
	setting := "auto"
	if cfg, err := e.loadConfig(); err == nil {
		if cfg.Images == "off" {
			return ui.ProtocolNone
		}
		setting = cfg.ImageProtocol
	}
	return ui.ResolveImageProtocol(setting, e.getenv)
}

// renderWithPictures renders a for the terminal with its pictures: the
// stored ones of a cached entry (arg an ID, or a URL with --offline), else
// fetched now. A picture that cannot be had or drawn is a warning on
// stderr; the article is shown with its captions regardless.
func (e *env) renderWithPictures(ctx context.Context, arg string, a fetch.Article, width int, style ui.Style, proto string) (string, error) {
	pics, err := e.articlePictures(ctx, arg, a)
	if err != nil {
		fmt.Fprintln(e.stderr, "kiosk: warning:", fetch.CleanLine(err.Error()))
	}
	o := ui.PictureOptions{
		Protocol: proto,
		Tmux:     e.getenv("TMUX") != "",
		Skipped: func(err error) {
			fmt.Fprintln(e.stderr, "kiosk: warning: picture not shown:", fetch.CleanLine(err.Error()))
		},
	}
	out, err := ui.RenderWithPictures(fetch.Markdown(a), a, pics, width, style, o)
	if err != nil {
		return "", fmt.Errorf("render article: %w", err)
	}
	return out, nil
}

// articlePictures are the pictures of the article arg named: from the
// cache for an ID (or a cached URL offline), else fetched, as a sync would
// store them.
func (e *env) articlePictures(ctx context.Context, arg string, a fetch.Article) ([]fetch.Picture, error) {
	if looksLikeID(arg) || e.g.offline {
		return e.storedPictures(ctx, arg)
	}
	var pics []fetch.Picture
	var errs []error
	c := e.client()
	for _, u := range fetch.PictureURLs(a, fetch.DefaultPicturesPerArticle) {
		p, err := c.Picture(ctx, u, fetch.PictureOptions{})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		pics = append(pics, p)
	}
	return pics, errors.Join(errs...)
}

// storedPictures are the cached pictures of the entry arg names: an ID, or
// a URL of a cached entry; none without a cache or such an entry.
func (e *env) storedPictures(ctx context.Context, arg string) (pics []fetch.Picture, err error) {
	path, err := e.storePath()
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); err != nil {
		return nil, nil // no cache: no pictures
	}
	st, err := e.openStoreReadOnly(ctx)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, st.Close()) }()
	id := arg
	if !looksLikeID(arg) {
		if id, err = st.IDByURL(ctx, arg); errors.Is(err, cache.ErrNotFound) {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
	}
	return st.Pictures(ctx, id)
}
