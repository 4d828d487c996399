import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tls from "tls";
import { AddressInfo } from "net";
import { PlainSpec } from "../../components/config";
import { parseVerifyArgs, VerifyOptions } from "../../tools/verify/options";
import { CheckResult } from "../../tools/verify/report";
import { verify, VerifyIo } from "../../tools/verify/run";
import { homeSpec } from "../harness/home";
import { testCa, TestCa } from "./certs";
import { FakeCloudflare, startFakeCloudflare } from "./fake-cloudflare";
import { FakeDns, startFakeDns } from "./fake-dns";
import { fakeKubeconfig, FakeKube, startFakeKube } from "./fake-kube";

// The home cluster as `pulumi up` leaves it, served by local fakes: the API objects verify reads (written
// out with their real names, not computed by the tool under test), k8s_gateway, AdGuard and Technitium on
// DNS, both gateways on TLS, and the Cloudflare API. reset() puts every fake back to that healthy state.

/** The home stack plus one app on the external gateway, so both gateways and the tunnel records have an app. */
export function worldSpec(): PlainSpec {
    return homeSpec((values) => {
        values["homelab:apps"].push({
            name: "blog",
            namespace: "web",
            hostname: "blog",
            gateway: "external",
            service: { name: "blog", port: 8080 },
        });
    });
}

export const now = new Date();
const days = (n: number) => new Date(now.getTime() + n * 86_400_000);
const ready = (type: string) => ({ type, status: "True", reason: type, message: "", lastTransitionTime: now.toISOString() });
export const tunnelId = "8f3c1a52-6f1e-4c0a-9d4b-2e7f6a1b9c30";
const cloudflareToken = "cf-test-token";

function node(name: string, isReady = true) {
    return {
        apiVersion: "v1",
        kind: "Node",
        metadata: { name },
        status: {
            conditions: [{ type: "Ready", status: isReady ? "True" : "False", reason: isReady ? "KubeletReady" : "NodeStatusUnknown" }],
        },
    };
}

function service(namespace: string, name: string, ip: string, annotate = true) {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { namespace, name, ...(annotate ? { annotations: { "lbipam.cilium.io/ips": ip } } : {}) },
        spec: {
            type: "LoadBalancer",
            externalTrafficPolicy: "Cluster",
            ports: [{ port: name === "k8s-gateway-dns" ? 53 : 443, protocol: "TCP" }],
        },
        status: { loadBalancer: { ingress: [{ ip, ipMode: "VIP" }] } },
    };
}

/** Renewed a second ago, as a MicroTime (`2026-11-26T13:50:48.123000Z`). */
function lease(name: string, holder: string) {
    const renewTime = new Date(Date.now() - 1000).toISOString().replace("Z", "000Z");
    return {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: { namespace: "kube-system", name },
        spec: { holderIdentity: holder, leaseDurationSeconds: 15, renewTime },
    };
}

function gateway(name: string, ip: string) {
    return {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: { namespace: "network", name },
        status: { addresses: [{ type: "IPAddress", value: ip }], conditions: [ready("Accepted"), ready("Programmed")] },
    };
}

function route(namespace: string, name: string, parent: string) {
    return {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { namespace, name },
        status: {
            parents: [
                {
                    parentRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: parent, namespace: "network" },
                    controllerName: "gateway.envoyproxy.io/gatewayclass-controller",
                    conditions: [ready("Accepted"), ready("ResolvedRefs")],
                },
            ],
        },
    };
}

