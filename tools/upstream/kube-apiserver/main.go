// A real kube-apiserver for test/upstream: etcd (embedded, go.etcd.io/etcd/server/v3) and the API server
// (k8s.io/kubernetes cmd/kube-apiserver/app, built as a library) on 127.0.0.1 only, with a CA, certificates
// and a service-account key generated into --dir. It prints one JSON line once /readyz answers ok, and
// stops on SIGTERM, or when the process that started it dies (PR_SET_PDEATHSIG), so none outlives its test.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"golang.org/x/sys/unix"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	dir := flag.String("dir", "", "a fresh temporary directory: certificates, kubeconfig and etcd's data go here")
	serviceCIDR := flag.String("service-cidr", "", "the cluster's service network (homelab:network.serviceCidr)")
	admission := flag.String("admission-config", "", "an AdmissionConfiguration file (the one Talos generates), optional")
	readyWait := flag.Duration("ready-timeout", 3*time.Minute, "how long to wait for etcd and /readyz")
	flag.Parse()
	if *dir == "" || *serviceCIDR == "" {
		fail(fmt.Errorf("--dir and --service-cidr are required"))
	}
	// Dies with its parent, whatever the parent's exit: no stray API server holds the machine.
	if err := unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(unix.SIGKILL), 0, 0, 0); err != nil {
		fail(err)
	}
	if err := run(*dir, *serviceCIDR, *admission, *readyWait); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "kube-apiserver judge: %v\n", err)
	os.Exit(1)
}

// freePort asks the kernel for a free loopback port. Another process could take it before etcd or the API
// server binds it; on this machine, with every listener on 127.0.0.1, that race is not worth a retry loop.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func startEtcd(dir string, wait time.Duration) (*embed.Etcd, string, error) {
	clientPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	peerPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	client := url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(clientPort)}
	peer := url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(peerPort)}
	cfg := embed.NewConfig()
	cfg.Dir = filepath.Join(dir, "etcd")
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
	cfg.InitialCluster = cfg.Name + "=" + peer.String()
	cfg.LogLevel = "error"
	etcd, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, "", err
	}
	select {
	case <-etcd.Server.ReadyNotify():
		return etcd, client.String(), nil
	case <-time.After(wait):
		etcd.Close()
		return nil, "", fmt.Errorf("etcd was not ready within %s", wait)
	}
}

func run(dir, serviceCIDR, admission string, wait time.Duration) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	files, err := writePKI(dir, port)
	if err != nil {
		return err
	}
	etcd, etcdURL, err := startEtcd(dir, wait)
	if err != nil {
		return err
	}
	defer etcd.Close()

	args := []string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(port),
		"--tls-cert-file=" + files.serverCert,
		"--tls-private-key-file=" + files.serverKey,
		"--client-ca-file=" + files.caCert,
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + files.serviceAccountKey,
		"--service-account-signing-key-file=" + files.serviceAccountKey,
		"--service-cluster-ip-range=" + serviceCIDR,
		"--authorization-mode=Node,RBAC",
		"--enable-admission-plugins=NodeRestriction",
		"--logging-format=text",
		"--v=0",
	}
	if admission != "" {
		args = append(args, "--admission-control-config-file="+admission)
	}
	cmd := app.NewAPIServerCommand()
	cmd.SetArgs(args)
	// Quiet: its usage text on an error would bury the error itself.
	cmd.SilenceUsage = true
	done := make(chan error, 1)
	go func() { done <- cmd.Execute() }()

	if err := waitReady(files, port, wait, done); err != nil {
		return err
	}
	line, _ := json.Marshal(map[string]any{"ready": true, "server": fmt.Sprintf("https://127.0.0.1:%d", port), "kubeconfig": files.kubeconfig})
	fmt.Println(string(line))
	// Runs until SIGTERM (the command's own signal context), then etcd closes (deferred).
	return <-done
}

func waitReady(files pkiFiles, port int, wait time.Duration, done <-chan error) error {
	client, err := files.adminClient()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	readyz := fmt.Sprintf("https://127.0.0.1:%d/readyz", port)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, readyz, nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-done:
			return fmt.Errorf("kube-apiserver exited before it was ready: %v", err)
		case <-ctx.Done():
			return fmt.Errorf("kube-apiserver was not ready within %s", wait)
		case <-time.After(250 * time.Millisecond):
		}
	}
}
