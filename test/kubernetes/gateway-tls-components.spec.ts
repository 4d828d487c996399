import { strict as assert } from "assert";
import * as path from "path";
import * as versions from "../../components/versions";
import { evaluate } from "../../tools/offline/engine";
import { Graph } from "../../tools/offline/graph";
import { Registration } from "../../tools/offline/record";

// The EnvoyGateway and CertManager components alone (fixtures/gateway-tls-program.ts) under the recording
// engine: names, namespaces, the dependencies the pure tests cannot see, and the token's secrecy.

const cr = (group: string, kind: string) => `kubernetes:${group}:${kind}`;

describe("EnvoyGateway and CertManager components", () => {
    let graph: Graph;
    const get = (type: string, name: string) => graph.get(type, name);
    const envoyChart = () => get("kubernetes:helm.sh/v3:Release", "home-envoy-gateway-chart");
    const certChart = () => get("kubernetes:helm.sh/v3:Release", "home-cert-manager-chart");
    const network = () => get("kubernetes:core/v1:Namespace", "network");

    before(async () => {
        graph = new Graph(await evaluate({}, [], { program: path.resolve(__dirname, "fixtures/gateway-tls-program.ts") }));
        assert.equal(graph.run.error, undefined);
    });

    it("installs both pinned charts, each into the namespace it creates", () => {
        const envoyNamespace = get("kubernetes:core/v1:Namespace", "home-envoy-gateway-namespace");
        const certNamespace = get("kubernetes:core/v1:Namespace", "home-cert-manager-namespace");
        assert.deepEqual(
            [envoyChart().inputs.chart, envoyChart().inputs.version, envoyChart().inputs.namespace],
            ["oci://docker.io/envoyproxy/gateway-helm", versions.envoyGateway.version, "envoy-gateway-system"],
        );
        assert.deepEqual(
            [certChart().inputs.chart, certChart().inputs.version, certChart().inputs.repositoryOpts, certChart().inputs.namespace],
            ["cert-manager", "v1.21.1", { repo: "https://charts.jetstack.io" }, "cert-manager"],
        );
        assert.deepEqual(envoyChart().propertyDependencies.namespace, [envoyNamespace.urn]);
        assert.deepEqual(certChart().propertyDependencies.namespace, [certNamespace.urn]);
    });

    it("applies the CRDs from gateway-crds-helm, and starts Envoy Gateway and cert-manager only once they are in", () => {
        const crds = get("kubernetes:helm.sh/v4:Chart", "home-envoy-gateway-crds");
        assert.deepEqual(
            [crds.inputs.chart, crds.inputs.version, crds.inputs.values, crds.inputs.namespace],
            [
                "oci://docker.io/envoyproxy/gateway-crds-helm",
                "v1.9.0",
                { crds: { gatewayAPI: { enabled: true, channel: "experimental" }, envoyGateway: { enabled: true } } },
                undefined,
            ],
        );
        assert.equal(envoyChart().inputs.skipCrds, true);
        assert.ok(envoyChart().dependencies.includes(crds.urn));
        assert.ok(certChart().dependencies.includes(crds.urn));
        // cert-manager needs the CRDs, not the Envoy Gateway controller.
        assert.equal(graph.dependsOn(certChart(), envoyChart()), false);
    });

    it("creates every Envoy Gateway object in network after the chart", () => {
        const objects: [string, string][] = [
            [cr("gateway.envoyproxy.io/v1alpha1", "EnvoyProxy"), "home-envoy-gateway-envoy-proxy"],
            [cr("gateway.networking.k8s.io/v1", "GatewayClass"), "home-envoy-gateway-gateway-class"],
            [cr("gateway.networking.k8s.io/v1", "Gateway"), "home-envoy-gateway-envoy-internal"],
            [cr("gateway.networking.k8s.io/v1", "Gateway"), "home-envoy-gateway-envoy-external"],
            [cr("gateway.networking.k8s.io/v1", "HTTPRoute"), "home-envoy-gateway-https-redirect"],
            [cr("gateway.envoyproxy.io/v1alpha1", "ClientTrafficPolicy"), "home-envoy-gateway-client-traffic-internal"],
            [cr("gateway.envoyproxy.io/v1alpha1", "ClientTrafficPolicy"), "home-envoy-gateway-client-traffic-external"],
        ];
        for (const [type, name] of objects) {
            const r = get(type, name);
            assert.ok(r.dependencies.includes(envoyChart().urn), name);
            assert.equal(r.provider, envoyChart().provider, name);
            const metadata = r.inputs.metadata as { namespace?: string };
            if (type.endsWith(":GatewayClass")) assert.equal(metadata.namespace, undefined);
            else assert.equal(metadata.namespace, "network", name);
            assert.ok(graph.dependsOn(r, network()), `${name} waits for the network Namespace`);
        }
    });

    it("exposes envoy-external in network, the Service the tunnel's origin names", () => {
        assert.deepEqual(graph.run.exports.gatewayService, { value: "envoy-external.network.svc", secret: false });
        assert.deepEqual(graph.run.exports.tunnelOrigin, graph.run.exports.gatewayService);
    });

    it("keeps the DNS-only Cloudflare token secret, in cert-manager's namespace", () => {
        const secret = get("kubernetes:core/v1:Secret", "home-cert-manager-cloudflare-token");
        assert.deepEqual(secret.inputs.metadata, { name: "cloudflare-api-token", namespace: "cert-manager" });
        assert.deepEqual(secret.secretPaths, ["/stringData"]);
        assert.deepEqual((secret.inputs.stringData as Record<string, string>)["api-token"], "CANARY-dnsToken");
        assert.deepEqual(graph.leaks("CANARY"), []);
    });

    it("creates the issuer after the chart and the token, and the Certificate in network after the issuer", () => {
        const issuer = get(cr("cert-manager.io/v1", "ClusterIssuer"), "home-cert-manager-issuer");
        const certificate = get(cr("cert-manager.io/v1", "Certificate"), "home-cert-manager-wildcard");
        const token = get("kubernetes:core/v1:Secret", "home-cert-manager-cloudflare-token");
        assert.ok(issuer.dependencies.includes(certChart().urn));
        assert.ok(issuer.dependencies.includes(token.urn));
        assert.ok(certificate.dependencies.includes(issuer.urn));
        assert.deepEqual(certificate.propertyDependencies["metadata"], [network().urn]);
        assert.equal((certificate.inputs.metadata as { namespace: string }).namespace, "network");
    });

    it("does not hold the token Secret back for the chart: only its namespace links them", () => {
        const token: Registration = get("kubernetes:core/v1:Secret", "home-cert-manager-cloudflare-token");
        assert.equal(graph.dependsOn(token, certChart()), false);
    });
});
