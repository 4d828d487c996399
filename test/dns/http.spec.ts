import * as assert from "assert";
import * as http from "http";
import { adguardReadUpstreams, adguardServer, AdguardApi, adguardEnsureForwarder } from "../../components/dns/adguard-api";
import { ApiServer, maxAnswerBytes, sendRequest } from "../../components/dns/http";
import { basicAuthSecrets, quote, redact, secretPattern } from "../../components/dns/redact";
import { referenceFile } from "../harness/reference";
import { AdguardFake, failure, startAdguardFake, writeRequests } from "./fake-servers";

// Characters that every encoding spells differently: space, quote, <, &, /, +, a non-ASCII letter.
const password = 'Pa ss"<&>/+é-9Kq';
const filler = "x".repeat(190);

/** The six-character pieces of `spelling` found in `message`: any of them is a partial leak. */
function leakedPieces(message: string, spelling: string): string[] {
    const pieces = [...Array(Math.max(0, spelling.length - 5)).keys()].map((i) => spelling.slice(i, i + 6));
    return pieces.filter((piece) => message.includes(piece));
}

/** Go's encoding/json: short escapes, and `<`, `>`, `&` as \u003c, \u003e, \u0026. */
const goJson = (s: string) => JSON.stringify(s).slice(1, -1).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
/** .NET's System.Text.Json default: everything outside a safe ASCII set as \uXXXX (upper-case hex). */
const dotnetJson = (s: string) =>
    [...s].map((c) => (/[A-Za-z0-9 .\-_]/.test(c) ? c : `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`)).join("");
const htmlEscaped = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const basicHeader = Buffer.from(`admin:${password}`).toString("base64");

