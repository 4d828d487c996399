// In-memory stand-ins for AdGuard Home and Technitium DNS on 127.0.0.1. Each checks every request
// against the upstream reference (AdGuard's openapi.yaml, Technitium's APIDOCS.md) and records it, so
// a test can prove both what was sent and that nothing was written when something failed.
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import Ajv, { ValidateFunction } from "ajv";
import * as YAML from "yaml";
import { adguardRoute, technitiumRoute } from "./fake-routes";
import { AdguardFake, Answer, LoggedRequest, TechnitiumFake } from "./fake-types";

export * from "./fake-types";

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void | Promise<void>;

async function listen(handler: Handler): Promise<{ url: string; close(): Promise<void> }> {
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            Promise.resolve(handler(req, Buffer.concat(chunks).toString("utf8"), res)).catch((error: Error) => {
                if (!res.headersSent) res.writeHead(500).end(`fake failed: ${error.message}`);
            });
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

function send(res: http.ServerResponse, answer: Answer): void {
    const text = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status, { "Content-Type": typeof answer.body === "string" ? "text/plain" : "application/json" });
    res.end(text);
}

// ---- AdGuard Home: openapi.yaml ----

type Schema = Record<string, unknown>;
interface OpenApi {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema: Schema }> } }>>;
    components: { schemas: Record<string, Schema> };
}

/**
 * A checker for AdGuard requests built from its OpenAPI document: undocumented path 404, method 405,
 * body that fails the schema (or carries a key the schema does not list) 400.
 */
export function openApiChecker(specFile: string): (method: string, path: string, body: string) => Answer | undefined {
    const spec = YAML.parse(fs.readFileSync(specFile, "utf8")) as OpenApi;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const compiled = new Map<string, ValidateFunction>();
    const resolve = (schema: Schema): Schema => {
        const ref = schema.$ref;
        return typeof ref === "string" ? resolve(spec.components.schemas[ref.replace("#/components/schemas/", "")]) : schema;
    };
    return (method, path, body) => {
        const item = spec.paths[path];
        if (!item) return { status: 404, body: `undocumented path ${path}` };
        const operation = item[method.toLowerCase()];
        if (!operation) return { status: 405, body: `${method} is not documented for ${path}` };
        const schema = operation.requestBody?.content?.["application/json"]?.schema;
        if (!schema) return undefined;
        let json: unknown;
        try {
            json = JSON.parse(body);
        } catch {
            return { status: 400, body: "body is not JSON" };
        }
        const key = `${method} ${path}`;
        const validate = compiled.get(key) ?? ajv.compile({ ...schema, components: spec.components });
        compiled.set(key, validate);
        const problems = validate(json) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
        const resolved = resolve(schema);
        if (resolved.properties && json && typeof json === "object") {
            const known = Object.keys(resolved.properties as object);
            problems.push(
                ...Object.keys(json)
                    .filter((k) => !known.includes(k))
                    .map((k) => `/${k} is not in the schema`),
            );
        }
        return problems.length > 0 ? { status: 400, body: problems.join("; ") } : undefined;
    };
}

/** Starts a fake AdGuard Home that requires basic auth with `username`/`password`. */
export async function startAdguardFake(specFile: string, username: string, password: string): Promise<AdguardFake> {
    const check = openApiChecker(specFile);
    const expected = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
    const fake = { log: [], violations: [], upstreams: [], upstreamFile: "" } as unknown as AdguardFake;
    const server = await listen(async (req, body, res) => {
        const url = new URL(req.url ?? "/", "http://fake");
        const entry: LoggedRequest = { method: req.method ?? "", path: url.pathname, params: {} };
        try {
            entry.json = body ? JSON.parse(body) : undefined;
        } catch {
            entry.json = body;
        }
        fake.log.push(entry);
        if (fake.failure === "hang" || (fake.hook && (await fake.hook(entry, res)))) return;
        if (!url.pathname.startsWith("/control/")) return send(res, { status: 404, body: "not found" });
        const rejected = check(entry.method, url.pathname.slice("/control".length), body);
        if (rejected) {
            fake.violations.push(`${entry.method} ${url.pathname}: ${String(rejected.body)}`);
            return send(res, rejected);
        }
        // A failure mode stands in for whatever the server does instead, so it wins over the auth check.
        if (req.headers.authorization !== expected && !fake.failure) return send(res, { status: 401, body: "Unauthorized" });
        if (entry.method === "POST" && req.headers["content-type"] !== "application/json") {
            fake.violations.push(`POST ${url.pathname} without Content-Type: application/json`);
        }
        send(res, adguardRoute(fake, entry));
    });
    return Object.assign(fake, server);
}

