import { strict as assert } from "assert";
import { admissionConfiguration } from "../../tools/upstream/admission";
import { mountProblems, serviceProblems } from "../../tools/upstream/cross-checks";
import {
    applyOrder,
    helmReleases,
    JudgedObject,
    KubeObject,
    objectId,
    objectsInProgramOrder,
    talosNodeConfigs,
} from "../../tools/upstream/inputs";
import { parseWarnings } from "../../tools/upstream/kube-apiserver";
import { RecordedRun } from "../../tools/offline/record";
import { runStack } from "../harness/home";

// The pure side of `npm run test:upstream` (the judges themselves need Go and run there): what each judge is
// given from the recorded graph, and the cross-object checks.

const judged = (object: Record<string, unknown>, origin = "program test"): JudgedObject => ({
    id: objectId(object as KubeObject),
    object: object as KubeObject,
    origin,
});

const dnsService = judged({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "k8s-gateway-dns", namespace: "network" },
    spec: {
        selector: { "app.kubernetes.io/name": "k8s-gateway" },
        ports: [
            { name: "dns-udp", port: 53, protocol: "UDP", targetPort: "dns-udp" },
            { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: "dns-tcp" },
        ],
    },
});
const k8sGateway = (ports: unknown[], volumes: unknown[] = []) =>
    judged(
        {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "k8s-gateway", namespace: "network" },
            spec: {
                template: {
                    metadata: { labels: { "app.kubernetes.io/name": "k8s-gateway" } },
                    spec: { serviceAccountName: "k8s-gateway", containers: [{ name: "k8s-gateway", ports }], volumes },
                },
            },
        },
        "chart home-k8s-gateway-chart: k8s-gateway/templates/deployment.yaml",
    );
const udpAndTcp = [
    { name: "dns-udp", containerPort: 1053, protocol: "UDP" },
    { name: "dns-tcp", containerPort: 1053, protocol: "TCP" },
];

describe("upstream judges: their inputs from the recorded graph", function () {
    this.timeout(30_000);
    let run: RecordedRun;
    before(async () => {
        run = (await runStack()).run;
    });

    it("gives each node the role config it was generated from and its own patches, in order", () => {
        // Registration order depends on when each input resolves: compared by node address.
        const configs = talosNodeConfigs(run, "home").sort((a, b) => a.label.localeCompare(b.label));
        assert.deepEqual(
            configs.map((c) => [c.label, c.generate.machineType, c.patches.length]),
            [
                ["home 172.16.1.50 (home-talos-talos-cp-1)", "controlplane", 4],
                ["home 172.16.1.51 (home-talos-talos-cp-2)", "controlplane", 4],
                ["home 172.16.1.52 (home-talos-talos-cp-3)", "controlplane", 4],
                ["home 172.16.1.53 (home-talos-talos-worker-1)", "worker", 3],
            ],
        );
        const cp = configs[0];
        assert.deepEqual(
            [cp.generate.clusterEndpoint, cp.generate.talosVersion, cp.generate.kubernetesVersion, cp.generate.configPatches.length],
            ["https://172.16.1.49:6443", "v1.13", "v1.36.4", 3],
        );
        assert.match(cp.patches[3], /^apiVersion: v1alpha1\nkind: Layer2VIPConfig\nlink: net0\nname: 172.16.1.49\n$/);
    });

    it("renders each chart under the release name and namespace the provider uses", () => {
        const releases = helmReleases(run, "home").sort((a, b) => a.resource.name.localeCompare(b.resource.name));
        assert.deepEqual(
            releases.map((r) => [
                r.resource.name,
                r.releaseName,
                r.namespace,
                r.includeCrds,
                r.includeHooks,
                r.chartDir?.split("/").at(-1),
            ]),
            [
                ["home-cert-manager-chart", "home-cert-manager-chart-766e17de", "cert-manager", true, true, "cert-manager-v1.21.1"],
                ["home-cilium-chart", "home-cilium-chart", "kube-system", true, false, undefined],
                [
                    "home-envoy-gateway-chart",
                    "home-envoy-gateway-chart-7f7ec7c1",
                    "envoy-gateway-system",
                    false,
                    true,
                    "gateway-helm-v1.9.0",
                ],
                ["home-envoy-gateway-crds", "home-envoy-gateway-crds", "default", true, false, "gateway-crds-helm-v1.9.0"],
                ["home-k8s-gateway-chart", "home-k8s-gateway-chart", "network", true, false, "k8s-gateway-3.7.2"],
            ],
        );
        assert.ok(releases.every((r) => r.kubeVersion === "v1.36.4"));
    });

    it("orders objects as the build does: a chart's objects where the chart is, before what waits for it", () => {
        const chart = run.resources.find((r) => r.name === "home-k8s-gateway-chart")!;
        const ids = objectsInProgramOrder(run, new Map([[chart.urn, [k8sGateway(udpAndTcp)]]])).map((o) => o.id);
        // The 30 objects the program creates itself (9 of them verify's read-only access), and the one stand-in
        // the chart renders here.
        assert.equal(ids.length, 31);
        assert.ok(ids.indexOf("kube-system/ServiceAccount/homelab-verify") >= 0);
        assert.ok(ids.indexOf("Namespace/network") < ids.indexOf("network/Deployment/k8s-gateway"));
        assert.ok(ids.indexOf("network/Deployment/k8s-gateway") < ids.indexOf("network/Service/k8s-gateway-dns"));
        assert.ok(ids.indexOf("ClusterIssuer/letsencrypt-production") < ids.indexOf("network/Certificate/wildcard-ragas-cc"));
    });
});