const echoes: [string, string][] = [
    ["raw", password],
    ["JSON-escaped (Go)", goJson(password)],
    ["JSON-escaped (.NET)", dotnetJson(password)],
    ["URL-encoded (form)", new URLSearchParams({ p: password }).toString().slice(2)],
    ["URL-encoded (lower-case hex)", encodeURIComponent(password).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ["HTML-escaped", htmlEscaped(password)],
    ["the basic auth header", basicHeader],
    ["the basic auth header, URL-encoded", encodeURIComponent(basicHeader)],
];

describe("DNS API plumbing: redaction", () => {
    it("finds a secret in every spelling and in a mix of them", () => {
        const pattern = (s: string) => new RegExp(`^${secretPattern(s).source}$`, "i");
        for (const spelling of [
            'a"b c',
            'a\\"b c',
            "a\\u0022b c",
            "a\\u0022b+c",
            "a%22b%20c",
            "a%22b+c",
            "a&quot;b c",
            "a&#34;b&#x20;c",
            'A"B C',
        ]) {
            assert.match(spelling, pattern('a"b c'), spelling);
        }
        assert.doesNotMatch('a"bc', pattern('a"b c'));
        assert.match("%C3%A9t%c3%a9", pattern("été"));
        assert.match("\\u00e9t\\u00E9", pattern("été"));
    });

    it("lists the basic auth forms of a password", () => {
        assert.deepStrictEqual(basicAuthSecrets("admin", "pw"), ["pw", "YWRtaW46cHc=", "YWRtaW46cHc", "cHc=", "cHc"]);
    });

    it("redacts before it cuts: no piece of a secret survives at the cut", () => {
        const text = `${filler}${password} and more`;
        assert.strictEqual(quote(text, [password], 200), `${filler}*** and mo...`);
        assert.strictEqual(quote(`${"x".repeat(198)}${password}`, [password], 200), `${"x".repeat(198)}**...`);
        assert.deepStrictEqual(leakedPieces(quote(text, [password], 195), password), []);
    });

    it("redacts the longer secret first, so a secret inside another leaves no tail", () => {
        assert.strictEqual(redact("token=abc123 and abc", ["abc", "abc123"]), "token=*** and ***");
    });
});

describe("DNS API plumbing against a fake AdGuard Home", function () {
    let fake: AdguardFake;
    let api: AdguardApi;
    let server: ApiServer;

    before(async function () {
        fake = await startAdguardFake(referenceFile("adguard-home/v0.107.79/openapi.yaml", this), "admin", password);
        api = { url: fake.url, username: "admin", password, timeoutMs: 5000 };
        server = { ...adguardServer(api), retryDelayMs: 5 };
    });
    after(async () => fake?.close());
    beforeEach(() => {
        fake.upstreams = ["tls://1.1.1.1"];
        fake.hook = undefined;
        fake.log.length = 0;
        fake.violations.length = 0;
    });
    afterEach(() => assert.deepStrictEqual(fake.violations, []));

    const answer = (status: number, body: string) => (_r: unknown, res: http.ServerResponse) => {
        res.writeHead(status, { "Content-Type": "text/plain" }).end(body);
        return true;
    };

    describe("a server that echoes the password", () => {
        for (const [name, echo] of echoes) {
            it(`${name}, across the cut of an HTTP error and of a non-JSON answer`, async () => {
                fake.hook = answer(500, `${filler}${echo} trailing text`);
                const error = await failure(() => sendRequest(server, "GET", "/control/dns_info"));
                assert.strictEqual(error, `AdGuard Home at ${fake.url} failed GET /control/dns_info with HTTP 500: ${filler}*** traili...`);
                fake.hook = answer(200, `${"y".repeat(75)}${echo}`);
                const notJson = await failure(() => adguardReadUpstreams(api));
                assert.strictEqual(
                    notJson,
                    `AdGuard Home at ${fake.url} answered GET /control/dns_info with something that is not JSON: "${"y".repeat(75)}***"`,
                );
                for (const message of [error, notJson]) {
                    assert.deepStrictEqual(leakedPieces(message, echo), [], message);
                    assert.deepStrictEqual(leakedPieces(message, password), [], message);
                }
            });
        }
    });

    describe("answer size", () => {
        const drainedOrClosed = (res: http.ServerResponse) =>
            new Promise<void>((resolve) => {
                const done = () => {
                    res.off("drain", done);
                    res.off("close", done);
                    resolve();
                };
                res.on("drain", done);
                res.on("close", done);
            });
        /** Streams `total` bytes of JSON-looking text in 64 KiB chunks, as fast as the client reads; returns what was written. */
        function stream(total: number, declareLength: boolean, written: { bytes: number; closed: boolean }) {
            return async (_r: unknown, res: http.ServerResponse) => {
                res.writeHead(200, { "Content-Type": "application/json", ...(declareLength ? { "Content-Length": String(total) } : {}) });
                res.on("close", () => {
                    written.closed = true;
                });
                const chunk = Buffer.alloc(64 * 1024, "a");
                while (written.bytes < total && !written.closed) {
                    written.bytes += chunk.length;
                    if (!res.write(chunk)) await drainedOrClosed(res);
                }
                res.end();
                return true;
            };
        }
        const tooLarge = () =>
            `AdGuard Home at ${fake.url} answered GET /control/dns_info with more than ${maxAnswerBytes} bytes; refusing to read it`;

        it("refuses a 40 MB answer sent in chunks without reading it whole", async () => {
            const written = { bytes: 0, closed: false };
            fake.hook = stream(40 * 1024 * 1024, false, written);
            assert.strictEqual(await failure(() => adguardReadUpstreams(api)), tooLarge());
            // The client hung up after about 1 MiB; what the server got to write is that plus the socket buffers.
            await new Promise((resolve) => setTimeout(resolve, 50));
            assert.ok(written.closed, "the connection stayed open");
            assert.ok(written.bytes < 8 * 1024 * 1024, `the server wrote ${written.bytes} bytes`);
            assert.strictEqual(fake.log.length, 1, "a refused answer is not retried");
        });

        it("refuses a 40 MB answer announced by Content-Length before reading its body", async () => {
            const written = { bytes: 0, closed: false };
            fake.hook = stream(40 * 1024 * 1024, true, written);
            assert.strictEqual(await failure(() => adguardReadUpstreams(api)), tooLarge());
            await new Promise((resolve) => setTimeout(resolve, 50));
            assert.ok(written.bytes < 8 * 1024 * 1024, `the server wrote ${written.bytes} bytes`);
        });

        it("reads an answer of exactly the limit", async () => {
            const body = JSON.stringify({ upstream_dns: ["tls://1.1.1.1"], pad: "" });
            fake.hook = answer(200, body.replace('""', `"${"p".repeat(maxAnswerBytes - body.length)}"`));
            assert.deepStrictEqual(await adguardReadUpstreams(api), ["tls://1.1.1.1"]);
        });
    });

    describe("retries", () => {
        /** Answers the first `count` requests with `status`, then lets the fake emulate. */
        const failFirst = (count: number, status: number | "reset") => (request: { method: string }, res: http.ServerResponse) => {
            if (fake.log.length > count) return false;
            if (status === "reset") res.socket?.destroy();
            else res.writeHead(status, { "Content-Type": "text/plain" }).end("upstream busy");
            return true;
        };

        for (const status of [502, 503, 504, "reset"] as const) {
            it(`a read that meets ${status === "reset" ? "a dropped connection" : `HTTP ${status}`} twice succeeds on the third try`, async () => {
                fake.hook = failFirst(2, status);
                const text = await sendRequest(server, "GET", "/control/dns_info");
                assert.deepStrictEqual((JSON.parse(text) as { upstream_dns: string[] }).upstream_dns, ["tls://1.1.1.1"]);
                assert.deepStrictEqual(
                    fake.log.map((r) => `${r.method} ${r.path}`),
                    Array(3).fill("GET /control/dns_info"),
                );
            });
        }

        it("a read that keeps meeting 503 fails after three tries, saying so", async () => {
            fake.hook = failFirst(99, 503);
            const message = await failure(() => sendRequest(server, "GET", "/control/dns_info"));
            assert.strictEqual(
                message,
                `AdGuard Home at ${fake.url} failed GET /control/dns_info with HTTP 503: upstream busy (tried 3 times)`,
            );
            assert.strictEqual(fake.log.length, 3);
        });

        it("a 500 is not retried: the server said it failed, not that it is busy", async () => {
            fake.hook = failFirst(99, 500);
            await failure(() => sendRequest(server, "GET", "/control/dns_info"));
            assert.strictEqual(fake.log.length, 1);
        });

        it("a write is sent once, even on 503 or a dropped connection", async () => {
            for (const status of [503, "reset"] as const) {
                fake.log.length = 0;
                fake.hook = (request, res) => request.method === "POST" && failFirst(99, status)(request, res);
                const message = await failure(() => adguardEnsureForwarder({ ...api }, "ragas.cc", "172.16.1.60"));
                assert.match(
                    message,
                    status === 503
                        ? /failed POST \/control\/dns_config with HTTP 503: upstream busy$/
                        : /could not be reached for POST \/control\/dns_config: (ECONNRESET|UND_ERR_SOCKET)$/,
                );
                assert.strictEqual(writeRequests(fake.log).length, 1);
            }
            assert.deepStrictEqual(fake.upstreams, ["tls://1.1.1.1"]);
        });

        it("the real backoff waits 250 ms, then 500 ms", async () => {
            fake.hook = failFirst(2, 503);
            const started = Date.now();
            await adguardReadUpstreams(api);
            const waited = Date.now() - started;
            assert.ok(waited >= 750 && waited < 3000, `waited ${waited} ms`);
        });
    });
});
