// The two forwarder providers as plain objects: what runs in Pulumi's provider host. The resources
// (adguard-forwarder.ts, technitium-forwarder.ts) hand them over through self-contained.ts, which
// loads this module and the ones it imports from their compiled text.
import { adguardEnsureForwarder, adguardReadForwarder, adguardRemoveForwarder } from "./adguard-api";
import { ForwarderProps, forwarderProvider } from "./forwarder-provider";
import { basicAuthSecrets } from "./redact";
import { technitiumCreateForwarder, technitiumReadForwarder, technitiumRemoveForwarder, technitiumUpdateForwarder } from "./technitium-api";

/** The state of an AdGuard forwarder: where to reach AdGuard Home and what to forward. */
export interface AdguardForwarderProps extends ForwarderProps {
    /** Login name for HTTP basic auth. */
    username: string;
    /** Password for HTTP basic auth; a secret output. */
    password: string;
    /** The pause before a write is read back, in ms; never set by the program (1000), only shortened by tests. */
    settleMs?: number;
}

/** The state of a Technitium forwarder: where to reach Technitium DNS and what to forward. */
export interface TechnitiumForwarderProps extends ForwarderProps {
    /** API token sent as a bearer token; a secret output. */
    token: string;
}

/** Keeps `[/domain/]target` in AdGuard Home's upstream list; every other line stays as it is. */
export const adguardProvider = forwarderProvider<AdguardForwarderProps>({
    read: (p) => adguardReadForwarder(p, p.domain),
    create: (p) => adguardEnsureForwarder(p, p.domain, p.target),
    update: (_olds, news) => adguardEnsureForwarder(news, news.domain, news.target),
    remove: async (p) => { await adguardRemoveForwarder(p, p.domain, p.target); return undefined; },
    secrets: (p) => basicAuthSecrets(p.username, p.password),
}, ["url", "username", "password", "domain", "target", "timeoutMs", "caCertificate", "fingerprint"]);

/**
 * Keeps a Conditional Forwarder zone for the domain on Technitium DNS: made when absent or adopted
 * when it forwards only to the target, and deleted only while it still does.
 */
export const technitiumProvider = forwarderProvider<TechnitiumForwarderProps>({
    read: (p) => technitiumReadForwarder(p, p.domain, p.target),
    create: (p) => technitiumCreateForwarder(p, p.domain, p.target),
    update: (olds, news) => technitiumUpdateForwarder(news, news.domain, olds.target, news.target),
    remove: (p) => technitiumRemoveForwarder(p, p.domain, p.target),
    secrets: (p) => [p.token],
}, ["url", "token", "domain", "target", "timeoutMs", "caCertificate", "fingerprint"]);
