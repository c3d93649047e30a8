// readytime starts a server N times and measures how long each start takes until the server
// answers its health check: for a gRPC server, the port accepts a connection and then
// grpc.health.v1 Check answers SERVING; for an HTTP server, the port accepts a connection and
// then the URL answers 200. Each started process is stopped (SIGTERM, then SIGKILL after 5 s)
// before the next start. Prints one line per run and a last line `median_ms=<n> rss_kib=<n>`,
// the RSS being the median VmRSS of the process at the moment it was ready.
//
//	readytime -n 5 -grpc 127.0.0.1:9001 -log auth.log -- ./auth-service
//	readytime -n 5 -http http://127.0.0.1:8000/health -log gw.log -- ./gateway
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

const pollInterval = time.Millisecond

func waitForPort(address string, deadline time.Time) error {
	for time.Now().Before(deadline) {
		conn, err := net.DialTimeout("tcp", address, 50*time.Millisecond)
		if err == nil {
			conn.Close()
			return nil
		}
		time.Sleep(pollInterval)
	}
	return fmt.Errorf("%s did not accept a connection in time", address)
}

func waitForGrpc(address string, deadline time.Time) error {
	if err := waitForPort(address, deadline); err != nil {
		return err
	}
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	conn, err := grpc.DialContext(ctx, address, grpc.WithInsecure(), grpc.WithBlock())
	if err != nil {
		return fmt.Errorf("grpc dial %s: %v", address, err)
	}
	defer conn.Close()
	client := healthpb.NewHealthClient(conn)
	for time.Now().Before(deadline) {
		callCtx, callCancel := context.WithTimeout(ctx, 100*time.Millisecond)
		response, err := client.Check(callCtx, &healthpb.HealthCheckRequest{})
		callCancel()
		if err == nil && response.Status == healthpb.HealthCheckResponse_SERVING {
			return nil
		}
		time.Sleep(pollInterval)
	}
	return fmt.Errorf("%s did not report SERVING in time", address)
}

func waitForHTTP(target string, deadline time.Time) error {
	parsed, err := url.Parse(target)
	if err != nil {
		return err
	}
	if err := waitForPort(parsed.Host, deadline); err != nil {
		return err
	}
	client := &http.Client{Timeout: 100 * time.Millisecond}
	for time.Now().Before(deadline) {
		response, err := client.Get(target)
		if err == nil {
			response.Body.Close()
			if response.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(pollInterval)
	}
	return fmt.Errorf("%s did not answer 200 in time", target)
}

func rssKiB(pid int) int {
	file, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer file.Close()
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) >= 2 && fields[0] == "VmRSS:" {
			value, _ := strconv.Atoi(fields[1])
			return value
		}
	}
	return 0
}

func stop(command *exec.Cmd) {
	_ = command.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = command.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = command.Process.Kill()
		<-done
	}
}

func median(values []int) int {
	sorted := append([]int(nil), values...)
	sort.Ints(sorted)
	return sorted[len(sorted)/2]
}

func main() {
	runs := flag.Int("n", 5, "how many starts to measure")
	grpcAddress := flag.String("grpc", "", "gRPC address whose health check must answer SERVING")
	httpURL := flag.String("http", "", "URL that must answer 200")
	logPath := flag.String("log", os.DevNull, "file that collects the server's output")
	timeout := flag.Duration("timeout", 10*time.Second, "how long one start may take")
	flag.Parse()
	if flag.NArg() == 0 || (*grpcAddress == "") == (*httpURL == "") {
		fmt.Fprintln(os.Stderr, "usage: readytime [-n N] (-grpc ADDR | -http URL) [-log FILE] -- command [args]")
		os.Exit(2)
	}
	logFile, err := os.OpenFile(*logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer logFile.Close()

	var elapsed, rss []int
	for run := 1; run <= *runs; run++ {
		command := exec.Command(flag.Arg(0), flag.Args()[1:]...)
		command.Stdout = logFile
		command.Stderr = logFile
		started := time.Now()
		if err := command.Start(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		deadline := started.Add(*timeout)
		if *grpcAddress != "" {
			err = waitForGrpc(*grpcAddress, deadline)
		} else {
			err = waitForHTTP(*httpURL, deadline)
		}
		ready := time.Since(started)
		readyRss := rssKiB(command.Process.Pid)
		stop(command)
		if err != nil {
			fmt.Fprintf(os.Stderr, "run %d: %v\n", run, err)
			os.Exit(1)
		}
		elapsed = append(elapsed, int(ready.Milliseconds()))
		rss = append(rss, readyRss)
		fmt.Printf("run %d: ready in %.1f ms, VmRSS %d KiB\n", run, float64(ready.Microseconds())/1000, readyRss)
		time.Sleep(200 * time.Millisecond)
	}
	fmt.Printf("median_ms=%d rss_kib=%d\n", median(elapsed), median(rss))
}
