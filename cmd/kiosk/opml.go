package main

import "context"

// cmdOPML runs "kiosk opml".
func cmdOPML(ctx context.Context, e *env, args []string) error {
	return notImplemented("opml")
}
