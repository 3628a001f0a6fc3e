package main

import "context"

// cmdList runs "kiosk list".
func cmdList(ctx context.Context, e *env, args []string) error {
	return notImplemented("list")
}
