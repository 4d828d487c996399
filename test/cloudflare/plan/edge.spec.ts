import { strict as assert } from "assert";
import fc from "fast-check";
import * as ipaddr from "ipaddr.js";
import {
    DnsRecordSpec,
    EdgeApp,
    dnsTokenPermissionGroups,
    dnsTokenPolicies,
    permissionGroupIds,
    publicDnsRecords,
    tunnelIngressConfig,
    tunnelTarget,
} from "../../../components/cloudflare/plan/edge";
import { tunnelHostname } from "../../../components/config/facts";
import { homeSpec, publishFirstApp } from "../../harness/home";

const tunnelId = "6ff42ae2-765d-4adf-8112-31c55c1551ef";

/** Why a record's content may not be published: it is an address (and which kind), or "" when it is a name. */
function addressProblem(content: string): string {
    if (!ipaddr.isValid(content)) return "";
    const range = ipaddr.parse(content).range();
    return range === "private" ? `${content} is a private (RFC 1918) address` : `${content} is an IP address (${range})`;
}

describe("Cloudflare tunnel ingress", () => {
    it("sends every host under the domain to envoy-external over verified TLS, and everything else to 404", () => {
        assert.deepEqual(tunnelIngressConfig(homeSpec().domain), {
            ingresses: [
                {
                    hostname: "*.ragas.cc",
                    service: "https://envoy-external.network.svc.cluster.local:443",
                    originRequest: { originServerName: "external.ragas.cc", http2Origin: true },
                },
                { service: "http_status:404" },
            ],
        });
    });

    it("never turns off certificate verification towards Envoy", () => {
        const config = tunnelIngressConfig("ragas.cc");
        assert.ok(!/noTlsVerify/i.test(JSON.stringify(config)));
        const last = config.ingresses.at(-1)!;
        assert.deepEqual(Object.keys(last), ["service"], "the catch-all has no hostname or path");
    });
});

describe("Cloudflare public DNS records", () => {
    const home = homeSpec();

    it("publishes only external.<domain>, proxied into the tunnel, while every app is internal", () => {
        assert.deepEqual(
            home.apps.map((a) => a.gateway),
            ["internal"],
        );
        assert.deepEqual(publicDnsRecords(home.domain, home.apps, tunnelTarget(tunnelId)), [
            {
                name: "external.ragas.cc",
                type: "CNAME",
                content: `${tunnelId}.cfargotunnel.com`,
                proxied: true,
                ttl: 1,
                comment: "homelab: managed by Pulumi",
            },
        ]);
    });

    it("gives an external app a proxied CNAME to external.<domain>", () => {
        const spec = homeSpec(publishFirstApp);
        assert.deepEqual(publicDnsRecords(spec.domain, spec.apps, tunnelTarget(tunnelId)), [
            {
                name: "external.ragas.cc",
                type: "CNAME",
                content: `${tunnelId}.cfargotunnel.com`,
                proxied: true,
                ttl: 1,
                comment: "homelab: managed by Pulumi",
            },
            {
                name: "myapp.ragas.cc",
                type: "CNAME",
                content: "external.ragas.cc",
                proxied: true,
                ttl: 1,
                comment: "homelab: managed by Pulumi",
            },
        ]);
    });

    it("publishes one record per external app and none for internal ones", () => {
        const spec = homeSpec((v) => {
            publishFirstApp(v);
            const app = v["homelab:apps"][0];
            v["homelab:apps"].push(
                { ...structuredClone(app), name: "blog", hostname: "blog", gateway: "external" },
                { ...structuredClone(app), name: "grafana", hostname: "grafana", gateway: "internal" },
            );
        });
        const names = publicDnsRecords(spec.domain, spec.apps, tunnelTarget(tunnelId)).map((r) => r.name);
        assert.deepEqual(names, ["external.ragas.cc", "blog.ragas.cc", "myapp.ragas.cc"]);
        assert.ok(!names.includes("grafana.ragas.cc"));
    });

    it("never publishes an address, private or public: every record is a CNAME to a name", () => {
        const spec = homeSpec(publishFirstApp);
        const records = publicDnsRecords(spec.domain, spec.apps, tunnelTarget(tunnelId));
        assert.deepEqual(
            records.map((r) => addressProblem(r.content)),
            ["", ""],
        );
        assert.ok(records.every((r) => r.type === "CNAME" && r.proxied));
        // The gateways' LAN addresses in particular stay out of public DNS.
        for (const lan of Object.values(spec.gateways)) assert.ok(records.every((r) => r.content !== lan));
    });

    it("the address check catches an address (it can fail)", () => {
        assert.equal(addressProblem("172.16.1.62"), "172.16.1.62 is a private (RFC 1918) address");
        assert.equal(addressProblem("1.1.1.1"), "1.1.1.1 is an IP address (unicast)");
        assert.equal(addressProblem("2606:4700::1111"), "2606:4700::1111 is an IP address (unicast)");
        assert.equal(addressProblem("external.ragas.cc"), "");
    });

    it("holds for any mix of internal and external apps", () => {
        const labels = fc.uniqueArray(
            fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/).filter((l) => l !== "external"),
            { maxLength: 8 },
        );
        fc.assert(
            fc.property(labels, fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), (hosts, external) => {
                const apps: EdgeApp[] = hosts.map((h, i) => ({
                    name: h,
                    hostname: `${h}.ragas.cc`,
                    gateway: external[i] ? "external" : "internal",
                }));
                const records: DnsRecordSpec[] = publicDnsRecords("ragas.cc", apps, tunnelTarget(tunnelId));
                const expected = apps
                    .filter((a) => a.gateway === "external")
                    .map((a) => a.hostname)
                    .sort();
                assert.deepEqual(
                    records.map((r) => r.name),
                    ["external.ragas.cc", ...expected],
                );
                assert.deepEqual(
                    records.slice(1).map((r) => r.content),
                    expected.map(() => "external.ragas.cc"),
                );
                assert.ok(records.every((r) => addressProblem(r.content) === ""));
            }),
        );
    });

    it("names the tunnel's own record external.<domain>", () => {
        assert.equal(tunnelHostname("ragas.cc"), "external.ragas.cc");
    });
});

