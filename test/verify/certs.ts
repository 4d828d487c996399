import { generateKeyPairSync } from "crypto";
import forge from "node-forge";

// A test CA and certificates it signs, made in the test (keys by node:crypto, X.509 by node-forge): the fake
// API server's certificate and the gateways' wildcard.

export interface Issued {
    keyPem: string;
    certPem: string;
}

export interface TestCa extends Issued {
    issue(opts: { commonName: string; dnsNames?: string[]; ips?: string[]; notAfter: Date; notBefore?: Date }): Issued;
}

function keyPair() {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    return {
        keyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
        publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString()),
        privateKey: forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs1", format: "pem" }).toString()),
    };
}

let serial = 1;

export function testCa(): TestCa {
    const ca = keyPair();
    const cert = forge.pki.createCertificate();
    cert.publicKey = ca.publicKey;
    cert.serialNumber = (serial++).toString(16).padStart(2, "0");
    cert.validity.notBefore = new Date(Date.now() - 86_400_000);
    cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
    const subject = [{ name: "commonName", value: "homelab verify test CA" }];
    cert.setSubject(subject);
    cert.setIssuer(subject);
    cert.setExtensions([
        { name: "basicConstraints", cA: true, critical: true },
        { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    ]);
    cert.sign(ca.privateKey, forge.md.sha256.create());
    return {
        keyPem: ca.keyPem,
        certPem: forge.pki.certificateToPem(cert),
        issue({ commonName, dnsNames = [], ips = [], notAfter, notBefore = new Date(Date.now() - 3_600_000) }) {
            const leaf = keyPair();
            const c = forge.pki.createCertificate();
            c.publicKey = leaf.publicKey;
            c.serialNumber = (serial++).toString(16).padStart(2, "0");
            c.validity.notBefore = notBefore;
            c.validity.notAfter = notAfter;
            c.setSubject([{ name: "commonName", value: commonName }]);
            c.setIssuer(subject);
            c.setExtensions([
                { name: "basicConstraints", cA: false },
                { name: "extKeyUsage", serverAuth: true },
                {
                    name: "subjectAltName",
                    altNames: [...dnsNames.map((value) => ({ type: 2, value })), ...ips.map((ip) => ({ type: 7, ip }))],
                },
            ]);
            c.sign(ca.privateKey, forge.md.sha256.create());
            return { keyPem: leaf.keyPem, certPem: forge.pki.certificateToPem(c) };
        },
    };
}
