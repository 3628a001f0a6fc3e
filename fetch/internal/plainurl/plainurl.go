// Package plainurl recognises the plain absolute http(s) URLs that
// net/url gives back unchanged, so that the feed parser can skip parsing
// and printing the links and images of most feed entries.
package plainurl

// Is reports whether s is an absolute http or https URL that url.Parse
// followed by String (and by ResolveReference against any base) returns
// unchanged: a lower-case scheme, a host of letters, digits, dots and
// hyphens with an optional numeric port, a path and query of characters
// net/url never escapes or rewrites, no dot segment, no fragment, no
// user info, no percent-escape in the path.
func Is(s string) bool {
	var rest string
	switch {
	case len(s) > 8 && s[:8] == "https://":
		rest = s[8:]
	case len(s) > 7 && s[:7] == "http://":
		rest = s[7:]
	default:
		return false
	}
	// Host and port.
	i, colon := 0, -1
	for ; i < len(rest); i++ {
		c := rest[i]
		if c == '/' || c == '?' {
			break
		}
		switch {
		case c == ':' && colon < 0:
			colon = i
		case colon >= 0:
			if c < '0' || c > '9' {
				return false
			}
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-':
		default:
			return false
		}
	}
	if i == 0 || colon == 0 || colon == i-1 || (colon > 0 && i-colon-1 > 5) {
		return false
	}
	// Path.
	for ; i < len(rest) && rest[i] != '?'; i++ {
		c := rest[i]
		if !pathByte[c] {
			return false
		}
		if c == '.' && rest[i-1] == '/' {
			// A dot segment ("/." or "/..") is removed by ResolveReference;
			// refuse any path segment starting with a dot.
			return false
		}
	}
	// Query.
	for ; i < len(rest); i++ {
		if !queryByte[rest[i]] {
			return false
		}
	}
	return true
}

var pathByte, queryByte [256]bool

func init() {
	for c := 'a'; c <= 'z'; c++ {
		pathByte[c], pathByte[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		pathByte[c] = true
	}
	for _, c := range "-._~/$&+,:;=@" {
		pathByte[c] = true
	}
	queryByte = pathByte
	for _, c := range "!'()*?%" {
		queryByte[c] = true
	}
}

// IsToken reports whether s is a non-empty run of URL-unreserved
// characters (letters, digits, "-._~"), which url.Parse followed by String
// returns unchanged: such as the entry IDs "f0-1" or "9993848".
func IsToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !unreserved[c] {
			return false
		}
	}
	return true
}

var unreserved [256]bool

func init() {
	for c := 'a'; c <= 'z'; c++ {
		unreserved[c], unreserved[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		unreserved[c] = true
	}
	for _, c := range "-._~" {
		unreserved[c] = true
	}
}
