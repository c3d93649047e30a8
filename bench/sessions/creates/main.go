// creates: N concurrent POST /api/v1/sessions through the gateway, all released at once, then a
// summary: answers by status, duplicate names, the names created (one per line in -names).
// bench/sessions/run checks the cluster and the database against that list.
// With -sequential: N creates of each of two users (-token without limits, -token-on with
// limits), one at a time and alternating, each session deleted before the next create, and the
// latency percentiles of each user's creates (the quota benchmark: the check off and on).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

type result struct {
	status int
	id     string
	code   int
	err    error
}

func create(client *http.Client, url, token, body string) result {
	request, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return result{err: err}
	}
	request.Header.Set("Authorization", "Bearer "+token)
	request.Header.Set("Content-Type", "application/json")
	response, err := client.Do(request)
	if err != nil {
		return result{err: err}
	}
	defer response.Body.Close()
	raw, err := io.ReadAll(response.Body)
	if err != nil {
		return result{status: response.StatusCode, err: err}
	}
	var answer struct {
		Name string `json:"name"`
		Code int    `json:"code"`
	}
	if err := json.NewDecoder(bytes.NewReader(raw)).Decode(&answer); err != nil {
		return result{status: response.StatusCode, err: fmt.Errorf("body %q: %v", raw, err)}
	}
	return result{status: response.StatusCode, id: answer.Name, code: answer.Code}
}

func main() {
	api := flag.String("api", "http://127.0.0.1:8000", "the gateway")
	token := flag.String("token", "", "bearer token")
	count := flag.Int("n", 500, "sessions to create, all at once")
	template := flag.String("template", "firefox", "Template name")
	names := flag.String("names", "", "file for the names created")
	serial := flag.Bool("sequential", false,
		"one create at a time, alternating -token and -token-on; print latency percentiles")
	tokenOn := flag.String("token-on", "", "with -sequential: the bearer token of the user with limits")
	flag.Parse()
	if *serial {
		sequential(*api, *token, *tokenOn, *template, *count)
		return
	}

	client := &http.Client{Timeout: 120 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: *count}}
	body := fmt.Sprintf(`{"template":%q,"persistentHome":false}`, *template)
	results := make([]result, *count)
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for i := range results {
		ready.Add(1)
		done.Add(1)
		go func(i int) {
			defer done.Done()
			ready.Done()
			<-start
			results[i] = create(client, *api+"/api/v1/sessions", *token, body)
		}(i)
	}
	ready.Wait()
	began := time.Now()
	close(start)
	done.Wait()
	elapsed := time.Since(began)

	byStatus := map[string]int{}
	seen := map[string]int{}
	var created []string
	for _, r := range results {
		switch {
		case r.err != nil:
			byStatus["transport error"]++
			log.Printf("error: %v", r.err)
		case r.status == http.StatusOK && r.id != "":
			byStatus["200"]++
			seen[r.id]++
			created = append(created, r.id)
		default:
			byStatus[fmt.Sprintf("%d (code %d)", r.status, r.code)]++
		}
	}
	duplicates := 0
	for _, n := range seen {
		duplicates += n - 1
	}
	sort.Strings(created)
	if *names != "" {
		if err := os.WriteFile(*names, []byte(strings.Join(created, "\n")+"\n"), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	summary, _ := json.Marshal(map[string]interface{}{
		"requests": *count, "answers": byStatus, "duplicateNames": duplicates,
		"seconds": elapsed.Seconds(),
	})
	fmt.Println(string(summary))
}

func remove(client *http.Client, url, token string) error {
	request, err := http.NewRequest(http.MethodDelete, url, nil)
	if err != nil {
		return err
	}
	request.Header.Set("Authorization", "Bearer "+token)
	response, err := client.Do(request)
	if err != nil {
		return err
	}
	defer response.Body.Close()
	io.Copy(io.Discard, response.Body)
	if response.StatusCode != http.StatusOK {
		return fmt.Errorf("DELETE %s: %d", url, response.StatusCode)
	}
	return nil
}

// sequential measures `count` creates of each of two users, one at a time on one kept-alive
// connection, alternating between them so that both meet the same background load; each session
// is deleted (not timed) before the next create, so every check sees the same use. The first
// user has no limit (no quota check); the second has limits that never refuse.
func sequential(api, off, on, template string, count int) {
	client := &http.Client{Timeout: 30 * time.Second}
	body := fmt.Sprintf(`{"template":%q,"persistentHome":false}`, template)
	latencies := map[string][]float64{}
	for i := 0; i < 2*count; i++ {
		side, token := "off", off
		if i%2 == 1 {
			side, token = "on", on
		}
		began := time.Now()
		r := create(client, api+"/api/v1/sessions", token, body)
		elapsed := time.Since(began)
		if r.err != nil || r.status != http.StatusOK || r.id == "" {
			log.Fatalf("create %d (%s): status %d code %d: %v", i, side, r.status, r.code, r.err)
		}
		latencies[side] = append(latencies[side], float64(elapsed.Microseconds())/1000)
		if err := remove(client, api+"/api/v1/sessions/"+r.id, token); err != nil {
			log.Fatal(err)
		}
	}
	summary := map[string]interface{}{"creates": count}
	for side, values := range latencies {
		sort.Float64s(values)
		at := func(q float64) float64 { return values[int(q*float64(len(values)-1))] }
		summary[side] = map[string]float64{"p50": at(0.50), "p90": at(0.90), "p99": at(0.99),
			"max": values[len(values)-1]}
	}
	encoded, _ := json.Marshal(summary)
	fmt.Println(string(encoded))
}
