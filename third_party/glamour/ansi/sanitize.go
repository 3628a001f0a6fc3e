// stripTags's token loop, normaliseElementName and the skipContent set are
// adapted from github.com/microcosm-cc/bluemonday v1.0.27 (sanitize.go),
// Copyright (c) 2014, David Kitchen, under the BSD 3-Clause licence in
// LICENSE.bluemonday in this directory.

package ansi

import (
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// skipContent are the elements whose content stripTags drops with them
// (bluemonday's default set).
var skipContent = map[string]bool{
	"frame": true, "frameset": true, "iframe": true, "noembed": true, "noframes": true,
	"noscript": true, "nostyle": true, "object": true, "script": true, "style": true, "title": true,
}

// stripTags returns s without its HTML tags, comments and doctype, and
// without the content of script, style and the elements in skipContent;
// the text is HTML-escaped. It gives what bluemonday.StrictPolicy().Sanitize
// gives (the same token loop, for a policy that allows no element), without
// linking bluemonday, whose package initialisation compiles some hundred
// regular expressions (and gorilla/css's) in every program that imports
// glamour. An input the tokenizer cannot read gives "", as there.
func stripTags(s string) string {
	if strings.TrimSpace(s) == "" {
		return s
	}
	var (
		b           strings.Builder
		skip        bool
		skipping    int64
		mostRecent  string
		tokenizer   = html.NewTokenizer(strings.NewReader(s))
		unsafeElems = func(name string) bool { return name == "script" || name == "style" }
	)
	for {
		if tokenizer.Next() == html.ErrorToken {
			if tokenizer.Err() == io.EOF {
				return b.String()
			}
			return ""
		}
		token := tokenizer.Token()
		switch token.Type {
		case html.StartTagToken:
			mostRecent = normaliseElementName(token.Data)
			if unsafeElems(mostRecent) {
				continue
			}
			if skipContent[token.Data] {
				skip = true
				skipping++
			}
		case html.EndTagToken:
			name := normaliseElementName(token.Data)
			if mostRecent == name {
				mostRecent = ""
			}
			if unsafeElems(name) {
				continue
			}
			if skipContent[token.Data] {
				skipping--
				if skipping == 0 {
					skip = false
				}
			}
		case html.TextToken:
			if !skip && !unsafeElems(mostRecent) {
				b.WriteString(token.String())
			}
		case html.ErrorToken, html.SelfClosingTagToken, html.CommentToken, html.DoctypeToken:
		}
	}
}

// normaliseElementName is bluemonday's: the lower-cased name, with any
// byte outside printable ASCII quoted.
func normaliseElementName(str string) string {
	return strings.TrimSuffix(strings.TrimPrefix(strings.ToLower(strconv.QuoteToASCII(str)), `"`), `"`)
}
