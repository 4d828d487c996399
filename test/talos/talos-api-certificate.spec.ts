import { strict as assert } from "assert";
import forge from "node-forge";
import type * as tls from "tls";

/** The module object itself (an import is a read-only view of it), to wrap its connect. */
const tlsModule = require("tls") as { connect: typeof tls.connect };
import { TalosApiError, TalosClient } from "../../components/talos/api/client";
import { talosVersion } from "../../components/talos/api/machine";
import { makePki, TestPki } from "./fakes/certs";
import { FakeCluster, stackSpecs } from "./fakes/cluster";
import { FakeTalosApi, startFakeTalos } from "./fakes/talos-api";

// A node whose certificate is the cluster's but for another address (a stale IP, another node's certificate) is
// a configuration problem: the client says "certificate mismatch", with the address and the names it saw, instead
// of "down or unreachable".

/** A server certificate from the cluster CA for 172.16.1.51 and talos-cp-2 only. */
function certificateForAnotherAddress(pki: TestPki): { cert: string; key: string } {
    const caKey = forge.pki.privateKeyFromPem(pki.ca.key);
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.setRsaPublicKey(caKey.n, caKey.e);
    cert.serialNumber = "51";
    cert.validity.notBefore = new Date(Date.now() - 60_000);
    cert.validity.notAfter = new Date(Date.now() + 86_400_000);
    cert.setSubject([{ name: "commonName", value: "talos-cp-2" }]);
    cert.setIssuer(forge.pki.certificateFromPem(pki.ca.cert).subject.attributes);
    cert.setExtensions([
        { name: "extKeyUsage", serverAuth: true },
        {
            name: "subjectAltName",
            altNames: [
                { type: 2, value: "talos-cp-2" },
                { type: 7, ip: "172.16.1.51" },
            ],
        },
    ]);
    cert.sign(caKey, forge.md.sha256.create());
    return { cert: forge.pki.certificateToPem(cert), key: pki.ca.key };
}

describe("Talos API client: a certificate for the wrong address", function () {
    this.timeout(20000);
    let fake: FakeTalosApi;
    let client: TalosClient;
    let pki: TestPki;
    before(async () => {
        pki = makePki();
        fake = await startFakeTalos(new FakeCluster(stackSpecs(1, 0, "v1.13.9", "v1.36.4", 20)), {
            ...pki,
            server: certificateForAnotherAddress(pki),
        });
    });
    after(async () => {
        client?.close();
        await fake?.close();
    });

    it("is reported as a certificate mismatch naming the address and the names the certificate holds", async () => {
        const address = fake.endpoints["talos-cp-1"];
        client = new TalosClient({ name: "talos-cp-1", address }, pki.clientConfiguration, { callTimeoutMs: 3000, streamTimeoutMs: 3000 });
        await assert.rejects(talosVersion(client), (error: TalosApiError) => {
            assert.equal(error.code, 14);
            assert.equal(
                error.message,
                `talos-cp-1: Talos API MachineService.Version: UNAVAILABLE: certificate mismatch: ${address} presented a certificate for DNS:talos-cp-2, IP Address:172.16.1.51, not 127.0.0.1 (is this the node's address, and the certificate this cluster's?)`,
            );
            return true;
        });
        assert.deepEqual(fake.calls, [], "no call reached the node");
    });

    it("sends the node's name as the TLS server name, never the address (RFC 6066, Node's DEP0123), and checks the address", async () => {
        const address = fake.endpoints["talos-cp-1"];
        const servernames: (string | undefined)[] = [];
        const connect = tlsModule.connect;
        // grpc-js calls the module's connect at each connection (build/src/channel-credentials.js, SecureConnectorImpl).
        tlsModule.connect = ((options: tls.ConnectionOptions, ...rest: unknown[]) => {
            servernames.push(options.servername);
            return (connect as (...args: unknown[]) => tls.TLSSocket)(options, ...rest);
        }) as typeof tls.connect;
        try {
            client = new TalosClient({ name: "talos-cp-1", address }, pki.clientConfiguration, {
                callTimeoutMs: 3000,
                streamTimeoutMs: 3000,
            });
            await assert.rejects(
                talosVersion(client),
                /certificate mismatch: 127\.0\.0\.1:\d+ presented a certificate for DNS:talos-cp-2, IP Address:172\.16\.1\.51, not 127\.0\.0\.1/,
            );
        } finally {
            tlsModule.connect = connect;
        }
        assert.ok(servernames.length > 0, "a TLS connection was made");
        assert.deepEqual([...new Set(servernames)], ["talos-cp-1"]);
    });
});
