// AdGuard Home keeps per-domain upstreams inside its upstream list, as lines of the form
// `[/domain1/domain2/]upstream1 upstream2` (https://github.com/AdguardTeam/AdGuardHome/wiki/Configuration#upstreams).
// Reading is GET /control/dns_info; writing is POST /control/dns_config with only `upstream_dns`
// (reference/adguard-home/v0.107.79/openapi.yaml). Lines starting with `#` are comments.
import type { ServerTrust } from "../tls/server-trust";
import { basicAuthSecrets } from "./redact";
import { ApiServer, defaultTimeoutMs, isObject, normalizeDomain, parseJsonAnswer, sendRequest, validateForwarding } from "./http";

/** How to reach one AdGuard Home, and (over https) how it proves itself: a pinned fingerprint or a CA. */
export interface AdguardApi extends ServerTrust {
    /** Base URL of the web interface, e.g. "http://172.16.1.11" (the API lives under /control). */
    url: string;
    /** Login name for HTTP basic auth. */
    username: string;
    /** Password for HTTP basic auth (homelab:adguardPassword). */
    password: string;
    /** How long to wait for each answer, in ms; 10000 when unset. */
    timeoutMs?: number;
    /** How long to wait after a write before reading the list back, in ms; {@link defaultSettleMs} when unset. */
    settleMs?: number;
}

/** How many times a change is written when another writer keeps replacing the list in between. */
export const writeAttempts = 4;

/**
 * The wait between a write and its read-back. AdGuard has no version or etag on its settings, so a
 * writer that read the list just before our write replaces it a moment after; waiting longer than
 * such a read-then-write takes lets the read-back see that and write again.
 */
export const defaultSettleMs = 1000;

/** A per-domain upstream line taken apart: `[/ragas.cc/]172.16.1.60` is {domains: ["ragas.cc"], upstreams: "172.16.1.60"}. */
export interface DomainUpstream {
    domains: string[];
    upstreams: string;
}

/** A change to the upstream list, worked out before anything is sent. */
export interface UpstreamEdit {
    /** The whole new list, to send as `upstream_dns`. */
    lines: string[];
    /** False when the list already says what we want: nothing is sent. */
    changed: boolean;
}

/** The line that forwards `domain` to `target`, e.g. "[/ragas.cc/]172.16.1.60". */
export function forwarderLine(domain: string, target: string): string {
    return `[/${normalizeDomain(domain)}/]${target}`;
}

/** Takes a per-domain line apart; undefined for comments and plain upstreams such as "tls://1.1.1.1". */
export function parseDomainUpstream(line: string): DomainUpstream | undefined {
    const match = /^\[\/(.*)\/\](.*)$/.exec(line.trim());
    if (!match) return undefined;
    const domains = match[1]
        .split("/")
        .filter((d) => d.length > 0)
        .map(normalizeDomain);
    return { domains, upstreams: match[2].trim().split(/\s+/).join(" ") };
}

type LineKind = "ours" | "same-domain" | "shared" | "other";

function classify(line: string, domain: string, target: string): LineKind {
    const parsed = parseDomainUpstream(line);
    if (!parsed || !parsed.domains.includes(domain)) return "other";
    if (parsed.domains.length > 1) return "shared";
    return parsed.upstreams === target ? "ours" : "same-domain";
}

function sharedLineError(line: string, domain: string): Error {
    return new Error(
        `AdGuard Home: the upstream line "${line}" routes ${domain} together with other domains; ` +
            `split it by hand so ${domain} has a line of its own, then run again`,
    );
}

/**
 * The upstream list with `domain` forwarded to `target` and nothing else changed. An identical line
 * is adopted; a line for the same domain alone is replaced where it stands (further ones are
 * dropped, so the domain has exactly one route); otherwise the line is appended. A line that routes
 * the domain together with others is an error, because editing it would change the others.
 */
export function ensureForwarding(current: readonly string[], domain: string, target: string): UpstreamEdit {
    const wanted = normalizeDomain(domain);
    const kinds = current.map((line) => classify(line, wanted, target));
    const shared = current.find((_, i) => kinds[i] === "shared");
    if (shared !== undefined) throw sharedLineError(shared, wanted);
    const first = kinds.findIndex((k) => k === "ours" || k === "same-domain");
    if (first < 0) return { lines: [...current, forwarderLine(wanted, target)], changed: true };
    const lines = current.flatMap((line, i) => {
        if (i === first) return [kinds[i] === "ours" ? line : forwarderLine(wanted, target)];
        return kinds[i] === "other" ? [line] : [];
    });
    return { lines, changed: lines.length !== current.length || lines.some((l, i) => l !== current[i]) };
}

/** The upstream list without our line (the domain forwarded to `target`); every other line stays. */
export function removeForwarding(current: readonly string[], domain: string, target: string): UpstreamEdit {
    const wanted = normalizeDomain(domain);
    const lines = current.filter((line) => classify(line, wanted, target) !== "ours");
    return { lines, changed: lines.length !== current.length };
}

