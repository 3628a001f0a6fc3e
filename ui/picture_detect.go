package ui

import "strings"

// asksTerminalForPictures reports whether the reader asks the terminal
// who it is (XTVERSION) to choose how to draw pictures: with pictures on,
// colour, and image_protocol "auto". The environment says less over SSH,
// where TERM_PROGRAM, KITTY_WINDOW_ID and COLORTERM are rarely passed on.
func (m Model) asksTerminalForPictures() bool {
	return m.opts.Images && !m.opts.NoColor && (m.opts.ImageProtocol == "" || m.opts.ImageProtocol == ProtocolAuto)
}

// terminalAnswered refines the picture protocol with the terminal's
// XTVERSION answer (like "kitty(0.35.2)" or "WezTerm 20240203"): a
// terminal known to draw kitty placeholders gets them, every other known
// truecolor terminal half-blocks. An unknown answer changes nothing.
func (m Model) terminalAnswered(name string) Model {
	if !m.asksTerminalForPictures() {
		return m
	}
	p := protocolForTerminal(name)
	if p == "" || p == m.reader.pics.proto {
		return m
	}
	m.reader.pics = m.reader.pics.withProtocol(p)
	m.keys = withPictureKeys(m.keys, m.reader.pics)
	m.reader.keys, m.list.keys = m.keys, m.keys
	return m
}

// protocolForTerminal maps an XTVERSION answer to the reader's protocol;
// "" for a terminal it does not know.
func protocolForTerminal(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.HasPrefix(n, "kitty"), strings.HasPrefix(n, "ghostty"):
		return ProtocolKitty
	case strings.HasPrefix(n, "wezterm"), strings.HasPrefix(n, "foot"), strings.HasPrefix(n, "iterm2"),
		strings.HasPrefix(n, "konsole"), strings.HasPrefix(n, "alacritty"), strings.HasPrefix(n, "contour"),
		strings.HasPrefix(n, "tmux"), strings.HasPrefix(n, "xterm"), strings.HasPrefix(n, "rio"):
		// All of them show 24-bit colour; none draws kitty placeholders.
		return ProtocolHalfblocks
	}
	return ""
}

// withProtocol is s drawing with another protocol from now on; drawings
// made for the old one are dropped.
func (s pictureState) withProtocol(p string) pictureState {
	s.proto = p
	s.drawn = newLRU[pictureKey, map[string]pictureBlock](keptDrawings)
	return s
}