describe("upstream judges: cross-object checks", () => {
    it("accepts k8s-gateway-dns against the chart's named UDP and TCP ports", () => {
        assert.deepEqual(serviceProblems([k8sGateway(udpAndTcp), dnsService]), {
            checked: ["network/Service/k8s-gateway-dns"],
            problems: [],
        });
    });

    it("refuses a Service whose named targetPort the pods lack, naming the ports they have", () => {
        const { problems } = serviceProblems([k8sGateway([udpAndTcp[0]]), dnsService]);
        assert.deepEqual(problems, [
            {
                subject: "network/Service/k8s-gateway-dns",
                problem: 'port dns-tcp: targetPort "dns-tcp" is no port of network/Deployment/k8s-gateway (its ports: dns-udp 1053/UDP)',
            },
        ]);
    });

    it("refuses a protocol mismatch and a selector that selects nothing", () => {
        const tcpOnly = k8sGateway([{ ...udpAndTcp[0], protocol: "TCP" }, udpAndTcp[1]]);
        assert.deepEqual(
            serviceProblems([tcpOnly, dnsService]).problems.map((p) => p.problem),
            ['port dns-udp: UDP to "dns-udp", which network/Deployment/k8s-gateway declares as TCP'],
        );
        const elsewhere = judged({ ...dnsService.object, metadata: { name: "k8s-gateway-dns", namespace: "default" } });
        assert.deepEqual(
            serviceProblems([k8sGateway(udpAndTcp), elsewhere]).problems.map((p) => p.problem),
            ['selector {"app.kubernetes.io/name":"k8s-gateway"} selects no pod template in default'],
        );
    });

    it("refuses a mounted Secret nobody creates, and accepts one cert-manager issues into", () => {
        const pod = k8sGateway(udpAndTcp, [
            { name: "tls", secret: { secretName: "wildcard-ragas-cc-tls" } },
            { name: "extra", configMap: { name: "maybe", optional: true } },
        ]);
        const account = judged({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "k8s-gateway", namespace: "network" } });
        assert.deepEqual(
            mountProblems([pod, account]).problems.map((p) => p.problem),
            ["volume tls needs Secret network/wildcard-ragas-cc-tls, which nothing creates"],
        );
        const certificate = judged({
            apiVersion: "cert-manager.io/v1",
            kind: "Certificate",
            metadata: { name: "wildcard", namespace: "network" },
            spec: { secretName: "wildcard-ragas-cc-tls" },
        });
        assert.deepEqual(mountProblems([pod, account, certificate]).problems, []);
        assert.deepEqual(
            mountProblems([pod, certificate]).problems.map((p) => p.problem),
            ["serviceAccountName needs ServiceAccount network/k8s-gateway, which nothing creates"],
        );
    });

    it("applies namespaces, then CRDs, then the rest in program order", () => {
        const objects = [
            dnsService,
            judged({ apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "x.example" } }),
            judged({ apiVersion: "v1", kind: "Namespace", metadata: { name: "network" } }),
            k8sGateway([]),
        ];
        assert.deepEqual(
            applyOrder(objects).map((o) => o.id),
            [
                "Namespace/network",
                "CustomResourceDefinition/x.example",
                "network/Service/k8s-gateway-dns",
                "network/Deployment/k8s-gateway",
            ],
        );
    });
});

describe("upstream judges: what the servers say", () => {
    it("splits a Warning header into its texts", () => {
        assert.deepEqual(parseWarnings('299 - "would violate PodSecurity \\"restricted:latest\\": x", 299 - "second"'), [
            'would violate PodSecurity "restricted:latest": x',
            "second",
        ]);
    });

    it("writes Talos' admissionControl as kube-apiserver's AdmissionConfiguration", () => {
        const config =
            "version: v1alpha1\ncluster:\n  apiServer:\n    admissionControl:\n      - name: PodSecurity\n        configuration:\n          defaults: {enforce: baseline}\n";
        assert.equal(
            admissionConfiguration(config),
            "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n  - name: PodSecurity\n    configuration:\n      defaults:\n        enforce: baseline\n",
        );
    });
});