/** The healthy cluster's objects by REST path. */
export function healthyObjects(): Map<string, unknown> {
    const nodes = ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"];
    return new Map<string, unknown>([
        ["/api/v1/nodes", { apiVersion: "v1", kind: "NodeList", metadata: {}, items: nodes.map((n) => node(n)) }],
        [
            "/apis/apps/v1/namespaces/kube-system/daemonsets/cilium",
            {
                apiVersion: "apps/v1",
                kind: "DaemonSet",
                metadata: { namespace: "kube-system", name: "cilium" },
                status: {
                    desiredNumberScheduled: 4,
                    currentNumberScheduled: 4,
                    numberReady: 4,
                    updatedNumberScheduled: 4,
                    numberMisscheduled: 0,
                },
            },
        ],
        [
            "/apis/apps/v1/namespaces/kube-system/deployments/cilium-operator",
            {
                apiVersion: "apps/v1",
                kind: "Deployment",
                metadata: { namespace: "kube-system", name: "cilium-operator" },
                spec: { replicas: 2 },
                status: { replicas: 2, readyReplicas: 2 },
            },
        ],
        [
            "/api/v1/namespaces/kube-system/configmaps/cilium-config",
            {
                apiVersion: "v1",
                kind: "ConfigMap",
                metadata: { namespace: "kube-system", name: "cilium-config" },
                data: {
                    "kube-proxy-replacement": "true",
                    "bpf-lb-mode": "dsr",
                    "bpf-lb-algorithm": "maglev",
                    "enable-l2-announcements": "true",
                    "routing-mode": "native",
                    "auto-direct-node-routes": "true",
                },
            },
        ],
        [
            "/apis/cilium.io/v2/ciliumloadbalancerippools/lb-pool",
            {
                apiVersion: "cilium.io/v2",
                kind: "CiliumLoadBalancerIPPool",
                metadata: { name: "lb-pool" },
                spec: { allowFirstLastIPs: "Yes", blocks: [{ start: "172.16.1.60", stop: "172.16.1.69" }] },
                status: {
                    conditions: [
                        { type: "cilium.io/PoolConflict", status: "False", reason: "resolved" },
                        { type: "cilium.io/IPsAvailable", status: "True", message: "7" },
                    ],
                },
            },
        ],
        [
            "/api/v1/services",
            {
                apiVersion: "v1",
                kind: "ServiceList",
                metadata: {},
                items: [
                    {
                        apiVersion: "v1",
                        kind: "Service",
                        metadata: { namespace: "default", name: "kubernetes" },
                        spec: { type: "ClusterIP", clusterIP: "10.43.0.1" },
                    },
                    service("network", "k8s-gateway-dns", "172.16.1.60"),
                    service("network", "envoy-internal", "172.16.1.61"),
                    service("network", "envoy-external", "172.16.1.62"),
                ],
            },
        ],
        [
            "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/cilium-l2announce-network-k8s-gateway-dns",
            lease("cilium-l2announce-network-k8s-gateway-dns", "talos-worker-1"),
        ],
        [
            "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/cilium-l2announce-network-envoy-internal",
            lease("cilium-l2announce-network-envoy-internal", "talos-cp-2"),
        ],
        [
            "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/cilium-l2announce-network-envoy-external",
            lease("cilium-l2announce-network-envoy-external", "talos-cp-3"),
        ],
        ["/apis/gateway.networking.k8s.io/v1/namespaces/network/gateways/envoy-internal", gateway("envoy-internal", "172.16.1.61")],
        ["/apis/gateway.networking.k8s.io/v1/namespaces/network/gateways/envoy-external", gateway("envoy-external", "172.16.1.62")],
        ["/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/my-app", route("default", "my-app", "envoy-internal")],
        ["/apis/gateway.networking.k8s.io/v1/namespaces/web/httproutes/blog", route("web", "blog", "envoy-external")],
        [
            "/apis/cert-manager.io/v1/namespaces/network/certificates/wildcard-ragas-cc",
            {
                apiVersion: "cert-manager.io/v1",
                kind: "Certificate",
                metadata: { namespace: "network", name: "wildcard-ragas-cc" },
                status: {
                    conditions: [ready("Ready")],
                    notBefore: days(-30).toISOString(),
                    notAfter: days(60).toISOString(),
                    renewalTime: days(30).toISOString(),
                },
            },
        ],
        [
            "/apis/apps/v1/namespaces/network/deployments/cloudflared",
            {
                apiVersion: "apps/v1",
                kind: "Deployment",
                metadata: { namespace: "network", name: "cloudflared" },
                spec: { replicas: 2 },
                status: { replicas: 2, readyReplicas: 2 },
            },
        ],
    ]);
}

/** What k8s_gateway answers, and through it AdGuard and Technitium. */
export function healthyRecords(): Record<string, string[]> {
    return {
        "myapp.ragas.cc": ["172.16.1.61"],
        "blog.ragas.cc": ["172.16.1.62"],
        "router.ragas.cc": ["172.16.1.1"],
        "pve1.ragas.cc": ["172.16.1.2"],
        "pve2.ragas.cc": ["172.16.1.3"],
        "pve3.ragas.cc": ["172.16.1.4"],
        "pve4.ragas.cc": ["172.16.1.5"],
        "technitium.ragas.cc": ["172.16.1.10"],
        "adguard.ragas.cc": ["172.16.1.11"],
    };
}

export interface World {
    spec: PlainSpec;
    ca: TestCa;
    kube: FakeKube;
    dns: { k8sGateway: FakeDns; adguard: FakeDns; technitium: FakeDns };
    gateways: { internal: tls.Server; external: tls.Server };
    cloudflare: FakeCloudflare;
    /** argv for verify against the fakes (short timeouts). */
    argv: string[];
    options(extra?: string[]): VerifyOptions;
    env: NodeJS.ProcessEnv;
    dir: string;
    /** Serve the gateways this certificate from now on. */
    presentCertificate(cert: { keyPem: string; certPem: string }): void;
    reset(): void;
    close(): Promise<void>;
}

