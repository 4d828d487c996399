import { strict as assert } from "assert";
import { certManagerPlan, wildcardCertificateManifest } from "../../components/kubernetes/plan/cert-manager";
import {
    clientTrafficPolicyManifest,
    envoyGatewayPlan,
    envoyGatewayValues,
    envoyProxyManifest,
    gatewayClassManifest,
    gatewayCrdsValues,
    gatewayManifest,
    gatewayNames,
    gatewayServiceHost,
    httpsRedirectManifest,
} from "../../components/kubernetes/plan/envoy-gateway";
import * as versions from "../../components/versions";
import { Validate, chartDefaults, crdValidator, unknownValueKeys } from "../harness/schemas";
import { homeSpec } from "../harness/home";

const envoyReference = `envoy-gateway/${versions.envoyGateway.version}`;
const gatewayApi = "gateway-api/v1.6.1/standard";
const network = "network";

/**
 * Paths we set below values.tmpl.yaml's keys. `config.envoyGateway` is the EnvoyGateway configuration
 * (gateway.envoyproxy.io/v1alpha1 EnvoyGateway), which the chart merges over its defaults; values.tmpl.yaml
 * shows only a few of its fields.
 */
const envoyGatewayConfigKeys: Record<string, string> = {
    "config.envoyGateway.provider.kubernetes":
        "EnvoyGatewayProvider.kubernetes -> EnvoyGatewayKubernetesProvider.deploy -> KubernetesDeployMode.type (api/v1alpha1/envoygateway_types.go); " +
        "the chart's infra-manager RBAC templates read .Values.config.envoyGateway.provider.kubernetes.deploy.type",
};

describe("Envoy Gateway values", () => {
    const values = envoyGatewayValues();

    it("runs each Gateway's proxies in the Gateway's namespace", () => {
        assert.deepEqual(values, { config: { envoyGateway: { provider: { kubernetes: { deploy: { type: "GatewayNamespace" } } } } } });
    });

    it("sets only keys values.tmpl.yaml has, or EnvoyGateway config fields below config.envoyGateway", function () {
        const defaults = chartDefaults(`${envoyReference}/values.tmpl.yaml`, this);
        assert.deepEqual(unknownValueKeys(values, defaults), Object.keys(envoyGatewayConfigKeys));
        // The template's placeholders parse as plain strings.
        const images = defaults.global as { images: { envoyGateway: { image: string } } };
        assert.equal(images.images.envoyGateway.image, "${GatewayImage}");
    });

    it("keeps the chart's provider type and CRD install, which our values merge with", function () {
        const defaults = chartDefaults(`${envoyReference}/values.tmpl.yaml`, this) as {
            config: { envoyGateway: { provider: { type: string } } };
            crds: { enabled: boolean };
        };
        assert.equal(defaults.config.envoyGateway.provider.type, "Kubernetes");
        assert.equal(defaults.crds.enabled, true, "the chart no longer installs the Gateway API CRDs by default");
    });

    it("has a key check that can fail", function () {
        const defaults = chartDefaults(`${envoyReference}/values.tmpl.yaml`, this);
        assert.deepEqual(unknownValueKeys({ config: { envoyGateways: {} }, deployment: { replica: 2 } }, defaults), [
            "config.envoyGateways",
            "deployment.replica",
        ]);
    });
});

