import { strict as assert } from "assert";
import { trustProblems, trustWarnings } from "../../components/config/trust-rules";
import { homeSpec } from "../harness/home";
import { fingerprint, serverCerts } from "../harness/impostors";

// Which trust each server gets: the Proxmox provider takes only `insecure`, so the rules refuse it without a pin
// and warn whenever it skips verification; a CA must be a CA.

const endpoint = "https://172.16.1.2:8006";

describe("trust rules", () => {
    const certs = serverCerts();

    it("accept the cluster CA and a pin, and validate the home stack with either", () => {
        assert.deepEqual(
            trustProblems({
                proxmox: { endpoint, insecure: false, caCertificate: certs.ca.certPem, fingerprint: fingerprint(certs.right) },
            }),
            [],
        );
        const spec = homeSpec((v) =>
            Object.assign(v["homelab:proxmox"], { fingerprint: fingerprint(certs.right), caCertificate: certs.ca.certPem }),
        );
        assert.equal(spec.proxmox.fingerprint, fingerprint(certs.right));
        assert.equal(spec.proxmox.insecure, false, "the default verifies");
    });

    it("warn on every run while the provider skips verification, even with a pin", () => {
        assert.deepEqual(trustWarnings({ proxmox: { endpoint, insecure: true, fingerprint: fingerprint(certs.right) } }), [
            `homelab:proxmox.insecure is true: the Proxmox provider (bpg) skips certificate verification and would send the API token to any server at ${endpoint}; ` +
                "it takes no pin or CA, only the system's trust store. Only the rollout's own client checks the pin. Add pve-root-ca.pem to this machine's trust store " +
                "(or SSL_CERT_DIR) and set insecure to false so the provider verifies too.",
        ]);
        assert.deepEqual(trustWarnings({ proxmox: { endpoint, insecure: false, fingerprint: fingerprint(certs.right) } }), []);
    });

    it("warn that an address with nothing to verify it by fails closed, and not for a name a public CA can certify", () => {
        assert.match(
            trustWarnings({ proxmox: { endpoint, insecure: false } })[0],
            /^homelab:proxmox has neither fingerprint nor caCertificate, and no public CA certifies 172\.16\.1\.2/,
        );
        assert.deepEqual(trustWarnings({ proxmox: { endpoint: "https://pve.ragas.cc:8006", insecure: false } }), []);
    });

    it("take a forwarder's pin only with https", () => {
        const pin = fingerprint(certs.right);
        assert.deepEqual(trustProblems({ dnsForwarders: { adguard: { url: "https://172.16.1.11", fingerprint: pin } } }), []);
        assert.deepEqual(
            trustProblems({ dnsForwarders: { adguard: { url: "http://172.16.1.11", caCertificate: certs.ca.certPem } } }).map((p) => p.key),
            ["homelab:dnsForwarders.adguard.url"],
        );
    });

    it("refuse a CA that does not parse", () => {
        const broken = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----";
        const [problem] = trustProblems({ proxmox: { endpoint, insecure: false, caCertificate: broken } });
        assert.equal(problem.key, "homelab:proxmox.caCertificate");
        assert.match(problem.message, /^certificate 1 does not parse/);
    });
});
