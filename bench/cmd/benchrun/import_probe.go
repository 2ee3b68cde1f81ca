package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// probeRate is how often the prober asks for the list while an import
// runs: a steady 20 requests a second, each sent on time whether or not
// the one before has answered, so a stall shows in the latencies instead
// of being skipped (wrk's closed loop would also take the CPU the import
// needs on two cores).
const probeRate = 20

// probeStats are the prober's latencies.
type probeStats struct {
	Requests, Failed int
	P50, P99, Max    time.Duration
}

// probeList asks for the students list (JSON, token) probeRate times a
// second until stop is called, and returns the latencies then.
func (b *bench) probeList(ctx context.Context) (stop func() probeStats) {
	ctx, cancel := context.WithCancel(ctx)
	client := &http.Client{Timeout: 30 * time.Second}
	var (
		mu        sync.Mutex
		latencies []time.Duration
		failed    int
		wg        sync.WaitGroup
	)
	ticker := time.NewTicker(time.Second / probeRate)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				took, err := getList(client, "http://"+b.app.addr+"/alunos", b.token)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					failed++
					return
				}
				latencies = append(latencies, took)
			}()
		}
	}()
	return func() probeStats {
		cancel()
		ticker.Stop()
		<-done
		wg.Wait()
		slices.Sort(latencies)
		s := probeStats{Requests: len(latencies) + failed, Failed: failed}
		if n := len(latencies); n > 0 {
			s.P50, s.P99, s.Max = latencies[n/2], latencies[min(n-1, n*99/100)], latencies[n-1]
		}
		return s
	}
}

// getList sends one list request and reads its answer: how long that took.
func getList(client *http.Client, url, token string) (time.Duration, error) {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("status %d", resp.StatusCode)
	}
	return time.Since(start), nil
}