describe("Envoy Gateway CRDs chart values", () => {
    it("turns on the Gateway API CRDs (experimental channel, as gateway-helm installs them) and Envoy Gateway's own", function () {
        assert.deepEqual(gatewayCrdsValues(), {
            crds: { gatewayAPI: { enabled: true, channel: "experimental" }, envoyGateway: { enabled: true } },
        });
        const defaults = chartDefaults(`${envoyReference}/gateway-crds-helm/values.yaml`, this);
        assert.deepEqual(unknownValueKeys(gatewayCrdsValues(), defaults), []);
        // Every part is off by default: without these values the chart applies nothing.
        assert.deepEqual(defaults, { crds: { gatewayAPI: { enabled: false, channel: "experimental" }, envoyGateway: { enabled: false } } });
        assert.deepEqual(unknownValueKeys({ crds: { gatewayApi: { enabled: true } } }, defaults), ["crds.gatewayApi"]);
    });

    it("pins the CRDs chart to the controller's release", () => {
        assert.deepEqual(versions.envoyGateway, {
            chart: "oci://docker.io/envoyproxy/gateway-helm",
            crdsChart: "oci://docker.io/envoyproxy/gateway-crds-helm",
            version: "v1.9.0",
        });
    });
});

describe("Envoy Gateway manifests", () => {
    const spec = homeSpec();
    const plan = envoyGatewayPlan(spec);
    const proxy = envoyProxyManifest(plan, network);
    const gatewayClass = gatewayClassManifest(network);
    const internal = gatewayManifest(plan, "internal", network);
    const external = gatewayManifest(plan, "external", network);
    const redirect = httpsRedirectManifest(network);
    const clientPolicy = clientTrafficPolicyManifest(plan, "external", network);
    const internalClientPolicy = clientTrafficPolicyManifest(plan, "internal", network);
    const schemas: Record<string, Validate> = {};

    before(function () {
        schemas.EnvoyProxy = crdValidator(`${envoyReference}/crds/gateway.envoyproxy.io_envoyproxies.yaml`, "v1alpha1", this);
        schemas.ClientTrafficPolicy = crdValidator(
            `${envoyReference}/crds/gateway.envoyproxy.io_clienttrafficpolicies.yaml`,
            "v1alpha1",
            this,
        );
        schemas.GatewayClass = crdValidator(`${gatewayApi}/gateway.networking.k8s.io_gatewayclasses.yaml`, "v1", this);
        schemas.Gateway = crdValidator(`${gatewayApi}/gateway.networking.k8s.io_gateways.yaml`, "v1", this);
        schemas.HTTPRoute = crdValidator(`${gatewayApi}/gateway.networking.k8s.io_httproutes.yaml`, "v1", this);
    });

    it("plans from the home spec", () => {
        assert.deepEqual(plan, {
            gateways: { internal: "172.16.1.61", external: "172.16.1.62" },
            podCidr: "10.42.0.0/16",
            nodeCount: 4,
            tlsSecretName: "wildcard-ragas-cc-tls",
        });
    });

    it("are each valid against their CRD", () => {
        for (const manifest of [proxy, gatewayClass, internal, external, redirect, clientPolicy, internalClientPolicy]) {
            assert.deepEqual(schemas[manifest.kind](manifest), [], manifest.kind);
        }
    });

    it("have CRD checks that can fail", () => {
        const xff = {
            ...clientPolicy,
            spec: { ...clientPolicy.spec, clientIPDetection: { xForwardedFor: { trustedCidrs: ["10.42.0.0/16"] } } },
        };
        assert.deepEqual(schemas.ClientTrafficPolicy(xff), [
            "/spec/clientIPDetection/xForwardedFor must NOT have additional properties 'trustedCidrs'",
        ]);
        const service = proxy.spec.provider.kubernetes.envoyService;
        const local = {
            ...proxy,
            spec: {
                ...proxy.spec,
                provider: {
                    ...proxy.spec.provider,
                    kubernetes: { ...proxy.spec.provider.kubernetes, envoyService: { ...service, externalTrafficPolicy: "cluster" } },
                },
            },
        };
        assert.deepEqual(schemas.EnvoyProxy(local), [
            "/spec/provider/kubernetes/envoyService/externalTrafficPolicy must be equal to one of the allowed values",
        ]);
        const noPort = { ...internal, spec: { ...internal.spec, listeners: [{ name: "http", protocol: "HTTP" }] } };
        assert.deepEqual(schemas.Gateway(noPort), ["/spec/listeners/0 must have required property 'port'"]);
        assert.deepEqual(schemas.Gateway({ ...internal, apiVersion: "gateway.networking.k8s.io/v1beta1" }), [
            "/ is gateway.networking.k8s.io/v1beta1 Gateway, the CRD serves gateway.networking.k8s.io/v1 Gateway",
        ]);
        const status418 = {
            ...redirect,
            spec: {
                ...redirect.spec,
                rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 418 } }] }],
            },
        };
        assert.deepEqual(schemas.HTTPRoute(status418), [
            "/spec/rules/0/filters/0/requestRedirect/statusCode must be equal to one of the allowed values",
        ]);
    });

    it("puts envoy-internal at .61 and envoy-external at .62 in network, both presenting the wildcard certificate", () => {
        const expected = (name: string, address: string) => ({
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "Gateway",
            metadata: { name, namespace: "network" },
            spec: {
                gatewayClassName: "envoy",
                infrastructure: { annotations: { "lbipam.cilium.io/ips": address } },
                listeners: [
                    { name: "http", protocol: "HTTP", port: 80, allowedRoutes: { namespaces: { from: "Same" } } },
                    {
                        name: "https",
                        protocol: "HTTPS",
                        port: 443,
                        tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "wildcard-ragas-cc-tls" }] },
                        allowedRoutes: { namespaces: { from: "All" } },
                    },
                ],
            },
        });
        assert.deepEqual(internal, expected("envoy-internal", "172.16.1.61"));
        assert.deepEqual(external, expected("envoy-external", "172.16.1.62"));
        assert.deepEqual(gatewayNames, { internal: "envoy-internal", external: "envoy-external" });
    });

    it("names each gateway's Service after the Gateway: the tunnel's origin is envoy-external.network.svc", () => {
        assert.equal(gatewayServiceHost("external", network), "envoy-external.network.svc");
        assert.equal(gatewayServiceHost("internal", network), "envoy-internal.network.svc");
        assert.equal(envoyGatewayValues().config.envoyGateway.provider.kubernetes.deploy.type, "GatewayNamespace");
    });

    it("presents the Secret cert-manager's wildcard Certificate writes, from the Certificate's own namespace", () => {
        for (const domain of ["ragas.cc", "example.org"]) {
            const edited = homeSpec((v) => (v["homelab:domain"] = domain));
            const certificate = wildcardCertificateManifest(certManagerPlan(edited), network);
            const gateway = gatewayManifest(envoyGatewayPlan(edited), "internal", network);
            assert.deepEqual(gateway.spec.listeners[1].tls?.certificateRefs, [{ kind: "Secret", name: certificate.spec.secretName }]);
            assert.equal(gateway.metadata.namespace, certificate.metadata.namespace);
        }
    });

    it("pins addresses only through LB-IPAM, though the CRD would accept spec.addresses", () => {
        assert.equal("addresses" in internal.spec, false);
        const withAddresses = { ...internal, spec: { ...internal.spec, addresses: [{ type: "IPAddress", value: "172.16.1.61" }] } };
        assert.deepEqual(schemas.Gateway(withAddresses), []);
    });

    it("is not annotated for cert-manager's gateway-shim, so no second Certificate claims the wildcard's Secret", () => {
        for (const gateway of [internal, external]) assert.equal("annotations" in gateway.metadata, false);
    });

    it("has a GatewayClass that points at the EnvoyProxy, which serves both gateways", () => {
        assert.deepEqual(gatewayClass, {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "GatewayClass",
            metadata: { name: "envoy" },
            spec: {
                controllerName: "gateway.envoyproxy.io/gatewayclass-controller",
                parametersRef: { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name: "envoy", namespace: "network" },
            },
        });
        assert.deepEqual(
            [proxy.metadata.name, proxy.metadata.namespace],
            [gatewayClass.spec.parametersRef.name, gatewayClass.spec.parametersRef.namespace],
        );
        for (const gateway of [internal, external]) assert.equal(gateway.spec.gatewayClassName, gatewayClass.metadata.name);
    });

    it("runs two proxies per gateway behind a LoadBalancer with externalTrafficPolicy Cluster and no NodePorts, draining 180 s", () => {
        assert.deepEqual(proxy, {
            apiVersion: "gateway.envoyproxy.io/v1alpha1",
            kind: "EnvoyProxy",
            metadata: { name: "envoy", namespace: "network" },
            spec: {
                provider: {
                    type: "Kubernetes",
                    kubernetes: {
                        envoyDeployment: { replicas: 2 },
                        envoyService: { type: "LoadBalancer", externalTrafficPolicy: "Cluster", allocateLoadBalancerNodePorts: false },
                    },
                },
                shutdown: { drainTimeout: "180s" },
            },
        });
        assert.equal(
            "name" in proxy.spec.provider.kubernetes.envoyService,
            false,
            "a fixed Service name would collide between the two gateways",
        );
    });

    it("runs one proxy per gateway on a single-node cluster", () => {
        const single = envoyGatewayPlan(homeSpec((v) => (v["homelab:nodes"] = v["homelab:nodes"].slice(0, 1))));
        assert.equal(envoyProxyManifest(single, network).spec.provider.kubernetes.envoyDeployment.replicas, 1);
    });

    it("redirects plain HTTP on both gateways' http listeners to HTTPS with a 301", () => {
        assert.deepEqual(redirect, {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "HTTPRoute",
            metadata: { name: "https-redirect", namespace: "network" },
            spec: {
                parentRefs: [
                    { name: "envoy-internal", namespace: "network", sectionName: "http" },
                    { name: "envoy-external", namespace: "network", sectionName: "http" },
                ],
                rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
            },
        });
        // The listener it attaches to admits routes from its own namespace only, which is the route's.
        for (const gateway of [internal, external]) {
            const http = gateway.spec.listeners.find((l) => l.name === "http");
            assert.deepEqual([http?.allowedRoutes.namespaces.from, gateway.metadata.namespace], ["Same", redirect.metadata.namespace]);
        }
    });

    it("requires TLS 1.2 on both gateways and trusts X-Forwarded-For on envoy-external only, from the pod network", () => {
        const policy = (name: string) => ({
            apiVersion: "gateway.envoyproxy.io/v1alpha1",
            kind: "ClientTrafficPolicy",
            metadata: { name, namespace: "network" },
            spec: {
                targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name }],
                ...(name === "envoy-external" ? { clientIPDetection: { xForwardedFor: { trustedCIDRs: ["10.42.0.0/16"] } } } : {}),
                tls: { minVersion: "1.2" },
            },
        });
        assert.deepEqual(clientPolicy, policy("envoy-external"));
        assert.deepEqual(internalClientPolicy, policy("envoy-internal"));
        assert.equal("clientIPDetection" in internalClientPolicy.spec, false, "no proxy stands in front of envoy-internal");
    });

    it("takes the pod CIDR and addresses from the spec", () => {
        const edited = homeSpec((v) => {
            v["homelab:network"].podCidr = "10.244.0.0/16";
            v["homelab:gateways"] = { dns: "172.16.1.65", internal: "172.16.1.66", external: "172.16.1.67" };
        });
        const editedPlan = envoyGatewayPlan(edited);
        assert.deepEqual(clientTrafficPolicyManifest(editedPlan, "external", network).spec.clientIPDetection?.xForwardedFor.trustedCIDRs, [
            "10.244.0.0/16",
        ]);
        const gateway = gatewayManifest(editedPlan, "external", "edge");
        assert.deepEqual(
            [
                gateway.metadata.namespace,
                gateway.spec.infrastructure.annotations["lbipam.cilium.io/ips"],
                gateway.spec.listeners[1].tls?.certificateRefs,
            ],
            ["edge", "172.16.1.67", [{ kind: "Secret", name: "wildcard-ragas-cc-tls" }]],
        );
    });
});