/** Where `domain` is forwarded by lines of its own, e.g. "172.16.1.60"; undefined when no line routes it. */
export function forwardedTarget(current: readonly string[], domain: string): string | undefined {
    const wanted = normalizeDomain(domain);
    const targets = current
        .map(parseDomainUpstream)
        .filter((p): p is DomainUpstream => p !== undefined && p.domains.length === 1 && p.domains[0] === wanted)
        .map((p) => p.upstreams);
    return targets.length > 0 ? targets.join(" ") : undefined;
}

/** The request settings for one AdGuard Home; the credential goes only into the header. */
export function adguardServer(api: AdguardApi): ApiServer {
    const basic = Buffer.from(`${api.username}:${api.password}`).toString("base64");
    return {
        product: "AdGuard Home",
        url: api.url,
        authorization: `Basic ${basic}`,
        secrets: basicAuthSecrets(api.username, api.password),
        credentialKey: "homelab:adguardPassword",
        timeoutMs: api.timeoutMs ?? defaultTimeoutMs,
        trust: { caCertificate: api.caCertificate, fingerprint: api.fingerprint },
        trustKey: "homelab:dnsForwarders.adguard",
    };
}

/** Reads `upstream_dns`, refusing answers that would make a write unsafe. */
export async function adguardReadUpstreams(api: AdguardApi): Promise<string[]> {
    const server = adguardServer(api);
    const what = "GET /control/dns_info";
    const answer = parseJsonAnswer(server, what, await sendRequest(server, "GET", "/control/dns_info"));
    const root = server.url.replace(/\/+$/, "");
    if (!isObject(answer)) throw new Error(`AdGuard Home at ${root} answered ${what} with JSON that is not an object`);
    const upstreams = answer.upstream_dns;
    if (!Array.isArray(upstreams) || !upstreams.every((u) => typeof u === "string")) {
        throw new Error(`AdGuard Home at ${root} answered ${what} without an upstream_dns list of strings`);
    }
    // With an upstream file set, AdGuard ignores upstream_dns: a line written there would do nothing.
    if (typeof answer.upstream_dns_file === "string" && answer.upstream_dns_file !== "") {
        throw new Error(
            `AdGuard Home at ${root} reads its upstreams from upstream_dns_file ` +
                `(${answer.upstream_dns_file}), so upstream_dns is ignored; add the line to that file instead`,
        );
    }
    return upstreams;
}

async function writeUpstreams(api: AdguardApi, lines: string[]): Promise<void> {
    await sendRequest(adguardServer(api), "POST", "/control/dns_config", { json: { upstream_dns: lines } });
}

/**
 * Whether a list read back after our write still holds what we wrote: every line we sent (ours and
 * everyone else's we carried over) is there, and the change needs no further write.
 */
export function writeHeld(
    sent: readonly string[],
    readBack: readonly string[],
    editOf: (lines: readonly string[]) => UpstreamEdit,
): boolean {
    return sent.every((line) => readBack.includes(line)) && !editOf(readBack).changed;
}

/**
 * Reads, plans, writes only when the plan changes something, then reads back after a pause. When
 * another writer replaced the list in the meantime, it starts over from what is there now, so their
 * lines are kept and ours is written again; after {@link writeAttempts} writes it gives up. Returns
 * whether it wrote.
 */
async function changeUpstreams(api: AdguardApi, change: string, editOf: (lines: readonly string[]) => UpstreamEdit): Promise<boolean> {
    for (let attempt = 1; attempt <= writeAttempts; attempt++) {
        const edit = editOf(await adguardReadUpstreams(api));
        if (!edit.changed) return attempt > 1;
        await writeUpstreams(api, edit.lines);
        await new Promise((resolve) => setTimeout(resolve, api.settleMs ?? defaultSettleMs));
        if (writeHeld(edit.lines, await adguardReadUpstreams(api), editOf)) return true;
    }
    throw new Error(
        `AdGuard Home at ${api.url.replace(/\/+$/, "")}: another writer replaced the upstream list after each of our ` +
            `${writeAttempts} writes, so ${change} did not hold (no line of theirs was dropped); run again when nothing else is saving AdGuard's DNS settings`,
    );
}

/** Where AdGuard forwards `domain` now, e.g. "172.16.1.60"; undefined when it does not. */
export async function adguardReadForwarder(api: AdguardApi, domain: string): Promise<string | undefined> {
    return forwardedTarget(await adguardReadUpstreams(api), domain);
}

/** Makes AdGuard forward `domain` to `target`; writes only when the list must change. Returns whether it wrote. */
export async function adguardEnsureForwarder(api: AdguardApi, domain: string, target: string): Promise<boolean> {
    validateForwarding(domain, target);
    return changeUpstreams(api, `the line ${forwarderLine(domain, target)}`, (lines) => ensureForwarding(lines, domain, target));
}

/** Removes our line (`domain` forwarded to `target`) and nothing else. Returns whether it wrote. */
export async function adguardRemoveForwarder(api: AdguardApi, domain: string, target: string): Promise<boolean> {
    return changeUpstreams(api, `the removal of ${forwarderLine(domain, target)}`, (lines) => removeForwarding(lines, domain, target));
}