// ---- Technitium DNS: APIDOCS.md ----

/** One documented call: its parameters, and which of them are required. */
export interface DocumentedCall {
    title: string;
    params: Set<string>;
    required: Set<string>;
}

/**
 * The calls APIDOCS.md documents, by path. Each `### Title` section names its URL
 * (`http://localhost:5380/api/zones/create?...`) and lists parameters under "WHERE:" as
 * "- `zone`: ..." or "- `catalog` (optional): ..."; the "WHERE:" after "RESPONSE:" describes the answer.
 */
export function parseTechnitiumDocs(markdown: string): Map<string, DocumentedCall> {
    const calls = new Map<string, DocumentedCall>();
    for (const section of markdown.split(/^### /m).slice(1)) {
        const title = section.split("\n")[0].trim();
        const url = /`http:\/\/localhost:5380(\/api\/[^?`\s]*)/.exec(section);
        if (!url) continue;
        const request = section.split(/^RESPONSE:/m)[0];
        const where = request.split(/^WHERE:/m)[1] ?? "";
        const call = calls.get(url[1]) ?? { title, params: new Set<string>(), required: new Set<string>() };
        for (const m of where.matchAll(/^- `([A-Za-z0-9]+)`\s*(\(optional\))?/gm)) {
            call.params.add(m[1]);
            if (!m[2]) call.required.add(m[1]);
        }
        calls.set(url[1], call);
    }
    return calls;
}

/** Starts a fake Technitium DNS that requires `Authorization: Bearer <token>`. */
export async function startTechnitiumFake(docsFile: string, token: string): Promise<TechnitiumFake> {
    const calls = parseTechnitiumDocs(fs.readFileSync(docsFile, "utf8"));
    const fake = { log: [], violations: [], zones: new Map() } as unknown as TechnitiumFake;
    const server = await listen(async (req, body, res) => {
        const url = new URL(req.url ?? "/", "http://fake");
        const params = Object.fromEntries(url.searchParams);
        if (req.method === "POST" && body) {
            if (req.headers["content-type"] !== "application/x-www-form-urlencoded") {
                fake.violations.push(`POST ${url.pathname} without Content-Type: application/x-www-form-urlencoded`);
            }
            Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
        }
        const entry: LoggedRequest = { method: req.method ?? "", path: url.pathname, params };
        fake.log.push(entry);
        if (fake.failure === "hang" || (fake.hook && (await fake.hook(entry, res)))) return;
        const call = calls.get(url.pathname);
        const problems = !call
            ? [`undocumented path ${url.pathname}`]
            : req.method !== "GET" && req.method !== "POST"
              ? [`method ${req.method}`]
              : [
                    ...Object.keys(params)
                        .filter((p) => !call.params.has(p))
                        .map((p) => `undocumented parameter ${p}`),
                    ...[...call.required].filter((p) => p !== "token" && !(p in params)).map((p) => `missing parameter ${p}`),
                ];
        if (problems.length > 0) {
            fake.violations.push(`${entry.method} ${url.pathname}: ${problems.join("; ")}`);
            return send(res, { status: call ? 200 : 404, body: { status: "error", errorMessage: problems.join("; ") } });
        }
        if (req.headers.authorization !== `Bearer ${token}` && !fake.failure) {
            return send(res, { status: 200, body: { status: "invalid-token", errorMessage: "Invalid token or session expired." } });
        }
        send(res, technitiumRoute(fake, entry));
    });
    return Object.assign(fake, server);
}

/** A local port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

/** The requests that would have changed something: AdGuard POSTs, Technitium calls other than reads. */
export function writeRequests(log: readonly LoggedRequest[]): LoggedRequest[] {
    const reads = ["/control/dns_info", "/api/zones/list", "/api/zones/records/get"];
    return log.filter((r) => !reads.includes(r.path));
}

/** Runs `action`, expects it to fail, and returns the message. */
export async function failure(action: () => Promise<unknown>): Promise<string> {
    try {
        await action();
    } catch (error) {
        return (error as Error).message;
    }
    throw new Error("expected a failure, but the call succeeded");
}
