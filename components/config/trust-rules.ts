import { X509Certificate } from "crypto";
import { isIP } from "net";
import { Problem } from "./problems";

// How the servers that receive credentials prove who they are: the Proxmox API (its token can attach a Talos
// disk to another VM and read the cluster's secrets) and the DNS forwarders over https. The program's own clients
// check the pin or CA before a request carries a credential (tls/server-trust.ts); the Proxmox provider (bpg)
// takes only `insecure` and `minTls`, and verifies against the system's CAs, so these rules say what each gets.

interface Trust {
    caCertificate?: string;
    fingerprint?: string;
}

/** What the rules read: the parsed config or the validated spec. */
export interface TrustConfig {
    proxmox?: Trust & { endpoint: string; insecure: boolean };
    dnsForwarders?: { adguard?: Trust & { url: string }; technitium?: Trust & { url: string } };
}

const fingerprintHow =
    "the SHA-256 fingerprint `pvenode cert info` prints on the host (or Datacenter > <node> > System > Certificates > pveproxy-ssl.pem > View Certificate)";

/** Each PEM block of `text`, or why one is not a CA certificate. */
function caProblems(text: string, key: string): Problem[] {
    const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
    const problems: Problem[] = [];
    blocks.forEach((block, i) => {
        let cert: X509Certificate;
        try {
            cert = new X509Certificate(block);
        } catch (error) {
            problems.push({
                key,
                message: `certificate ${i + 1} does not parse (${(error as Error).message})`,
                fix: "paste the whole PEM file, BEGIN and END lines included",
            });
            return;
        }
        if (!cert.ca) {
            problems.push({
                key,
                message: `certificate ${i + 1} (${cert.subject.replace(/\n/g, ", ")}) is a server's own certificate, not a CA`,
                fix: "give the CA that issued it (Proxmox: /etc/pve/pve-root-ca.pem), or pin this certificate with its fingerprint instead",
            });
        }
    });
    if (blocks.length === 0)
        problems.push({ key, message: "holds no complete PEM certificate", fix: "paste the whole PEM file, BEGIN and END lines included" });
    return problems;
}

/** The host of a URL without IPv6 brackets, or undefined when it does not parse (the shape check reports it). */
function hostOf(url: string): string | undefined {
    try {
        return new URL(url).hostname.replace(/^\[|\]$/g, "");
    } catch {
        return undefined;
    }
}

export function trustProblems(c: TrustConfig): Problem[] {
    const problems: Problem[] = [];
    const proxmox = c.proxmox;
    if (proxmox) {
        if (proxmox.caCertificate !== undefined) problems.push(...caProblems(proxmox.caCertificate, "homelab:proxmox.caCertificate"));
        if (proxmox.insecure && !proxmox.fingerprint && !proxmox.caCertificate) {
            problems.push({
                key: "homelab:proxmox.insecure",
                message: `is true with neither homelab:proxmox.fingerprint nor homelab:proxmox.caCertificate, so the API token would go to whatever answers at ${proxmox.endpoint}`,
                fix: `set homelab:proxmox.fingerprint to ${fingerprintHow}, or homelab:proxmox.caCertificate to /etc/pve/pve-root-ca.pem (and trust that CA on this machine to drop insecure)`,
            });
        }
    }
    for (const name of ["adguard", "technitium"] as const) {
        const server = c.dnsForwarders?.[name];
        if (!server) continue;
        const key = `homelab:dnsForwarders.${name}`;
        if (server.caCertificate !== undefined) problems.push(...caProblems(server.caCertificate, `${key}.caCertificate`));
        if ((server.caCertificate !== undefined || server.fingerprint !== undefined) && !server.url.startsWith("https:")) {
            problems.push({
                key: `${key}.url`,
                message: `is plain http (${server.url}), where a CA or fingerprint checks nothing`,
                fix: `use the server's https:// address, or remove ${key}.caCertificate and .fingerprint`,
            });
        }
    }
    return problems;
}

/**
 * Warnings, not errors: a Proxmox provider that skips verification (it cannot take the pin the program's own
 * client checks), and a Proxmox or https forwarder address no public CA certifies with nothing configured to verify
 * it by (every call then fails closed: nothing is sent, but nothing is built or forwarded either).
 */
export function trustWarnings(c: TrustConfig): string[] {
    const warnings: string[] = [];
    // A forwarder over https at an address, with nothing to verify it by: the forwarders' client fails closed too.
    for (const name of ["adguard", "technitium"] as const) {
        const server = c.dnsForwarders?.[name];
        const host = server && hostOf(server.url);
        if (!server || !server.url.startsWith("https:") || server.fingerprint || server.caCertificate || !host || !isIP(host)) continue;
        warnings.push(
            `homelab:dnsForwarders.${name} has neither fingerprint nor caCertificate, and no public CA certifies ${host}: every call to it will refuse its certificate (nothing is sent). ` +
                `Set homelab:dnsForwarders.${name}.fingerprint to its certificate's SHA-256 fingerprint (README: Trust and tokens), or .caCertificate to the CA that issued it.`,
        );
    }
    const proxmox = c.proxmox;
    if (!proxmox) return warnings;
    if (proxmox.insecure && (proxmox.fingerprint || proxmox.caCertificate)) {
        warnings.push(
            `homelab:proxmox.insecure is true: the Proxmox provider (bpg) skips certificate verification and would send the API token to any server at ${proxmox.endpoint}; ` +
                "it takes no pin or CA, only the system's trust store. Only the rollout's own client checks the pin. Add pve-root-ca.pem to this machine's trust store " +
                "(or SSL_CERT_DIR) and set insecure to false so the provider verifies too.",
        );
    }
    const host = hostOf(proxmox.endpoint);
    if (!proxmox.fingerprint && !proxmox.caCertificate && host && isIP(host)) {
        warnings.push(
            `homelab:proxmox has neither fingerprint nor caCertificate, and no public CA certifies ${host}: every Proxmox call will refuse the host's certificate. ` +
                `Set homelab:proxmox.fingerprint to ${fingerprintHow}, or homelab:proxmox.caCertificate to /etc/pve/pve-root-ca.pem.`,
        );
    }
    return warnings;
}
