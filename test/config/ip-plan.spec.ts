import { strict as assert } from "assert";
import fc from "fast-check";
import { planAddresses, planSegments, validateConfig } from "../../components/config";
import {
    cidrRange,
    cidrsOverlap,
    inCidr,
    inRange,
    isLoopbackHost,
    parseAddress,
    parseCidr,
    parseInterfaceAddress,
    privateAddressKind,
    rangeOf,
    rangeSize,
    rangeWithin,
    showRange,
} from "../../components/config/addresses";
import { homeSpec, homeValues } from "../harness/home";

const secrets = new Set([
    "proxmoxApiToken",
    "proxmoxSshPrivateKey",
    "cloudflareApiToken",
    "cloudflareDnsToken",
    "adguardPassword",
    "technitiumToken",
]);
const raw = (values: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k.replace(/^homelab:/, ""), v]));

describe("IP plan", () => {
    it("regenerates the spec's tables for the home stack, in address order", () => {
        const rows = planAddresses(homeSpec()).map((r) => [r.address, r.service, r.description]);
        assert.deepEqual(rows, [
            ["172.16.1.1", "router", "Default gateway"],
            ["172.16.1.2", "pve1", "Proxmox VE host"],
            ["172.16.1.3", "pve2", "Proxmox VE host"],
            ["172.16.1.4", "pve3", "Proxmox VE host"],
            ["172.16.1.5", "pve4", "Proxmox VE host"],
            ["172.16.1.10", "technitium", "Technitium DNS (secondary)"],
            ["172.16.1.11", "adguard", "AdGuard Home (primary)"],
            ["172.16.1.49", "Kubernetes VIP", "API server (HA)"],
            ["172.16.1.50", "talos-cp-1", "Control plane on pve1 (VM 150)"],
            ["172.16.1.51", "talos-cp-2", "Control plane on pve2 (VM 151)"],
            ["172.16.1.52", "talos-cp-3", "Control plane on pve3 (VM 152)"],
            ["172.16.1.53", "talos-worker-1", "Worker on pve4 (VM 153)"],
            ["172.16.1.60", "k8s_gateway", "Internal DNS resolution"],
            ["172.16.1.61", "envoy-internal", "Internal ingress gateway"],
            ["172.16.1.62", "envoy-external", "External ingress gateway"],
            ["172.16.1.60-172.16.1.69", "Cilium LB-IPAM pool", "LoadBalancer addresses, announced over L2"],
        ]);
    });

    it("derives a host's role when it has no description", () => {
        const spec = homeSpec((v) => v["homelab:infrastructure"].forEach((h: { description?: string }) => delete h.description));
        const roles = Object.fromEntries(planAddresses(spec).map((r) => [r.service, r.description]));
        assert.equal(roles.router, "Default gateway");
        assert.equal(roles.adguard, "Primary DNS");
        assert.equal(roles.technitium, "Secondary DNS");
    });

    it("lists the three segments of the spec", () => {
        assert.deepEqual(
            planSegments(homeSpec()).map((s) => [s.name, s.cidr]),
            [
                ["Node Network", "172.16.1.0/24"],
                ["Pod Network", "10.42.0.0/16"],
                ["Service Network", "10.43.0.0/16"],
            ],
        );
    });

    it("derives a fixed, locally administered MAC per node that does not change with its address", () => {
        const a = homeSpec();
        const b = homeSpec((v) => (v["homelab:nodes"][0].ip = "172.16.1.54"));
        assert.match(a.nodes[0].mac, /^02(:[0-9a-f]{2}){5}$/);
        assert.equal(a.nodes[0].mac, b.nodes[0].mac);
        assert.equal(new Set(a.nodes.map((n) => n.mac)).size, a.nodes.length);
    });

    describe("properties over generated configs", () => {
        // Random node counts, addresses and pool positions inside a random /24 or /16.
        const arbitraryPlan = fc
            .record({
                octet: fc.integer({ min: 1, max: 254 }),
                nodeCount: fc.integer({ min: 1, max: 40 }),
                nodeStart: fc.integer({ min: 20, max: 100 }),
                poolStart: fc.integer({ min: 150, max: 200 }),
                poolSize: fc.integer({ min: 3, max: 50 }),
            })
            .map(({ octet, nodeCount, nodeStart, poolStart, poolSize }) => {
                const values = homeValues();
                const net = `192.168.${octet}`; // clear of the pod and service networks (10.42/16, 10.43/16)
                values["homelab:network"] = {
                    ...values["homelab:network"],
                    nodeCidr: `${net}.0/24`,
                    gateway: `${net}.1`,
                    loadBalancerRange: { start: `${net}.${poolStart}`, stop: `${net}.${Math.min(254, poolStart + poolSize)}` },
                };
                values["homelab:infrastructure"] = values["homelab:infrastructure"].map((h: { ip: string }, i: number) => ({
                    ...h,
                    ip: `${net}.${i + 1}`,
                }));
                values["homelab:talos"].vip = `${net}.${nodeStart - 1}`;
                values["homelab:gateways"] = {
                    dns: `${net}.${poolStart}`,
                    internal: `${net}.${poolStart + 1}`,
                    external: `${net}.${poolStart + 2}`,
                };
                values["homelab:nodes"] = Array.from({ length: nodeCount }, (_, i) => ({
                    name: `node-${i}`,
                    role: i < 3 && nodeCount >= 3 ? "controlplane" : i === 0 ? "controlplane" : "worker",
                    ip: `${net}.${nodeStart + i}`,
                    host: `pve${(i % 4) + 1}`,
                    vmId: 200 + i,
                }));
                return values;
            });

        it("puts every address inside the node network, nothing twice, the pool apart from hosts", () => {
            fc.assert(
                fc.property(arbitraryPlan, (values) => {
                    const result = validateConfig(raw(values), secrets);
                    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
                    const spec = result.spec;
                    const node = parseCidr(spec.network.nodeCidr)!;
                    const rows = planAddresses(spec).filter((r) => !r.address.includes("-"));
                    const pool = rangeOf(spec.network.loadBalancerRange.start, spec.network.loadBalancerRange.stop)!;
                    assert.equal(new Set(rows.map((r) => r.address)).size, rows.length);
                    for (const row of rows) {
                        const addr = parseAddress(row.address)!;
                        assert.ok(inCidr(addr, node), `${row.address} outside ${spec.network.nodeCidr}`);
                        const isGateway = ["k8s_gateway", "envoy-internal", "envoy-external"].includes(row.service);
                        assert.equal(inRange(addr, pool), isGateway, `${row.service} ${row.address}`);
                    }
                }),
                { numRuns: 60 },
            );
        });

        it("refuses any node moved into the pool", () => {
            fc.assert(
                fc.property(arbitraryPlan, fc.nat(), (values, pick) => {
                    const nodes = values["homelab:nodes"];
                    const victim = pick % nodes.length;
                    nodes[victim].ip = values["homelab:network"].loadBalancerRange.stop;
                    const result = validateConfig(raw(values), secrets);
                    assert.ok(!result.ok);
                    assert.ok(
                        result.problems.some(
                            (p) =>
                                p.key === `homelab:nodes[${nodes[victim].name}].ip` &&
                                p.message.includes("is inside homelab:network.loadBalancerRange"),
                        ),
                    );
                }),
                { numRuns: 40 },
            );
        });

        it("agrees with a brute-force overlap check for CIDRs", () => {
            const cidr = fc
                .record({
                    a: fc.integer({ min: 0, max: 255 }),
                    b: fc.integer({ min: 0, max: 255 }),
                    prefix: fc.integer({ min: 8, max: 24 }),
                })
                .map(({ a, b, prefix }) => {
                    const bytes = [10, a, b, 0];
                    const mask = (i: number) =>
                        prefix >= (i + 1) * 8 ? 255 : prefix <= i * 8 ? 0 : (0xff << (8 - (prefix - i * 8))) & 0xff;
                    return parseCidr(`${bytes.map((x, i) => x & mask(i)).join(".")}/${prefix}`)!;
                });
            fc.assert(
                fc.property(cidr, cidr, (x, y) => {
                    // Oracle: the two as integer intervals [first, last] intersect.
                    const interval = ([addr, prefix]: typeof x) => {
                        const first = addr.toByteArray().reduce((n, byte) => n * 256 + byte, 0);
                        return [first, first + 2 ** (32 - prefix) - 1];
                    };
                    const [[a0, a1], [b0, b1]] = [interval(x), interval(y)];
                    assert.equal(cidrsOverlap(x, y), a0 <= b1 && b0 <= a1);
                }),
                { numRuns: 200 },
            );
        });
    });
});

