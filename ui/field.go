package ui

import (
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// field is a text input held by pointer, so that the screens holding one
// stay small: a textinput.Model is ~8 KB, and bubbletea passes the root
// model by value through every Update (and boxes it in an interface), so
// each input held by value cost copies on every message and a stack of
// hundreds of kilobytes for Update. A field is never changed in place:
// every change makes a new input, so that an older copy of a model keeps
// the input it had.
type field struct{ in *textinput.Model }

func newField(in textinput.Model) field { return field{&in} }

// with returns the field with f applied to a copy of its input.
func (fl field) with(f func(*textinput.Model)) field {
	in := *fl.in
	f(&in)
	return field{&in}
}

// focus returns the field focused and the command the input asks for.
func (fl field) focus() (field, tea.Cmd) {
	var cmd tea.Cmd
	fl = fl.with(func(in *textinput.Model) { cmd = in.Focus() })
	return fl, cmd
}

// blur returns the field without focus.
func (fl field) blur() field { return fl.with(func(in *textinput.Model) { in.Blur() }) }

// update gives msg to the input.
func (fl field) update(msg tea.Msg) (field, tea.Cmd) {
	in, cmd := fl.in.Update(msg)
	return field{&in}, cmd
}

// Value is the text typed.
func (fl field) Value() string { return fl.in.Value() }

// View draws the input.
func (fl field) View() string { return fl.in.View() }
