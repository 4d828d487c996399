import { strict as assert } from "assert";
import * as fs from "fs";
import {
    K8sGatewayPlan,
    dnsServiceManifest,
    k8sGatewayPlan,
    k8sGatewayValues,
    manualRecords,
    manualRecordsPlugin,
    recordTtlSeconds,
} from "../../components/kubernetes/plan/k8s-gateway";
import * as versions from "../../components/versions";
import { referenceFile } from "../harness/reference";
import { chartDefaults, unknownValueKeys } from "../harness/schemas";
import { homeSpec } from "../harness/home";

const chart = "k8s-gateway/chart-3.7.2";

/**
 * Keys the chart's templates read that values.yaml does not set, each with where upstream shows it.
 * `commented`: values.yaml lists it as a comment under its block (checked below against the file).
 */
const templateOnlyKeys: Record<string, { commented: boolean; reason: string }> = {
    fullnameOverride: { commented: false, reason: "read by the chart's k8s-gateway.fullname helper (templates/_helper.tpl)" },
    "service.clusterIP": {
        commented: true,
        reason: "`# clusterIP: 10.43.0.53` under service:, read by templates/service.yaml for type ClusterIP",
    },
};

describe("k8s_gateway values", () => {
    const spec = homeSpec();
    const plan = k8sGatewayPlan(spec);
    const values = k8sGatewayValues(plan);
    let defaults: Record<string, unknown>;
    let valuesYaml: string;

    before(function () {
        defaults = chartDefaults(`${chart}/values.yaml`, this);
        valuesYaml = fs.readFileSync(referenceFile(`${chart}/values.yaml`, this), "utf8");
    });

    it("pins the chart the reference holds", function () {
        const chartYaml = fs.readFileSync(referenceFile(`${chart}/Chart.yaml`, this), "utf8");
        assert.match(chartYaml, new RegExp(`^version: ${versions.k8sGateway.version.replace(/\./g, "\\.")}$`, "m"));
        assert.equal(versions.k8sGateway.chart, "oci://ghcr.io/k8s-gateway/charts/k8s-gateway");
        // What runs is the image the values pin, not the chart's appVersion (versions.ts says so).
        assert.match(chartYaml, /^appVersion: 1\.8\.0$/m);
        assert.deepEqual((defaults.image as { tag: string }).tag, "1.7.0");
        assert.equal("image" in values, false, "the program does not override the chart's image");
    });

    it("sets exactly the spec's domain, watched resources, a headless chart Service and the apex of the DNS Service", () => {
        assert.deepEqual(
            {
                ...values,
                extraZonePlugins: undefined,
                topologySpreadConstraints: undefined,
                podSecurityContext: undefined,
                securityContext: undefined,
            },
            {
                fullnameOverride: "k8s-gateway",
                domain: "ragas.cc",
                ttl: 30,
                watchedResources: ["HTTPRoute", "Service"],
                service: { type: "ClusterIP", clusterIP: "None", port: 53, useTcp: true },
                apex: "k8s-gateway-dns.network",
                extraZonePlugins: undefined,
                replicaCount: 2,
                topologySpreadConstraints: undefined,
                podSecurityContext: undefined,
                securityContext: undefined,
            },
        );
        assert.equal(recordTtlSeconds, 30);
        assert.equal(defaults.apex, "", "the chart's apex default (its own Service) is what this replaces");
    });

    // Talos' kube-apiserver enforces PodSecurity baseline and warns on restricted (its generated admissionControl);
    // npm run test:upstream saw it warn on this Deployment on every apply before these were set.
    it("runs its pods as PodSecurity restricted asks, on the uid the chart already gives", () => {
        assert.deepEqual(values.podSecurityContext, { seccompProfile: { type: "RuntimeDefault" } });
        assert.deepEqual(values.securityContext, { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: true });
        assert.deepEqual(
            [defaults.secure, defaults.podSecurityContext, defaults.securityContext],
            [true, {}, {}],
            "the chart adds runAsUser 1000 only while secure is on",
        );
    });

    it("runs two replicas spread over nodes, one on a single node", () => {
        assert.deepEqual(values.topologySpreadConstraints, [
            {
                maxSkew: 1,
                topologyKey: "kubernetes.io/hostname",
                whenUnsatisfiable: "DoNotSchedule",
                nodeTaintsPolicy: "Honor",
                labelSelector: { matchLabels: { "app.kubernetes.io/name": "k8s-gateway" } },
                matchLabelKeys: ["pod-template-hash"],
            },
        ]);
        assert.equal(defaults.replicaCount, 1);
        assert.deepEqual(defaults.topologySpreadConstraints, []);
        assert.equal(k8sGatewayValues({ ...plan, nodeCount: 1 }).replicaCount, 1);
        assert.equal(k8sGatewayValues({ ...plan, nodeCount: 2 }).replicaCount, 2);
    });

    it("serves .60 from a LoadBalancer Service of its own, without NodePorts, on UDP and TCP 53", () => {
        assert.deepEqual(dnsServiceManifest(plan, "network"), {
            metadata: { name: "k8s-gateway-dns", namespace: "network", annotations: { "lbipam.cilium.io/ips": "172.16.1.60" } },
            spec: {
                type: "LoadBalancer",
                allocateLoadBalancerNodePorts: false,
                externalTrafficPolicy: "Cluster",
                selector: { "app.kubernetes.io/name": "k8s-gateway" },
                ports: [
                    { name: "dns-udp", port: 53, protocol: "UDP", targetPort: "dns-udp" },
                    { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: "dns-tcp" },
                ],
            },
        });
        assert.equal(values.apex, `${dnsServiceManifest(plan, "network").metadata.name}.network`);
    });

    it("sets no key values.yaml lacks, but the template-only ones it names", () => {
        assert.deepEqual(unknownValueKeys(values, defaults), Object.keys(templateOnlyKeys));
    });

    it("finds each commented template-only key in values.yaml itself", () => {
        const commented = Object.entries(templateOnlyKeys)
            .filter(([, k]) => k.commented)
            .map(([path]) => path);
        for (const path of commented) {
            const [block, key] = path.split(".");
            const body = valuesYaml.split(/^(?=\S)/m).find((section) => section.startsWith(`${block}:`)) ?? "";
            assert.match(body, new RegExp(`^\\s+#\\s*${key}:`, "m"), `${path} is not documented under ${block}: in values.yaml`);
        }
    });

    it("catches a misspelt key", () => {
        const misspelt = { ...values, service: { ...values.service, clusterIp: "None" }, watchedResource: ["HTTPRoute"] };
        assert.deepEqual(
            unknownValueKeys(misspelt, defaults).filter((p) => !(p in templateOnlyKeys)),
            ["service.clusterIp", "watchedResource"],
        );
    });

    it("keeps the default zone plugins the probes and metrics need, drops forward and loop, and adds hosts", () => {
        const plugins = values.extraZonePlugins;
        const chartDefaults = defaults.extraZonePlugins as { name: string }[];
        assert.deepEqual(
            plugins.slice(0, -1),
            chartDefaults.filter((p) => p.name !== "forward" && p.name !== "loop"),
        );
        assert.deepEqual(
            chartDefaults.filter((p) => ["forward", "loop"].includes(p.name)),
            [{ name: "forward", parameters: ". /etc/resolv.conf" }, { name: "loop" }],
        );
        assert.deepEqual(
            plugins.map((p) => p.name),
            ["log", "errors", "health", "ready", "prometheus", "reload", "loadbalance", "hosts"],
        );
    });

    it("publishes every infrastructure host as <name>.<domain>, sorted by name", () => {
        assert.deepEqual(manualRecords(plan), [
            { hostname: "adguard.ragas.cc", address: "172.16.1.11" },
            { hostname: "pve1.ragas.cc", address: "172.16.1.2" },
            { hostname: "pve2.ragas.cc", address: "172.16.1.3" },
            { hostname: "pve3.ragas.cc", address: "172.16.1.4" },
            { hostname: "pve4.ragas.cc", address: "172.16.1.5" },
            { hostname: "router.ragas.cc", address: "172.16.1.1" },
            { hostname: "technitium.ragas.cc", address: "172.16.1.10" },
        ]);
    });

    it("serves them from a hosts block scoped to the domain that falls through to k8s_gateway", () => {
        assert.deepEqual(values.extraZonePlugins.at(-1), manualRecordsPlugin(plan));
        assert.deepEqual(manualRecordsPlugin(plan), {
            name: "hosts",
            parameters: "/etc/hosts ragas.cc",
            configBlock: [
                "172.16.1.11 adguard.ragas.cc",
                "172.16.1.2 pve1.ragas.cc",
                "172.16.1.3 pve2.ragas.cc",
                "172.16.1.4 pve3.ragas.cc",
                "172.16.1.5 pve4.ragas.cc",
                "172.16.1.1 router.ragas.cc",
                "172.16.1.10 technitium.ragas.cc",
                "ttl 30",
                "no_reverse",
                "fallthrough",
            ].join("\n"),
        });
    });

    it("does not let k8s_gateway fall through: it answers the misses under the domain itself", () => {
        assert.equal("fallthrough" in values, false);
        assert.deepEqual(defaults.fallthrough, { enabled: false, zones: [] });
    });

    it("renders the same text whatever the order of the infrastructure list", () => {
        const reversed: K8sGatewayPlan = { ...plan, infrastructure: [...plan.infrastructure].reverse() };
        const rotated: K8sGatewayPlan = { ...plan, infrastructure: [...plan.infrastructure.slice(3), ...plan.infrastructure.slice(0, 3)] };
        const text = JSON.stringify(k8sGatewayValues(plan));
        assert.equal(JSON.stringify(k8sGatewayValues(reversed)), text);
        assert.equal(JSON.stringify(k8sGatewayValues(rotated)), text);
        assert.equal(JSON.stringify(k8sGatewayValues(k8sGatewayPlan(homeSpec()))), text);
    });

    it("follows a host added to homelab:infrastructure, and the DNS address in homelab:gateways", () => {
        const edited = k8sGatewayPlan(
            homeSpec((v) => {
                v["homelab:infrastructure"].push({ name: "nas", ip: "172.16.1.20" });
            }),
        );
        assert.deepEqual(
            manualRecords(edited).map((r) => r.hostname),
            [
                "adguard.ragas.cc",
                "nas.ragas.cc",
                "pve1.ragas.cc",
                "pve2.ragas.cc",
                "pve3.ragas.cc",
                "pve4.ragas.cc",
                "router.ragas.cc",
                "technitium.ragas.cc",
            ],
        );
        assert.match(manualRecordsPlugin(edited).configBlock, /^172\.16\.1\.20 nas\.ragas\.cc$/m);
        const moved = dnsServiceManifest({ ...plan, address: "172.16.1.65" }, "network");
        assert.deepEqual(moved.metadata.annotations, { "lbipam.cilium.io/ips": "172.16.1.65" });
    });
});
