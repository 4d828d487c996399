import assert from "node:assert/strict";
import * as fs from "fs";
import * as ipaddr from "ipaddr.js";
import {
    CiliumPlan,
    ciliumPlan,
    CiliumValues,
    ciliumValues,
    l2PolicyManifest,
    lbPoolManifest,
    nodeInterfacePatterns,
} from "../../../components/kubernetes/plan/cilium";
import { homeSpec } from "../../harness/home";
import { referenceFile } from "../../harness/reference";
import { Validate, chartDefaults, crdValidator, valuesValidator } from "../../harness/schemas";

import * as versions from "../../../components/versions";

/** The pinned patch release's minor keeps the 1.20.0 values schema (versions.ts); a new minor needs its own reference. */
const chart = "cilium/chart-1.20.0";
assert.match(
    versions.cilium.version,
    /^1\.20\.\d+$/,
    `cilium ${versions.cilium.version} is not a 1.20 patch release: add its chart to the reference`,
);

const homePlan: CiliumPlan = Object.freeze({
    podCidr: "10.42.0.0/16",
    loadBalancerRange: Object.freeze({ start: "172.16.1.60", stop: "172.16.1.69" }),
    controlPlaneCount: 3,
});

function withRange(start: string, stop: string): CiliumPlan {
    return { ...homePlan, loadBalancerRange: { start, stop } };
}

// Keys the chart's templates read but values.yaml documents only as comments, so its generated
// values.schema.json does not list them and the closed validator refuses them.
const commentedKeys = [
    ["l2announcements", "leaseDuration"],
    ["l2announcements", "leaseRenewDeadline"],
    ["l2announcements", "leaseRetryPeriod"],
    ["loadBalancer", "mode"],
    ["loadBalancer", "algorithm"],
] as const;

function withoutCommentedKeys(values: CiliumValues): Record<string, unknown> {
    const copy = structuredClone(values) as unknown as Record<string, Record<string, unknown>>;
    for (const [block, key] of commentedKeys) delete copy[block][key];
    return copy;
}

/** The value of `# <key>: <value>` inside top-level `<block>:` of values.yaml, or undefined. */
function commentedDefault(valuesYaml: string, block: string, key: string): string | undefined {
    const lines = valuesYaml.split("\n");
    const first = lines.indexOf(`${block}:`);
    if (first < 0) return undefined;
    const end = lines.findIndex((line, i) => i > first && /^[A-Za-z]/.test(line));
    const body = lines.slice(first + 1, end < 0 ? undefined : end);
    const match = body.map((line) => new RegExp(`^\\s+#\\s*${key}:\\s*(\\S+)`).exec(line)).find(Boolean);
    return match?.[1];
}

/** Every address the pool's blocks hold, in order, enumerated with ipaddr.js. */
function poolAddresses(pool: ReturnType<typeof lbPoolManifest>): string[] {
    const toNumber = (text: string) =>
        ipaddr.IPv4.parse(text)
            .toByteArray()
            .reduce((n, byte) => n * 256 + byte, 0);
    const toText = (n: number) => new ipaddr.IPv4([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]).toString();
    return pool.spec.blocks.flatMap(({ start, stop }) => {
        const addresses: string[] = [];
        for (let n = toNumber(start); n <= toNumber(stop); n++) addresses.push(toText(n));
        return addresses;
    });
}

