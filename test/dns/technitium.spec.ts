import * as assert from "assert";
import * as fs from "fs";
import {
    TechnitiumApi,
    technitiumCall,
    technitiumCreateForwarder,
    technitiumReadForwarder,
    technitiumRemoveForwarder,
    technitiumUpdateForwarder,
} from "../../components/dns/technitium-api";
import { technitiumForwarder, TechnitiumForwarderProps } from "../../provider/forwarders";
import { called } from "../provider/handler-harness";
import { referenceFile } from "../harness/reference";
import { fakeForwarder } from "./fake-routes";
import {
    closedPort,
    FakeForwarder,
    FakeZone,
    parseTechnitiumDocs,
    startTechnitiumFake,
    TechnitiumFake,
    writeRequests,
    failure,
} from "./fake-servers";

const token = "0f1e2d3c4b5a69788796a5b4c3d2e1f0-technitium-token";
const domain = "ragas.cc";
const gateway = "172.16.1.60";
const docs = "technitium-dns/v15.2.0/APIDOCS.md";

describe("Technitium DNS forwarder (against a fake checked by APIDOCS.md)", function () {
    const forwarder = called(technitiumForwarder);
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
        for (const p of ["forwarder", "protocol", "initializeForwarder", "proxyType"]) assert.ok(create.params.has(p), p);
        assert.deepStrictEqual([...documented.get("/api/zones/delete")!.required].sort(), ["token", "zone"]);
        const update = documented.get("/api/zones/records/update")!;
        for (const p of [
            "newForwarder",
            "newProtocol",
            "forwarderPriority",
            "dnssecValidation",
            "proxyType",
            "disable",
            "comments",
            "expiryTtl",
        ])
            assert.ok(update.params.has(p), p);
        assert.ok(documented.get("/api/zones/records/get")!.params.has("listZone"));
    });

    it("the fake flags an undocumented parameter, a missing one, and an undocumented path", async () => {
        await failure(() =>
            technitiumCall(api, "/api/zones/create", { zone: "x.cc", type: "Forwarder", forwarder: gateway, upstream: "1" }, true),
        );
        await failure(() => technitiumCall(api, "/api/zones/delete", {}, true));
        await failure(() => technitiumCall(api, "/api/zones/forwarders/set", {}, true));
        assert.deepStrictEqual(fake.violations, [
            "POST /api/zones/create: undocumented parameter upstream",
            "POST /api/zones/delete: missing parameter zone",
            "POST /api/zones/forwarders/set: undocumented path /api/zones/forwarders/set",
        ]);
        fake.violations.length = 0;
    });

    const zone = (records: FakeForwarder[], others?: FakeZone["others"]): FakeZone => ({
        type: "Forwarder",
        records,
        ...(others ? { others } : {}),
    });
    const ours = (fields: Partial<FakeForwarder> = {}) => fakeForwarder(gateway, { proxyType: "NoProxy", ...fields });
    const wwwRecord = { name: "www.ragas.cc", type: "A", rData: { ipAddress: "172.16.1.20" } };
    const snapshot = () => JSON.parse(JSON.stringify([...fake.zones])) as unknown;
    const props = (target = gateway): TechnitiumForwarderProps => ({ url: fake.url, token, domain, target, timeoutMs: 2000 });
    const createParams = {
        zone: "ragas.cc",
        type: "Forwarder",
        initializeForwarder: "true",
        protocol: "Udp",
        forwarder: gateway,
        proxyType: "NoProxy",
    };

    describe("create", () => {
        it("creates a Conditional Forwarder zone over UDP with no proxy, and leaves other zones alone", async () => {
            assert.strictEqual(await technitiumCreateForwarder(api, domain, gateway), true);
            assert.deepStrictEqual(fake.zones.get("ragas.cc"), zone([ours()]));
            assert.deepStrictEqual(fake.zones.get("home.arpa"), otherZone());
            assert.deepStrictEqual(
                writeRequests(fake.log).map((r) => [r.method, r.path, r.params]),
                [["POST", "/api/zones/create", createParams]],
            );
        });

        it("is idempotent: a second run adopts the zone and only reads, listing the whole zone", async () => {
            await technitiumCreateForwarder(api, domain, gateway);
            fake.log.length = 0;
            assert.strictEqual(await technitiumCreateForwarder(api, domain, gateway), false);
            assert.deepStrictEqual(calls(), ["GET /api/zones/list", "GET /api/zones/records/get"]);
            assert.deepStrictEqual(fake.log[1].params, { domain: "ragas.cc", zone: "ragas.cc", listZone: "true" });
        });

        it("adopts a zone made by hand that forwards only to the gateway, turning its proxy off and keeping its settings", async () => {
            const byHand = fakeForwarder(gateway, { priority: 5, dnssecValidation: true, comments: "made by hand", expiryTtl: 86400 });
            fake.zones.set("ragas.cc", zone([byHand]));
            assert.strictEqual(await technitiumCreateForwarder(api, domain, gateway), true);
            assert.deepStrictEqual(fake.zones.get("ragas.cc"), zone([{ ...byHand, proxyType: "NoProxy" }]));
            assert.deepStrictEqual(
                writeRequests(fake.log).map((r) => [r.path, r.params]),
                [
                    [
                        "/api/zones/records/update",
                        {
                            domain: "ragas.cc",
                            zone: "ragas.cc",
                            type: "FWD",
                            protocol: "Udp",
                            forwarder: gateway,
                            newProtocol: "Udp",
                            newForwarder: gateway,
                            proxyType: "NoProxy",
                            forwarderPriority: "5",
                            dnssecValidation: "true",
                            disable: "false",
                            expiryTtl: "86400",
                            comments: "made by hand",
                        },
                    ],
                ],
            );
        });

        const foreign: [string, FakeZone, string][] = [
            ["a Primary zone", otherZone(), "a Primary zone"],
            ["a Forwarder zone pointing elsewhere", zone([fakeForwarder("10.0.0.9")]), "a Forwarder zone forwarding to 10.0.0.9 (Udp)"],
            [
                "our forwarder over another transport",
                zone([fakeForwarder(gateway, { protocol: "Tcp" })]),
                "a Forwarder zone forwarding to 172.16.1.60 (Tcp)",
            ],
            [
                "our forwarder and another",
                zone([ours(), fakeForwarder("10.0.0.8")]),
                "a Forwarder zone forwarding to 172.16.1.60 (Udp) and 10.0.0.8 (Udp)",
            ],
            [
                "our forwarder and someone's record",
                zone([ours()], [wwwRecord]),
                "a Forwarder zone forwarding to 172.16.1.60 (Udp), with 1 other record (A www.ragas.cc)",
            ],
            ["an empty Forwarder zone", zone([]), "a Forwarder zone with no forwarder"],
        ];
        for (const [name, existing, described] of foreign) {
            it(`refuses to take over ${name}, and writes nothing`, async () => {
                fake.zones.set("ragas.cc", existing);
                const before = snapshot();
                const message = await failure(() => technitiumCreateForwarder(api, domain, gateway));
                assert.strictEqual(
                    message,
                    `Technitium DNS at ${fake.url} already has ragas.cc as ${described}; refusing to take it over. ` +
                        "Delete that zone by hand, or leave in it only a forwarder to 172.16.1.60 over Udp, then run again",
                );
                assert.deepStrictEqual(writeRequests(fake.log), []);
                assert.deepStrictEqual(snapshot(), before);
            });
        }
    });

    describe("update", () => {
        it("moves our record to the new target, keeping its settings and every other record", async () => {
            const tuned = ours({ priority: 3, dnssecValidation: true, comments: "priority set by hand" });
            fake.zones.set("ragas.cc", zone([tuned, fakeForwarder("10.0.0.8", { priority: 9 })], [wwwRecord]));
            await forwarder.update("id", props(), props("172.16.1.65"));
            assert.deepStrictEqual(
                fake.zones.get("ragas.cc"),
                zone([{ ...tuned, forwarder: "172.16.1.65" }, fakeForwarder("10.0.0.8", { priority: 9 })], [wwwRecord]),
            );
            assert.deepStrictEqual(
                writeRequests(fake.log).map((r) => [r.path, r.params]),
                [
                    [
                        "/api/zones/records/update",
                        {
                            domain: "ragas.cc",
                            zone: "ragas.cc",
                            type: "FWD",
                            protocol: "Udp",
                            forwarder: gateway,
                            newProtocol: "Udp",
                            newForwarder: "172.16.1.65",
                            proxyType: "NoProxy",
                            forwarderPriority: "3",
                            dnssecValidation: "true",
                            disable: "false",
                            expiryTtl: "0",
                            comments: "priority set by hand",
                        },
                    ],
                ],
            );
            assert.deepStrictEqual(fake.zones.get("home.arpa"), otherZone());
        });

        it("writes nothing when the record already says what we want", async () => {
            fake.zones.set("ragas.cc", zone([ours({ forwarder: "172.16.1.65" })]));
            assert.strictEqual(await technitiumUpdateForwarder(api, domain, gateway, "172.16.1.65"), false);
            assert.deepStrictEqual(writeRequests(fake.log), []);
        });

        it("makes the zone again when someone deleted it", async () => {
            await forwarder.update("id", props("10.0.0.1"), props());
            assert.deepStrictEqual(
                writeRequests(fake.log).map((r) => [r.path, r.params]),
                [["/api/zones/create", createParams]],
            );
        });

        for (const [name, existing, described] of [
            ["a zone repointed by hand", zone([fakeForwarder("10.0.0.9")]), "a Forwarder zone forwarding to 10.0.0.9 (Udp)"],
            ["a zone replaced by a Primary zone", otherZone(), "a Primary zone"],
        ] as [string, FakeZone, string][]) {
            it(`refuses to change ${name}, and writes nothing`, async () => {
                fake.zones.set("ragas.cc", existing);
                const before = snapshot();
                const message = await failure(() => forwarder.update("id", props(), props("172.16.1.65")));
                assert.strictEqual(
                    message,
                    `Technitium DNS at ${fake.url} has ragas.cc as ${described}, not the forwarder to 172.16.1.60 this stack wrote; ` +
                        "refusing to change it. Run `pulumi refresh` to take what the server holds as the state, or fix the zone by hand, then run again",
                );
                assert.deepStrictEqual(writeRequests(fake.log), []);
                assert.deepStrictEqual(snapshot(), before);
            });
        }
    });

    describe("delete", () => {
        it("deletes the zone while it holds only our forwarder, even with settings tuned by hand", async () => {
            fake.zones.set("ragas.cc", zone([ours({ priority: 2, dnssecValidation: true })]));
            await forwarder.delete("id", props());
            assert.deepStrictEqual([...fake.zones.keys()], ["home.arpa"]);
            assert.deepStrictEqual(
                writeRequests(fake.log).map((r) => [r.path, r.params]),
                [["/api/zones/delete", { zone: "ragas.cc" }]],
            );
        });

        const kept: [string, FakeZone, string][] = [
            [
                "someone added a record to it",
                zone([ours()], [wwwRecord]),
                "a Forwarder zone forwarding to 172.16.1.60 (Udp), with 1 other record (A www.ragas.cc)",
            ],
            ["someone repointed it", zone([fakeForwarder("10.0.0.9")]), "a Forwarder zone forwarding to 10.0.0.9 (Udp)"],
            [
                "someone added a forwarder",
                zone([ours(), fakeForwarder("10.0.0.8")]),
                "a Forwarder zone forwarding to 172.16.1.60 (Udp) and 10.0.0.8 (Udp)",
            ],
            ["it is now a Primary zone", otherZone(), "a Primary zone"],
        ];
        for (const [name, existing, described] of kept) {
            it(`leaves the zone when ${name}, and says so`, async () => {
                fake.zones.set("ragas.cc", existing);
                const before = snapshot();
                const expected =
                    `Technitium DNS at ${fake.url}: left the zone ragas.cc in place: it is ${described}, not only the forwarder to 172.16.1.60 ` +
                    "this stack wrote; delete it by hand when nothing needs it";
                assert.strictEqual(await technitiumRemoveForwarder(api, domain, gateway), expected);
                const warnings = await forwarder.warningsOf(() => forwarder.delete("id", props()));
                assert.deepStrictEqual(warnings, [expected], "a warning on the resource, through the engine");
                assert.deepStrictEqual(writeRequests(fake.log), []);
                assert.deepStrictEqual(snapshot(), before);
            });
        }

        it("does nothing when the zone is already gone", async () => {
            assert.strictEqual(await technitiumRemoveForwarder(api, domain, gateway), undefined);
            assert.deepStrictEqual(writeRequests(fake.log), []);
        });
    });

    describe("read", () => {
        it("reports no forwarding before create and the gateway after", async () => {
            assert.strictEqual(await technitiumReadForwarder(api, domain), undefined);
            await technitiumCreateForwarder(api, domain, gateway);
            assert.strictEqual(await technitiumReadForwarder(api, "RAGAS.cc."), gateway);
        });

        it("shows drift after a change by hand, through the provider's read", async () => {
            const created = await forwarder.create(props());
            assert.strictEqual(created.id, `${fake.url}|ragas.cc`);
            fake.zones.get("ragas.cc")!.records[0].forwarder = "10.0.0.9";
            const read = await forwarder.read(created.id, props());
            assert.strictEqual(read.props.target, "10.0.0.9");
            fake.zones.delete("ragas.cc");
            assert.strictEqual((await forwarder.read(created.id, props())).props.target, "");
        });

        it("a forwarder added beside ours is no change of ours (no diff that no update could settle); another transport is", async () => {
            fake.zones.set("ragas.cc", zone([fakeForwarder("10.0.0.8"), ours()], [wwwRecord]));
            assert.strictEqual((await forwarder.read("id", props())).props.target, gateway);
            assert.deepStrictEqual(await forwarder.diff("id", props(), props()), {
                changes: false,
                replaces: [],
                deleteBeforeReplace: true,
            });
            assert.strictEqual(await technitiumReadForwarder(api, domain), "10.0.0.8 172.16.1.60");
            fake.zones.set("ragas.cc", zone([fakeForwarder(gateway, { protocol: "Tcp" })]));
            assert.strictEqual((await forwarder.read("id", props())).props.target, "172.16.1.60 over Tcp");
            assert.deepStrictEqual(await forwarder.diff("id", props(), props()), {
                changes: true,
                replaces: [],
                deleteBeforeReplace: true,
            });
        });

        it("a proxy on our record shows as a change, and the update turns it off keeping the rest", async () => {
            fake.zones.set("ragas.cc", zone([fakeForwarder(gateway, { priority: 4 })]));
            const read = await forwarder.read("id", props());
            assert.strictEqual(read.props.target, "172.16.1.60 with proxy DefaultProxy");
            assert.deepStrictEqual(await forwarder.diff("id", props(), props()), {
                changes: true,
                replaces: [],
                deleteBeforeReplace: true,
            });
            // A second refresh starts from what the first stored, and must say the same.
            assert.strictEqual((await forwarder.read("id", read.props)).props.target, "172.16.1.60 with proxy DefaultProxy");
            assert.deepStrictEqual(await forwarder.diff("id", read.props, props()), {
                changes: true,
                replaces: [],
                deleteBeforeReplace: true,
            });
            await forwarder.update("id", read.props, props());
            assert.deepStrictEqual(fake.zones.get("ragas.cc"), zone([ours({ priority: 4 })]));
            assert.strictEqual((await forwarder.read("id", props())).props.target, gateway);
        });

        it("shows a change made by hand in a plain preview: diff asks the server", async () => {
            const created = await forwarder.create(props());
            assert.deepStrictEqual(await forwarder.diff(created.id, props(), props()), {
                changes: false,
                replaces: [],
                deleteBeforeReplace: true,
            });
            fake.zones.set("ragas.cc", zone([fakeForwarder("10.0.0.9")]));
            assert.deepStrictEqual(await forwarder.diff(created.id, props(), props()), {
                changes: true,
                replaces: [],
                deleteBeforeReplace: true,
            });
        });

        it("replaces (deleting first) on a new server or domain; a new token is an update", async () => {
            const diff = (news: Partial<TechnitiumForwarderProps>) => forwarder.diff("id", props(), { ...props(), ...news });
            assert.deepStrictEqual(await diff({ url: "http://172.16.1.10:5380" }), {
                changes: true,
                replaces: ["url"],
                deleteBeforeReplace: true,
            });
            assert.deepStrictEqual(await diff({ token: "other" }), { changes: true, replaces: [], deleteBeforeReplace: true });
        });
    });

    describe("failures change nothing and say what happened", () => {
        const u = () => fake.url.replace(/\./g, "\\.");
        const cases: { name: string; setup: () => void; expected: () => RegExp; apiOverride?: Partial<TechnitiumApi> }[] = [
            {
                name: "wrong token (status invalid-token)",
                setup: () => undefined,
                apiOverride: { token: "wrong-token" },
                expected: () =>
                    new RegExp(
                        `^Technitium DNS at ${u()} refused GET /api/zones/list: the token is invalid or expired; check homelab:technitiumToken$`,
                    ),
            },
            {
                name: "HTTP 401",
                setup: () => {
                    fake.failure = "http401";
                },
                expected: () =>
                    new RegExp(`^Technitium DNS at ${u()} refused GET /api/zones/list with HTTP 401: check homelab:technitiumToken$`),
            },
            {
                name: "server error (500)",
                setup: () => {
                    fake.failure = "http500";
                },
                expected: () => new RegExp(`^Technitium DNS at ${u()} failed GET /api/zones/list with HTTP 500: internal server error$`),
            },
            {
                name: "no answer (timeout)",
                setup: () => {
                    fake.failure = "hang";
                },
                apiOverride: { timeoutMs: 150 },
                expected: () => new RegExp(`^Technitium DNS at ${u()} did not answer GET /api/zones/list within 150 ms$`),
            },
            {
                name: "an answer that is not JSON",
                setup: () => {
                    fake.failure = "notJson";
                },
                expected: () =>
                    new RegExp(`^Technitium DNS at ${u()} answered GET /api/zones/list with something that is not JSON: "<html>`),
            },
            {
                name: "a zones list that is not a list",
                setup: () => {
                    fake.failure = "badShape";
                },
                expected: () => new RegExp(`^Technitium DNS at ${u()} answered GET /api/zones/list without a zones list$`),
            },
        ];
        for (const c of cases) {
            it(`${c.name}: ensure and remove fail clearly, with no write`, async () => {
                fake.zones.set("ragas.cc", zone([fakeForwarder("10.0.0.9")]));
                c.setup();
                const broken = { ...api, ...c.apiOverride };
                const ensure = await failure(() => technitiumCreateForwarder(broken, domain, gateway));
                const remove = await failure(() => technitiumRemoveForwarder(broken, domain, gateway));
                for (const message of [ensure, remove]) {
                    assert.match(message, c.expected());
                    assert.ok(!message.includes(token) && !message.includes("wrong-token"), "the token leaked into the error");
                }
                assert.deepStrictEqual(writeRequests(fake.log), []);
                assert.deepStrictEqual(fake.zones.get("ragas.cc")!.records, [fakeForwarder("10.0.0.9")]);
            });
        }

        it("a write answered with status error reports the server's message", async () => {
            fake.failure = "writeError";
            const message = await failure(() => technitiumCreateForwarder(api, domain, gateway));
            assert.strictEqual(
                message,
                `Technitium DNS at ${fake.url} failed POST /api/zones/create: Access to the path 'zones' is denied.`,
            );
            assert.strictEqual(fake.zones.has("ragas.cc"), false);
        });

        it("an unreachable server is named in the error", async () => {
            const closed = { ...api, url: `http://127.0.0.1:${await closedPort()}` };
            const message = await failure(() => technitiumReadForwarder(closed, domain));
            assert.strictEqual(message, `Technitium DNS at ${closed.url} could not be reached for GET /api/zones/list: ECONNREFUSED`);
        });

        it("the token never appears, even when the server echoes it back", async () => {
            fake.failure = "notJson";
            const message = await failure(() => technitiumCreateForwarder({ ...api, token: "Sign in" }, domain, gateway));
            assert.ok(!message.includes("Sign in") && message.includes("***"), message);
        });
    });
});
