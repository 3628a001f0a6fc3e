package markdown

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
)

// Bounds on the Markdown body. Every level of a block quote prefixes each
// of its lines with "> " and every list level indents them, so 150 nested
// quotes around 11,000 short paragraphs (116 KB of HTML) made 6.7 MB of
// Markdown, and glamour needs time and memory per block and per level
// (about 30 KB per deeply quoted paragraph, 4 KB per table cell, in the
// dark style). The bounds keep the worst body glamour can be handed within
// a few seconds and well under 300 MB, and are far above real articles.
// Whatever a bound cuts is named in Article.Notices.
const (
	// MaxQuoteDepth is the deepest block quote; deeper quotes are written
	// into the deepest one, text kept. Real articles quote at most two or
	// three levels (an e-mail thread).
	MaxQuoteDepth = 4
	// MaxListDepth is the deepest list; the items of deeper lists become
	// paragraphs of the deepest item. Outlines rarely go past four levels.
	MaxListDepth = 6
	// MaxTableCols and MaxTableCells bound tables: a wider table, or one
	// that would take the article past MaxTableCells cells, is written as
	// one paragraph per row. A terminal cannot show 16 columns anyway.
	MaxTableCols  = 16
	MaxTableCells = 10_000
	// MaxBodyBytes caps the body whatever the page size; a long article is
	// 50 to 200 KB of Markdown. 2 MB of long paragraphs four quotes deep
	// took glamour's dark style 3.7 s and 296 MB; 1 MB halves that.
	MaxBodyBytes = 1 << 20
	// BodyPageRatio and MinBodyBytes bound the body relative to its page:
	// at most BodyPageRatio times the page's bytes, but never less than
	// MinBodyBytes. Markdown is normally smaller than its HTML; only
	// amplification (deep quotes and lists, escapes) gets near the ratio.
	BodyPageRatio = 4
	MinBodyBytes  = 64 << 10
	// MaxBodyLines caps the lines of the body, blank ones included: glamour
	// pays per block, however short. 5,000 lines are some 2,500 paragraphs,
	// a small book.
	MaxBodyLines = 5000
	// MaxRefs caps the numbered links; later links keep their text but get
	// no number. A long Wikipedia article has about 1,500 links.
	MaxRefs = 3000
)

// BodyLimit is the byte budget of the Markdown body of a page of pageBytes.
func BodyLimit(pageBytes int) int {
	return min(MaxBodyBytes, max(BodyPageRatio*pageBytes, MinBodyBytes))
}

// Notices says what the conversion cut, one line per bound.
func (c *Converter) Notices() []string {
	var out []string
	if c.flatDeep {
		out = append(out, dom.NestingNotice)
	}
	if c.flatQuotes {
		out = append(out, fmt.Sprintf("kiosk flattened block quotes nested deeper than %d levels.", MaxQuoteDepth))
	}
	if c.flatLists {
		out = append(out, fmt.Sprintf("kiosk flattened lists nested deeper than %d levels.", MaxListDepth))
	}
	if c.flatTables {
		out = append(out, fmt.Sprintf("kiosk wrote tables wider than %d columns, or past %d cells, as paragraphs.", MaxTableCols, MaxTableCells))
	}
	if c.refs != nil && c.refs.dropped {
		out = append(out, fmt.Sprintf("kiosk numbered only the first %d links.", MaxRefs))
	}
	if c.cut {
		limit := c.MaxBody
		if limit <= 0 {
			limit = MaxBodyBytes
		}
		out = append(out, fmt.Sprintf("kiosk shows only the start of this article: the text is longer than its limit (%d KB or %d lines of Markdown).", limit>>10, MaxBodyLines))
	}
	return out
}

