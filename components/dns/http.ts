// The HTTP plumbing both DNS servers share. This module and the others of providers.ts run in
// Pulumi's provider host, loaded from their compiled text (self-contained.ts), so they import only
// each other (and tls/server-trust) and use only Node's built-ins: no npm packages. Node's http, not
// fetch: fetch cannot be handed a connection, and over https the credential must go only to a
// connection whose server passed the trust check (tls/server-trust.ts).
import { connectVerified, ServerTrust, UntrustedServerError } from "../tls/server-trust";
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

/** An error that says whether trying the same read again may succeed. */
function failed(message: string, transient: boolean): Error {
    return Object.assign(new Error(message), { transient });
}

function describeFailure(error: unknown): { text: string; transient: boolean } {
    if (!(error instanceof Error)) return { text: String(error), transient: false };
    const code = (error as { code?: string }).code;
    if (error instanceof UntrustedServerError || code === "UNTRUSTED_SERVER") return { text: error.message, transient: false };
    // Node reports a connection the server dropped as ECONNRESET ("socket hang up") or EPIPE.
    return { text: code ?? error.message, transient: ["ECONNRESET", "EPIPE"].includes(code ?? "") };
}

/** The status and body of one exchange; `text` undefined when the body was longer than `limit` (not read whole). */
function exchange(server: ApiServer, url: URL, method: string, headers: Record<string, string>, payload: string | undefined, limit: number): Promise<{ status: number; text?: string }> {
    const secure = url.protocol === "https:";
    const transport = (secure ? require("https") : require("http")) as typeof import("https");
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const port = Number(url.port || (secure ? 443 : 80));
    return new Promise((resolve, reject) => {
        const request = transport.request(url, {
            method,
            headers: payload !== undefined ? { ...headers, "Content-Length": String(Buffer.byteLength(payload)) } : headers,
            signal: AbortSignal.timeout(server.timeoutMs),
            // With createConnection and no agent, Node writes the request only to the socket handed back, so the
            // credential never reaches a server that failed the check.
            ...(secure ? { createConnection: (_options: unknown, ready: (error: Error | null, socket: import("net").Socket) => void) => connectVerified({ host, port, trust: server.trust ?? {}, timeoutMs: server.timeoutMs }, ready) } : {}),
        }, (response) => {
            const status = response.statusCode ?? 0;
            if (Number(response.headers["content-length"] ?? 0) > limit) {
                response.destroy();
                return resolve({ status });
            }
            const chunks: Buffer[] = [];
            let size = 0;
            response.on("data", (chunk: Buffer) => {
                size += chunk.length;
                if (size > limit) {
                    response.destroy();
                    resolve({ status });
                } else chunks.push(chunk);
            });
            response.on("end", () => resolve({ status, text: Buffer.concat(chunks).toString("utf8") }));
            response.on("error", reject);
        });
        request.on("error", reject);
        request.end(payload);
    });
}

async function sendOnce(server: ApiServer, method: "GET" | "POST", pathAndQuery: string, body?: RequestBody): Promise<string> {
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
    let answer: { status: number; text?: string };
    try {
        answer = await exchange(server, new URL(root + pathAndQuery), method, headers, payload, maxAnswerBytes);
    } catch (error) {
        const name = (error as { name?: string }).name;
        if (name === "TimeoutError" || name === "AbortError") {
            throw failed(`${server.product} at ${root} did not answer ${what} within ${server.timeoutMs} ms`, false);
        }
        const reason = describeFailure(error);
        const untrusted = error instanceof UntrustedServerError ? `; nothing was sent (check ${server.trustKey ?? "the server's"}.fingerprint or .caCertificate)` : "";
        throw failed(`${server.product} at ${root} could not be reached for ${what}: ${reason.text}${untrusted}`, reason.transient);
    }
    const { status, text } = answer;
    if (text === undefined) {
        throw failed(`${server.product} at ${root} answered ${what} with more than ${maxAnswerBytes} bytes; refusing to read it`, false);
    }
    const excerpt = quote(text, server.secrets, 200) || "(empty body)";
    if (status === 401 || status === 403) {
        throw failed(`${server.product} at ${root} refused ${what} with HTTP ${status}: check ${server.credentialKey}`, false);
    }
    if (status >= 500) {
        throw failed(`${server.product} at ${root} failed ${what} with HTTP ${status}: ${excerpt}`, [502, 503, 504].includes(status));
    }
    if (status < 200 || status >= 300) {
        throw failed(`${server.product} at ${root} answered ${what} with HTTP ${status}: ${excerpt}`, false);
    }
    return text;
}

/**
 * Sends one request and returns the body of a 2xx answer (at most {@link maxAnswerBytes}). A read
 * (GET) that meets a 502/503/504 or a dropped connection is tried again, {@link readAttempts} times
 * in all, waiting `retryDelayMs` and then twice as long each time; a write is sent once, because
 * the server may have applied it before failing. Every other outcome throws an error that names
 * the server and the request, and never a secret.
 */
export async function sendRequest(server: ApiServer, method: "GET" | "POST", pathAndQuery: string, body?: RequestBody): Promise<string> {
    const attempts = method === "GET" ? readAttempts : 1;
    for (let attempt = 1; ; attempt++) {
        try {
            return await sendOnce(server, method, pathAndQuery, body);
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            const transient = (error as { transient?: boolean }).transient === true;
            if (!transient || attempt >= attempts) {
                const tries = attempt > 1 ? ` (tried ${attempt} times)` : "";
                throw new Error(redact(message + tries, server.secrets));
            }
            await new Promise((resolve) => setTimeout(resolve, (server.retryDelayMs ?? defaultRetryDelayMs) * 2 ** (attempt - 1)));
        }
    }
}

/** Parses a JSON answer, or throws an error that says which request gave something else. */
export function parseJsonAnswer(server: ApiServer, what: string, text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        throw new Error(`${server.product} at ${baseUrl(server)} answered ${what} with something that is not JSON: ${JSON.stringify(quote(text, server.secrets, 80))}`);
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
