import { Problem } from "./problems";
import { TrustConfig, trustWarnings } from "./trust-rules";

// The URLs of servers the program sends credentials to. A credential written into one (`https://user:pw@host`,
// `?token=`) would be stored in plain text: URLs are plain provider and dynamic-resource inputs, kept in the
// state and shown by `pulumi preview`. Credentials belong in the secret keys, which stay secret end to end.

interface CredentialUrl {
    /** The config key, e.g. `homelab:proxmox.endpoint`. */
    key: string;
    url: string;
    /** Where this server's credentials go instead. */
    credentialsGoTo: string;
    /** What crosses the network with every request, for the plain-http warning. */
    sends: string;
}

/** What the rules read: the parsed config or the validated spec. */
export interface ServerUrls {
    proxmox?: { endpoint: string };
    dnsForwarders?: { adguard?: { url: string }; technitium?: { url: string } };
}

function credentialUrls(c: ServerUrls): CredentialUrl[] {
    const urls: CredentialUrl[] = [];
    if (c.proxmox) {
        urls.push({
            key: "homelab:proxmox.endpoint",
            url: c.proxmox.endpoint,
            credentialsGoTo:
                "the API token goes in homelab:proxmoxApiToken (`pulumi config set --secret homelab:proxmoxApiToken <user@realm!id=uuid>`)",
            sends: "the Proxmox API token (homelab:proxmoxApiToken)",
        });
    }
    if (c.dnsForwarders?.adguard) {
        urls.push({
            key: "homelab:dnsForwarders.adguard.url",
            url: c.dnsForwarders.adguard.url,
            credentialsGoTo:
                "the user name goes in homelab:dnsForwarders.adguard.username and the password in homelab:adguardPassword (`pulumi config set --secret homelab:adguardPassword <password>`)",
            sends: "the AdGuard Home password (homelab:adguardPassword)",
        });
    }
    if (c.dnsForwarders?.technitium) {
        urls.push({
            key: "homelab:dnsForwarders.technitium.url",
            url: c.dnsForwarders.technitium.url,
            credentialsGoTo: "the API token goes in homelab:technitiumToken (`pulumi config set --secret homelab:technitiumToken <token>`)",
            sends: "the Technitium API token (homelab:technitiumToken)",
        });
    }
    return urls;
}

/** Query parameter names that carry a credential: `token`, `api_key`, `password`, `sessionId`, ... */
const credentialParam = /token|pass|secret|key|auth|session|sid/i;

function parse(url: string): URL | undefined {
    try {
        return new URL(url);
    } catch {
        return undefined; // the shape check has reported it
    }
}

/** Credentials, queries and fragments in the servers' URLs, each with where the credential goes instead. */
export function urlProblems(c: ServerUrls): Problem[] {
    const problems: Problem[] = [];
    for (const { key, url, credentialsGoTo } of credentialUrls(c)) {
        const parsed = parse(url);
        if (!parsed) continue;
        if (parsed.username || parsed.password) {
            problems.push({
                key,
                message:
                    "carries credentials (user:password@) in the URL, which would be stored in plain text in the state and shown in previews",
                fix: `remove them from the URL: ${credentialsGoTo}`,
            });
        }
        const params = [...parsed.searchParams.keys()];
        if (params.some((p) => credentialParam.test(p))) {
            problems.push({
                key,
                message: `carries a credential in its query (?${params.filter((p) => credentialParam.test(p)).join("=, ?")}=), which would be stored in plain text in the state and shown in previews`,
                fix: `remove the query: ${credentialsGoTo}`,
            });
        } else if (parsed.search) {
            problems.push({
                key,
                message: "has a query string, which the API paths would be appended after",
                fix: "give the server's base URL only, e.g. http://172.16.1.10:5380",
            });
        }
        if (parsed.hash)
            problems.push({ key, message: "has a fragment (#...)", fix: "give the server's base URL only, e.g. http://172.16.1.10:5380" });
    }
    return problems;
}

/**
 * Warnings, not errors: a server that receives credentials over plain http. Home DNS servers often offer
 * nothing else, so the program goes on; the plan and `pulumi up` say what crosses the LAN in clear text.
 */
export function plainHttpWarnings(c: ServerUrls): string[] {
    return credentialUrls(c)
        .filter(({ url }) => parse(url)?.protocol === "http:")
        .map(
            ({ key, url, sends }) =>
                `${key} is plain http (${url}): ${sends} crosses the network unencrypted on every run, pulumi preview included (it reads the live server). Use https:// with a pinned fingerprint or CA if the server offers it.`,
        );
}

/** Every warning the config earns: credentials over plain http, and Proxmox trust the provider cannot check. */
export function configWarnings(c: ServerUrls & TrustConfig): string[] {
    return [...plainHttpWarnings(c), ...trustWarnings(c)];
}
