import { strict as assert } from "assert";
import {
    CloudflaredPlan,
    cloudflaredDeployment,
    cloudflaredReplicas,
    metricsPolicyManifest,
    tokenSecretManifest,
} from "../../components/kubernetes/plan/cloudflared";
import * as versions from "../../components/versions";
import { homeSpec } from "../harness/home";
import { Validate, crdValidator } from "../harness/schemas";

const token = "CANARY-eyJhIjoiYWNjb3VudCIsInQiOiJ0dW5uZWwiLCJzIjoic2VjcmV0In0=";
const tunnelId = "6ff42ae2-765d-4adf-8112-31c55c1551ef";

function planFor(nodeCount: number): CloudflaredPlan<string> {
    return { namespace: "network", tokenSecretName: "cloudflared-tunnel", tunnelId, nodeCount, image: versions.cloudflared.image };
}

const home = homeSpec();
const singleNode = homeSpec((v) => (v["homelab:nodes"] = v["homelab:nodes"].slice(0, 1)));
const deployment = cloudflaredDeployment(planFor(home.nodes.length));
const pod = deployment.spec.template.spec;
const container = pod.containers[0];

describe("cloudflared token Secret", () => {
    it("holds the token as stringData under TUNNEL_TOKEN, in the given namespace", () => {
        assert.deepEqual(tokenSecretManifest({ namespace: "network", token }), {
            metadata: { name: "cloudflared-tunnel", namespace: "network" },
            type: "Opaque",
            stringData: { TUNNEL_TOKEN: token },
        });
    });
});

describe("cloudflared Deployment", () => {
    it("reads the token only through a secretKeyRef to the Secret: the token is nowhere in the Deployment", () => {
        const secret = tokenSecretManifest({ namespace: "network", token });
        assert.deepEqual(container.env, [
            { name: "TUNNEL_TOKEN", valueFrom: { secretKeyRef: { name: secret.metadata.name, key: "TUNNEL_TOKEN" } } },
        ]);
        assert.deepEqual(Object.keys(secret.stringData), ["TUNNEL_TOKEN"]);
        assert.ok(!JSON.stringify(deployment).includes(token));
        assert.ok(!JSON.stringify(deployment).includes("CANARY"));
        assert.ok(!container.args.some((a) => a.startsWith("--token")), "no token on the command line");
    });

    it("runs the pinned image with `tunnel run`, metrics on 8080 and no autoupdate", () => {
        assert.equal(container.image, versions.cloudflared.image);
        assert.match(container.image, /^docker\.io\/cloudflare\/cloudflared:\d{4}\.\d+\.\d+$/, "a release tag, never latest");
        assert.deepEqual(container.args, ["tunnel", "--no-autoupdate", "--metrics", "0.0.0.0:8080", "run"]);
        assert.deepEqual(container.ports, [{ name: "metrics", containerPort: 8080, protocol: "TCP" }]);
        assert.deepEqual(deployment.metadata, {
            name: "cloudflared",
            namespace: "network",
            labels: { "app.kubernetes.io/name": "cloudflared" },
        });
    });

    it("is ready while an edge connection is up (/ready), and alive while it serves HTTP (/healthcheck), WAN or not", () => {
        assert.deepEqual(container.readinessProbe, {
            httpGet: { path: "/ready", port: "metrics" },
            periodSeconds: 10,
            failureThreshold: 3,
        });
        assert.deepEqual(container.livenessProbe, {
            httpGet: { path: "/healthcheck", port: "metrics" },
            periodSeconds: 10,
            failureThreshold: 3,
            initialDelaySeconds: 10,
        });
        for (const probe of [container.readinessProbe, container.livenessProbe]) {
            assert.equal(container.ports.find((p) => p.name === probe.httpGet.port)?.containerPort, 8080);
        }
    });

    it("runs as the image's non-root user, read-only, with no capabilities, no escalation and RuntimeDefault seccomp", () => {
        assert.deepEqual(pod.securityContext, {
            runAsNonRoot: true,
            runAsUser: 65532,
            runAsGroup: 65532,
            seccompProfile: { type: "RuntimeDefault" },
        });
        assert.deepEqual(container.securityContext, {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
        });
        assert.equal(pod.automountServiceAccountToken, false);
    });

    it("requests little and caps memory", () => {
        assert.deepEqual(container.resources, { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "256Mi" } });
    });

    it("runs 2 replicas spread over nodes on the 4-node home cluster, 1 on a single node", () => {
        assert.equal(home.nodes.length, 4);
        assert.equal(deployment.spec.replicas, 2);
        assert.equal(singleNode.nodes.length, 1);
        assert.equal(cloudflaredDeployment(planFor(singleNode.nodes.length)).spec.replicas, 1);
        assert.deepEqual([0, 1, 2, 3, 5].map(cloudflaredReplicas), [1, 1, 2, 2, 2]);
        assert.deepEqual(pod.topologySpreadConstraints, [
            {
                maxSkew: 1,
                topologyKey: "kubernetes.io/hostname",
                whenUnsatisfiable: "DoNotSchedule",
                nodeTaintsPolicy: "Honor",
                labelSelector: { matchLabels: { "app.kubernetes.io/name": "cloudflared" } },
                matchLabelKeys: ["pod-template-hash"],
            },
        ]);
    });

    it("selects its own pods, and marks them with the tunnel id so a new tunnel rolls them", () => {
        assert.deepEqual(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels);
        assert.deepEqual(pod.topologySpreadConstraints[0].labelSelector.matchLabels, deployment.spec.template.metadata.labels);
        assert.deepEqual(deployment.spec.template.metadata.annotations, { "homelab/tunnel-id": tunnelId });
        const other = cloudflaredDeployment({ ...planFor(4), tunnelId: "00000000-0000-4000-8000-000000000000" });
        assert.deepEqual(other.spec.template.metadata.annotations, { "homelab/tunnel-id": "00000000-0000-4000-8000-000000000000" });
    });
});

describe("cloudflared metrics policy", () => {
    let validate: Validate;
    before(function () {
        validate = crdValidator("cilium/crds-v1.18.0/v2/ciliumnetworkpolicies.yaml", "v2", this);
    });
    const policy = metricsPolicyManifest("network");

    it("admits only the pods' own node (kubelet probes), on the metrics port only", () => {
        assert.deepEqual(policy, {
            apiVersion: "cilium.io/v2",
            kind: "CiliumNetworkPolicy",
            metadata: { name: "cloudflared-metrics", namespace: "network" },
            spec: {
                endpointSelector: { matchLabels: { "app.kubernetes.io/name": "cloudflared" } },
                ingress: [{ fromEntities: ["host"], toPorts: [{ ports: [{ port: "8080", protocol: "TCP" }] }] }],
            },
        });
        assert.deepEqual(policy.spec.endpointSelector.matchLabels, deployment.spec.template.metadata.labels);
        assert.equal("egress" in policy.spec, false, "egress to the edge stays open");
    });

    it("is a valid cilium.io/v2 CiliumNetworkPolicy, with a check that can fail", () => {
        assert.deepEqual(validate(policy), []);
        const misspelt = { ...policy, spec: { ...policy.spec, ingress: [{ ...policy.spec.ingress[0], fromEntities: ["kubelet"] }] } };
        assert.deepEqual(validate(misspelt), ["/spec/ingress/0/fromEntities/0 must be equal to one of the allowed values"]);
    });
});