describe("ciliumValues", () => {
    let closedSchema: Validate;
    let chartSchema: Validate;
    const values = ciliumValues(homePlan);

    before(function () {
        closedSchema = valuesValidator(`${chart}/values.schema.json`, this, { closed: true });
        chartSchema = valuesValidator(`${chart}/values.schema.json`, this);
    });

    it("passes the chart's values.schema.json as Helm applies it", () => {
        assert.deepEqual(chartSchema(values), []);
    });

    it("has no key the closed schema rejects once the keys values.yaml documents only as comments are set aside", () => {
        assert.deepEqual(closedSchema(withoutCommentedKeys(values)), []);
    });

    it("gets refused by the closed schema for exactly those commented keys and nothing else", () => {
        const expected = commentedKeys.map(([block, key]) => `/${block} must NOT have additional properties '${key}'`);
        assert.deepEqual([...closedSchema(values)].sort(), [...expected].sort());
    });

    it("sets only commented keys that values.yaml documents, with the lease timings at their documented defaults", function () {
        const valuesYaml = fs.readFileSync(referenceFile(`${chart}/values.yaml`, this), "utf8");
        for (const [block, key] of commentedKeys) {
            assert.ok(commentedDefault(valuesYaml, block, key), `${block}.${key} is not documented in values.yaml`);
        }
        assert.deepEqual(
            commentedKeys.filter(([block]) => block === "l2announcements").map(([block, key]) => commentedDefault(valuesYaml, block, key)),
            [values.l2announcements.leaseDuration, values.l2announcements.leaseRenewDeadline, values.l2announcements.leaseRetryPeriod],
        );
        assert.deepEqual(
            [values.l2announcements.leaseDuration, values.l2announcements.leaseRenewDeadline, values.l2announcements.leaseRetryPeriod],
            ["15s", "5s", "2s"],
        );
    });

    it("has a closed schema that rejects a misspelt key, nested or top-level", () => {
        const nested = { ...values, l2announcements: { ...values.l2announcements, enable: true } };
        assert.deepEqual(closedSchema(withoutCommentedKeys(nested as CiliumValues)), [
            "/l2announcements must NOT have additional properties 'enable'",
        ]);
        const topLevel = { ...withoutCommentedKeys(values), kubeProxyReplacment: true };
        assert.deepEqual(closedSchema(topLevel), ["/ must NOT have additional properties 'kubeProxyReplacment'"]);
    });

    it("sets the values the network spec names", () => {
        assert.equal(values.kubeProxyReplacement, true);
        assert.equal(values.k8sServiceHost, "127.0.0.1");
        assert.equal(values.k8sServicePort, 7445);
        assert.equal(values.routingMode, "native");
        assert.equal(values.autoDirectNodeRoutes, true);
        assert.equal(values.ipv4NativeRoutingCIDR, "10.42.0.0/16");
        assert.deepEqual(values.ipam, { mode: "kubernetes" });
        assert.deepEqual(values.loadBalancer, { mode: "dsr", algorithm: "maglev" });
        assert.equal(values.l2announcements.enabled, true);
    });

    it("takes the native-routing CIDR from the plan's pod CIDR", () => {
        assert.equal(ciliumValues({ ...homePlan, podCidr: "10.244.0.0/16" }).ipv4NativeRoutingCIDR, "10.244.0.0/16");
    });

    it("gives the agent and clean-state container the chart's default capabilities without SYS_MODULE (Talos)", function () {
        type Capabilities = { securityContext: { capabilities: { ciliumAgent: string[]; cleanCiliumState: string[] } } };
        const defaults = (chartDefaults(`${chart}/values.yaml`, this) as unknown as Capabilities).securityContext.capabilities;
        assert.ok(defaults.ciliumAgent.includes("SYS_MODULE"), "the chart default no longer has SYS_MODULE: revisit this override");
        assert.deepEqual(
            values.securityContext.capabilities.ciliumAgent,
            defaults.ciliumAgent.filter((c) => c !== "SYS_MODULE"),
        );
        assert.deepEqual(
            values.securityContext.capabilities.cleanCiliumState,
            defaults.cleanCiliumState.filter((c) => c !== "SYS_MODULE"),
        );
    });

    it("uses Talos' cgroup mount and keeps BPF masquerading with legacy host routing (talos#10002)", () => {
        assert.deepEqual(values.cgroup, { autoMount: { enabled: false }, hostRoot: "/sys/fs/cgroup" });
        assert.deepEqual(values.bpf, { masquerade: true, hostLegacyRouting: true });
    });

    it("plans the home stack from its spec: pod CIDR, the pool's range and three control planes", () => {
        assert.deepEqual(ciliumPlan(homeSpec()), homePlan);
    });

    it("runs two operators with three control planes, two with two, and one with a single control plane", () => {
        assert.equal(values.operator.replicas, 2);
        assert.equal(ciliumValues({ ...homePlan, controlPlaneCount: 2 }).operator.replicas, 2);
        assert.equal(ciliumValues({ ...homePlan, controlPlaneCount: 1 }).operator.replicas, 1);
    });

    it("adds one lease request per pool address per 2 s retry period to the agent's default 10 qps / 20 burst", () => {
        assert.deepEqual(values.k8sClientRateLimit, { qps: 15, burst: 30 });
        assert.deepEqual(ciliumValues(withRange("172.16.1.60", "172.16.1.60")).k8sClientRateLimit, { qps: 11, burst: 22 });
        assert.deepEqual(ciliumValues(withRange("172.16.1.60", "172.16.1.99")).k8sClientRateLimit, { qps: 30, burst: 60 });
    });

    it("refuses a range whose start comes after its stop, naming the config key", () => {
        assert.throws(() => ciliumValues(withRange("172.16.1.69", "172.16.1.60")), {
            message: "homelab:network.loadBalancerRange: 172.16.1.69-172.16.1.60 is not an IPv4 range with start <= stop",
        });
    });

    it("leaves Gateway API, Envoy and Hubble off and devices and externalIPs at the chart default", () => {
        assert.deepEqual([values.gatewayAPI, values.envoy, values.hubble], [{ enabled: false }, { enabled: false }, { enabled: false }]);
        assert.equal("devices" in values, false);
        assert.equal("externalIPs" in values, false);
    });

    it("gives the same JSON for the same plan, and a caller's edits do not leak into the next call", () => {
        const first = ciliumValues(homePlan);
        const expected = JSON.stringify(first);
        first.securityContext.capabilities.ciliumAgent.push("SYS_MODULE");
        assert.equal(JSON.stringify(ciliumValues(structuredClone(homePlan))), expected);
        assert.equal(JSON.stringify(ciliumValues(homePlan)), expected);
    });
});

