import { strict as assert } from "assert";
import { appKey, envoyProxySelector, httpRouteManifest, networkPolicyManifest } from "../../components/kubernetes/plan/apps";
import { envoyGatewayName, networkNamespace } from "../../components/config/facts";
import { AppSpec } from "../../components/config";
import { Validate, crdValidator } from "../harness/schemas";
import { homeSpec } from "../harness/home";
import { specHttpRoute } from "../harness/spec-examples";

const httpRouteCrd = "gateway-api/v1.6.1/standard/gateway.networking.k8s.io_httproutes.yaml";
const networkPolicyCrd = "cilium/crds-v1.18.0/v2/ciliumnetworkpolicies.yaml";

// network-architecture.txt, "Network Policies" (`allow-web`): its one ingress rule.
const specAllowWebRule = {
    fromEndpoints: [{ matchLabels: { app: "frontend" } }],
    toPorts: [{ ports: [{ port: "80", protocol: "TCP" }] }],
};

const envoyInternalRule = {
    fromEndpoints: [
        {
            matchLabels: {
                "app.kubernetes.io/name": "envoy",
                "gateway.envoyproxy.io/owning-gateway-name": "envoy-internal",
                "k8s:io.kubernetes.pod.namespace": "network",
            },
        },
    ],
    toPorts: [{ ports: [{ port: "80", protocol: "TCP" }] }],
};

