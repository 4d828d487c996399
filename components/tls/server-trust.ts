// Who an HTTPS server must prove to be before a credential is sent to it. The Proxmox API token and the DNS
// servers' passwords go in request headers, so the check must finish before the request is written: a
// `checkServerIdentity` under `rejectUnauthorized: false` only records its verdict (Node keeps the socket and
// writes the request anyway). Instead the TLS connection is opened here and handed to the HTTP request only
// once the server has passed; a server that fails never sees a byte of the request.
import * as crypto from "crypto";
import * as net from "net";
import * as tls from "tls";

/** How to recognise the one right server. Neither set: the certificate must chain to a public CA and name the host. */
export interface ServerTrust {
    /** PEM of the CA that issued the server's certificate (Proxmox: /etc/pve/pve-root-ca.pem); the host's name or IP is checked too. */
    caCertificate?: string;
    /** SHA-256 fingerprint of the server's own certificate, as `pvenode cert info` and the Proxmox UI show it (`AB:CD:...`, 32 bytes). */
    fingerprint?: string;
}

/** `ab:cd:...` or `ABCD...` -> `AB:CD:...`: the form Proxmox prints, for comparing and for messages. */
export function normalizeFingerprint(text: string): string {
    const hex = text.replace(/[:\s]/g, "").toUpperCase();
    return hex.match(/.{1,2}/g)?.join(":") ?? "";
}

/** The SHA-256 fingerprint of a DER certificate, `AB:CD:...`. */
export function fingerprintOf(der: Buffer): string {
    return normalizeFingerprint(crypto.createHash("sha256").update(der).digest("hex"));
}

/** An error that says the server is not the one trusted; `code` lets callers tell it from a network failure. */
export class UntrustedServerError extends Error {
    readonly code = "UNTRUSTED_SERVER";
    constructor(message: string) {
        super(message);
        this.name = "UntrustedServerError";
    }
}

/** The names and addresses a certificate is for, from its subjectAltName: `IP Address:10.0.0.9, DNS:pve9`. */
export function certificateNames(cert: tls.PeerCertificate | undefined): string {
    return cert?.subjectaltname || (cert?.subject?.CN ? `CN=${cert.subject.CN}` : "no names");
}

/**
 * Why `socket`'s server is not the trusted one, or undefined when it is. With a pin, the certificate must be
 * exactly the pinned one (a CA, when also given, was checked by OpenSSL during the handshake); without, the
 * handshake's own verdict (chain to `ca` or the public CAs, and the host's name or IP) must be "authorized".
 */
export function untrustedReason(socket: tls.TLSSocket, trust: ServerTrust): string | undefined {
    const cert = socket.getPeerCertificate();
    if (!cert || !cert.raw) return "it presented no certificate";
    if (trust.fingerprint) {
        const seen = fingerprintOf(cert.raw);
        const pinned = normalizeFingerprint(trust.fingerprint);
        if (seen !== pinned) return `its certificate (${certificateNames(cert)}) has SHA-256 fingerprint ${seen}, not the pinned ${pinned}`;
        return undefined;
    }
    if (!socket.authorized) return `its certificate (${certificateNames(cert)}) is not trusted: ${String(socket.authorizationError)}`;
    return undefined;
}

export interface VerifiedConnectionOptions {
    host: string;
    port: number;
    trust: ServerTrust;
    /** Bound on connecting and the handshake, ms. */
    timeoutMs: number;
}

/**
 * Opens a TLS connection and calls `ready` with it only after the server passed {@link untrustedReason}; on any
 * failure `ready` gets an error (and the destroyed socket, which `http.request` ignores then). Shaped as `http.request`'s `createConnection`, so
 * the request is written to the socket only once `ready` has run.
 */
export function connectVerified(options: VerifiedConnectionOptions, ready: (error: Error | null, socket: net.Socket) => void): undefined {
    const { host, port, trust } = options;
    // A pin alone means a self-signed or private certificate: the chain cannot verify, the fingerprint decides.
    const pinOnly = Boolean(trust.fingerprint) && !trust.caCertificate;
    const socket = tls.connect({
        host,
        port,
        // SNI is for names only (RFC 6066 forbids an address); the name check below uses `host` either way.
        ...(net.isIP(host) ? {} : { servername: host }),
        ...(trust.caCertificate ? { ca: trust.caCertificate } : {}),
        rejectUnauthorized: !pinOnly,
    });
    let settled = false;
    const settle = (error: Error | null) => {
        if (settled) return;
        settled = true;
        socket.setTimeout(0);
        if (error) socket.destroy();
        ready(error, socket);
    };
    socket.setTimeout(options.timeoutMs, () => settle(new Error(`no TLS handshake with ${host}:${port} within ${options.timeoutMs} ms`)));
    socket.once("secureConnect", () => {
        const reason = untrustedReason(socket, trust);
        settle(reason ? new UntrustedServerError(`${host}:${port} is not the trusted server: ${reason}`) : null);
    });
    socket.once("error", (error: Error & { code?: string }) => {
        // OpenSSL's verdicts (a chain to no trusted CA, a name the certificate lacks) say the server is the wrong one.
        const certificateError = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME_INVALID/.test(error.code ?? "");
        settle(certificateError ? new UntrustedServerError(`${host}:${port} is not the trusted server: ${error.message}`) : error);
    });
    return undefined;
}