describe("Cloudflare DNS token policy", () => {
    const groups = [
        { id: "dns-read-id", name: "DNS Read", scopes: ["com.cloudflare.api.account.zone"] },
        { id: "zone-read-id", name: "Zone Read", scopes: ["com.cloudflare.api.account.zone"] },
        { id: "account-dns-write-id", name: "DNS Write", scopes: ["com.cloudflare.api.account"] },
        { id: "dns-write-id", name: "DNS Write", scopes: ["com.cloudflare.api.account.zone"] },
        { id: "tunnel-write-id", name: "Cloudflare Tunnel Write", scopes: ["com.cloudflare.api.account"] },
    ];

    it("asks for DNS Write and Zone Read only", () => {
        assert.deepEqual([...dnsTokenPermissionGroups], ["DNS Write", "Zone Read"]);
    });

    it("takes the zone-scoped ids of those groups, by exact name", () => {
        assert.deepEqual(permissionGroupIds(groups), ["dns-write-id", "zone-read-id"]);
    });

    it("names every group the list lacks", () => {
        assert.throws(() => permissionGroupIds(groups.filter((g) => g.scopes[0] === "com.cloudflare.api.account")), {
            message: 'Cloudflare lists no zone permission group named "DNS Write", "Zone Read"',
        });
    });

    it("grants them on this zone alone", () => {
        const policies = dnsTokenPolicies("023e105f4ecef8ad9ca31a8372d0c353", ["dns-write-id", "zone-read-id"]);
        assert.deepEqual(policies, [
            {
                effect: "allow",
                permissionGroups: [{ id: "dns-write-id" }, { id: "zone-read-id" }],
                resources: '{"com.cloudflare.api.account.zone.023e105f4ecef8ad9ca31a8372d0c353":"*"}',
            },
        ]);
        assert.deepEqual(Object.keys(JSON.parse(policies[0].resources)), [
            "com.cloudflare.api.account.zone.023e105f4ecef8ad9ca31a8372d0c353",
        ]);
    });
});
