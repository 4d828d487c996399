// The generic object side of the fake kube-apiserver: API discovery, server-side apply (merging what the
// manager applies over the live object; resourceVersion moves only when something changed), get, list with
// `limit`, create, replace and delete, for the kinds below. A Deployment or DaemonSet rolls out a few ms after
// a change of its spec, as a controller would. Talos' bootstrap manifests, as the fake renders them, are here too.
import { parseVersionTag } from "../../../components/config/releases";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

interface Served {
    name: string;
    kind: string;
    namespaced: boolean;
}

const coreResources: Served[] = [
    { name: "configmaps", kind: "ConfigMap", namespaced: true },
    { name: "secrets", kind: "Secret", namespaced: true },
    { name: "services", kind: "Service", namespaced: true },
    { name: "serviceaccounts", kind: "ServiceAccount", namespaced: true },
    { name: "namespaces", kind: "Namespace", namespaced: false },
    { name: "nodes", kind: "Node", namespaced: false },
    { name: "pods", kind: "Pod", namespaced: true },
];

/** What the store needs of the simulated cluster (FakeCluster gives it). */
export interface StoreHost {
    record(event: string): void;
    later(ms: number, action: () => void): void;
    /** The minor of the oldest kube-apiserver running: what the API serves. */
    apiserverMinor(): number;
    nodeCount(): number;
}

/** What each group version serves; resource.k8s.io/v1alpha3 PodSchedulingContexts only until Kubernetes 1.32. */
function discovery(cluster: StoreHost): Record<string, Served[]> {
    const oldest = cluster.apiserverMinor();
    return {
        v1: coreResources,
        "apps/v1": [
            { name: "deployments", kind: "Deployment", namespaced: true },
            { name: "deployments/status", kind: "Deployment", namespaced: true },
            { name: "daemonsets", kind: "DaemonSet", namespaced: true },
        ],
        "rbac.authorization.k8s.io/v1": [
            { name: "clusterroles", kind: "ClusterRole", namespaced: false },
            { name: "clusterrolebindings", kind: "ClusterRoleBinding", namespaced: false },
            { name: "roles", kind: "Role", namespaced: true },
            { name: "rolebindings", kind: "RoleBinding", namespaced: true },
        ],
        "apiextensions.k8s.io/v1": [{ name: "customresourcedefinitions", kind: "CustomResourceDefinition", namespaced: false }],
        ...(oldest < 32
            ? { "resource.k8s.io/v1alpha3": [{ name: "podschedulingcontexts", kind: "PodSchedulingContext", namespaced: true }] }
            : {}),
    };
}

const groupOf = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.split("/")[0] : "");

export class ObjectStore {
    private readonly objects = new Map<string, Obj>();
    private version = 100;

    constructor(private readonly cluster: StoreHost) {}

    private key(group: string, kind: string, namespace: string | undefined, name: string) {
        return `${group}|${kind}|${namespace ?? ""}|${name}`;
    }

    /** Puts an object as is (a test's starting state). */
    seed(object: Obj): void {
        this.objects.set(this.key(groupOf(object.apiVersion), object.kind, object.metadata.namespace, object.metadata.name), {
            ...object,
            metadata: { generation: 1, resourceVersion: String(this.version++), ...object.metadata },
        });
    }

    get(apiVersion: string, kind: string, namespace: string | undefined, name: string): Obj | undefined {
        return this.objects.get(this.key(groupOf(apiVersion), kind, namespace, name));
    }

    all(kind: string): Obj[] {
        return [...this.objects.values()].filter((o) => o.kind === kind);
    }

