package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// The generated PKI: a CA, the server's certificate for 127.0.0.1, an admin client certificate in
// system:masters (what Talos' admin kubeconfig carries), and the service-account signing key.
type pkiFiles struct {
	caCert, serverCert, serverKey, adminCert, adminKey, serviceAccountKey, kubeconfig string
}

func (f pkiFiles) adminClient() (*http.Client, error) {
	pair, err := tls.LoadX509KeyPair(f.adminCert, f.adminKey)
	if err != nil {
		return nil, err
	}
	caPEM, err := os.ReadFile(f.caCert)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{pair}}}}, nil
}

type keyPair struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	der  []byte
}

func issue(template *x509.Certificate, parent *keyPair) (*keyPair, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	template.SerialNumber = serial
	template.NotBefore = time.Now().Add(-time.Hour)
	template.NotAfter = time.Now().Add(24 * time.Hour)
	signer, signerCert := key, template
	if parent != nil {
		signer, signerCert = parent.key, parent.cert
	}
	der, err := x509.CreateCertificate(rand.Reader, template, signerCert, &key.PublicKey, signer)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &keyPair{cert: cert, key: key, der: der}, nil
}

func writePEM(path, kind string, der []byte) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600)
}

func (k *keyPair) write(certPath, keyPath string) error {
	if err := writePEM(certPath, "CERTIFICATE", k.der); err != nil {
		return err
	}
	der, err := x509.MarshalECPrivateKey(k.key)
	if err != nil {
		return err
	}
	return writePEM(keyPath, "EC PRIVATE KEY", der)
}

func writePKI(dir string, port int) (pkiFiles, error) {
	f := pkiFiles{
		caCert: filepath.Join(dir, "ca.crt"), serverCert: filepath.Join(dir, "apiserver.crt"), serverKey: filepath.Join(dir, "apiserver.key"),
		adminCert: filepath.Join(dir, "admin.crt"), adminKey: filepath.Join(dir, "admin.key"), serviceAccountKey: filepath.Join(dir, "sa.key"),
		kubeconfig: filepath.Join(dir, "kubeconfig"),
	}
	ca, err := issue(&x509.Certificate{Subject: pkix.Name{CommonName: "homelab upstream judge CA"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}, nil)
	if err != nil {
		return f, err
	}
	server, err := issue(&x509.Certificate{Subject: pkix.Name{CommonName: "kube-apiserver"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames: []string{"localhost"}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}, ca)
	if err != nil {
		return f, err
	}
	admin, err := issue(&x509.Certificate{Subject: pkix.Name{CommonName: "admin", Organization: []string{"system:masters"}},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}, ca)
	if err != nil {
		return f, err
	}
	serviceAccount, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return f, err
	}
	saDER, err := x509.MarshalECPrivateKey(serviceAccount)
	if err != nil {
		return f, err
	}
	for _, step := range []func() error{
		func() error { return writePEM(f.caCert, "CERTIFICATE", ca.der) },
		func() error { return server.write(f.serverCert, f.serverKey) },
		func() error { return admin.write(f.adminCert, f.adminKey) },
		func() error { return writePEM(f.serviceAccountKey, "EC PRIVATE KEY", saDER) },
		func() error { return os.WriteFile(f.kubeconfig, []byte(kubeconfig(f, port)), 0o600) },
	} {
		if err := step(); err != nil {
			return f, err
		}
	}
	return f, nil
}

func kubeconfig(f pkiFiles, port int) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: judge
  cluster:
    server: https://127.0.0.1:%d
    certificate-authority: %s
users:
- name: admin
  user:
    client-certificate: %s
    client-key: %s
contexts:
- name: judge
  context: {cluster: judge, user: admin}
current-context: judge
`, port, f.caCert, f.adminCert, f.adminKey)
}
