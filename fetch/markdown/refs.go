package markdown

import (
	"github.com/kiosk-reader/kiosk/fetch/article"
	"net/url"
	"strings"
)

// refCollector numbers the references of one article: body links in order
// of first appearance, a repeated URL keeping its first number; image URLs
// are added after all body links (see addImage).
type refCollector struct {
	byURL   map[string]int
	refs    []article.Reference
	limit   int  // at most this many link references; 0 for no limit
	dropped bool // a link went unnumbered for the limit
}

// newRefCollector returns an empty collector that numbers at most MaxRefs
// links.
func newRefCollector() *refCollector {
	return &refCollector{byURL: make(map[string]int), limit: MaxRefs}
}

// add returns the number of u, adding it as a new reference when unseen.
// It returns 0 for a new link beyond the limit; images, numbered after the
// links and bounded by the body, always get a number.
func (r *refCollector) add(u, text string, image bool) int {
	if n, ok := r.byURL[u]; ok {
		return n
	}
	if !image && r.limit > 0 && len(r.refs) >= r.limit {
		r.dropped = true
		return 0
	}
	n := len(r.refs) + 1
	r.byURL[u] = n
	r.refs = append(r.refs, article.Reference{N: n, URL: u, Text: text, Image: image})
	return n
}

// truncate keeps the first n references.
func (r *refCollector) truncate(n int) {
	if n >= len(r.refs) {
		return
	}
	for _, ref := range r.refs[n:] {
		delete(r.byURL, ref.URL)
	}
	r.refs = r.refs[:n]
}

// ResolveRef resolves href against base and reports whether the result may
// be a reference: an absolute http or https URL that is not an in-page
// anchor. mailto:, javascript:, data:, tel: and the like are never references.
func ResolveRef(base *url.URL, href string) (string, bool) {
	href = strings.TrimSpace(article.CleanText(href))
	if href == "" || href[0] == '#' {
		return "", false
	}
	if strings.ContainsAny(href, "\n\t") {
		href = strings.NewReplacer("\n", "", "\t", "").Replace(href)
	}
	u, err := url.Parse(href)
	if err != nil {
		return "", false
	}
	if u.Scheme == "" && u.Host == "" && strings.Contains(u.Path, ":") {
		return "", false // e.g. "mailto :x" mangled; be conservative
	}
	if base != nil {
		u = base.ResolveReference(u)
	} else if u.Scheme == "" && u.Host != "" {
		u.Scheme = "https" // protocol-relative without a base
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return "", false
	}
	if base != nil && u.Fragment != "" && u.Scheme == base.Scheme && u.Host == base.Host &&
		u.Path == base.Path && u.RawQuery == base.RawQuery {
		return "", false // an anchor in this page, written out in full
	}
	return u.String(), true
}

// ResolveImage resolves an image source like ResolveRef but never accepts
// data: URLs or other non-http schemes.
func ResolveImage(base *url.URL, src string) string {
	src = strings.TrimSpace(src)
	if src == "" || strings.HasPrefix(strings.ToLower(src), "data:") {
		return ""
	}
	u, ok := ResolveRef(base, src)
	if !ok {
		return ""
	}
	return u
}