    /** Handles a request under /api or /apis; false when it is not one of ours. */
    handle(
        method: string,
        url: URL,
        body: any,
        headers: Record<string, string | string[] | undefined>,
        send: (status: number, body: unknown) => void,
    ): boolean {
        const served = discovery(this.cluster);
        const path = url.pathname;
        if (method === "GET" && (path === "/api/v1" || /^\/apis\/[^/]+\/[^/]+$/.test(path))) {
            const gv = path === "/api/v1" ? "v1" : path.slice("/apis/".length);
            if (!served[gv]) return (send(404, { kind: "Status", reason: "NotFound" }), true);
            return (send(200, { kind: "APIResourceList", groupVersion: gv, resources: served[gv] }), true);
        }
        const groupOnly = /^\/apis\/([^/]+)$/.exec(path);
        if (method === "GET" && groupOnly) {
            const version = Object.keys(served).find((gv) => gv.startsWith(`${groupOnly[1]}/`));
            return version
                ? (send(200, {
                      kind: "APIGroup",
                      name: groupOnly[1],
                      preferredVersion: { groupVersion: version, version: version.split("/")[1] },
                  }),
                  true)
                : (send(404, {}), true);
        }
        const m = /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(path);
        if (!m) return false;
        const gv = m[1] ?? m[2];
        const resource = served[gv]?.find((r) => r.name === m[4]);
        if (!resource || resource.kind === "Node" || resource.kind === "Pod") return false;
        const [namespace, name] = [m[3] ? decodeURIComponent(m[3]) : undefined, m[5] ? decodeURIComponent(m[5]) : undefined];
        const group = groupOf(gv);
        if (!name && method === "GET") {
            const items = [...this.objects.values()].filter(
                (o) => groupOf(o.apiVersion) === group && o.kind === resource.kind && (!namespace || o.metadata.namespace === namespace),
            );
            const limit = Number(url.searchParams.get("limit") ?? items.length);
            return (
                send(200, {
                    kind: `${resource.kind}List`,
                    items: items.slice(0, limit),
                    metadata: items.length > limit ? { remainingItemCount: items.length - limit, continue: "next" } : {},
                }),
                true
            );
        }
        if (!name && method === "POST") {
            if (this.objects.has(this.key(group, resource.kind, namespace, body.metadata.name)))
                return (send(409, { kind: "Status", reason: "AlreadyExists" }), true);
            this.seed({ ...body, apiVersion: gv, kind: resource.kind, metadata: { ...body.metadata, namespace } });
            this.cluster.record(`create ${resource.kind} ${namespace ? `${namespace}/` : ""}${body.metadata.name}`);
            return (send(201, this.get(gv, resource.kind, namespace, body.metadata.name)), true);
        }
        if (!name) return false;
        const key = this.key(group, resource.kind, namespace, name);
        const live = this.objects.get(key);
        const label = `${resource.kind} ${namespace ? `${namespace}/` : ""}${name}`;
        switch (method) {
            case "GET":
                return (live ? send(200, live) : send(404, { kind: "Status", reason: "NotFound" }), true);
            case "DELETE":
                if (!live) return (send(404, { kind: "Status", reason: "NotFound" }), true);
                this.objects.delete(key);
                this.cluster.record(`delete ${label}`);
                return (send(200, { kind: "Status", status: "Success" }), true);
            case "PUT":
                if (!live) return (send(404, { kind: "Status", reason: "NotFound" }), true);
                this.objects.set(key, { ...body, metadata: { ...body.metadata, resourceVersion: String(this.version++) } });
                return (send(200, this.objects.get(key)), true);
            case "PATCH": {
                if (headers["content-type"] !== "application/apply-patch+yaml") return (send(415, { kind: "Status" }), true);
                const manager = url.searchParams.get("fieldManager");
                if (!manager || url.searchParams.get("force") !== "true")
                    return (send(422, { kind: "Status", message: "fieldManager and force are required here" }), true);
                this.apply(key, live, body, manager, label);
                return (send(live ? 200 : 201, this.objects.get(key)), true);
            }
        }
        return false;
    }

    private apply(key: string, live: Obj | undefined, applied: Obj, manager: string, label: string): void {
        const merge = (base: any, over: any): any =>
            over && typeof over === "object" && !Array.isArray(over) && base && typeof base === "object" && !Array.isArray(base)
                ? Object.fromEntries(
                      [...new Set([...Object.keys(base), ...Object.keys(over)])].map((k) => [
                          k,
                          k in over ? merge(base[k], over[k]) : base[k],
                      ]),
                  )
                : over;
        const next = live ? merge(live, applied) : { ...applied };
        const strip = (o: Obj) =>
            JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, generation: undefined, managers: undefined } });
        const managers = [...new Set([...(live?.metadata.managers ?? []), manager])];
        if (live && strip(live) === strip(next) && live.metadata.managers?.includes(manager)) return;
        const specChanged = !live || JSON.stringify(live.spec) !== JSON.stringify(next.spec);
        const generation = (live?.metadata.generation ?? 0) + (specChanged ? 1 : 0);
        next.metadata = { ...next.metadata, managers, generation, resourceVersion: String(this.version++) };
        this.objects.set(key, next);
        this.cluster.record(`ssa ${label}`);
        if ((next.kind === "Deployment" || next.kind === "DaemonSet") && specChanged) {
            // The controller rolls it out a moment later.
            const replicas = next.spec?.replicas ?? 1;
            next.status = { ...next.status, observedGeneration: generation - 1 };
            this.cluster.later(10, () => {
                const current = this.objects.get(key);
                if (!current || current.metadata.generation !== generation) return;
                current.status =
                    next.kind === "Deployment"
                        ? {
                              observedGeneration: generation,
                              replicas,
                              updatedReplicas: replicas,
                              availableReplicas: replicas,
                              readyReplicas: replicas,
                          }
                        : {
                              observedGeneration: generation,
                              desiredNumberScheduled: this.cluster.nodeCount(),
                              updatedNumberScheduled: this.cluster.nodeCount(),
                              numberAvailable: this.cluster.nodeCount(),
                          };
            });
        }
    }
}

