// The HTTP plumbing both DNS servers share, over the one HTTP client (http/client.ts): over https the
// credential goes only to a connection whose server passed the trust check (tls/server-trust.ts).
import { HttpAnswer, HttpError, httpRequest } from "../http/client";
import type { ServerTrust } from "../tls/server-trust";
import { quote, redact } from "./redact";

/** How long to wait for one answer from a DNS server's API when nothing else is said, in ms. */
export const defaultTimeoutMs = 10_000;

/** One DNS server's API, as the request helpers need it. */
export interface ApiServer {
    /** Product name for messages, e.g. "AdGuard Home". */
    product: string;
    /** Base URL, e.g. "http://172.16.1.11"; no trailing slash needed. */
    url: string;
    /** The whole Authorization header value; never printed. */
    authorization: string;
    /** Strings that must never appear in an error message (the credential and its encodings). */
    secrets: string[];
    /** The config key to name when the server rejects the credential, e.g. "homelab:adguardPassword". */
    credentialKey: string;
    /** How long to wait for the answer, in ms. */
    timeoutMs: number;
    /** The wait before the first retry of a read, in ms; {@link defaultRetryDelayMs} when unset. */
    retryDelayMs?: number;
    /** Over https: the CA or pinned fingerprint the server must prove itself with; none: a public CA and the host's name. */
    trust?: ServerTrust;
    /** The config key of that trust, for messages, e.g. "homelab:dnsForwarders.adguard". */
    trustKey?: string;
}

/** A request body: JSON (AdGuard) or form fields (Technitium). */
export type RequestBody = { json: unknown } | { form: Record<string, string> };

/** The largest answer read from a DNS server's API: a whole upstream list or zone list fits many times over. */
export const maxAnswerBytes = 1024 * 1024;

/** How often a read is tried when the server answers 502/503/504 or drops the connection. */
export const readAttempts = 3;

/** The wait before the first retry of a read, in ms; it doubles for each further retry. */
export const defaultRetryDelayMs = 250;

/** The server's base URL without a trailing slash; rejects URLs that carry credentials or are not http(s). */
export function baseUrl(server: Pick<ApiServer, "product" | "url" | "credentialKey">): string {
    let parsed: URL;
    try {
        parsed = new URL(server.url);
    } catch {
        throw new Error(`${server.product}: "${server.url}" is not a URL (expected e.g. http://172.16.1.11)`);
    }
    if (parsed.username || parsed.password) {
        throw new Error(`${server.product}: the URL must not carry credentials; set ${server.credentialKey} instead`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
        throw new Error(`${server.product} at ${server.url}: only http:// and https:// URLs are supported`);
    }
    return server.url.replace(/\/+$/, "");
}

/**
 * Sends one request and returns the body of a 2xx answer (at most {@link maxAnswerBytes}). A read
 * (GET) that meets a 502/503/504 or a dropped connection is tried again, {@link readAttempts} times
 * in all, waiting `retryDelayMs` and then twice as long each time; a write is sent once, because
 * the server may have applied it before failing. Every other outcome throws an error that names
 * the server and the request, and never a secret.
 */
export async function sendRequest(server: ApiServer, method: "GET" | "POST", pathAndQuery: string, body?: RequestBody): Promise<string> {
    const root = baseUrl(server);
    const what = `${method} ${pathAndQuery.split("?")[0]}`;
    const headers: Record<string, string> = { Authorization: server.authorization, Accept: "application/json" };
    let payload: string | undefined;
    if (body && "json" in body) {
        headers["Content-Type"] = "application/json";
        payload = JSON.stringify(body.json);
    } else if (body) {
        headers["Content-Type"] = "application/x-www-form-urlencoded";
        payload = new URLSearchParams(body.form).toString();
    }
    const tries = (attempts: number) => (attempts > 1 ? ` (tried ${attempts} times)` : "");
    const fail = (message: string) => new Error(redact(message, server.secrets));
    let answer: HttpAnswer;
    try {
        answer = await httpRequest({
            method,
            url: new URL(root + pathAndQuery),
            headers,
            body: payload,
            timeoutMs: server.timeoutMs,
            maxAnswerBytes,
            trust: server.trust,
            retry: { attempts: readAttempts, delayMs: server.retryDelayMs ?? defaultRetryDelayMs, statuses: [502, 503, 504] },
        });
    } catch (error) {
        const { kind, reason, code, attempts } = error as HttpError;
        if (kind === "timeout") throw fail(`${server.product} at ${root} did not answer ${what} within ${server.timeoutMs} ms`);
        if (kind === "too-large")
            throw fail(`${server.product} at ${root} answered ${what} with more than ${maxAnswerBytes} bytes; refusing to read it`);
        const untrusted =
            kind === "untrusted" ? `; nothing was sent (check ${server.trustKey ?? "the server's"}.fingerprint or .caCertificate)` : "";
        throw fail(
            `${server.product} at ${root} could not be reached for ${what}: ${kind === "untrusted" ? reason : (code ?? reason)}${untrusted}${tries(attempts)}`,
        );
    }
    const { status, text } = answer;
    const excerpt = quote(text, server.secrets, 200) || "(empty body)";
    if (status === 401 || status === 403)
        throw fail(`${server.product} at ${root} refused ${what} with HTTP ${status}: check ${server.credentialKey}`);
    if (status >= 500) throw fail(`${server.product} at ${root} failed ${what} with HTTP ${status}: ${excerpt}${tries(answer.attempts)}`);
    if (status < 200 || status >= 300) throw fail(`${server.product} at ${root} answered ${what} with HTTP ${status}: ${excerpt}`);
    return text;
}

/** Parses a JSON answer, or throws an error that says which request gave something else. */
export function parseJsonAnswer(server: ApiServer, what: string, text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        throw new Error(
            `${server.product} at ${baseUrl(server)} answered ${what} with something that is not JSON: ${JSON.stringify(quote(text, server.secrets, 80))}`,
        );
    }
}

/** True for a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "ragas.cc" for "RAGAS.cc." : DNS names compare without case and without the root dot. */
export function normalizeDomain(domain: string): string {
    return domain.trim().toLowerCase().replace(/\.$/, "");
}

/**
 * Checks the domain and target before anything is sent. A domain is dot-separated labels of
 * letters, digits and hyphens (`ragas.cc`, `home.example.org`); the target is one address
 * without spaces (`172.16.1.60`, `172.16.1.60:53`).
 */
export function validateForwarding(domain: string, target: string): void {
    const problems: string[] = [];
    const label = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
    const labels = normalizeDomain(domain).split(".");
    if (labels.length < 1 || !labels.every((l) => label.test(l))) problems.push(`domain "${domain}" is not a DNS name such as ragas.cc`);
    if (!target || /\s/.test(target)) problems.push(`target "${target}" must be one address such as 172.16.1.60`);
    if (problems.length > 0) throw new Error(`split DNS forwarding: ${problems.join("; ")}`);
}
