package main

import "context"

// cmdTUI runs the reader.
func cmdTUI(ctx context.Context, e *env) error {
	return notImplemented("the reader")
}
