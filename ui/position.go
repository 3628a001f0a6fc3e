package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Keeping the reader's place: across a resize, the block (paragraph,
// heading, figure) at the top of the screen stays there; an article opened
// from a full-text search shows its first hit.

// blockStarts returns the line where each block of rendered lines begins:
// a non-blank line after a blank one (or the first line).
func blockStarts(lines []string) []int {
	var starts []int
	blank := true
	for i, l := range lines {
		b := strings.TrimSpace(ansi.Strip(l)) == ""
		if !b && blank {
			starts = append(starts, i)
		}
		blank = b
	}
	return starts
}

// place is a position in an article that survives re-wrapping: a block
// by its index and the share of it above the top of the screen (and the
// share of the whole, for when the block counts differ).
type place struct {
	block, blocks int
	frac, whole   float64
	y             int  // the line it was mapped to, to tell whether the user scrolled since
	valid         bool // set by the reader once it keeps one
}

// placeOf is the place of line y of lines.
func placeOf(lines []string, y int) place {
	starts := blockStarts(lines)
	p := place{blocks: len(starts), y: y}
	if len(lines) > 0 {
		p.whole = float64(y) / float64(len(lines))
	}
	for i, s := range starts {
		if s <= y {
			p.block = i
		}
	}
	if len(starts) > 0 {
		n := blockEnd(starts, p.block, len(lines)) - starts[p.block] // a block counts its blank lines
		p.frac = float64(y-starts[p.block]) / float64(n)
	}
	return p
}

// line is the line of lines that shows the place. A re-render at another
// width keeps the blocks and only rewraps them; when the counts differ
// anyway, the position maps proportionally.
func (p place) line(lines []string) int {
	if len(lines) == 0 {
		return 0
	}
	starts := blockStarts(lines)
	if len(starts) != p.blocks || len(starts) == 0 {
		return min(len(lines)-1, int(p.whole*float64(len(lines))+1e-9))
	}
	n := blockEnd(starts, p.block, len(lines)) - starts[p.block]
	return starts[p.block] + int(p.frac*float64(n)+1e-9)
}

// mapOffset maps the top line y of old to the line of new that shows the
// same place.
func mapOffset(old, new []string, y int) int { return placeOf(old, y).line(new) }

// blockEnd is the line after block b: the next block's start, or n.
func blockEnd(starts []int, b, n int) int {
	if b+1 < len(starts) {
		return starts[b+1]
	}
	return n
}

// searchTerms are the words of a full-text query that find can look for:
// without quotes, prefix stars, operators and one-letter words.
func searchTerms(query string) []string {
	var terms []string
	for _, f := range strings.Fields(query) {
		if f == "AND" || f == "OR" || f == "NOT" || strings.HasPrefix(f, "-") {
			continue
		}
		f = strings.Trim(f, `"'()*+^:`)
		if len([]rune(f)) >= 2 {
			terms = append(terms, f)
		}
	}
	return terms
}

// findOnOpen makes the reader find the first search term it can once the
// article is shown (at once when it already is).
func (r readerModel) findOnOpen(terms []string) readerModel {
	r.findOnShow = terms
	if r.shown.id != "" && len(r.stack) == 1 {
		r = r.findTerms(terms)
	}
	return r
}

// findTerms finds the first term that occurs in the shown article and
// scrolls to its first hit below the title (the snippet the search showed
// comes from the lead or the body), else to its first hit.
func (r readerModel) findTerms(terms []string) readerModel {
	r.findOnShow = nil
	titleEnd := 0
	if starts := blockStarts(r.lines); len(starts) > 1 {
		titleEnd = starts[1]
	}
	for _, t := range terms {
		r.find = t
		r = r.applyFind(false)
		if len(r.matches) == 0 {
			continue
		}
		for i, m := range r.matches {
			if m.line >= titleEnd {
				r.matchIdx = i
				break
			}
		}
		r.searchFind = true
		return r.highlight().revealMatch()
	}
	return r.clearFind()
}