/** The home stack's only app, `my-app`, after `edit` has changed its raw config entry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function homeApp(edit: (app: Record<string, any>) => void = () => undefined): AppSpec {
    return homeSpec((v) => edit(v["homelab:apps"][0])).apps[0];
}

describe("app routes and policies", () => {
    const myApp = homeApp();
    let validateRoute: Validate;
    let validatePolicy: Validate;

    before(function () {
        validateRoute = crdValidator(httpRouteCrd, "v1", this);
        validatePolicy = crdValidator(networkPolicyCrd, "v2", this);
    });

    it("reads the spec's my-app from the home stack", () => {
        assert.deepEqual(myApp, {
            name: "my-app",
            namespace: "default",
            hostname: "myapp.ragas.cc",
            gateway: "internal",
            service: { name: "my-app", port: 80, targetPort: 80 },
            podSelector: { app: "my-app" },
            allowFrom: [{ app: "frontend" }],
        });
    });

    it("guards the port the pods listen on, which may differ from the Service's", () => {
        const app = { ...myApp, service: { name: "my-app", port: 80, targetPort: 8080 } };
        const policy = networkPolicyManifest(app)!;
        assert.deepEqual(
            policy.spec.ingress.map((rule) => rule.toPorts),
            [[{ ports: [{ port: "8080", protocol: "TCP" }] }], [{ ports: [{ port: "8080", protocol: "TCP" }] }]],
        );
        assert.deepEqual(httpRouteManifest(app).spec.rules[0].backendRefs, [{ name: "my-app", port: 80 }]);
    });

    describe("HTTPRoute", () => {
        it("is the spec's example, field for field", () => {
            assert.deepEqual(httpRouteManifest(myApp), specHttpRoute);
        });

        it("conforms to the Gateway API v1.6.1 HTTPRoute v1 schema", () => {
            assert.deepEqual(validateRoute(httpRouteManifest(myApp)), []);
        });

        it("is rejected by the schema when wrong", () => {
            const route = httpRouteManifest(myApp);
            const wrong = {
                ...route,
                spec: {
                    ...route.spec,
                    hostname: "myapp.ragas.cc",
                    rules: [{ ...route.spec.rules[0], backendRefs: [{ name: "my-app", port: "80" }] }],
                },
            };
            assert.deepEqual(validateRoute(wrong), [
                "/spec must NOT have additional properties 'hostname'",
                "/spec/rules/0/backendRefs/0/port must be integer",
            ]);
            assert.deepEqual(validateRoute({ ...route, apiVersion: "gateway.networking.k8s.io/v1beta2" }).slice(0, 1), [
                "/ is gateway.networking.k8s.io/v1beta2 HTTPRoute, the CRD serves gateway.networking.k8s.io/v1 HTTPRoute",
            ]);
        });

        it("attaches an external app to envoy-external", () => {
            const external = homeApp((a) => (a.gateway = "external"));
            assert.deepEqual(httpRouteManifest(external).spec.parentRefs, [{ name: "envoy-external", namespace: "network" }]);
            assert.deepEqual(validateRoute(httpRouteManifest(external)), []);
        });

        it("names the https listener only for an app in the gateways' own namespace", () => {
            const inNetwork = homeApp((a) => Object.assign(a, { namespace: "network", allowSystemNamespace: true }));
            const route = httpRouteManifest(inNetwork);
            assert.deepEqual(route.spec.parentRefs, [{ name: "envoy-internal", namespace: "network", sectionName: "https" }]);
            assert.deepEqual(route.metadata, { name: "my-app", namespace: "network" });
            assert.deepEqual(validateRoute(route), []);
        });

        it("routes a fully qualified hostname as it is", () => {
            const app = homeApp((a) => (a.hostname = "photos.ragas.cc"));
            assert.deepEqual(httpRouteManifest(app).spec.hostnames, ["photos.ragas.cc"]);
        });
    });

    describe("CiliumNetworkPolicy", () => {
        const policy = networkPolicyManifest(myApp);

        it("is allow-<app> in the app's namespace, selecting the app's pods", () => {
            assert.ok(policy);
            assert.equal(policy.apiVersion, "cilium.io/v2");
            assert.equal(policy.kind, "CiliumNetworkPolicy");
            assert.deepEqual(policy.metadata, { name: "allow-my-app", namespace: "default" });
            assert.deepEqual(policy.spec.endpointSelector, { matchLabels: { app: "my-app" } });
        });

        it("keeps the spec's allow-web rule first and exactly, then admits the route's own gateway", () => {
            assert.ok(policy);
            assert.deepEqual(policy.spec.ingress, [specAllowWebRule, envoyInternalRule]);
            assert.deepEqual(policy.spec.ingress[0].toPorts, specAllowWebRule.toPorts);
        });

        it("conforms to the Cilium v1.18 CiliumNetworkPolicy v2 schema", () => {
            assert.deepEqual(validatePolicy(policy), []);
        });

        it("is rejected by the schema when wrong", () => {
            assert.ok(policy);
            const numericPort = {
                ...policy,
                spec: { ...policy.spec, ingress: [{ ...specAllowWebRule, toPorts: [{ ports: [{ port: 80, protocol: "TCP" }] }] }] },
            };
            assert.deepEqual(validatePolicy(numericPort), ["/spec/ingress/0/toPorts/0/ports/0/port must be string"]);
            const misspelt = {
                ...policy,
                spec: { ...policy.spec, ingress: [{ fromEndpoint: specAllowWebRule.fromEndpoints, toPorts: specAllowWebRule.toPorts }] },
            };
            assert.deepEqual(validatePolicy(misspelt), ["/spec/ingress/0 must NOT have additional properties 'fromEndpoint'"]);
            const badProtocol = {
                ...policy,
                spec: { ...policy.spec, ingress: [{ ...specAllowWebRule, toPorts: [{ ports: [{ port: "80", protocol: "tcp" }] }] }] },
            };
            assert.deepEqual(validatePolicy(badProtocol), [
                "/spec/ingress/0/toPorts/0/ports/0/protocol must be equal to one of the allowed values",
            ]);
            const unselected = { ...policy, spec: { ingress: policy.spec.ingress } };
            assert.deepEqual(validatePolicy(unselected).slice(-1), ["/spec must match exactly one schema in oneOf"]);
        });

        it("admits envoy-external's proxies for an external app", () => {
            const external = networkPolicyManifest(homeApp((a) => (a.gateway = "external")));
            assert.ok(external);
            assert.deepEqual(external.spec.ingress[1].fromEndpoints, [{ matchLabels: envoyProxySelector("external") }]);
            assert.equal(
                external.spec.ingress[1].fromEndpoints[0].matchLabels["gateway.envoyproxy.io/owning-gateway-name"],
                "envoy-external",
            );
            assert.deepEqual(validatePolicy(external), []);
        });

        it("is not made when allowFrom is empty or absent", () => {
            assert.equal(networkPolicyManifest(homeApp((a) => (a.allowFrom = []))), undefined);
            assert.equal(networkPolicyManifest(homeApp((a) => delete a.allowFrom)), undefined);
        });

        it("carries every allowFrom entry and a custom pod selector, on the service's port", () => {
            const app = homeApp((a) => {
                a.podSelector = { "app.kubernetes.io/name": "web", tier: "frontend" };
                a.allowFrom = [{ app: "frontend" }, { role: "monitoring", app: "probe" }];
                a.service = { name: "web", port: 8080 };
            });
            const custom = networkPolicyManifest(app);
            assert.ok(custom);
            assert.deepEqual(custom.spec.endpointSelector, { matchLabels: { "app.kubernetes.io/name": "web", tier: "frontend" } });
            assert.deepEqual(custom.spec.ingress[0], {
                fromEndpoints: [{ matchLabels: { app: "frontend" } }, { matchLabels: { app: "probe", role: "monitoring" } }],
                toPorts: [{ ports: [{ port: "8080", protocol: "TCP" }] }],
            });
            assert.deepEqual(custom.spec.ingress[1].toPorts, [{ ports: [{ port: "8080", protocol: "TCP" }] }]);
            assert.deepEqual(validatePolicy(custom), []);
        });
    });

    describe("names", () => {
        it("come from the app's namespace and name, never its position", () => {
            assert.equal(appKey(myApp), "default.my-app");
            assert.equal(appKey({ namespace: "a-b", name: "c" }) === appKey({ namespace: "a", name: "b-c" }), false);
            assert.equal(envoyGatewayName("internal"), "envoy-internal");
            assert.equal(envoyGatewayName("external"), "envoy-external");
            assert.equal(networkNamespace, "network");
        });

        it("give the same objects, keys in the same order, from the same config", () => {
            const again = homeApp();
            assert.equal(JSON.stringify(httpRouteManifest(again)), JSON.stringify(httpRouteManifest(myApp)));
            assert.equal(JSON.stringify(networkPolicyManifest(again)), JSON.stringify(networkPolicyManifest(myApp)));
            const shuffled = homeApp((a) => (a.allowFrom = [{ tier: "web", app: "frontend" }]));
            const sorted = homeApp((a) => (a.allowFrom = [{ app: "frontend", tier: "web" }]));
            assert.equal(JSON.stringify(networkPolicyManifest(shuffled)), JSON.stringify(networkPolicyManifest(sorted)));
        });
    });
});
