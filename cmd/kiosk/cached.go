package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

// loadCachedArticle returns the article with this ID from the cache, with
// no network. When the entry is cached but its full text is not (never
// fetched, or the fetch failed), it returns an article built from the feed
// entry, its teaser as the lead, with a Notice saying so. An unknown ID
// (or no cache at all) gives an error wrapping cache.ErrNotFound.
func loadCachedArticle(ctx context.Context, e *env, id string) (a fetch.Article, err error) {
	s, err := e.openStoreReadOnly(ctx)
	if err != nil {
		return fetch.Article{}, err
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	a, err = s.Article(ctx, id)
	if err == nil || !errors.Is(err, cache.ErrNotFound) {
		return a, err
	}
	it, err := s.Item(ctx, id)
	if err != nil {
		return fetch.Article{}, err
	}
	return teaserArticle(it), nil
}

// teaserArticle is what kiosk shows of an entry whose full text is missing.
func teaserArticle(it cache.Item) fetch.Article {
	a := fetch.Article{
		ID: it.ID, URL: it.URL, Title: it.Title, Lead: it.Summary,
		Published: it.Published, Paywalled: it.Paywalled, Rule: "feed",
		Lang:   fetch.TeaserLang(it.ID, it.Title, it.Summary),
		Notice: "The full text of this article is not in the cache; this is the feed's teaser.",
	}
	if a.Lang == "de" {
		a.Notice = "Der volle Text dieses Artikels ist nicht im Cache; dies ist der Anreißer aus dem Feed."
	}
	if len(it.FeedTitles) > 0 {
		a.Site = it.FeedTitles[0]
	}
	if it.Author != "" {
		a.Authors = []string{it.Author}
	}
	if it.Image != "" {
		a.Hero = &fetch.Figure{Image: it.Image}
	}
	switch {
	case it.ArticleErr != "" && a.Lang == "de":
		a.Notice = fmt.Sprintf("Der volle Text dieses Artikels ist nicht im Cache (der letzte Abruf schlug fehl: %s); dies ist der Anreißer aus dem Feed.", it.ArticleErr)
	case it.ArticleErr != "":
		a.Notice = fmt.Sprintf("The full text of this article is not in the cache (the last fetch failed: %s); this is the feed's teaser.", it.ArticleErr)
	}
	return a
}

// cachedArticleForURL finds the cached full article of a link: by the ID
// its URL gives (heise and Telepolis content IDs, or a hash of the URL),
// else by the URL of an entry whose ID came from its feed's GUID. An error
// wrapping cache.ErrNotFound means there is none.
func cachedArticleForURL(ctx context.Context, st *cache.Store, raw string) (fetch.Article, error) {
	a, err := st.Article(ctx, fetch.StableID(fetch.HeiseContentID(raw), "", raw))
	if !errors.Is(err, cache.ErrNotFound) {
		return a, err
	}
	id, err := st.IDByURL(ctx, raw)
	if err != nil {
		return fetch.Article{}, err
	}
	return st.Article(ctx, id)
}
