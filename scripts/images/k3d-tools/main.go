// k3d-tools: kafka-ha's stand-in for the binary of k3d's helper image (K3D_IMAGE_TOOLS).
//
// k3d v5 starts the tools container with the argument "noop" (WORKDIR /app, the binary as entry
// point) and later runs inside it, with `docker exec`:
//
//	./k3d-tools save-image -d /k3d/images/<name>.tar IMAGE...   (k3d image import, tools mode)
//	sh -c "getent ahostsv4 '<host>'"                           (host IP lookup, Docker Desktop)
//	rm -f <tarballs>
//
// save-image streams `GET /images/get` of the Docker Engine API (socket mounted by k3d) into the
// file; getent (when this binary is invoked under that name) answers "ahostsv4 NAME" from
// /etc/hosts and DNS in glibc's output format. The rest (sh, rm) comes from busybox.
// Standard library only, so it builds offline from the Go toolchain alone.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

var version = "dev"

func main() {
	if filepath.Base(os.Args[0]) == "getent" {
		os.Exit(getent(os.Args[1:]))
	}
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	switch os.Args[1] {
	case "noop":
		// Keep the container alive until it is stopped.
		for {
			fmt.Println("k3d-tools: sleeping for 12h")
			time.Sleep(12 * time.Hour)
		}
	case "save-image", "save":
		if err := saveImage(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "k3d-tools: ERROR:", err)
			os.Exit(1)
		}
	case "getent":
		os.Exit(getent(os.Args[2:]))
	case "version", "--version", "-v":
		fmt.Println("k3d-tools (kafka-ha)", version)
	default:
		usage()
		os.Exit(2)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: k3d-tools noop | save-image [-d DEST] [-c CLUSTER] IMAGE... | getent ahostsv4 NAME | version")
}

// dockerClient talks HTTP to the engine named by DOCKER_HOST (unix:// or tcp://), default the
// unix socket /var/run/docker.sock.
func dockerClient() (*http.Client, string, error) {
	host := os.Getenv("DOCKER_HOST")
	if host == "" {
		host = "unix:///var/run/docker.sock"
	}
	u, err := url.Parse(host)
	if err != nil {
		return nil, "", fmt.Errorf("DOCKER_HOST %q: %w", host, err)
	}
	switch u.Scheme {
	case "unix":
		sock := u.Path
		tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		}}
		return &http.Client{Transport: tr}, "http://docker", nil
	case "tcp", "http":
		return &http.Client{}, "http://" + u.Host, nil
	default:
		return nil, "", fmt.Errorf("DOCKER_HOST scheme %q is not supported", u.Scheme)
	}
}

func saveImage(args []string) error {
	fs := flag.NewFlagSet("save-image", flag.ContinueOnError)
	dest := "/images"
	cluster := "k3s-default"
	for _, n := range []string{"d", "dest", "destination"} {
		fs.StringVar(&dest, n, dest, "destination tar file, or a directory for a generated name")
	}
	for _, n := range []string{"c", "cluster"} {
		fs.StringVar(&cluster, n, cluster, "cluster name (for the generated file name)")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	images := fs.Args()
	if len(images) == 0 {
		return errors.New("no image given")
	}
	file := dest
	if !strings.HasSuffix(dest, ".tar") {
		file = filepath.Join(dest, fmt.Sprintf("k3d-%s-images-%s.tar", cluster, time.Now().Format("20060102150405")))
	}

	client, base, err := dockerClient()
	if err != nil {
		return err
	}
	q := url.Values{}
	for _, img := range images {
		q.Add("names", img)
	}
	resp, err := client.Get(base + "/images/get?" + q.Encode())
	if err != nil {
		return fmt.Errorf("docker engine: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("saving %v: docker engine answered %s: %s", images, resp.Status, strings.TrimSpace(string(msg)))
	}
	// Write next to the target and rename, so a reader never sees half a tarball.
	tmp, err := os.CreateTemp(filepath.Dir(file), ".k3d-tools-save-*")
	if err != nil {
		return err
	}
	n, err := io.Copy(tmp, resp.Body)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", file, err)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	fmt.Printf("INFO: saved images %v to [%s] (%d bytes)\n", images, file, n)
	return nil
}

// getent supports the one database k3d asks for: "ahostsv4 NAME" prints every IPv4 address of
// NAME as glibc does ("ADDR  STREAM NAME" then DGRAM and RAW lines). Exit 2 when not found.
func getent(args []string) int {
	if len(args) != 2 || args[0] != "ahostsv4" {
		fmt.Fprintln(os.Stderr, "getent (k3d-tools): only 'getent ahostsv4 NAME' is supported")
		return 1
	}
	name := args[1]
	ips, err := net.DefaultResolver.LookupIP(context.Background(), "ip4", name)
	if err != nil || len(ips) == 0 {
		return 2
	}
	for i, ip := range ips {
		label := ""
		if i == 0 {
			label = " " + name
		}
		for _, kind := range []string{"STREAM", "DGRAM ", "RAW   "} {
			fmt.Printf("%-15s %s%s\n", ip.String(), kind, label)
			label = ""
		}
	}
	return 0
}
