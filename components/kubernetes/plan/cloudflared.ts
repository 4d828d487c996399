import type { PlainSpec } from "../../config";
import { replicasFor, spreadOverNodes } from "../../config/facts";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

// Pure manifests for cloudflared, the tunnel connector: the Secret with its token and the Deployment.
// Field names are checked against @pulumi/kubernetes' typed inputs (`satisfies`); the values follow
// cloudflared's CLI (`cloudflared tunnel run`) and onedr0p/cluster-template's hardening.

export const cloudflaredName = "cloudflared";
/** The Secret holding the tunnel token. */
export const tokenSecretName = "cloudflared-tunnel";
/** `tunnel run --token` reads this variable; the Secret uses it as its key too. */
export const tokenEnvVar = "TUNNEL_TOKEN";
export const metricsPort = 8080;
/** A new tunnel brings a new token, read only at start: this pod annotation rolls the pods when it changes. */
export const tunnelIdAnnotation = "homelab/tunnel-id";
/** `nonroot` of the distroless base the image is built on (`USER nonroot` in cloudflared's Dockerfile). */
export const nonRootUid = 65532;

const labels = { "app.kubernetes.io/name": cloudflaredName };

/** Two connectors wherever a second node can take over, as the template does for every 2/1 choice. */
export function cloudflaredReplicas(nodeCount: number): number {
    return replicasFor(nodeCount);
}

/** What the Cloudflared component reads of the spec. */
export type CloudflaredSizing = Pick<CloudflaredPlan<string>, "nodeCount">;

export function cloudflaredPlan(spec: PlainSpec): CloudflaredSizing {
    return { nodeCount: spec.nodes.length };
}

export interface TokenSecretRefs<S> {
    /** Namespace of the Secret (network). */
    namespace: S;
    /** The tunnel token; pass a secret Output. */
    token: S;
}

export function tokenSecretManifest<S extends pulumi.Input<string>>(refs: TokenSecretRefs<S>) {
    return {
        metadata: { name: tokenSecretName, namespace: refs.namespace },
        type: "Opaque",
        stringData: { [tokenEnvVar]: refs.token },
    } satisfies k8s.types.input.core.v1.Secret;
}

export interface CloudflaredPlan<S> {
    /** Namespace of the Deployment (network). */
    namespace: S;
    /** Name of the Secret with the token; pass the Secret's metadata.name so the Deployment waits for it. */
    tokenSecretName: S;
    /** The tunnel the token belongs to; not secret. */
    tunnelId: S;
    /** Nodes in the cluster; decides the replica count. */
    nodeCount: number;
    /** Pinned image, from versions.ts. */
    image: string;
}

/**
 * The connector. It keeps outbound connections to Cloudflare's edge and proxies requests to envoy-external
 * by the remotely managed ingress rules, so it needs no Service and no inbound port. QUIC is its preferred
 * transport and wants 7.5 MB UDP socket buffers; the Talos machine patches raise net.core.rmem_max and
 * wmem_max for it (components/talos/plan/patches.ts, https://github.com/cloudflare/cloudflared/issues/522).
 * Where UDP is blocked it falls back to http2 by itself (https://github.com/cloudflare/cloudflared/issues/749).
 */
export function cloudflaredDeployment<S extends pulumi.Input<string>>(plan: CloudflaredPlan<S>) {
    const probe = (path: string) => ({ httpGet: { path, port: "metrics" }, periodSeconds: 10, failureThreshold: 3 });
    return {
        metadata: { name: cloudflaredName, namespace: plan.namespace, labels },
        spec: {
            replicas: cloudflaredReplicas(plan.nodeCount),
            selector: { matchLabels: labels },
            template: {
                metadata: { labels, annotations: { [tunnelIdAnnotation]: plan.tunnelId } },
                spec: {
                    // cloudflared never calls the Kubernetes API.
                    automountServiceAccountToken: false,
                    securityContext: {
                        runAsNonRoot: true,
                        runAsUser: nonRootUid,
                        runAsGroup: nonRootUid,
                        seccompProfile: { type: "RuntimeDefault" },
                    },
                    // One connector per node.
                    topologySpreadConstraints: spreadOverNodes(labels),
                    containers: [
                        {
                            name: cloudflaredName,
                            image: plan.image,
                            // The image's entrypoint is `cloudflared`; these replace its default command. `run` with
                            // no tunnel name takes the tunnel and its credentials from TUNNEL_TOKEN (its --token flag).
                            args: ["tunnel", "--no-autoupdate", "--metrics", `0.0.0.0:${metricsPort}`, "run"],
                            env: [{ name: tokenEnvVar, valueFrom: { secretKeyRef: { name: plan.tokenSecretName, key: tokenEnvVar } } }],
                            ports: [{ name: "metrics", containerPort: metricsPort, protocol: "TCP" }],
                            // /ready answers 200 while at least one connection to the edge is registered, else 503
                            // (metrics/readiness.go): a connector without the edge takes no traffic.
                            readinessProbe: probe("/ready"),
                            // /healthcheck answers OK whenever the process serves HTTP (metrics/metrics.go). Liveness
                            // must not follow /ready: a WAN outage would turn into a crash loop whose back-off
                            // delays the reconnect once the WAN is back; cloudflared retries the edge by itself.
                            livenessProbe: { ...probe("/healthcheck"), initialDelaySeconds: 10 },
                            // No CPU limit: throttling a proxy adds latency to every request; memory is capped.
                            resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                            securityContext: {
                                allowPrivilegeEscalation: false,
                                readOnlyRootFilesystem: true,
                                capabilities: { drop: ["ALL"] },
                            },
                        },
                    ],
                },
            },
        },
    } satisfies k8s.types.input.apps.v1.Deployment;
}

/**
 * Who may reach cloudflared's pods: the kubelet of their own node (Cilium's `host` entity; other nodes are
 * `remote-node`), for the probes, on the metrics port only. Once a policy selects the pods, Cilium drops every
 * other inbound connection. The metrics listener also serves /debug/pprof, /config (the tunnel's ingress rules)
 * and /diag/* (metrics/metrics.go, diagnostic/consts.go), none of which any pod needs; cloudflared takes no
 * inbound traffic otherwise (it dials the edge). Egress is untouched: the policy has no egress rules.
 * With Cilium's default `allow-localhost: auto` the local host reaches local pods anyway in Kubernetes mode;
 * the rule keeps the probes working where that is set to `policy`.
 */
export function metricsPolicyManifest<S extends pulumi.Input<string>>(namespace: S) {
    return {
        apiVersion: "cilium.io/v2",
        kind: "CiliumNetworkPolicy",
        metadata: { name: `${cloudflaredName}-metrics`, namespace },
        spec: {
            endpointSelector: { matchLabels: labels },
            ingress: [{ fromEntities: ["host"], toPorts: [{ ports: [{ port: String(metricsPort), protocol: "TCP" }] }] }],
        },
    };
}
