// The HTTP plumbing both DNS servers share. This module and the others of providers.ts run in
// Pulumi's provider host, loaded from their compiled text (self-contained.ts), so they import only
// each other and use only Node's globals (fetch, AbortSignal, URL, Buffer): no npm packages.
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
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const text = cause?.code ?? cause?.message ?? error.message;
    // Node's fetch reports a connection the server dropped as ECONNRESET or UND_ERR_SOCKET ("other side closed").
    return { text, transient: ["ECONNRESET", "UND_ERR_SOCKET", "EPIPE"].includes(cause?.code ?? "") };
}

/** Reads at most `limit` bytes of a body; a longer one is cancelled, never buffered whole. */
async function readCapped(response: Response, limit: number): Promise<string | undefined> {
    if (Number(response.headers.get("content-length") ?? 0) > limit) {
        await response.body?.cancel();
        return undefined;
    }
    if (!response.body) return "";
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > limit) {
            await reader.cancel();
            return undefined;
        }
        chunks.push(value);
    }
    return Buffer.concat(chunks).toString("utf8");
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
    let response: Response;
    let text: string | undefined;
    try {
        response = await fetch(root + pathAndQuery, {
            method, headers, body: payload, redirect: "manual", signal: AbortSignal.timeout(server.timeoutMs),
        });
        text = await readCapped(response, maxAnswerBytes);
    } catch (error) {
        const name = (error as { name?: string }).name;
        if (name === "TimeoutError" || name === "AbortError") {
            throw failed(`${server.product} at ${root} did not answer ${what} within ${server.timeoutMs} ms`, false);
        }
        const reason = describeFailure(error);
        throw failed(`${server.product} at ${root} could not be reached for ${what}: ${reason.text}`, reason.transient);
    }
    if (text === undefined) {
        throw failed(`${server.product} at ${root} answered ${what} with more than ${maxAnswerBytes} bytes; refusing to read it`, false);
    }
    const excerpt = quote(text, server.secrets, 200) || "(empty body)";
    if (response.status === 401 || response.status === 403) {
        throw failed(`${server.product} at ${root} refused ${what} with HTTP ${response.status}: check ${server.credentialKey}`, false);
    }
    if (response.status >= 500) {
        throw failed(`${server.product} at ${root} failed ${what} with HTTP ${response.status}: ${excerpt}`, [502, 503, 504].includes(response.status));
    }
    if (response.status < 200 || response.status >= 300) {
        throw failed(`${server.product} at ${root} answered ${what} with HTTP ${response.status}: ${excerpt}`, false);
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
