import { strict as assert } from "assert";
import * as ipaddr from "ipaddr.js";
import { Graph } from "../../tools/offline/graph";
import { homeValues, runStack } from "../harness/home";

/* eslint-disable @typescript-eslint/no-explicit-any */
describe("Cloudflare edge in the graph", () => {
    let graph: Graph;
    before(async () => {
        const values = homeValues();
        values["homelab:apps"].push({
            name: "blog",
            namespace: "web",
            hostname: "blog",
            gateway: "external",
            service: { name: "blog", port: 8080 },
        });
        graph = await runStack(values);
        assert.equal(graph.run.error, undefined);
    });
    const tunnel = () => graph.get("cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared", "home-edge-tunnel");
    const records = () => graph.ofType("cloudflare:index/dnsRecord:DnsRecord");

    it("creates a remotely managed tunnel whose ingress sends the domain to envoy-external over verified TLS", () => {
        assert.equal(tunnel().inputs.configSrc, "cloudflare");
        const config = graph.get(
            "cloudflare:index/zeroTrustTunnelCloudflaredConfig:ZeroTrustTunnelCloudflaredConfig",
            "home-edge-tunnel-config",
        ).inputs as any;
        assert.deepEqual(config.config.ingresses, [
            {
                hostname: "*.ragas.cc",
                service: "https://envoy-external.network.svc.cluster.local:443",
                originRequest: { originServerName: "external.ragas.cc", http2Origin: true },
            },
            { service: "http_status:404" },
        ]);
    });

    it("publishes external.<domain> into the tunnel and external apps only, all proxied", () => {
        const byName = Object.fromEntries(records().map((r) => [r.inputs.name, r.inputs]));
        assert.deepEqual(Object.keys(byName).sort(), ["blog.ragas.cc", "external.ragas.cc"]);
        assert.match(byName["external.ragas.cc"].content as string, /^[0-9a-f-]{36}\.cfargotunnel\.com$/);
        assert.equal(byName["blog.ragas.cc"].content, "external.ragas.cc");
        for (const r of records()) assert.equal(r.inputs.proxied, true);
    });

    it("points no public record at an address, private or not", () => {
        for (const r of records())
            assert.equal(ipaddr.isValid(r.inputs.content as string), false, `${r.inputs.name} -> ${r.inputs.content}`);
    });

    it("starts tunnel, config and records with no dependency on the cluster; cloudflared waits for it", () => {
        const bootstrap = graph.get("talos:machine/bootstrap:Bootstrap", "home-talos-bootstrap");
        const vm = graph.get("proxmoxve:index/vmLegacy:VmLegacy", "home-vms-talos-cp-1");
        for (const r of graph.resources.filter((x) => x.type.startsWith("cloudflare:"))) {
            assert.equal(graph.dependsOn(r, bootstrap), false, r.name);
            assert.equal(graph.dependsOn(r, vm), false, r.name);
        }
        const deployment = graph.get("kubernetes:apps/v1:Deployment", "home-cloudflared-deployment");
        assert.ok(graph.dependsOn(deployment, bootstrap));
        assert.ok(graph.dependsOn(deployment, tunnel()));
    });

    it("runs cloudflared from the tunnel token in a Secret, the token itself never in plain text", () => {
        const secret = graph.get("kubernetes:core/v1:Secret", "home-cloudflared-token");
        assert.ok(secret.secretPaths.includes("/stringData"));
        const deployment = graph.get("kubernetes:apps/v1:Deployment", "home-cloudflared-deployment").inputs as any;
        const container = deployment.spec.template.spec.containers[0];
        const env = container.env.find((e: any) => e.name === "TUNNEL_TOKEN");
        assert.deepEqual(env.valueFrom.secretKeyRef.name, (secret.inputs.metadata as any).name);
        assert.equal(JSON.stringify(deployment).includes("CANARY"), false);
        assert.deepEqual(graph.leaks("CANARY-tunnel-token"), []);
        assert.equal(deployment.metadata.namespace, "network");
        assert.equal(deployment.spec.replicas, 2);
    });

    it("closes cloudflared's metrics port to every pod, behind the gate that waits for Cilium's CRDs", () => {
        const policy = graph.get("kubernetes:cilium.io/v2:CiliumNetworkPolicy", "home-cloudflared-metrics-policy");
        const spec = (policy.inputs as any).spec;
        assert.deepEqual(
            [(policy.inputs as any).metadata, spec.ingress],
            [
                { name: "cloudflared-metrics", namespace: "network" },
                [{ fromEntities: ["host"], toPorts: [{ ports: [{ port: "8080", protocol: "TCP" }] }] }],
            ],
        );
        const deployment = graph.get("kubernetes:apps/v1:Deployment", "home-cloudflared-deployment");
        assert.deepEqual(spec.endpointSelector.matchLabels, (deployment.inputs as any).spec.selector.matchLabels);
        assert.equal(policy.provider, deployment.provider);
        assert.ok(graph.dependsOn(policy, graph.get("kubernetes:helm.sh/v4:Chart", "home-cilium-chart")));
    });

    it("mints no token by default: cert-manager's Secret holds the user's DNS-only token and waits for nothing at Cloudflare", () => {
        assert.deepEqual(graph.ofType("cloudflare:index/apiToken:ApiToken"), []);
        const secret = graph.get("kubernetes:core/v1:Secret", "home-cert-manager-cloudflare-token");
        for (const r of graph.resources.filter((r) => r.type.startsWith("cloudflare:"))) assert.ok(!graph.dependsOn(secret, r), r.name);
        assert.deepEqual(graph.leaks("CANARY"), []);
    });
});
