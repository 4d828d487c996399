import { cloudflaredName } from "./cloudflared";
import { ciliumNamespace } from "./cilium";
import { networkNamespace } from "../../config/facts";

// What `npm run verify` may read, and nothing more: it checks a built cluster and changes nothing, so it should
// not run with the Talos admin kubeconfig (system:masters). A ServiceAccount with read-only rules for exactly the
// objects tools/verify reads, plus, for `--in-cluster`, the one namespace where it runs its lookup pod.
// The README shows how to make a kubeconfig for it with `kubectl create token`.

/** The chart's own object names (cilium 1.20 templates: cilium-agent DaemonSet, operator Deployment, agent ConfigMap). */
export const ciliumChartObjects = { agent: "cilium", operator: "cilium-operator", config: "cilium-config" } as const;

/** verify's identity: in kube-system, where no app may run (app-rules.ts), so no app pod can borrow it. */
export const verifyServiceAccount = { name: "homelab-verify", namespace: "kube-system" } as const;

/** Where `--in-cluster` runs its lookup pod, and the label that finds a leftover of an earlier run. */
export const verifyLookup = { namespace: "default", labels: { "app.kubernetes.io/name": "homelab-verify" } } as const;

interface PolicyRule {
    apiGroups: string[];
    resources: string[];
    verbs: string[];
    resourceNames?: string[];
}

/** Cluster-wide reads: nodes, every Service (LB addresses), the LB pool, Gateway API objects, the certificate. */
export const verifyClusterRules: PolicyRule[] = [
    { apiGroups: [""], resources: ["nodes", "services"], verbs: ["list"] },
    { apiGroups: ["cilium.io"], resources: ["ciliumloadbalancerippools"], verbs: ["get"] },
    { apiGroups: ["gateway.networking.k8s.io"], resources: ["gateways", "httproutes"], verbs: ["get"] },
    { apiGroups: ["cert-manager.io"], resources: ["certificates"], verbs: ["get"] },
];

/** Per namespace, by name where the name is known: Cilium's agent, operator and config, its L2 leases, the connector, the lookup pod. */
export const verifyNamespaceRules: Record<string, PolicyRule[]> = {
    [ciliumNamespace]: [
        { apiGroups: ["apps"], resources: ["daemonsets"], verbs: ["get"], resourceNames: [ciliumChartObjects.agent] },
        { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get"], resourceNames: [ciliumChartObjects.operator] },
        { apiGroups: [""], resources: ["configmaps"], verbs: ["get"], resourceNames: [ciliumChartObjects.config] },
        // Lease names follow the Services they announce (cilium-l2announce-<namespace>-<name>): not listable by name here.
        { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get"] },
    ],
    [networkNamespace]: [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["get"], resourceNames: [cloudflaredName] }],
    [verifyLookup.namespace]: [
        { apiGroups: [""], resources: ["pods"], verbs: ["create", "get", "list", "delete"] },
        { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
    ],
};

const name = verifyServiceAccount.name;
const rbac = "rbac.authorization.k8s.io/v1" as const;
const subject = { kind: "ServiceAccount", name, namespace: verifyServiceAccount.namespace };

/** The ServiceAccount, its ClusterRole and binding, and a Role and binding per namespace. */
export function verifyAccessManifests() {
    return {
        serviceAccount: {
            apiVersion: "v1" as const,
            kind: "ServiceAccount" as const,
            metadata: { ...verifyServiceAccount },
            automountServiceAccountToken: false,
        },
        clusterRole: { apiVersion: rbac, kind: "ClusterRole" as const, metadata: { name }, rules: verifyClusterRules },
        clusterRoleBinding: {
            apiVersion: rbac,
            kind: "ClusterRoleBinding" as const,
            metadata: { name },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
            subjects: [subject],
        },
        namespaced: Object.entries(verifyNamespaceRules).map(([namespace, rules]) => ({
            role: { apiVersion: rbac, kind: "Role" as const, metadata: { name, namespace }, rules },
            binding: {
                apiVersion: rbac,
                kind: "RoleBinding" as const,
                metadata: { name, namespace },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
                subjects: [subject],
            },
        })),
    };
}
