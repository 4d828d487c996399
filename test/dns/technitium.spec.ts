import * as assert from "assert";
import * as fs from "fs";
import {
    TechnitiumApi, technitiumCall, technitiumEnsureForwarder, technitiumReadForwarder, technitiumRemoveForwarder,
} from "../../components/dns/technitium-api";
import { technitiumForwarderProvider, TechnitiumForwarderProps } from "../../components/dns/technitium-forwarder";
import { referenceFile } from "../harness/reference";
import { closedPort, parseTechnitiumDocs, startTechnitiumFake, TechnitiumFake, writeRequests, failure } from "./fake-servers";

const token = "0f1e2d3c4b5a69788796a5b4c3d2e1f0-technitium-token";
const domain = "ragas.cc";
const gateway = "172.16.1.60";
const docs = "technitium-dns/v15.2.0/APIDOCS.md";


describe("Technitium DNS forwarder (against a fake checked by APIDOCS.md)", function () {
    let fake: TechnitiumFake;
    let api: TechnitiumApi;
    const otherZone = () => ({ type: "Primary", records: [] });

    before(async function () {
        fake = await startTechnitiumFake(referenceFile(docs, this), token);
        api = { url: fake.url, token, timeoutMs: 2000 };
    });
    after(async () => fake?.close());
    beforeEach(() => {
        fake.zones = new Map([["home.arpa", otherZone()]]);
        fake.failure = undefined;
        fake.log.length = 0;
        fake.violations.length = 0;
    });
    afterEach(() => assert.deepStrictEqual(fake.violations, []));
    const calls = () => fake.log.map((r) => `${r.method} ${r.path}`);

    it("reads the calls it checks against from the reference", function () {
        const documented = parseTechnitiumDocs(fs.readFileSync(referenceFile(docs, this), "utf8"));
        const create = documented.get("/api/zones/create");
        assert.strictEqual(create?.title, "Create Zone");
        assert.deepStrictEqual([...create.required].sort(), ["token", "type", "zone"]);
        for (const p of ["forwarder", "protocol", "initializeForwarder"]) assert.ok(create.params.has(p), p);
        assert.deepStrictEqual([...documented.get("/api/zones/delete")!.required].sort(), ["token", "zone"]);
        assert.ok(documented.get("/api/zones/records/update")!.params.has("newForwarder"));
    });

    it("the fake flags an undocumented parameter, a missing one, and an undocumented path", async () => {
        await failure(() => technitiumCall(api, "/api/zones/create", { zone: "x.cc", type: "Forwarder", forwarder: gateway, upstream: "1" }, true));
        await failure(() => technitiumCall(api, "/api/zones/delete", {}, true));
        await failure(() => technitiumCall(api, "/api/zones/forwarders/set", {}, true));
        assert.deepStrictEqual(fake.violations, [
            "POST /api/zones/create: undocumented parameter upstream",
            "POST /api/zones/delete: missing parameter zone",
            "POST /api/zones/forwarders/set: undocumented path /api/zones/forwarders/set",
        ]);
        fake.violations.length = 0;
    });

    describe("ensure", () => {
        it("creates a Conditional Forwarder zone over UDP and leaves other zones alone", async () => {
            assert.strictEqual(await technitiumEnsureForwarder(api, domain, gateway), true);
            assert.deepStrictEqual(fake.zones.get("ragas.cc"), { type: "Forwarder", records: [{ forwarder: gateway, protocol: "Udp" }] });
            assert.deepStrictEqual(fake.zones.get("home.arpa"), otherZone());
            assert.deepStrictEqual(writeRequests(fake.log).map((r) => [r.method, r.path, r.params]), [["POST", "/api/zones/create",
                { zone: "ragas.cc", type: "Forwarder", initializeForwarder: "true", protocol: "Udp", forwarder: gateway }]]);
        });

        it("is idempotent: a second run adopts the zone and only reads", async () => {
            await technitiumEnsureForwarder(api, domain, gateway);
            fake.log.length = 0;
            assert.strictEqual(await technitiumEnsureForwarder(api, domain, gateway), false);
            assert.deepStrictEqual(calls(), ["GET /api/zones/list", "GET /api/zones/records/get"]);
        });

        it("repoints a Forwarder zone that forwards elsewhere, and drops extra forwarders", async () => {
            fake.zones.set("ragas.cc", { type: "Forwarder", records: [{ forwarder: "10.0.0.9", protocol: "Tcp" }, { forwarder: "10.0.0.8", protocol: "Udp" }] });
            await technitiumEnsureForwarder(api, domain, gateway);
            assert.deepStrictEqual(fake.zones.get("ragas.cc")!.records, [{ forwarder: gateway, protocol: "Udp" }]);
            assert.deepStrictEqual(writeRequests(fake.log).map((r) => r.path), ["/api/zones/records/update", "/api/zones/records/delete"]);
        });

        it("adds the forwarder to an empty Forwarder zone", async () => {
            fake.zones.set("ragas.cc", { type: "Forwarder", records: [] });
            await technitiumEnsureForwarder(api, domain, gateway);
            assert.deepStrictEqual(fake.zones.get("ragas.cc")!.records, [{ forwarder: gateway, protocol: "Udp" }]);
        });

        it("refuses to take over a zone of another type, and writes nothing", async () => {
            fake.zones.set("ragas.cc", otherZone());
            const message = await failure(() => technitiumEnsureForwarder(api, domain, gateway));
            assert.strictEqual(message, `Technitium DNS at ${fake.url} already has ragas.cc as a Primary zone; refusing to replace it with a Conditional Forwarder zone (delete it by hand to hand it over)`);
            assert.deepStrictEqual(writeRequests(fake.log), []);
        });
    });

    describe("read", () => {
        it("reports no forwarding before create and the gateway after", async () => {
            assert.strictEqual(await technitiumReadForwarder(api, domain), undefined);
            await technitiumEnsureForwarder(api, domain, gateway);
            assert.strictEqual(await technitiumReadForwarder(api, "RAGAS.cc."), gateway);
        });

        it("shows drift after a change by hand, through the provider's read", async () => {
            const props: TechnitiumForwarderProps = { url: fake.url, token, domain, target: gateway, timeoutMs: 2000 };
            const created = await technitiumForwarderProvider.create(props);
            fake.zones.get("ragas.cc")!.records[0].forwarder = "10.0.0.9";
            const read = await technitiumForwarderProvider.read!(created.id, props);
            assert.strictEqual(read.props.target, "10.0.0.9");
            fake.zones.delete("ragas.cc");
            assert.strictEqual((await technitiumForwarderProvider.read!(created.id, props)).props.target, "");
        });
    });

    describe("provider", () => {
        const props = (): TechnitiumForwarderProps => ({ url: fake.url, token, domain, target: gateway, timeoutMs: 2000 });

        it("updates the forwarder record in place", async () => {
            const created = await technitiumForwarderProvider.create(props());
            assert.strictEqual(created.id, `${fake.url}|ragas.cc`);
            await technitiumForwarderProvider.update!(created.id, props(), { ...props(), target: "172.16.1.65" });
            assert.deepStrictEqual(fake.zones.get("ragas.cc"), { type: "Forwarder", records: [{ forwarder: "172.16.1.65", protocol: "Udp" }] });
        });

        it("deletes only our zone", async () => {
            const created = await technitiumForwarderProvider.create(props());
            await technitiumForwarderProvider.delete!(created.id, props());
            assert.deepStrictEqual([...fake.zones.keys()], ["home.arpa"]);
            assert.deepStrictEqual(writeRequests(fake.log).map((r) => [r.path, r.params]), [
                ["/api/zones/create", { zone: "ragas.cc", type: "Forwarder", initializeForwarder: "true", protocol: "Udp", forwarder: gateway }],
                ["/api/zones/delete", { zone: "ragas.cc" }],
            ]);
        });

        it("deletes nothing when the zone is gone or is not a Forwarder zone", async () => {
            assert.strictEqual(await technitiumRemoveForwarder(api, domain), false);
            fake.zones.set("ragas.cc", otherZone());
            assert.strictEqual(await technitiumRemoveForwarder(api, domain), false);
            assert.deepStrictEqual(writeRequests(fake.log), []);
        });

        it("shows a change made by hand in a plain preview: diff asks the server", async () => {
            const created = await technitiumForwarderProvider.create(props());
            assert.deepStrictEqual(await technitiumForwarderProvider.diff!(created.id, props(), props()), { changes: false, replaces: [], deleteBeforeReplace: true });
            fake.zones.set("ragas.cc", { type: "Forwarder", records: [{ forwarder: "10.0.0.9", protocol: "Udp" }] });
            assert.deepStrictEqual(await technitiumForwarderProvider.diff!(created.id, props(), props()), { changes: true, replaces: [], deleteBeforeReplace: true });
        });

        it("replaces (deleting first) on a new server or domain; a new token is an update", async () => {
            await technitiumForwarderProvider.create(props());
            const diff = (news: Partial<TechnitiumForwarderProps>) => technitiumForwarderProvider.diff!("id", props(), { ...props(), ...news });
            assert.deepStrictEqual(await diff({ url: "http://172.16.1.10:5380" }), { changes: true, replaces: ["url"], deleteBeforeReplace: true });
            assert.deepStrictEqual(await diff({ token: "other" }), { changes: true, replaces: [], deleteBeforeReplace: true });
            assert.deepStrictEqual(await diff({}), { changes: false, replaces: [], deleteBeforeReplace: true });
        });
    });

    describe("failures change nothing and say what happened", () => {
        const u = () => fake.url.replace(/\./g, "\\.");
        const cases: { name: string; setup: () => void; expected: () => RegExp; apiOverride?: Partial<TechnitiumApi> }[] = [
            { name: "wrong token (status invalid-token)", setup: () => undefined, apiOverride: { token: "wrong-token" },
                expected: () => new RegExp(`^Technitium DNS at ${u()} refused GET /api/zones/list: the token is invalid or expired; check homelab:technitiumToken$`) },
            { name: "HTTP 401", setup: () => { fake.failure = "http401"; },
                expected: () => new RegExp(`^Technitium DNS at ${u()} refused GET /api/zones/list with HTTP 401: check homelab:technitiumToken$`) },
            { name: "server error (500)", setup: () => { fake.failure = "http500"; },
                expected: () => new RegExp(`^Technitium DNS at ${u()} failed GET /api/zones/list with HTTP 500: internal server error$`) },
            { name: "no answer (timeout)", setup: () => { fake.failure = "hang"; }, apiOverride: { timeoutMs: 150 },
                expected: () => new RegExp(`^Technitium DNS at ${u()} did not answer GET /api/zones/list within 150 ms$`) },
            { name: "an answer that is not JSON", setup: () => { fake.failure = "notJson"; },
                expected: () => new RegExp(`^Technitium DNS at ${u()} answered GET /api/zones/list with something that is not JSON: "<html>`) },
            { name: "a zones list that is not a list", setup: () => { fake.failure = "badShape"; },
                expected: () => new RegExp(`^Technitium DNS at ${u()} answered GET /api/zones/list without a zones list$`) },
        ];
        for (const c of cases) {
            it(`${c.name}: ensure and remove fail clearly, with no write`, async () => {
                fake.zones.set("ragas.cc", { type: "Forwarder", records: [{ forwarder: "10.0.0.9", protocol: "Udp" }] });
                c.setup();
                const broken = { ...api, ...c.apiOverride };
                const ensure = await failure(() => technitiumEnsureForwarder(broken, domain, gateway));
                const remove = await failure(() => technitiumRemoveForwarder(broken, domain));
                for (const message of [ensure, remove]) {
                    assert.match(message, c.expected());
                    assert.ok(!message.includes(token) && !message.includes("wrong-token"), "the token leaked into the error");
                }
                assert.deepStrictEqual(writeRequests(fake.log), []);
                assert.deepStrictEqual(fake.zones.get("ragas.cc")!.records, [{ forwarder: "10.0.0.9", protocol: "Udp" }]);
            });
        }

        it("a write answered with status error reports the server's message", async () => {
            fake.failure = "writeError";
            const message = await failure(() => technitiumEnsureForwarder(api, domain, gateway));
            assert.strictEqual(message, `Technitium DNS at ${fake.url} failed POST /api/zones/create: Access to the path 'zones' is denied.`);
            assert.strictEqual(fake.zones.has("ragas.cc"), false);
        });

        it("an unreachable server is named in the error", async () => {
            const closed = { ...api, url: `http://127.0.0.1:${await closedPort()}` };
            const message = await failure(() => technitiumReadForwarder(closed, domain));
            assert.strictEqual(message, `Technitium DNS at ${closed.url} could not be reached for GET /api/zones/list: ECONNREFUSED`);
        });

        it("the token never appears, even when the server echoes it back", async () => {
            fake.failure = "notJson";
            const message = await failure(() => technitiumEnsureForwarder({ ...api, token: "Sign in" }, domain, gateway));
            assert.ok(!message.includes("Sign in") && message.includes("***"), message);
        });
    });
});