/** CoreDNS' version per Talos minor, as the fake renders it (Talos' DefaultCoreDNSVersion: v1.13.2 at v1.12.0, v1.14.6 at v1.13.9). */
export const coreDnsVersion: Record<string, string> = { "1.12": "v1.13.2", "1.13": "v1.14.6", "1.14": "v1.14.6" };

/** Talos' bootstrap manifests as the fake renders them for a Talos version: names as Talos' k8stemplates give them. */
export function renderedManifests(talosVersion: string): { id: string; objects: Obj[] }[] {
    const version = parseVersionTag(talosVersion);
    if (!version) throw new Error(`the fake renders manifests for a Talos version, not ${talosVersion}`);
    const minor = `${version.major}.${version.minor}`;
    const annotations = {};
    return [
        {
            id: "01-csr-node-bootstrap",
            objects: [
                {
                    apiVersion: "rbac.authorization.k8s.io/v1",
                    kind: "ClusterRoleBinding",
                    metadata: { name: "system-bootstrap-node-bootstrapper" },
                    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:node-bootstrapper" },
                    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:bootstrappers:nodes" }],
                },
            ],
        },
        {
            id: "11-core-dns",
            objects: [
                { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "coredns", namespace: "kube-system" } },
                {
                    apiVersion: "rbac.authorization.k8s.io/v1",
                    kind: "ClusterRole",
                    metadata: { name: "system:coredns" },
                    rules: [{ apiGroups: [""], resources: ["endpoints", "services", "pods", "namespaces"], verbs: ["list", "watch"] }],
                },
                {
                    apiVersion: "rbac.authorization.k8s.io/v1",
                    kind: "ClusterRoleBinding",
                    metadata: { name: "system:coredns" },
                    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:coredns" },
                    subjects: [{ kind: "ServiceAccount", name: "coredns", namespace: "kube-system" }],
                },
                {
                    apiVersion: "v1",
                    kind: "ConfigMap",
                    metadata: { name: "coredns", namespace: "kube-system" },
                    data: {
                        Corefile:
                            ".:53 {\n    errors\n    kubernetes cluster.local in-addr.arpa ip6.arpa\n    forward . /etc/resolv.conf\n}\n",
                    },
                },
                {
                    apiVersion: "apps/v1",
                    kind: "Deployment",
                    metadata: { name: "coredns", namespace: "kube-system", annotations },
                    spec: {
                        replicas: 2,
                        selector: { matchLabels: { "k8s-app": "kube-dns" } },
                        template: {
                            metadata: { labels: { "k8s-app": "kube-dns" } },
                            spec: {
                                serviceAccountName: "coredns",
                                containers: [{ name: "coredns", image: `registry.k8s.io/coredns/coredns:${coreDnsVersion[minor]}` }],
                            },
                        },
                    },
                },
            ],
        },
        {
            id: "11-core-dns-svc",
            objects: [
                {
                    apiVersion: "v1",
                    kind: "Service",
                    metadata: { name: "kube-dns", namespace: "kube-system" },
                    spec: { clusterIP: "10.43.0.10", ports: [{ name: "dns", port: 53, protocol: "UDP" }] },
                },
            ],
        },
        {
            id: "13-talos-service-account-crd",
            objects: [
                {
                    apiVersion: "apiextensions.k8s.io/v1",
                    kind: "CustomResourceDefinition",
                    metadata: { name: "serviceaccounts.talos.dev" },
                    spec: { group: "talos.dev", names: { kind: "ServiceAccount", plural: "serviceaccounts" }, scope: "Namespaced" },
                },
            ],
        },
    ];
}
