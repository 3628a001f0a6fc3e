package article

import (
	"crypto/sha256"
	"encoding/hex"
	"github.com/kiosk-reader/kiosk/fetch/internal/plainurl"
	"net/url"
	"regexp"
	"strings"
)

// contentIDPattern matches heise and Telepolis content IDs in article URLs
// (".../Slug-9675153.html") and short links ("heise.de/-9675153").
var contentIDPattern = regexp.MustCompile(`-(\d{4,})(?:\.html)?/?$`)

// HeiseContentID returns the numeric content ID of a heise online or
// Telepolis URL (article URL, short link or feed id), or "" when it has none.
func HeiseContentID(raw string) string {
	// Most URLs are neither heise's nor Telepolis's: those go without
	// being parsed (a sync asks twice per entry). A percent-encoded host
	// could spell either name, so such URLs are parsed.
	if !containsFold(raw, "heise.de") && !containsFold(raw, "telepolis.de") && !strings.Contains(raw, "%") {
		return ""
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	host := strings.ToLower(strings.TrimPrefix(u.Hostname(), "www."))
	if host != "heise.de" && host != "telepolis.de" && !strings.HasSuffix(host, ".heise.de") {
		return ""
	}
	if m := contentIDPattern.FindStringSubmatch(u.Path); m != nil {
		return m[1]
	}
	return ""
}

// containsFold reports whether s contains the ASCII lower-case sub in any
// case (strings.EqualFold's). sub must not start with k or s, the two
// letters non-ASCII runes fold to (K, ſ).
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		// Only sub[0] in either ASCII case folds to sub[0] (true of the
		// letters asked for), so other places need no EqualFold.
		if s[i]|0x20 != sub[0] {
			continue
		}
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// StableID is the cache identity of an entry or article: the numeric content
// ID when one is known (heise and Telepolis share one ID space), otherwise
// "k" and 12 hex digits of a hash of the GUID, else of the URL without
// tracking parameters.
func StableID(contentID, guid, rawURL string) string {
	if contentID != "" {
		return contentID
	}
	key := strings.TrimSpace(guid)
	if key == "" {
		key = StripTracking(rawURL)
	}
	sum := sha256.Sum256([]byte(key))
	return "k" + hex.EncodeToString(sum[:6])
}

// EntryID is the cache identity of a feed entry: the heise or Telepolis
// content ID when one is known, which is global so that one article listed
// by two feeds stays one entry; otherwise "k" and 12 hex digits of a hash of
// the feed's URL and the GUID (else the URL without tracking parameters).
// Scoping to the feed means a feed cannot claim, and so rewrite, another
// feed's entry by reusing its GUID or link.
func EntryID(feedURL, contentID, guid, rawURL string) string {
	if contentID != "" {
		return contentID
	}
	key := strings.TrimSpace(guid)
	if key == "" {
		key = StripTracking(rawURL)
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(feedURL) + "\x00" + key))
	return "k" + hex.EncodeToString(sum[:6])
}

// StripTracking removes tracking parameters (wt_mc, utm_*, and a few other
// well-known ones) and the fragment from a URL. An unparsable URL is returned
// trimmed but otherwise unchanged.
func StripTracking(raw string) string {
	raw = strings.TrimSpace(raw)
	if plainurl.Is(raw) && !mayTrack(raw) {
		return raw // what parsing and printing give back: nothing to strip
	}
	return stripTrackingURL(raw)
}

// mayTrack reports whether a plain URL's query may hold a tracking
// parameter: one does, or a name is escaped.
func mayTrack(raw string) bool {
	_, q, ok := strings.Cut(raw, "?")
	for ok {
		var p string
		p, q, ok = strings.Cut(q, "&")
		k, _, _ := strings.Cut(p, "=")
		if strings.ContainsAny(k, "%+") || isTrackingParam(strings.ToLower(k)) {
			return true
		}
	}
	return false
}

// stripTrackingURL is StripTracking through net/url.
func stripTrackingURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Fragment = ""
	u.RawFragment = ""
	if u.RawQuery == "" {
		return u.String()
	}
	// The other parameters stay byte for byte, in their order ("?cli" is
	// not "?cli="): sites tell pages apart by them.
	parts := strings.Split(u.RawQuery, "&")
	kept := parts[:0]
	for _, p := range parts {
		k, _, _ := strings.Cut(p, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if isTrackingParam(strings.ToLower(k)) {
			continue
		}
		kept = append(kept, p)
	}
	u.RawQuery = strings.Join(kept, "&")
	return u.String()
}

// isTrackingParam reports whether a lower-case query parameter name only
// tracks where a click came from.
func isTrackingParam(k string) bool {
	return k == "wt_mc" || k == "wt_zmc" || strings.HasPrefix(k, "utm_") || k == "fbclid" || k == "gclid" || k == "mc_cid" || k == "mc_eid"
}
