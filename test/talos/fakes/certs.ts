// Throwaway PKI for the fakes, made in-process: a Talos-like CA, a server certificate for 127.0.0.1 and an
// admin client certificate it signed, plus a client certificate from a stranger CA. Keys come from
// node:crypto (fast), certificates from node-forge (node:crypto cannot issue X.509 certificates), signed
// by node:crypto too: forge's pure-JS RSA takes seconds per certificate.
import { generateKeyPairSync, KeyObject, privateEncrypt } from "crypto";
import * as forge from "node-forge";

export interface Pem {
    cert: string;
    key: string;
}

export interface TestPki {
    ca: Pem;
    server: Pem;
    client: Pem;
    /** A client certificate that a different CA signed. */
    stranger: Pem;
    /** The certificate a node in maintenance mode serves: its own, not the cluster CA's (a stranger's here). */
    maintenance: Pem;
    /** As the Talos provider's `clientConfiguration` gives them: base64 PEM. */
    clientConfiguration: { caCertificate: string; clientCertificate: string; clientKey: string };
}

// DER prefix of a PKCS#1 v1.5 DigestInfo for SHA-256 (RFC 8017, section 9.2, note 1).
const sha256DigestInfo = Buffer.from("3031300d060960864801650304020105000420", "hex");

function keyPair() {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    return {
        pem,
        privateKey: nodeSigner(privateKey),
        publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString()),
    };
}

/** What forge's `cert.sign` calls: `sign(md)` returning the RSASSA-PKCS1-v1_5 signature as a binary string. */
function nodeSigner(key: KeyObject) {
    return {
        sign(md: forge.md.MessageDigest): string {
            const digest = Buffer.from(md.digest().getBytes(), "binary");
            return privateEncrypt(key, Buffer.concat([sha256DigestInfo, digest])).toString("binary");
        },
    } as unknown as forge.pki.rsa.PrivateKey;
}

let serial = 1;

function issue(
    subject: string,
    keys: ReturnType<typeof keyPair>,
    issuer: { cert?: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey },
    extensions: object[],
): forge.pki.Certificate {
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = (serial++).toString(16).padStart(2, "0");
    cert.validity.notBefore = new Date(Date.now() - 60_000);
    cert.validity.notAfter = new Date(Date.now() + 86_400_000);
    const attrs = [
        { name: "commonName", value: subject },
        { name: "organizationName", value: "os:admin" },
    ];
    cert.setSubject(attrs);
    cert.setIssuer(issuer.cert ? issuer.cert.subject.attributes : attrs);
    cert.setExtensions(extensions);
    cert.sign(issuer.key, forge.md.sha256.create());
    return cert;
}

function authority(name: string, keys: ReturnType<typeof keyPair>) {
    const cert = issue(name, keys, { key: keys.privateKey }, [
        { name: "basicConstraints", cA: true },
        { name: "keyUsage", keyCertSign: true, digitalSignature: true },
    ]);
    return { keys, cert };
}

// One RSA key per authority, shared by the certificates it issues: key generation is the slow part
// (~0.3 s per 2048-bit key), and what the tests check is who signed a certificate, not its key.
function leaf(name: string, ca: ReturnType<typeof authority>, usage: "server" | "client"): Pem {
    const keys = ca.keys;
    const extensions: object[] = [
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
        { name: "extKeyUsage", serverAuth: usage === "server", clientAuth: usage === "client" },
    ];
    if (usage === "server") extensions.push({ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] });
    return { cert: forge.pki.certificateToPem(issue(name, keys, { cert: ca.cert, key: ca.keys.privateKey }, extensions)), key: keys.pem };
}

let made: TestPki | undefined;

/** Made once per test run and shared by every spec. */
export function makePki(): TestPki {
    if (made) return made;
    const ca = authority("talos", keyPair());
    const stranger = authority("stranger", keyPair());
    const client = leaf("admin", ca, "client");
    const b64 = (text: string) => Buffer.from(text).toString("base64");
    made = {
        ca: { cert: forge.pki.certificateToPem(ca.cert), key: ca.keys.pem },
        server: leaf("apid", ca, "server"),
        client,
        stranger: leaf("admin", stranger, "client"),
        maintenance: leaf("maintenance", stranger, "server"),
        clientConfiguration: {
            caCertificate: b64(forge.pki.certificateToPem(ca.cert)),
            clientCertificate: b64(client.cert),
            clientKey: b64(client.key),
        },
    };
    return made;
}