async function tlsServer(cert: { keyPem: string; certPem: string }): Promise<tls.Server> {
    const server = tls.createServer({ key: cert.keyPem, cert: cert.certPem }, (socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return server;
}

export async function startWorld(): Promise<World> {
    const ca = testCa();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-verify-"));
    const kube = await startFakeKube(ca.issue({ commonName: "kube-apiserver", ips: ["127.0.0.1"], notAfter: days(365) }));
    const wildcardCert = ca.issue({ commonName: "*.ragas.cc", dnsNames: ["*.ragas.cc", "ragas.cc"], notAfter: days(60) });
    const wildcard = () => wildcardCert;
    const dns = { k8sGateway: await startFakeDns(), adguard: await startFakeDns(), technitium: await startFakeDns() };
    const gateways = { internal: await tlsServer(wildcard()), external: await tlsServer(wildcard()) };
    const cloudflare = await startFakeCloudflare({
        token: cloudflareToken,
        zone: { id: "zone-1", name: "ragas.cc", account: { id: "acct-1" } },
        tunnel: { id: "", name: "", status: "" },
        connections: [],
        records: new Map(),
    });
    fs.writeFileSync(path.join(dir, "kubeconfig"), fakeKubeconfig(kube.url, ca.certPem, kube.token));
    fs.writeFileSync(path.join(dir, "ca.pem"), ca.certPem);
    const port = (s: tls.Server) => (s.address() as AddressInfo).port;
    const argv = [
        "--kubeconfig",
        path.join(dir, "kubeconfig"),
        "--resolver",
        `dns=127.0.0.1:${dns.k8sGateway.port}`,
        "--resolver",
        `adguard=127.0.0.1:${dns.adguard.port}`,
        "--resolver",
        `technitium=127.0.0.1:${dns.technitium.port}`,
        "--gateway-address",
        `internal=127.0.0.1:${port(gateways.internal)}`,
        "--gateway-address",
        `external=127.0.0.1:${port(gateways.external)}`,
        "--gateway-ca",
        path.join(dir, "ca.pem"),
        "--cloudflare-api",
        cloudflare.url,
        "--timeout",
        "2",
        "--deadline",
        "15",
    ];
    const world: World = {
        spec: worldSpec(),
        ca,
        kube,
        dns,
        gateways,
        cloudflare,
        argv,
        dir,
        options: (extra = []) => parseVerifyArgs([...argv, ...extra]),
        env: { CLOUDFLARE_API_TOKEN: cloudflareToken, PATH: "" },
        presentCertificate: (cert) => Object.values(gateways).forEach((s) => s.setSecureContext({ key: cert.keyPem, cert: cert.certPem })),
        reset: () => {
            kube.objects = healthyObjects();
            kube.hang = false;
            kube.podPhase = "Succeeded";
            kube.podReadDelayMs = 0;
            kube.log.length = 0;
            cloudflare.log.length = 0;
            kube.podLog = "Server:\t\t10.43.0.10\nAddress:\t10.43.0.10:53\n\nName:\tmyapp.ragas.cc\nAddress: 172.16.1.61\n\n";
            for (const server of Object.values(dns)) {
                server.records = new Map(Object.entries(healthyRecords()));
                server.silent = false;
                server.truncateUdp = false;
                server.log.length = 0;
            }
            world.presentCertificate(wildcard());
            cloudflare.tunnel = { id: tunnelId, name: "home", status: "healthy" };
            cloudflare.connections = [
                {
                    id: "1b9e0c4d-0000-4000-8000-00000000c0de",
                    conns: [
                        { colo_name: "fra08", is_pending_reconnect: false },
                        { colo_name: "ams01", is_pending_reconnect: false },
                    ],
                },
            ];
            cloudflare.records = new Map([
                [
                    "external.ragas.cc",
                    [{ type: "CNAME", name: "external.ragas.cc", content: `${tunnelId}.cfargotunnel.com`, proxied: true }],
                ],
                ["blog.ragas.cc", [{ type: "CNAME", name: "blog.ragas.cc", content: "external.ragas.cc", proxied: true }]],
            ]);
        },
        close: async () => {
            await Promise.all([
                kube.close(),
                cloudflare.close(),
                ...Object.values(dns).map((d) => d.close()),
                ...Object.values(gateways).map((g) => new Promise((r) => g.close(r))),
            ]);
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
    world.reset();
    return world;
}

/** One verify run against the world, captured (JSON unless `json` is false). */
export interface Run {
    code: number;
    checks: CheckResult[];
    out: string[];
    err: string[];
}

export async function run(
    world: World,
    extra: string[] = [],
    env = world.env,
    json = true,
    argv = world.argv,
    process: Pick<VerifyIo, "signals" | "exit"> = {},
): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await verify(world.spec, parseVerifyArgs([...argv, ...(json ? ["--json", ...extra] : extra)]), {
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        env,
        colour: false,
        ...process,
    });
    return { code, out, err, checks: json && out.length ? (JSON.parse(out[0]).checks ?? []) : [] };
}

export const failed = (r: Run) => r.checks.filter((c) => c.status === "fail");
export const named = (r: Run, check: string) => r.checks.find((c) => c.check === check)!;
