package main

import (
	"context"

	"github.com/kiosk-reader/kiosk/cache"
)

// Overview lists the subscribed feeds in the config's order, each named as
// in the config (a feed without a name keeps the title it gives itself),
// with the cache's counts and last error; a feed the cache has never
// stored is listed with no entries. Feeds in the cache that the config no
// longer lists are left out; the counts of all feeds still include them,
// as the list of all feeds shows them.
func (s *tuiSource) Overview(ctx context.Context) (cache.Overview, error) {
	ov, err := s.Store.Overview(ctx)
	if err != nil {
		return cache.Overview{}, err
	}
	byURL := make(map[string]cache.FeedInfo, len(ov.Feeds))
	for _, f := range ov.Feeds {
		byURL[f.URL] = f
	}
	urls, names, cats := s.feedList()
	feeds := make([]cache.FeedInfo, 0, len(urls))
	for _, u := range urls {
		f, ok := byURL[u]
		if !ok {
			f = cache.FeedInfo{URL: u}
		}
		if name := names[u]; name != "" {
			f.Title = name
		}
		f.Category = cats[u]
		feeds = append(feeds, f)
	}
	ov.Feeds = feeds
	return ov, nil
}
