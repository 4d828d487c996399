// The HTTP plumbing both DNS servers share. Dynamic providers are serialized by Pulumi's closure
// serializer, so everything here is a plain module-level function that uses only Node built-ins
// (fetch, AbortSignal, URL, Buffer): no classes, no npm packages, no captured state.

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
}

/** A request body: JSON (AdGuard) or form fields (Technitium). */
export type RequestBody = { json: unknown } | { form: Record<string, string> };

/** Replaces every secret in a message with "***", so an echoing server cannot leak one into a log. */
export function redact(message: string, secrets: readonly string[]): string {
    return secrets.filter((s) => s.length > 0).reduce((text, s) => text.split(s).join("***"), message);
}

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

function describeFailure(error: unknown): string {
    if (!(error instanceof Error)) return String(error);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
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
    let text: string;
    try {
        response = await fetch(root + pathAndQuery, {
            method, headers, body: payload, redirect: "manual", signal: AbortSignal.timeout(server.timeoutMs),
        });
        text = await response.text();
    } catch (error) {
        const name = (error as { name?: string }).name;
        if (name === "TimeoutError" || name === "AbortError") {
            throw new Error(`${server.product} at ${root} did not answer ${what} within ${server.timeoutMs} ms`);
        }
        throw new Error(`${server.product} at ${root} could not be reached for ${what}: ${describeFailure(error)}`);
    }
    const excerpt = text.trim().slice(0, 200);
    if (response.status === 401 || response.status === 403) {
        throw new Error(`${server.product} at ${root} refused ${what} with HTTP ${response.status}: check ${server.credentialKey}`);
    }
    if (response.status >= 500) {
        throw new Error(`${server.product} at ${root} failed ${what} with HTTP ${response.status}: ${excerpt || "(empty body)"}`);
    }
    if (response.status < 200 || response.status >= 300) {
        throw new Error(`${server.product} at ${root} answered ${what} with HTTP ${response.status}: ${excerpt || "(empty body)"}`);
    }
    return text;
}

/**
 * Sends one request and returns the body of a 2xx answer. Every other outcome (timeout, refused
 * connection, 401/403, 4xx, 5xx) throws an error that names the server and the request, and never
 * a secret.
 */
export async function sendRequest(server: ApiServer, method: "GET" | "POST", pathAndQuery: string, body?: RequestBody): Promise<string> {
    try {
        return await sendOnce(server, method, pathAndQuery, body);
    } catch (error) {
        throw new Error(redact(error instanceof Error ? error.message : String(error), server.secrets));
    }
}

/** Parses a JSON answer, or throws an error that says which request gave something else. */
export function parseJsonAnswer(server: ApiServer, what: string, text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        const excerpt = redact(text.trim().slice(0, 80), server.secrets);
        throw new Error(`${server.product} at ${baseUrl(server)} answered ${what} with something that is not JSON: ${JSON.stringify(excerpt)}`);
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
