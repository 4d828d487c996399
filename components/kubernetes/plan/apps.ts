import { AppSpec, GatewayName, PlainSpec } from "../../config";
import { envoyGatewayName, networkNamespace } from "../../config/facts";

// Pure manifests that route to the apps of spec.apps and fence them in: an HTTPRoute (Gateway API v1)
// per app, shaped as the spec's "HTTPRoute Example", and a CiliumNetworkPolicy (cilium.io/v2) shaped as its
// `allow-web` where the app names who may reach it. The program routes to workloads; it does not deploy them.

type Labels = Readonly<Record<string, string>>;

/** A copy with keys in code-point order, so the same labels always serialise the same way. */
function sortedLabels(labels: Labels): Record<string, string> {
    return Object.fromEntries(
        Object.keys(labels)
            .sort()
            .map((key) => [key, labels[key]]),
    );
}

/**
 * The app's identity in resource names: `default.my-app`. Namespace and name are RFC 1123 labels, which
 * never hold a dot, so no two apps share a key (`a-b`/`c` and `a`/`b-c` would both be `a-b-c` with a dash).
 */
/** What the Apps component reads: the routed apps (spec.apps). */
export interface AppsPlan {
    apps: readonly AppSpec[];
}

export function appsPlan(spec: PlainSpec): AppsPlan {
    return { apps: spec.apps };
}

export function appKey(app: Pick<AppSpec, "namespace" | "name">): string {
    return `${app.namespace}.${app.name}`;
}

/**
 * The HTTPRoute for an app: its hostname on its gateway, every path to its Service.
 *
 * No `sectionName`, as in the spec's example: the gateways' `http` listener admits routes from their own
 * namespace only (it carries the HTTPS redirect), so an app's route attaches to the `https` listener alone.
 * The one exception is an app living in the gateways' namespace itself: there the route would also attach
 * to `http`, and its exact hostname would beat the redirect route's catch-all and serve it over plain HTTP,
 * so it names `https`.
 */
export function httpRouteManifest(app: AppSpec) {
    const parentRef = {
        name: envoyGatewayName(app.gateway),
        namespace: networkNamespace,
        ...(app.namespace === networkNamespace ? { sectionName: "https" } : {}),
    };
    return {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: app.name, namespace: app.namespace },
        spec: {
            parentRefs: [parentRef],
            hostnames: [app.hostname],
            rules: [
                {
                    matches: [{ path: { type: "PathPrefix", value: "/" } }],
                    backendRefs: [{ name: app.service.name, port: app.service.port }],
                },
            ],
        },
    };
}

export type HttpRouteManifest = ReturnType<typeof httpRouteManifest>;

/**
 * The proxy pods Envoy Gateway runs for a Gateway, as a Cilium endpoint selector. Envoy Gateway labels
 * them `app.kubernetes.io/name: envoy` and `gateway.envoyproxy.io/owning-gateway-name: <gateway>`
 * (EnvoyAppLabel in internal/infrastructure/kubernetes/proxy/resource.go); in its GatewayNamespace mode they
 * run in the Gateway's namespace. `k8s:io.kubernetes.pod.namespace` is Cilium's label for a pod's namespace,
 * needed because a namespaced policy's selectors otherwise match its own namespace only.
 */
export function envoyProxySelector(gateway: GatewayName): Record<string, string> {
    return sortedLabels({
        "k8s:io.kubernetes.pod.namespace": networkNamespace,
        "app.kubernetes.io/name": "envoy",
        "gateway.envoyproxy.io/owning-gateway-name": envoyGatewayName(gateway),
    });
}

/**
 * The CiliumNetworkPolicy for an app that names who may reach it, or undefined when allowFrom is empty
 * (no policy: the app's pods stay open, as without one).
 *
 * Selecting the app's pods in an ingress policy puts them in default-deny for everything not allowed, and
 * the route's traffic arrives from its gateway's Envoy pods, not from the browser. With the spec's rule
 * alone the route would answer 503. So a second rule admits the owning gateway's proxies, on the same port;
 * the spec's rule comes first and exactly as the spec writes it. Its `fromEndpoints` carry no namespace,
 * so (Cilium's rule for namespaced policies) they match pods of the app's own namespace.
 *
 * The port is the one the pods listen on (`service.targetPort`, the Service's port when unset): Cilium
 * enforces the port a pod receives on, after the Service is resolved, and Envoy sends to the endpoint.
 */
export function networkPolicyManifest(app: AppSpec) {
    if (app.allowFrom.length === 0) return undefined;
    const toPorts = () => [{ ports: [{ port: String(app.service.targetPort), protocol: "TCP" }] }];
    return {
        apiVersion: "cilium.io/v2",
        kind: "CiliumNetworkPolicy",
        metadata: { name: `allow-${app.name}`, namespace: app.namespace },
        spec: {
            endpointSelector: { matchLabels: sortedLabels(app.podSelector) },
            ingress: [
                { fromEndpoints: app.allowFrom.map((labels) => ({ matchLabels: sortedLabels(labels) })), toPorts: toPorts() },
                { fromEndpoints: [{ matchLabels: envoyProxySelector(app.gateway) }], toPorts: toPorts() },
            ],
        },
    };
}

export type NetworkPolicyManifest = NonNullable<ReturnType<typeof networkPolicyManifest>>;
