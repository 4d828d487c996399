import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { adguardForwarderProvider } from "../../components/dns/adguard-forwarder";
import { compiledModules, forwarderModules, providerModules, selfContainedProvider } from "../../components/dns/self-contained";
import { technitiumForwarderProvider } from "../../components/dns/technitium-forwarder";
import { referenceFile } from "../harness/reference";
import { AdguardFake, failure, startAdguardFake, startTechnitiumFake, TechnitiumFake, writeRequests } from "./fake-servers";

// What Pulumi's provider host does with a stored provider (cmd/dynamic-provider/index.js getProvider:
// require-from-string with no file name), in a plain `node` started in an empty folder: no ts-node,
// no project files, nothing of this process.
const hostScript = `
const fs = require("fs");
const Module = require("module");
const m = new Module("", null);
m.filename = "";
m.paths = Module._nodeModulePaths(".");
m._compile(fs.readFileSync(process.env.PROVIDER_FILE, "utf8"), "");
const provider = m.exports.handler();
(async () => {
    const results = [];
    for (const [method, args] of JSON.parse(process.env.PROVIDER_CALLS)) results.push((await provider[method](...args)) ?? null);
    console.log(JSON.stringify(results));
})().catch((error) => { console.error(error.message); process.exit(1); });
`;

describe("forwarder providers as Pulumi stores them", function () {
    let adguard: AdguardFake;
    let technitium: TechnitiumFake;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-dns-host-"));

    before(async function () {
        adguard = await startAdguardFake(referenceFile("adguard-home/v0.107.79/openapi.yaml", this), "admin", "pw");
        technitium = await startTechnitiumFake(referenceFile("technitium-dns/v15.2.0/APIDOCS.md", this), "tok");
    });
    after(async () => {
        await adguard?.close();
        await technitium?.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    async function serialized(provider: pulumi.dynamic.ResourceProvider): Promise<string> {
        return (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: false })).text;
    }

    /** Runs `calls` on the stored text of `provider` in a fresh `node`, as the provider host would; returns their results. */
    async function inFreshHost(provider: pulumi.dynamic.ResourceProvider, calls: [string, unknown[]][]): Promise<unknown[]> {
        const file = path.join(dir, "provider.js");
        fs.writeFileSync(file, await serialized(provider));
        const env: NodeJS.ProcessEnv = { ...process.env, PROVIDER_FILE: file, PROVIDER_CALLS: JSON.stringify(calls) };
        delete env.NODE_OPTIONS;
        const stdout = await new Promise<string>((resolve, reject) => {
            execFile(process.execPath, ["-e", hostScript], { cwd: dir, env, timeout: 20_000 }, (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)));
        });
        return JSON.parse(stdout) as unknown[];
    }

    it("captures five methods, one loader and the modules' text, even after use: no Pulumi SDK, no file of this project", async () => {
        // A call before serializing must leave nothing behind for the serializer to pick up.
        await failure(() => adguardForwarderProvider.create({ url: "not a url", username: "a", password: "b", domain: "ragas.cc", target: "172.16.1.60" }));
        for (const provider of [adguardForwarderProvider, technitiumForwarderProvider]) {
            const text = await serialized(provider);
            assert.strictEqual((text.match(/^function /gm) ?? []).length, 7, text.slice(0, 400));
            assert.deepStrictEqual(text.match(/^var __\w+/gm), ["var __modules", "var __provider"]);
            assert.ok(!/require\("@pulumi\/pulumi"\)/.test(text), "the provider drags in the Pulumi SDK");
            assert.ok(!text.includes(process.cwd()), "the provider names a path of this checkout");
        }
    });

    it("the AdGuard provider creates, reads and deletes its line from its stored text alone", async () => {
        adguard.upstreams = ["tls://1.1.1.1"];
        const props = { url: adguard.url, username: "admin", password: "pw", domain: "ragas.cc", target: "172.16.1.60", settleMs: 0 };
        const [created, read, deleted, readAfterDelete] = await inFreshHost(adguardForwarderProvider,
            [["create", [props]], ["read", ["id", props]], ["delete", ["id", props]], ["read", ["id", props]]]) as { id: string; props: { target: string } }[];
        assert.strictEqual(created.id, `${adguard.url}|ragas.cc`);
        assert.strictEqual(read.props.target, "172.16.1.60");
        assert.strictEqual(deleted, null);
        assert.strictEqual(readAfterDelete.props.target, "");
        assert.deepStrictEqual(writeRequests(adguard.log).map((r) => (r.json as { upstream_dns: string[] }).upstream_dns),
            [["tls://1.1.1.1", "[/ragas.cc/]172.16.1.60"], ["tls://1.1.1.1"]]);
        assert.deepStrictEqual(adguard.upstreams, ["tls://1.1.1.1"]);
        assert.deepStrictEqual(adguard.violations, []);
    });

    it("the Technitium provider creates and deletes its zone from its stored text alone", async () => {
        technitium.zones = new Map([["home.arpa", { type: "Primary", records: [] }]]);
        const props = { url: technitium.url, token: "tok", domain: "ragas.cc", target: "172.16.1.60" };
        const [, read] = await inFreshHost(technitiumForwarderProvider, [["create", [props]], ["read", ["id", props]], ["delete", ["id", props]]]) as { props: unknown }[];
        assert.deepStrictEqual(read.props, props);
        assert.strictEqual(writeRequests(technitium.log)[0].params.proxyType, "NoProxy");
        assert.deepStrictEqual([...technitium.zones.keys()], ["home.arpa"]);
        assert.deepStrictEqual(writeRequests(technitium.log).map((r) => r.path), ["/api/zones/create", "/api/zones/delete"]);
        assert.deepStrictEqual(technitium.violations, []);
    });

    describe("compiledModules", () => {
        it("compiles every provider module to CommonJS, type-only imports gone", () => {
            const modules = forwarderModules();
            assert.deepStrictEqual(Object.keys(modules), providerModules);
            assert.match(modules.http, /require\("\.\/redact"\)/);
            assert.ok(!modules["forwarder-provider"].includes("@pulumi/pulumi"), "a type-only import survived");
        });

        it("takes compiled .js as it is when there is no .ts", () => {
            const jsDir = fs.mkdtempSync(path.join(dir, "js-"));
            fs.writeFileSync(path.join(jsDir, "only.js"), "exports.answer = 42;\n");
            assert.deepStrictEqual(compiledModules(["only"], jsDir), { only: "exports.answer = 42;\n" });
        });

        it("a provider naming a module it was not given fails on use, saying which", async () => {
            const provider = selfContainedProvider({ entry: "exports.p = require('./missing');" }, "entry", "p");
            assert.strictEqual(await failure(() => provider.create({})), "self-contained provider: no module ./missing among entry");
        });
    });
});
