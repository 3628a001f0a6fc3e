package main

import "context"

// cmdSearch runs "kiosk search".
func cmdSearch(ctx context.Context, e *env, args []string) error {
	return notImplemented("search")
}
