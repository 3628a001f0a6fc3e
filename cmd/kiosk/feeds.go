package main

import "context"

// cmdFeeds runs "kiosk feeds".
func cmdFeeds(ctx context.Context, e *env, args []string) error {
	return notImplemented("feeds")
}