describe("lbPoolManifest", () => {
    let poolSchema: Validate;
    const pool = lbPoolManifest(homePlan, "home-pool");

    before(function () {
        poolSchema = crdValidator("cilium/crds-v1.18.0/v2/ciliumloadbalancerippools.yaml", "v2", this);
    });

    it("is a valid cilium.io/v2 CiliumLoadBalancerIPPool", () => {
        assert.deepEqual(poolSchema(pool), []);
        assert.deepEqual(pool.metadata, { name: "home-pool" });
    });

    it("has a CRD check that can fail", () => {
        assert.deepEqual(poolSchema({ ...pool, spec: { ...pool.spec, allowFirstLastIPs: "yes" } }), [
            "/spec/allowFirstLastIPs must be equal to one of the allowed values",
        ]);
    });

    it("is exactly the range .60-.69 as one start/stop block, never a CIDR", () => {
        assert.deepEqual(pool.spec.blocks, [{ start: "172.16.1.60", stop: "172.16.1.69" }]);
        assert.deepEqual(
            poolAddresses(pool),
            Array.from({ length: 10 }, (_, i) => `172.16.1.${60 + i}`),
        );
    });

    it("holds the three gateway addresses and no infrastructure, VIP or node address", () => {
        const held = new Set(poolAddresses(pool));
        for (const gateway of ["172.16.1.60", "172.16.1.61", "172.16.1.62"]) assert.ok(held.has(gateway), gateway);
        const infrastructure = Array.from({ length: 11 }, (_, i) => `172.16.1.${1 + i}`);
        const kubernetes = ["172.16.1.49", "172.16.1.50", "172.16.1.51", "172.16.1.52", "172.16.1.53"];
        const neighbours = ["172.16.1.59", "172.16.1.70", "172.16.1.0", "172.16.1.255"];
        for (const address of [...infrastructure, ...kubernetes, ...neighbours]) assert.ok(!held.has(address), address);
    });

    it("keeps both ends allocatable (the option only applies to CIDR blocks)", () => {
        assert.equal(pool.spec.allowFirstLastIPs, "Yes");
    });

    it("refuses a range whose start comes after its stop", () => {
        assert.throws(() => lbPoolManifest(withRange("172.16.1.69", "172.16.1.60"), "home-pool"), /homelab:network\.loadBalancerRange/);
    });

    it("gives the same JSON for the same plan", () => {
        assert.equal(JSON.stringify(lbPoolManifest(structuredClone(homePlan), "home-pool")), JSON.stringify(pool));
    });
});

describe("l2PolicyManifest", () => {
    let policySchema: Validate;
    const policy = l2PolicyManifest("home-l2");

    before(function () {
        policySchema = crdValidator("cilium/crds-v1.18.0/v2alpha1/ciliuml2announcementpolicies.yaml", "v2alpha1", this);
    });

    it("is a valid cilium.io/v2alpha1 CiliumL2AnnouncementPolicy", () => {
        assert.deepEqual(policySchema(policy), []);
        assert.deepEqual(policy.metadata, { name: "home-l2" });
    });

    it("has a CRD check that can fail", () => {
        assert.deepEqual(policySchema({ ...policy, spec: { ...policy.spec, loadBalancerIP: true } }), [
            "/spec must NOT have additional properties 'loadBalancerIP'",
        ]);
    });

    it("announces LoadBalancer addresses from every Linux node", () => {
        assert.equal(policy.spec.loadBalancerIPs, true);
        assert.deepEqual(policy.spec.nodeSelector, { matchLabels: { "kubernetes.io/os": "linux" } });
        assert.equal("serviceSelector" in policy.spec, false);
    });

    // Cilium OR-s the patterns and matches each as a Go regexp; these patterns mean the same in JavaScript.
    const announces = (name: string) => policy.spec.interfaces.some((pattern) => new RegExp(pattern).test(name));

    it("matches the names Talos may give the Proxmox virtio NIC", () => {
        for (const name of ["ens18", "enp6s18", "enp0s18", "eth0", "eno1", "enxbc241100aa01"]) assert.ok(announces(name), name);
    });

    it("never matches loopback, Cilium's own devices or pod veths", () => {
        for (const name of [
            "lo",
            "cilium_host",
            "cilium_net",
            "cilium_vxlan",
            "lxc4f1a2b3c",
            "lxc_health",
            "veth12ab",
            "enx",
            "kube-ipvs0",
        ]) {
            assert.ok(!announces(name), name);
        }
    });

    it("lists the exported node interface patterns", () => {
        assert.deepEqual(policy.spec.interfaces, nodeInterfacePatterns);
    });

    it("gives the same JSON for the same name", () => {
        assert.equal(JSON.stringify(l2PolicyManifest("home-l2")), JSON.stringify(policy));
    });
});