// bound keeps the blocks within the byte budget (c.MaxBody) and
// MaxBodyLines, cutting the first block that does not fit at a line (or,
// for one long line, a word) boundary and dropping the rest.
func (c *Converter) bound(blocks []string) []string {
	limit := c.MaxBody
	if limit <= 0 {
		limit = MaxBodyBytes
	}
	size, lines := 0, 0
	for i, b := range blocks {
		sepBytes, sepLines := 0, 0
		if i > 0 {
			sepBytes, sepLines = 2, 1 // the blank line between blocks
		}
		n, l := len(b)+sepBytes, strings.Count(b, "\n")+1+sepLines
		if size+n <= limit && lines+l <= MaxBodyLines {
			size, lines = size+n, lines+l
			continue
		}
		c.cut = true
		out := blocks[:i]
		if part := cutBlock(b, limit-size-sepBytes, MaxBodyLines-lines-sepLines); part != "" {
			out = append(out, part)
		}
		return out
	}
	return blocks
}

// cutBlock returns the start of a Markdown block in at most maxBytes bytes
// and maxLines lines: whole lines, else the first line up to a space. A
// fenced code block keeps its closing fence. It returns "" when nothing
// useful fits.
func cutBlock(b string, maxBytes, maxLines int) string {
	fence := ""
	if strings.HasPrefix(b, "```") {
		fence = b[:len(b)-len(strings.TrimLeft(b, "`"))]
		maxBytes -= len(fence) + 1
		maxLines--
	}
	if maxBytes <= 0 || maxLines <= 0 {
		return ""
	}
	end, n := 0, 0 // end of the last whole line that fits
	for n < maxLines {
		i := strings.IndexByte(b[end:], '\n')
		if i < 0 || end+i > maxBytes {
			break
		}
		end += i + 1
		n++
	}
	kept := strings.TrimSuffix(b[:end], "\n")
	if end == 0 {
		if fence != "" {
			return ""
		}
		// One long first line: cut at the last space that fits.
		line := b
		if i := strings.IndexByte(line, '\n'); i >= 0 {
			line = line[:i]
		}
		if len(line) <= maxBytes {
			kept = line
		} else {
			cut := strings.LastIndexByte(line[:maxBytes+1], ' ')
			if cut <= 0 {
				cut = maxBytes
				for cut > 0 && !utf8.RuneStart(line[cut]) {
					cut--
				}
			}
			kept = strings.TrimRight(line[:cut], " ")
		}
	}
	kept = strings.TrimSuffix(kept, "\\") // a hard break with nothing after it
	if strings.Count(kept, imgMark)%2 == 1 {
		kept = kept[:strings.LastIndex(kept, imgMark)] // half an image placeholder
	}
	if fence != "" {
		if strings.TrimRight(kept, "`") == "" {
			return ""
		}
		kept += "\n" + fence
	}
	return kept
}

// refMarker matches a reference marker "[n]" in the body.
var refMarker = regexp.MustCompile(`\[(\d+)\]`)

// prune forgets the references and figures that only the cut part of the
// body used: references are numbered in order of first appearance, and
// figures are recorded in reading order.
func (c *Converter) prune(body string) {
	keep := 0
	for _, m := range refMarker.FindAllStringSubmatchIndex(body, -1) {
		if m[0] > 0 && body[m[0]-1] == '\\' {
			continue // page text, escaped
		}
		if n, err := strconv.Atoi(body[m[2]:m[3]]); err == nil && n > keep && n <= len(c.refs.refs) {
			keep = n
		}
	}
	c.refs.truncate(keep)
	figs := 0
	for rest := body; ; {
		i := strings.Index(rest, imgMark)
		if i < 0 {
			break
		}
		j := strings.Index(rest[i+1:], imgMark)
		if j < 0 {
			break
		}
		if k, err := strconv.Atoi(rest[i+1 : i+1+j]); err == nil && k+1 > figs && k < len(c.figures) {
			figs = k + 1
		}
		rest = rest[i+1+j+1:]
	}
	c.figures = c.figures[:figs]
}
