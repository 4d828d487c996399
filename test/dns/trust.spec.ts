import * as assert from "assert";
import { adguardReadUpstreams, AdguardApi } from "../../components/dns/adguard-api";
import { technitiumForwarder } from "../../provider/forwarders";
import { called } from "../provider/handler-harness";
import { technitiumReadZone, TechnitiumApi } from "../../components/dns/technitium-api";
import { fingerprint, RecordingServer, trustTrial } from "../harness/impostors";
import { referenceFile } from "../harness/reference";
import { fakeForwarder } from "./fake-routes";
import { failure, startTechnitiumFake, TechnitiumFake } from "./fake-servers";

// The DNS forwarders over https: the AdGuard password and the Technitium token go only to a server that proved
// itself with the configured CA or pinned fingerprint, before the request is written. And whatever a server
// sends back, no message the provider throws or prints carries the credential.

const password = "adguard-CANARY-pw";
const token = "technitium-CANARY-token-0f1e2d3c";

describe("DNS forwarders over https: the credential goes only to the pinned or certified server", function () {
    this.timeout(20000);
    const answer = (path: string) =>
        path.startsWith("/control/dns_info")
            ? { status: 200, body: JSON.stringify({ upstream_dns: ["tls://1.1.1.1"], upstream_dns_file: "" }) }
            : { status: 200, body: JSON.stringify({ status: "ok", response: { zones: [] } }) };
    const trial = trustTrial(answer);
    const certs = trial.certs;

    const adguard = (server: RecordingServer, trust: Partial<AdguardApi>): AdguardApi => ({
        url: server.url,
        username: "admin",
        password,
        timeoutMs: 5000,
        ...trust,
    });
    const technitium = (server: RecordingServer, trust: Partial<TechnitiumApi>): TechnitiumApi => ({
        url: server.url,
        token,
        timeoutMs: 5000,
        ...trust,
    });
    const refused = (server: RecordingServer, what: string, product: string, key: string, reason: string) =>
        `${product} at ${server.url} could not be reached for ${what}: ${server.url.replace("https://", "")} is not the trusted server: ${reason}; nothing was sent (check ${key}.fingerprint or .caCertificate)`;

    it("AdGuard: the default (public CAs) refuses both impostors", async () => {
        for (const [server, reason] of [
            [trial.selfSigned, "self-signed certificate"],
            [trial.otherHost, "unable to verify the first certificate"],
        ] as const) {
            assert.strictEqual(
                await failure(() => adguardReadUpstreams(adguard(server, {}))),
                refused(server, "GET /control/dns_info", "AdGuard Home", "homelab:dnsForwarders.adguard", reason),
            );
        }
    });

    it("AdGuard: a pin admits the right server only", async () => {
        const pin = { fingerprint: fingerprint(certs.right) };
        assert.deepStrictEqual(await adguardReadUpstreams(adguard(trial.right, pin)), ["tls://1.1.1.1"]);
        assert.deepStrictEqual(trial.right.requests.slice(-1), [
            `GET /control/dns_info [Basic ${Buffer.from(`admin:${password}`).toString("base64")}]`,
        ]);
        for (const [server, issued] of [
            [trial.selfSigned, certs.selfSigned],
            [trial.otherHost, certs.otherHost],
        ] as const) {
            assert.match(
                await failure(() => adguardReadUpstreams(adguard(server, pin))),
                new RegExp(`has SHA-256 fingerprint ${fingerprint(issued)}, not the pinned ${pin.fingerprint}; nothing was sent`),
            );
        }
    });

    it("Technitium: the server's CA admits the right server and refuses a valid certificate for another host", async () => {
        const ca = { caCertificate: certs.ca.certPem };
        assert.deepStrictEqual(await technitiumReadZone(technitium(trial.right, ca), "ragas.cc"), { forwarders: [], others: [] });
        assert.deepStrictEqual(trial.right.requests.slice(-1), [`GET /api/zones/list [Bearer ${token}]`]);
        assert.strictEqual(
            await failure(() => technitiumReadZone(technitium(trial.otherHost, ca), "ragas.cc")),
            refused(
                trial.otherHost,
                "GET /api/zones/list",
                "Technitium DNS",
                "homelab:dnsForwarders.technitium",
                "Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list: 10.0.0.9",
            ),
        );
        assert.strictEqual(
            await failure(() => technitiumReadZone(technitium(trial.selfSigned, ca), "ragas.cc")),
            refused(
                trial.selfSigned,
                "GET /api/zones/list",
                "Technitium DNS",
                "homelab:dnsForwarders.technitium",
                "self-signed certificate",
            ),
        );
    });
});

describe("DNS forwarder messages built from what the server returns are redacted", function () {
    let fake: TechnitiumFake;
    before(async function () {
        fake = await startTechnitiumFake(referenceFile("technitium-dns/v15.2.0/APIDOCS.md", this), token);
    });
    after(async () => fake?.close());

    const props = () => ({ url: fake.url, token, domain: "ragas.cc", target: "172.16.1.60", timeoutMs: 2000 });

    it("a forwarder record that echoes the token never shows it in the create error", async () => {
        fake.zones = new Map([["ragas.cc", { type: "Forwarder", records: [fakeForwarder(`${token}.example`, { protocol: "Https" })] }]]);
        const message = await failure(() => called(technitiumForwarder).create(props()));
        assert.strictEqual(
            message,
            `Technitium DNS at ${fake.url} already has ragas.cc as a Forwarder zone forwarding to ***.example (Https); refusing to take it over. ` +
                "Delete that zone by hand, or leave in it only a forwarder to 172.16.1.60 over Udp, then run again",
        );
    });

    it("nor in the warning a delete prints when it leaves the zone in place", async () => {
        fake.zones = new Map([["ragas.cc", { type: "Forwarder", records: [fakeForwarder("172.16.1.60"), fakeForwarder(token)] }]]);
        const forwarder = called(technitiumForwarder);
        const warnings = await forwarder.warningsOf(() => forwarder.delete("id", props()));
        assert.strictEqual(warnings.length, 1);
        assert.ok(!warnings[0].includes(token), warnings[0]);
        assert.match(warnings[0], /forwarding to 172\.16\.1\.60 \(Udp\) and \*\*\* \(Udp\)/);
    });
});