describe("addresses: the one IP module (config, plans, verify and the policy pack)", () => {
    it("reads what a resource holds without throwing: a non-string, a bad quad, a prefix past 32", () => {
        assert.equal(parseAddress(42), undefined);
        assert.equal(parseAddress("172.16.1.256"), undefined);
        assert.equal(parseAddress("172.16.01.5"), undefined, "no leading zeros");
        assert.equal(parseInterfaceAddress("172.16.1.50/33"), undefined);
        assert.equal(parseInterfaceAddress("172.16.1.50"), undefined, "an interface address has its prefix");
        assert.deepEqual(parseInterfaceAddress("172.16.1.50/24")?.prefix, 24);
        assert.equal(parseCidr("172.16.1.5/24"), undefined, "the config's networks are written as networks");
    });

    it("spans a network whole, host bits masked as Cilium masks a pool block, and ranges both ends included", () => {
        assert.equal(showRange(cidrRange("172.16.1.5/24")!), "172.16.1.0-172.16.1.255");
        assert.equal(showRange(cidrRange("172.16.1.64/28")!), "172.16.1.64-172.16.1.79");
        assert.equal(rangeSize(cidrRange("172.16.1.64/28")!), 16);
        assert.equal(rangeSize(rangeOf("172.16.1.60", "172.16.1.60")!), 1);
        assert.equal(rangeOf("172.16.1.69", "172.16.1.60"), undefined, "stop before start");
        const pool = rangeOf("172.16.1.60", "172.16.1.69")!;
        assert.equal(inRange(parseAddress("172.16.1.69")!, pool), true, "the last address is in");
        assert.equal(inRange(parseAddress("172.16.1.70")!, pool), false);
        assert.equal(rangeWithin(pool, cidrRange("172.16.1.0/24")!), true);
        assert.equal(rangeWithin(rangeOf("172.16.1.250", "172.16.2.4")!, cidrRange("172.16.1.0/24")!), false, "one end outside is outside");
    });

    it("knows this machine by name, IPv6 loopback or 127.0.0.0/8, and nothing else", () => {
        for (const host of ["localhost", "[::1]", "127.0.0.1", "127.255.255.254"]) assert.equal(isLoopbackHost(host), true, host);
        for (const host of ["172.16.1.2", "127.example.net", "::1", "localhost.example.net", "0.0.0.0"])
            assert.equal(isLoopbackHost(host), false, host);
    });

    it("names a private address of either family, IPv4-mapped IPv6 as its IPv4", () => {
        assert.equal(privateAddressKind("172.16.1.61", 4), "a private address (RFC 1918)");
        assert.equal(privateAddressKind("100.64.0.1", 4), "a shared carrier-grade NAT address (RFC 6598)");
        assert.equal(privateAddressKind("::ffff:172.16.1.61", 6), "a private address (RFC 1918)");
        assert.equal(privateAddressKind("fd00::1", 6), "a unique local address (fc00::/7)");
        assert.equal(privateAddressKind("1.1.1.1", 4), undefined);
        assert.equal(privateAddressKind("172.16.1.61", 6), undefined, "an IPv4 text is no IPv6 address");
    });
});
