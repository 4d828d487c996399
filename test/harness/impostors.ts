import { strict as assert } from "assert";
import { generateKeyPairSync, X509Certificate } from "crypto";
import * as https from "https";
import { AddressInfo } from "net";
import forge from "node-forge";
import { Issued, testCa, TestCa } from "../verify/certs";

// The servers a credential must never reach, beside the one it is for, all on 127.0.0.1: the right server (a
// certificate for 127.0.0.1 from the configured CA), an impostor with a self-signed certificate for 127.0.0.1,
// and one with a valid certificate from the same CA for another host. Each records the requests it got, so a
// test proves that no header, and so no credential, reached an impostor.

export interface ServerCerts {
    /** The CA the right server's certificate comes from (Proxmox: pve-root-ca.pem). */
    ca: TestCa;
    right: Issued;
    selfSigned: Issued;
    otherHost: Issued;
}

let made: ServerCerts | undefined;

/** A certificate for 127.0.0.1 signed by its own key. */
function selfSignedFor127(): Issued {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const key = forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs1", format: "pem" }).toString());
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString());
    cert.serialNumber = "7f";
    cert.validity.notBefore = new Date(Date.now() - 3_600_000);
    cert.validity.notAfter = new Date(Date.now() + 86_400_000);
    cert.setSubject([{ name: "commonName", value: "pve1" }]);
    cert.setIssuer([{ name: "commonName", value: "pve1" }]);
    cert.setExtensions([
        {
            name: "subjectAltName",
            altNames: [
                { type: 7, ip: "127.0.0.1" },
                { type: 2, value: "pve1" },
            ],
        },
    ]);
    cert.sign(key, forge.md.sha256.create());
    return { keyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(), certPem: forge.pki.certificateToPem(cert) };
}

/** Made once per test run: RSA keys are the slow part. */
export function serverCerts(): ServerCerts {
    if (made) return made;
    const ca = testCa();
    const notAfter = new Date(Date.now() + 86_400_000);
    made = {
        ca,
        right: ca.issue({ commonName: "pve1", dnsNames: ["pve1"], ips: ["127.0.0.1"], notAfter }),
        selfSigned: selfSignedFor127(),
        otherHost: ca.issue({ commonName: "pve9", dnsNames: ["pve9.home.arpa"], ips: ["10.0.0.9"], notAfter }),
    };
    return made;
}

/** The SHA-256 fingerprint as `pvenode cert info` prints it: `AB:CD:...`. */
export function fingerprint(issued: Issued): string {
    return new X509Certificate(issued.certPem).fingerprint256;
}

export interface RecordingServer {
    url: string;
    /** `METHOD path [authorization header]` of every request that reached the server. */
    requests: string[];
    close(): Promise<void>;
}

/** An https server on 127.0.0.1 with this certificate, answering every request with `answer`. */
export async function recordingServer(
    issued: Issued,
    answer: (path: string) => { status: number; body: string },
): Promise<RecordingServer> {
    const recorder = { requests: [] as string[] };
    const server = https.createServer({ key: issued.keyPem, cert: issued.certPem }, (req, res) => {
        req.resume();
        req.on("end", () => {
            recorder.requests.push(`${req.method} ${req.url} [${req.headers.authorization ?? ""}]`);
            const { status, body } = answer(req.url ?? "/");
            res.writeHead(status, { "Content-Type": "application/json" }).end(body);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
        get requests() {
            return recorder.requests;
        },
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

/** The three servers of a trust test: the right one and two impostors, each with its certificate. */
export interface TrustTrial {
    certs: ServerCerts;
    readonly right: RecordingServer;
    readonly selfSigned: RecordingServer;
    readonly otherHost: RecordingServer;
}

/**
 * Starts the right server and both impostors before the enclosing describe's tests, stops them after, and fails
 * any test after which an impostor received a request: whatever the test asserts, no credential reached one.
 */
export function trustTrial(answer: (path: string) => { status: number; body: string }): TrustTrial {
    const certs = serverCerts();
    const servers: Partial<Record<"right" | "selfSigned" | "otherHost", RecordingServer>> = {};
    const started = (name: keyof typeof servers) => servers[name] ?? assert.fail(`the ${name} server is not started`);
    before(async () => {
        [servers.right, servers.selfSigned, servers.otherHost] = await Promise.all([
            recordingServer(certs.right, answer),
            recordingServer(certs.selfSigned, answer),
            recordingServer(certs.otherHost, answer),
        ]);
    });
    after(async () => Promise.all(Object.values(servers).map((s) => s.close())));
    afterEach(() => {
        for (const impostor of [servers.selfSigned, servers.otherHost])
            assert.deepEqual(impostor?.requests, [], "an impostor got a request");
    });
    return {
        certs,
        get right() {
            return started("right");
        },
        get selfSigned() {
            return started("selfSigned");
        },
        get otherHost() {
            return started("otherHost");
        },
    };
}
