// The one HTTP client of our custom resources (the provider plugin): the DNS servers' APIs, the Proxmox API and
// the Kubernetes API go through it. undici does the requests; this module adds what every caller needs:
// - who the server must be before a byte of the request is written: a pinned fingerprint or a CA for a credential
//   sent in a header (connectVerified, as undici's `connect`), or the cluster CA and a client certificate;
// - a bound on each answer's size (the Content-Length first, then the bytes read: undici's maxResponseSize);
// - a deadline on connecting and on each answer;
// - reads tried again when a server is busy or drops the connection (undici's retry interceptor); a write is
//   sent once, since the server may have applied it before it failed.
// Failures come back as HttpError, whose kind tells the caller which message to give.
import { Agent, buildConnector, Dispatcher, interceptors, request } from "undici";
import { connectVerified, ServerTrust, UntrustedServerError } from "../tls/server-trust";

export interface ClientCertificate {
    /** PEM of the CA the server's certificate must chain to; the host's name or IP is checked too. */
    ca: Buffer;
    cert: Buffer;
    key: Buffer;
}

export interface RetryPolicy {
    /** Tries in all, the first included. */
    attempts: number;
    /** The wait before the first retry, ms; it doubles for each further one. */
    delayMs: number;
    /** The statuses that mean "busy, try again": 502, 503, 504. */
    statuses: number[];
}

export interface HttpRequest {
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
    url: URL;
    headers?: Record<string, string>;
    body?: string;
    /** Bound on connecting (handshake included) and on waiting for each part of an answer, ms. */
    timeoutMs: number;
    /** The most an answer may hold; a longer one is refused and the connection closed. */
    maxAnswerBytes: number;
    /** https: how the server proves itself before anything is sent (a pin, a CA, or neither: public CAs and the name). */
    trust?: ServerTrust;
    /** https: the CA and the client certificate (mutual TLS), for the Kubernetes API. */
    clientCertificate?: ClientCertificate;
    /** Reads (GET) only; none: one try. */
    retry?: RetryPolicy;
}

export interface HttpAnswer {
    status: number;
    text: string;
    /** Tries it took, the first included. */
    attempts: number;
}

export type HttpFailure = "timeout" | "too-large" | "untrusted" | "unusable-credentials" | "unreachable";

/** Why no usable answer came: `kind` for the caller's message, `reason` the cause's own words, `code` its error code. */
export class HttpError extends Error {
    constructor(
        public readonly kind: HttpFailure,
        public readonly reason: string,
        public readonly attempts: number,
        public readonly code?: string,
        options?: { cause?: unknown },
    ) {
        super(reason, options);
        this.name = "HttpError";
    }
}

/** Errors a retried read may meet on a dropped connection: Node's and undici's names for it. */
const droppedConnection = ["ECONNRESET", "EPIPE", "UND_ERR_SOCKET"];

function connector(request: HttpRequest, timeoutMs: number): Agent.Options["connect"] {
    if (request.url.protocol !== "https:") return { timeout: timeoutMs };
    if (request.clientCertificate) {
        const { ca, cert, key } = request.clientCertificate;
        // undici sends no SNI for an address (RFC 6066 allows names only), and checks the certificate against the host.
        return { ca, cert, key, rejectUnauthorized: true, timeout: timeoutMs };
    }
    const trust = request.trust ?? {};
    // The connection is handed to undici only once the server passed the check, so nothing is written before.
    return (options: buildConnector.Options, ready: buildConnector.Callback) => {
        const host = options.hostname.replace(/^\[|\]$/g, "");
        connectVerified({ host, port: Number(options.port || 443), trust, timeoutMs }, (error, socket) =>
            error ? ready(error, null) : ready(null, socket),
        );
    };
}

function dispatcherFor(httpRequest: HttpRequest, attempts: { count: number }): Dispatcher {
    const agent = new Agent({
        connect: connector(httpRequest, httpRequest.timeoutMs),
        headersTimeout: httpRequest.timeoutMs,
        bodyTimeout: httpRequest.timeoutMs,
        maxResponseSize: httpRequest.maxAnswerBytes,
    });
    const counted: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (options, handler) => {
        attempts.count++;
        return dispatch(options, handler);
    };
    const { retry } = httpRequest;
    if (!retry || retry.attempts <= 1 || httpRequest.method !== "GET") return agent.compose(counted);
    // The last busy answer is handed back (throwOnError: false), so the caller can quote it.
    return agent.compose(
        counted,
        interceptors.retry({
            maxRetries: retry.attempts - 1,
            minTimeout: retry.delayMs,
            timeoutFactor: 2,
            retryAfter: false,
            methods: ["GET"],
            statusCodes: retry.statuses,
            errorCodes: droppedConnection,
            throwOnError: false,
        }),
    );
}

function failure(error: unknown, attempts: number): HttpError {
    const cause = ((error as { cause?: unknown }).cause ?? error) as Error & { code?: string };
    const code = (error as { code?: string }).code ?? cause.code;
    if (error instanceof UntrustedServerError || cause instanceof UntrustedServerError)
        return new HttpError("untrusted", cause.message, attempts, code, { cause });
    if (code === "UND_ERR_RES_EXCEEDED_MAX_SIZE") return new HttpError("too-large", cause.message, attempts, code, { cause });
    if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || code === "UND_ERR_CONNECT_TIMEOUT")
        return new HttpError("timeout", cause.message, attempts, code, { cause });
    // A client key that does not fit its certificate, or PEM that is not: OpenSSL refuses before connecting.
    if (/^ERR_OSSL|^ERR_SSL/.test(code ?? "") || /key values mismatch/i.test(cause.message))
        return new HttpError("unusable-credentials", cause.message, attempts, code, { cause });
    return new HttpError("unreachable", cause.message, attempts, code, { cause });
}

/** One request: the status and body of any answer within the bounds, or an HttpError. */
export async function httpRequest(httpRequest: HttpRequest): Promise<HttpAnswer> {
    const attempts = { count: 0 };
    const dispatcher = dispatcherFor(httpRequest, attempts);
    try {
        const headers = {
            ...httpRequest.headers,
            ...(httpRequest.body !== undefined ? { "content-length": String(Buffer.byteLength(httpRequest.body)) } : {}),
        };
        const answer = await request(httpRequest.url, { method: httpRequest.method, headers, body: httpRequest.body, dispatcher });
        // A length announced past the bound: refused before its body is read.
        if (Number(answer.headers["content-length"] ?? 0) > httpRequest.maxAnswerBytes) {
            answer.body.destroy();
            throw new HttpError("too-large", `Content-Length ${answer.headers["content-length"]}`, attempts.count);
        }
        return { status: answer.statusCode, text: await answer.body.text(), attempts: attempts.count };
    } catch (error) {
        throw error instanceof HttpError ? error : failure(error, attempts.count);
    } finally {
        void dispatcher.close().catch(() => undefined);
    }
}
