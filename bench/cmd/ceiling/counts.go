package main

import (
	"sync"
	"time"
)

// counts caches list totals by filter for a short time, the way the app
// may (its X-Total-Count must not cost a full count per request); writes
// through this server clear it. A TTL of zero counts every time.
type counts struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]countEntry
}

type countEntry struct {
	n  int64
	at time.Time
}

func newCounts(ttl time.Duration) *counts {
	return &counts{ttl: ttl, entries: map[string]countEntry{}}
}

func (c *counts) get(key string) (int64, bool) {
	if c.ttl == 0 {
		return 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	return e.n, ok && time.Since(e.at) <= c.ttl
}

func (c *counts) put(key string, n int64) {
	if c.ttl == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) > 10000 {
		clear(c.entries)
	}
	c.entries[key] = countEntry{n: n, at: time.Now()}
}

func (c *counts) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
}
