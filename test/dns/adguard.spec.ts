import * as assert from "assert";
import {
    AdguardApi,
    adguardEnsureForwarder,
    adguardReadForwarder,
    adguardRemoveForwarder,
    ensureForwarding,
} from "../../components/dns/adguard-api";
import { adguardForwarder, AdguardForwarderProps } from "../../provider/forwarders";
import { called } from "../provider/handler-harness";
import { referenceFile } from "../harness/reference";
import { useAdguardFake } from "./adguard-fixture";
import { AdguardFake, closedPort, openApiChecker, writeRequests, failure } from "./fake-servers";

const password = "s3cret-Adguard-pw";
const domain = "ragas.cc";
const gateway = "172.16.1.60";
const others = ["https://dns10.quad9.net/dns-query", "# the router knows the LAN", "[/lan/]172.16.1.1", "tls://1.1.1.1"];

describe("AdGuard Home forwarder (against a fake checked by openapi.yaml)", function () {
    const forwarder = called(adguardForwarder);
    const adguard = useAdguardFake(password, others);
    let fake: AdguardFake;
    let api: AdguardApi;
    beforeEach(() => ({ fake, api } = adguard));

    it("the fake rejects what openapi.yaml does not allow", async function () {
        const check = openApiChecker(referenceFile("adguard-home/v0.107.79/openapi.yaml", this));
        assert.strictEqual(check("POST", "/dns_config", JSON.stringify({ upstream_dns: ["1.1.1.1"] })), undefined);
        assert.deepStrictEqual(check("POST", "/dns_config", JSON.stringify({ upstream_dns: "1.1.1.1" })), {
            status: 400,
            body: "/upstream_dns must be array",
        });
        assert.deepStrictEqual(check("POST", "/dns_config", JSON.stringify({ upstreams: [] })), {
            status: 400,
            body: "/upstreams is not in the schema",
        });
        assert.deepStrictEqual(check("GET", "/dns_config", ""), { status: 405, body: "GET is not documented for /dns_config" });
        assert.deepStrictEqual(check("GET", "/upstreams", ""), { status: 404, body: "undocumented path /upstreams" });
    });

    describe("ensure", () => {
        it("appends the line, keeps every other upstream in order, and sends only upstream_dns", async () => {
            assert.strictEqual(await adguardEnsureForwarder(api, domain, gateway), true);
            assert.deepStrictEqual(fake.upstreams, [...others, "[/ragas.cc/]172.16.1.60"]);
            assert.deepStrictEqual(
                writeRequests(fake.log).map((r) => r.json),
                [{ upstream_dns: [...others, "[/ragas.cc/]172.16.1.60"] }],
            );
        });

        it("is idempotent: a second run adopts the line and writes nothing", async () => {
            await adguardEnsureForwarder(api, domain, gateway);
            fake.log.length = 0;
            assert.strictEqual(await adguardEnsureForwarder(api, domain, gateway), false);
            assert.deepStrictEqual(
                fake.log.map((r) => `${r.method} ${r.path}`),
                ["GET /control/dns_info"],
            );
        });

        it("adopts a line someone wrote by hand with another case and a root dot", async () => {
            fake.upstreams = ["[/RAGAS.cc./]172.16.1.60", ...others];
            assert.strictEqual(await adguardEnsureForwarder(api, domain, gateway), false);
            assert.deepStrictEqual(writeRequests(fake.log), []);
        });

        it("replaces a line for the same domain where it stands, and drops a second one", async () => {
            fake.upstreams = [others[0], "[/ragas.cc/]10.0.0.9", others[1], "[/ragas.cc/]10.0.0.8 10.0.0.7", others[2]];
            await adguardEnsureForwarder(api, domain, gateway);
            assert.deepStrictEqual(fake.upstreams, [others[0], "[/ragas.cc/]172.16.1.60", others[1], others[2]]);
        });

        it("leaves lines for subdomains, wildcards and comments alone", async () => {
            const near = ["[/sub.ragas.cc/]10.0.0.1", "[/*.ragas.cc/]10.0.0.2", "# [/ragas.cc/]10.0.0.3"];
            fake.upstreams = [...near];
            await adguardEnsureForwarder(api, domain, gateway);
            assert.deepStrictEqual(fake.upstreams, [...near, "[/ragas.cc/]172.16.1.60"]);
        });

        it("refuses a line that routes the domain together with other domains, and writes nothing", async () => {
            fake.upstreams = ["[/ragas.cc/example.org/]10.0.0.9", ...others];
            const message = await failure(() => adguardEnsureForwarder(api, domain, gateway));
            assert.strictEqual(
                message,
                'AdGuard Home: the upstream line "[/ragas.cc/example.org/]10.0.0.9" routes ragas.cc together with other domains; split it by hand so ragas.cc has a line of its own, then run again',
            );
            assert.deepStrictEqual(writeRequests(fake.log), []);
        });

        it("refuses to write when upstreams come from upstream_dns_file", async () => {
            fake.upstreamFile = "/opt/adguardhome/upstreams.txt";
            const message = await failure(() => adguardEnsureForwarder(api, domain, gateway));
            assert.match(
                message,
                /^AdGuard Home at http:\/\/127\.0\.0\.1:\d+ reads its upstreams from upstream_dns_file \(\/opt\/adguardhome\/upstreams\.txt\)/,
            );
            assert.deepStrictEqual(writeRequests(fake.log), []);
        });

        it("rejects a bad domain before sending anything", async () => {
            const message = await failure(() => adguardEnsureForwarder(api, "ragas..cc", "172.16.1.60 10.0.0.1"));
            assert.strictEqual(
                message,
                'split DNS forwarding: domain "ragas..cc" is not a DNS name such as ragas.cc; target "172.16.1.60 10.0.0.1" must be one address such as 172.16.1.60',
            );
            assert.deepStrictEqual(fake.log, []);
        });
    });

    describe("read", () => {
        it("reports no forwarding before create and the gateway after", async () => {
            assert.strictEqual(await adguardReadForwarder(api, domain), undefined);
            await adguardEnsureForwarder(api, domain, gateway);
            assert.strictEqual(await adguardReadForwarder(api, domain), gateway);
        });

        it("shows drift after a change by hand, through the provider's read", async () => {
            const props: AdguardForwarderProps = {
                url: fake.url,
                username: "admin",
                password,
                domain,
                target: gateway,
                timeoutMs: 2000,
                settleMs: 0,
            };
            const created = await forwarder.create(props);
            fake.upstreams = fake.upstreams.map((l) => (l === "[/ragas.cc/]172.16.1.60" ? "[/ragas.cc/]10.0.0.9" : l));
            const read = await forwarder.read(created.id, props);
            assert.strictEqual(read.props.target, "10.0.0.9");
            assert.strictEqual(read.inputs!.target, "10.0.0.9");
            const diff = await forwarder.diff(created.id, read.props, props);
            assert.deepStrictEqual(diff, { changes: true, replaces: [], deleteBeforeReplace: true });
        });
    });

    describe("provider", () => {
        const props = (): AdguardForwarderProps => ({
            url: fake.url,
            username: "admin",
            password,
            domain,
            target: gateway,
            timeoutMs: 2000,
            settleMs: 0,
        });

        it("creates with an id of server and domain, and keeps the inputs as state", async () => {
            const created = await forwarder.create(props());
            assert.strictEqual(created.id, `${fake.url}|ragas.cc`);
            assert.deepStrictEqual(created.outs, props());
        });

        it("updates to a new target in place", async () => {
            const created = await forwarder.create(props());
            await forwarder.update(created.id, props(), { ...props(), target: "172.16.1.65" });
            assert.deepStrictEqual(fake.upstreams, [...others, "[/ragas.cc/]172.16.1.65"]);
        });

        it("shows a change made by hand in a plain preview: diff asks the server", async () => {
            const created = await forwarder.create(props());
            assert.deepStrictEqual(await forwarder.diff(created.id, props(), props()), {
                changes: false,
                replaces: [],
                deleteBeforeReplace: true,
            });
            fake.upstreams = fake.upstreams.map((l) => (l === "[/ragas.cc/]172.16.1.60" ? "[/ragas.cc/]10.0.0.9" : l));
            assert.deepStrictEqual(await forwarder.diff(created.id, props(), props()), {
                changes: true,
                replaces: [],
                deleteBeforeReplace: true,
            });
        });

        it("replaces (deleting first) when the server or the domain changes, not for a new password", async () => {
            await forwarder.create(props());
            const diff = (news: Partial<AdguardForwarderProps>) => forwarder.diff("id", props(), { ...props(), ...news });
            assert.deepStrictEqual(await diff({ domain: "home.ragas.cc" }), {
                changes: true,
                replaces: ["domain"],
                deleteBeforeReplace: true,
            });
            assert.deepStrictEqual(await diff({ url: "http://172.16.1.12" }), {
                changes: true,
                replaces: ["url"],
                deleteBeforeReplace: true,
            });
            assert.deepStrictEqual(await diff({ password: "new" }), { changes: true, replaces: [], deleteBeforeReplace: true });
            assert.deepStrictEqual(await diff({ domain: "RAGAS.cc." }), { changes: false, replaces: [], deleteBeforeReplace: true });
        });

        it("deletes only our line", async () => {
            fake.upstreams = [...others, "[/home.ragas.cc/]10.0.0.1"];
            const created = await forwarder.create(props());
            await forwarder.delete(created.id, props());
            assert.deepStrictEqual(fake.upstreams, [...others, "[/home.ragas.cc/]10.0.0.1"]);
        });

        it("deletes nothing when our line is already gone", async () => {
            assert.strictEqual(await adguardRemoveForwarder(api, domain, gateway), false);
            assert.deepStrictEqual(writeRequests(fake.log), []);
        });
    });

    describe("failures change nothing and say what happened", () => {
        const cases: { name: string; setup: () => void; expected: (url: string) => RegExp; apiOverride?: Partial<AdguardApi> }[] = [
            {
                name: "wrong password (401)",
                setup: () => undefined,
                apiOverride: { password: "wrong-pw" },
                expected: (u) =>
                    new RegExp(`^AdGuard Home at ${u} refused GET /control/dns_info with HTTP 401: check homelab:adguardPassword$`),
            },
            {
                name: "server error (500)",
                setup: () => {
                    fake.failure = "http500";
                },
                expected: (u) => new RegExp(`^AdGuard Home at ${u} failed GET /control/dns_info with HTTP 500: internal server error$`),
            },
            {
                name: "no answer (timeout)",
                setup: () => {
                    fake.failure = "hang";
                },
                apiOverride: { timeoutMs: 150 },
                expected: (u) => new RegExp(`^AdGuard Home at ${u} did not answer GET /control/dns_info within 150 ms$`),
            },
            {
                name: "an answer that is not JSON",
                setup: () => {
                    fake.failure = "notJson";
                },
                expected: (u) =>
                    new RegExp(`^AdGuard Home at ${u} answered GET /control/dns_info with something that is not JSON: "<html>`),
            },
            {
                name: "upstream_dns that is not a list",
                setup: () => {
                    fake.failure = "badShape";
                },
                expected: (u) =>
                    new RegExp(`^AdGuard Home at ${u} answered GET /control/dns_info without an upstream_dns list of strings$`),
            },
        ];
        for (const c of cases) {
            it(`${c.name}: ensure and remove fail clearly, with no write`, async () => {
                c.setup();
                const broken = { ...api, ...c.apiOverride };
                const ensure = await failure(() => adguardEnsureForwarder(broken, domain, gateway));
                const remove = await failure(() => adguardRemoveForwarder(broken, domain, gateway));
                for (const message of [ensure, remove]) {
                    assert.match(message, c.expected(fake.url.replace(/\./g, "\\.")));
                    assert.ok(!message.includes(password) && !message.includes("wrong-pw"), "the password leaked into the error");
                }
                assert.deepStrictEqual(writeRequests(fake.log), []);
                assert.deepStrictEqual(fake.upstreams, others);
            });
        }

        it("a refused write reports HTTP 500 on POST /control/dns_config", async () => {
            fake.failure = "writeError";
            const message = await failure(() => adguardEnsureForwarder(api, domain, gateway));
            assert.strictEqual(message, `AdGuard Home at ${fake.url} failed POST /control/dns_config with HTTP 500: cannot write config`);
            assert.deepStrictEqual(fake.upstreams, others);
        });

        it("an unreachable server is named in the error", async () => {
            const closed = { ...api, url: `http://127.0.0.1:${await closedPort()}` };
            const message = await failure(() => adguardEnsureForwarder(closed, domain, gateway));
            assert.strictEqual(message, `AdGuard Home at ${closed.url} could not be reached for GET /control/dns_info: ECONNREFUSED`);
        });

        it("the password never appears, even when the server echoes it back", async () => {
            const echoing = { ...api, password: "<html>" };
            fake.failure = "notJson";
            const message = await failure(() => adguardEnsureForwarder(echoing, domain, gateway));
            assert.ok(!message.includes("<html>"), message);
            assert.ok(message.includes("***"), message);
        });
    });

    it("ensureForwarding adds exactly one line to an empty list", () => {
        assert.deepStrictEqual(ensureForwarding([], "ragas.cc", gateway), { lines: ["[/ragas.cc/]172.16.1.60"], changed: true });
    });
});
