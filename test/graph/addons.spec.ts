import { strict as assert } from "assert";
import { Graph } from "../../tools/offline/graph";
import { homeValues, runStack } from "../harness/home";
import { Registration } from "../../tools/offline/record";
import { specHttpRoute } from "../harness/spec-examples";

const CHART = "kubernetes:helm.sh/v4:Chart";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway";

/* eslint-disable @typescript-eslint/no-explicit-any */
describe("ingress, certificates and split DNS in the graph", () => {
    let graph: Graph;
    before(async () => {
        graph = await runStack();
        assert.equal(graph.run.error, undefined);
    });
    const ready = () => graph.get("pulumi:providers:kubernetes", "home-ready-kubernetes");
    const chart = (name: string) => graph.get(name.includes("envoy-gateway") || name.includes("cert-manager") ? RELEASE : CHART, name);

    it("routes the spec's my-app example, field for field", () => {
        const route = graph.get("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "home-apps-default.my-app-route");
        assert.deepEqual(route.inputs, specHttpRoute);
    });

    it("admits the spec's allow-web traffic to my-app with a CiliumNetworkPolicy", () => {
        const policy = graph.get("kubernetes:cilium.io/v2:CiliumNetworkPolicy", "home-apps-default.my-app-policy").inputs as any;
        assert.equal(policy.metadata.name, "allow-my-app");
        assert.deepEqual(policy.spec.endpointSelector, { matchLabels: { app: "my-app" } });
        assert.deepEqual(policy.spec.ingress[0], {
            fromEndpoints: [{ matchLabels: { app: "frontend" } }],
            toPorts: [{ ports: [{ port: "80", protocol: "TCP" }] }],
        });
    });

    it("serves both gateways in network at .61 and .62 with the wildcard certificate", () => {
        const expected = { "envoy-internal": "172.16.1.61", "envoy-external": "172.16.1.62" } as Record<string, string>;
        for (const gw of graph.ofType(GATEWAY)) {
            const spec = gw.inputs.spec as any;
            const name = (gw.inputs.metadata as any).name;
            assert.equal((gw.inputs.metadata as any).namespace, "network");
            assert.equal(spec.infrastructure.annotations["lbipam.cilium.io/ips"], expected[name], name);
            const https = spec.listeners.find((l: any) => l.protocol === "HTTPS");
            assert.deepEqual(https.tls.certificateRefs, [{ kind: "Secret", name: "wildcard-ragas-cc-tls" }]);
        }
        assert.deepEqual(
            graph
                .ofType(GATEWAY)
                .map((g) => (g.inputs.metadata as any).name)
                .sort(),
            ["envoy-external", "envoy-internal"],
        );
        const certificate = graph.get("kubernetes:cert-manager.io/v1:Certificate", "home-cert-manager-wildcard").inputs as any;
        assert.deepEqual(certificate.spec, {
            secretName: "wildcard-ragas-cc-tls",
            issuerRef: { name: "letsencrypt-production", kind: "ClusterIssuer" },
            dnsNames: ["*.ragas.cc", "ragas.cc"],
        });
        assert.equal(certificate.metadata.namespace, "network");
    });

    it("pins k8s_gateway to .60 for the domain, with no NodePorts and no forwarding plugin", () => {
        const values = chart("home-k8s-gateway-chart").inputs.values as any;
        assert.equal(values.domain, "ragas.cc");
        assert.equal(chart("home-k8s-gateway-chart").inputs.namespace, "network");
        assert.deepEqual(
            values.extraZonePlugins.filter((p: any) => ["forward", "loop"].includes(p.name)),
            [],
        );
        assert.equal(JSON.stringify(values).includes("resolv.conf"), false);
        assert.equal(values.replicaCount, 2);
        const service = graph.get("kubernetes:core/v1:Service", "home-k8s-gateway-dns-service");
        const inputs = service.inputs as any;
        assert.deepEqual(
            [inputs.metadata.namespace, inputs.metadata.annotations, inputs.spec.type, inputs.spec.allocateLoadBalancerNodePorts],
            ["network", { "lbipam.cilium.io/ips": "172.16.1.60" }, "LoadBalancer", false],
        );
        assert.ok(service.dependencies.includes(chart("home-k8s-gateway-chart").urn));
        // The only LoadBalancer Services the program makes itself: none with NodePorts.
        for (const s of graph.ofType("kubernetes:core/v1:Service"))
            assert.equal((s.inputs as any).spec.allocateLoadBalancerNodePorts, false, s.name);
    });

    it("issues the certificate after cert-manager and its issuer", () => {
        const certificate = graph.get("kubernetes:cert-manager.io/v1:Certificate", "home-cert-manager-wildcard");
        assert.ok(graph.dependsOn(certificate, chart("home-cert-manager-chart")));
        assert.ok(graph.dependsOn(certificate, graph.get("kubernetes:cert-manager.io/v1:ClusterIssuer", "home-cert-manager-issuer")));
    });

    it("applies the CRDs first; Envoy Gateway, cert-manager and k8s_gateway wait for them, the gateways for Envoy Gateway", () => {
        const crds = graph.get(CHART, "home-envoy-gateway-crds");
        for (const gw of graph.ofType(GATEWAY)) assert.ok(graph.dependsOn(gw, chart("home-envoy-gateway-chart")), gw.name);
        for (const name of ["home-envoy-gateway-chart", "home-cert-manager-chart", "home-k8s-gateway-chart"]) {
            assert.ok(chart(name).dependencies.includes(crds.urn), name);
        }
        assert.equal(chart("home-envoy-gateway-chart").inputs.skipCrds, true);
        // Only the CRDs: neither waits for the Envoy Gateway controller.
        assert.equal(graph.dependsOn(chart("home-cert-manager-chart"), chart("home-envoy-gateway-chart")), false);
        assert.equal(graph.dependsOn(chart("home-k8s-gateway-chart"), chart("home-envoy-gateway-chart")), false);
    });

    it("trusts X-Forwarded-For on envoy-external only, and gives neither gateway NodePorts", () => {
        const policy = (g: string) =>
            graph.get("kubernetes:gateway.envoyproxy.io/v1alpha1:ClientTrafficPolicy", `home-envoy-gateway-client-traffic-${g}`)
                .inputs as any;
        assert.deepEqual(policy("external").spec.clientIPDetection, { xForwardedFor: { trustedCIDRs: ["10.42.0.0/16"] } });
        assert.equal("clientIPDetection" in policy("internal").spec, false);
        assert.deepEqual(
            [policy("internal").spec.targetRefs[0].name, policy("external").spec.targetRefs[0].name],
            ["envoy-internal", "envoy-external"],
        );
        const proxy = graph.get("kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy", "home-envoy-gateway-envoy-proxy").inputs as any;
        assert.equal(proxy.spec.provider.kubernetes.envoyService.allocateLoadBalancerNodePorts, false);
    });

    it("keeps cloudflared alive on /healthcheck, which does not depend on the WAN", () => {
        const deployment = graph.get("kubernetes:apps/v1:Deployment", "home-cloudflared-deployment").inputs as any;
        const container = deployment.spec.template.spec.containers[0];
        assert.deepEqual([container.livenessProbe.httpGet.path, container.readinessProbe.httpGet.path], ["/healthcheck", "/ready"]);
    });

    it("forwards the domain on both home DNS servers to .60, only after k8s_gateway", () => {
        for (const type of ["homelab:dns:AdguardForwarder", "homelab:dns:TechnitiumForwarder"]) {
            const [forwarder] = graph.ofType(type);
            assert.equal(forwarder.inputs.domain, "ragas.cc");
            assert.equal(forwarder.inputs.target, "172.16.1.60");
            assert.ok(graph.dependsOn(forwarder, chart("home-k8s-gateway-chart")), type);
            assert.ok(graph.dependsOn(forwarder, graph.get("kubernetes:core/v1:Service", "home-k8s-gateway-dns-service")), type);
        }
        assert.deepEqual(graph.run.exports.skippedDnsForwarders.value, []);
    });

    it("holds every add-on behind the full health gate, and no add-on behind an unrelated one", () => {
        const addOns = graph.resources.filter((r: Registration) => r.type.startsWith("kubernetes:") && !r.name.startsWith("home-cilium"));
        assert.ok(addOns.length >= 15);
        for (const r of addOns) assert.equal(Graph.providerUrn(r.provider), ready().urn, r.name);
        // Parallel branches stay parallel: split DNS and cloudflared do not wait for certificates.
        const certificate = graph.get("kubernetes:cert-manager.io/v1:Certificate", "home-cert-manager-wildcard");
        assert.equal(graph.dependsOn(chart("home-k8s-gateway-chart"), chart("home-cert-manager-chart")), false);
        assert.equal(graph.dependsOn(graph.get("kubernetes:apps/v1:Deployment", "home-cloudflared-deployment"), certificate), false);
        assert.equal(graph.dependsOn(chart("home-envoy-gateway-chart"), chart("home-k8s-gateway-chart")), false);
    });

    it("skips a forwarder whose URL is not configured, and says so", async () => {
        const values = homeValues();
        delete values["homelab:dnsForwarders"].technitium;
        const skipped = await runStack(values);
        assert.equal(skipped.ofType("homelab:dns:TechnitiumForwarder").length, 0);
        assert.deepEqual(skipped.run.exports.skippedDnsForwarders.value, ["technitium: homelab:dnsForwarders.technitium.url is not set"]);
    });
});
