package stack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// promClient calls the few Prometheus HTTP API endpoints the check needs.
type promClient struct {
	base string // http://127.0.0.1:PORT
	http *http.Client
}

func newPromClient(addr string) *promClient {
	return &promClient{base: "http://" + addr, http: &http.Client{Timeout: 10 * time.Second}}
}

// get calls an API endpoint and decodes the "data" member of a successful
// answer into data; an error answer becomes an error naming its cause.
func (c *promClient) get(ctx context.Context, path string, params url.Values, data any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path+"?"+params.Encode(), nil)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var envelope struct {
		Status    string          `json:"status"`
		ErrorType string          `json:"errorType"`
		Error     string          `json:"error"`
		Data      json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&envelope); err != nil {
		return fmt.Errorf("%s: HTTP %d, undecodable answer: %w", path, resp.StatusCode, err)
	}
	if envelope.Status != "success" {
		return fmt.Errorf("%s: %s: %s", path, envelope.ErrorType, envelope.Error)
	}
	return json.Unmarshal(envelope.Data, data)
}

// sample is one element of an instant query's result.
type sample struct {
	Metric map[string]string
	Value  string // as Prometheus formats it: "0.25", "NaN", "+Inf"
}

// query evaluates expr at the current time.
func (c *promClient) query(ctx context.Context, expr string) ([]sample, error) {
	var data struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	}
	if err := c.get(ctx, "/api/v1/query", url.Values{"query": {expr}}, &data); err != nil {
		return nil, err
	}
	switch data.ResultType {
	case "vector":
		var vector []struct {
			Metric map[string]string `json:"metric"`
			Value  [2]any            `json:"value"`
		}
		if err := json.Unmarshal(data.Result, &vector); err != nil {
			return nil, err
		}
		samples := make([]sample, len(vector))
		for i, v := range vector {
			samples[i] = sample{Metric: v.Metric, Value: fmt.Sprint(v.Value[1])}
		}
		return samples, nil
	case "scalar":
		var scalar [2]any
		if err := json.Unmarshal(data.Result, &scalar); err != nil {
			return nil, err
		}
		return []sample{{Value: fmt.Sprint(scalar[1])}}, nil
	}
	return nil, fmt.Errorf("result type %q: a panel needs a vector or a scalar", data.ResultType)
}

// labelValues lists the values of label on the series matching match, as
// Grafana's label_values(match, label) does.
func (c *promClient) labelValues(ctx context.Context, match, label string) ([]string, error) {
	var values []string
	err := c.get(ctx, "/api/v1/label/"+url.PathEscape(label)+"/values", url.Values{"match[]": {match}}, &values)
	return values, err
}

// target is one active scrape target.
type target struct {
	Labels    map[string]string `json:"labels"`
	ScrapeURL string            `json:"scrapeUrl"`
	Health    string            `json:"health"`
	LastError string            `json:"lastError"`
}

func (c *promClient) targets(ctx context.Context) ([]target, error) {
	var data struct {
		ActiveTargets []target `json:"activeTargets"`
	}
	err := c.get(ctx, "/api/v1/targets", url.Values{"state": {"active"}}, &data)
	return data.ActiveTargets, err
}

// rule is one recording or alerting rule as Prometheus last evaluated it.
type rule struct {
	Name      string `json:"name"`
	Type      string `json:"type"`
	Health    string `json:"health"` // "ok", "err" or "unknown" before the first evaluation
	LastError string `json:"lastError"`
	State     string `json:"state"` // alerts: inactive, pending or firing
}

func (c *promClient) rules(ctx context.Context) ([]rule, error) {
	var data struct {
		Groups []struct {
			Rules []rule `json:"rules"`
		} `json:"groups"`
	}
	if err := c.get(ctx, "/api/v1/rules", url.Values{}, &data); err != nil {
		return nil, err
	}
	var all []rule
	for _, g := range data.Groups {
		all = append(all, g.Rules...)
	}
	return all, nil
}
