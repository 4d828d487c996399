// The bootstrap manifest sync that ends `talosctl upgrade-k8s` (Talos v1.13.9 pkg/cluster/kubernetes/
// talos_managed.go PerformManifestsSync, SSA since Talos 1.13): Talos itself only creates manifests that are
// missing (internal/app/machined/pkg/controllers/k8s/manifest_apply.go skips an object that exists or is in
// its inventory), so without this CoreDNS and the rest keep their bootstrap versions forever. As upgrade-k8s
// does (siderolabs/go-kubernetes v0.2.38 kubernetes/ssa/apply.go Manager.Apply):
// - read the manifests from a control plane through the COSI API;
// - server-side apply each, field manager `talos`, marked with the owning-inventory annotation, definitions
//   (CRDs, Namespaces, ClusterRoles) first, then classes, then the rest (fluxcd/pkg ssa ApplyAllStaged);
// - record them in the inventory ConfigMap kube-system/talos-bootstrap-manifests-inventory (the one Talos'
//   own controller keeps, so both see the same set), then prune what the inventory holds and the manifests
//   no longer do, under upgrade-k8s' default policy AdoptIfNoInventory (`--manifests-inventory-policy`):
//   an object owned by another inventory is neither taken over nor pruned;
// - wait until the Deployments and DaemonSets it changed have rolled out.
import type { ApiAccess } from "../../kubernetes/api-access";
import { bootstrapManifests } from "../api/bootstrap-manifests";
import { kubeRequest } from "../api/kubernetes";
import { applyObject, deleteObject, DiscoveryCache, getObject, KubeObject, restMapping } from "../api/kubernetes-objects";
import { Connections, waitFor, withNode } from "./gates";
import { RolloutNode } from "./steps";

/** Talos v1.13.9 pkg/machinery/constants/constants.go: KubernetesFieldManagerName, KubernetesInventoryNamespace,
 *  KubernetesBootstrapManifestsInventoryName; go-kubernetes ssa/inventory.go InventoryAnnotationKey. */
export const fieldManager = "talos";
export const inventory = { namespace: "kube-system", name: "talos-bootstrap-manifests-inventory" };
export const inventoryAnnotation = "config.k8s.io/owning-inventory";

export interface ObjectRef {
    group: string;
    kind: string;
    namespace: string;
    name: string;
}

const rbacKinds = ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"];

/** An inventory entry as fluxcd/cli-utils v1.2.0 pkg/object ObjMetadata.String writes it:
 *  `namespace_name_group_kind`, a colon in an RBAC object's name written `__` (`_system__coredns_rbac..._ClusterRole`). */
export function inventoryKey(ref: ObjectRef): string {
    const name = ref.group === "rbac.authorization.k8s.io" && rbacKinds.includes(ref.kind) ? ref.name.replaceAll(":", "__") : ref.name;
    return `${ref.namespace}_${name}_${ref.group}_${ref.kind}`;
}

/** The reverse (ParseObjMetadata): the kind after the last `_`, the group before it, the namespace before the first. */
export function parseInventoryKey(key: string): ObjectRef | undefined {
    const first = key.indexOf("_");
    const last = key.lastIndexOf("_");
    const beforeLast = key.lastIndexOf("_", last - 1);
    if (first < 0 || beforeLast <= first) return undefined;
    const group = key.slice(beforeLast + 1, last);
    const kind = key.slice(last + 1);
    const rawName = key.slice(first + 1, beforeLast);
    const name = group === "rbac.authorization.k8s.io" && rbacKinds.includes(kind) ? rawName.replaceAll("__", ":") : rawName;
    return { namespace: key.slice(0, first), name, group, kind };
}

const groupOf = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.split("/")[0] : "");
const refOf = (o: KubeObject): ObjectRef => ({
    group: groupOf(o.apiVersion),
    kind: o.kind,
    namespace: o.metadata.namespace ?? "",
    name: o.metadata.name,
});
const describeRef = (r: ObjectRef) => `${r.group || "core"}/${r.kind} ${r.namespace ? `${r.namespace}/` : ""}${r.name}`;

/** fluxcd/pkg ssa v0.73.0 utils/is.go: CRDs, Namespaces and ClusterRoles first, then `*Class` kinds, then the rest. */
export function applyStage(o: KubeObject): number {
    const definition =
        (o.kind === "CustomResourceDefinition" && o.apiVersion.startsWith("apiextensions.k8s.io/")) ||
        (o.kind === "Namespace" && o.apiVersion === "v1") ||
        (o.kind === "ClusterRole" && o.apiVersion.startsWith("rbac.authorization.k8s.io/"));
    return definition ? 0 : o.kind.endsWith("Class") ? 1 : 2;
}

export interface SyncResult {
    created: string[];
    configured: string[];
    unchanged: string[];
    pruned: string[];
}

async function readInventory(api: ApiAccess, timeoutMs: number): Promise<string[]> {
    const path = `/api/v1/namespaces/${inventory.namespace}/configmaps/${inventory.name}`;
    const response = await kubeRequest(api, "GET", path, timeoutMs);
    if (response.status === 404) {
        const created = await kubeRequest(api, "POST", `/api/v1/namespaces/${inventory.namespace}/configmaps`, timeoutMs, {
            contentType: "application/json",
            data: { apiVersion: "v1", kind: "ConfigMap", metadata: inventory },
        });
        if (created.status !== 201 && created.status !== 409)
            throw new Error(`creating the inventory ${inventory.namespace}/${inventory.name}: HTTP ${created.status}`);
        return [];
    }
    if (response.status !== 200) throw new Error(`GET ${path}: HTTP ${response.status}`);
    return Object.keys((JSON.parse(response.body) as { data?: Record<string, string> }).data ?? {}).sort();
}

async function writeInventory(api: ApiAccess, keys: readonly string[], timeoutMs: number): Promise<void> {
    const path = `/api/v1/namespaces/${inventory.namespace}/configmaps/${inventory.name}`;
    const data = Object.fromEntries([...keys].sort().map((k) => [k, ""]));
    const response = await kubeRequest(api, "PUT", path, timeoutMs, {
        contentType: "application/json",
        data: { apiVersion: "v1", kind: "ConfigMap", metadata: inventory, data },
    });
    if (response.status !== 200)
        throw new Error(
            `updating the inventory ${inventory.namespace}/${inventory.name}: HTTP ${response.status} ${response.body.slice(0, 200)}`,
        );
}

/** The version a group serves by preference (for an inventory entry, which holds no version). */
async function preferredVersion(api: ApiAccess, group: string, timeoutMs: number): Promise<string | undefined> {
    if (group === "") return "v1";
    const response = await kubeRequest(api, "GET", `/apis/${group}`, timeoutMs);
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw new Error(`GET /apis/${group}: HTTP ${response.status}`);
    const version = (JSON.parse(response.body) as { preferredVersion?: { version?: string } }).preferredVersion?.version;
    return version && `${group}/${version}`;
}

/** Why an inventory may not take over or prune this live object (AdoptIfNoInventory), or undefined. */
function foreignOwner(live: KubeObject | undefined): string | undefined {
    const owner = live?.metadata.annotations?.[inventoryAnnotation];
    return owner !== undefined && owner !== inventory.name ? owner : undefined;
}

/** Rolled out, as kstatus judges a Deployment or DaemonSet (what upgrade-k8s waits on), or why not. */
export function rolloutPending(o: KubeObject): string | undefined {
    const status = (o.status ?? {}) as Record<string, number | undefined>;
    if ((status.observedGeneration ?? 0) < (o.metadata.generation ?? 0)) return "not observed yet";
    if (o.kind === "Deployment") {
        const replicas = ((o.spec ?? {}) as { replicas?: number }).replicas ?? 1;
        if ((status.updatedReplicas ?? 0) < replicas) return `${status.updatedReplicas ?? 0}/${replicas} updated`;
        if ((status.availableReplicas ?? 0) < replicas) return `${status.availableReplicas ?? 0}/${replicas} available`;
    }
    if (o.kind === "DaemonSet") {
        const desired = status.desiredNumberScheduled ?? 0;
        if ((status.updatedNumberScheduled ?? 0) < desired || (status.numberAvailable ?? 0) < desired)
            return `${status.numberAvailable ?? 0}/${desired} available`;
    }
    return undefined;
}

/** The whole sync; the manifests come from the first control plane that serves them. */
export async function syncBootstrapManifests(
    connections: Connections,
    controlPlanes: RolloutNode[],
    log: (line: string) => void,
): Promise<SyncResult> {
    const { kubernetes: api, timing } = connections;
    const timeoutMs = timing.callTimeoutMs;
    let objects: KubeObject[] | undefined;
    const refusals: string[] = [];
    for (const node of controlPlanes) {
        objects = await withNode(connections, node, bootstrapManifests).catch((error: Error) => void refusals.push(error.message));
        if (objects) break;
    }
    if (!objects) throw new Error(`no control plane gave its bootstrap manifests: ${refusals.join("; ")}`);

    const cache: DiscoveryCache = new Map();
    const prepared: { object: KubeObject; mapping: NonNullable<Awaited<ReturnType<typeof restMapping>>> }[] = [];
    for (const object of objects) {
        const mapping = await restMapping(api, object.apiVersion, object.kind, timeoutMs, cache);
        if (!mapping) throw new Error(`the API server does not serve ${object.apiVersion} ${object.kind} (${object.metadata.name})`);
        const metadata = { ...object.metadata, annotations: { ...object.metadata.annotations, [inventoryAnnotation]: inventory.name } };
        if (mapping.namespaced) metadata.namespace = object.metadata.namespace || "default";
        else delete metadata.namespace;
        prepared.push({ object: { ...object, metadata }, mapping });
    }
    prepared.sort((a, b) => applyStage(a.object) - applyStage(b.object));

    const result: SyncResult = { created: [], configured: [], unchanged: [], pruned: [] };
    const keys = new Set(await readInventory(api, timeoutMs));
    const changed: { object: KubeObject; mapping: (typeof prepared)[number]["mapping"] }[] = [];
    for (const { object, mapping } of prepared) {
        const ref = refOf(object);
        const live = await getObject(api, mapping, object.metadata.namespace, object.metadata.name, timeoutMs);
        const owner = foreignOwner(live);
        if (owner) throw new Error(`${describeRef(ref)} belongs to the inventory ${owner}: not taken over`);
        const applied = await applyObject(api, mapping, object, fieldManager, timeoutMs);
        const action = !live ? "created" : live.metadata.resourceVersion !== applied.metadata.resourceVersion ? "configured" : "unchanged";
        result[action].push(describeRef(ref));
        if (action !== "unchanged") {
            log(`manifests: ${action} ${describeRef(ref)}`);
            changed.push({ object: applied, mapping });
        }
        keys.add(inventoryKey(ref));
    }
    await writeInventory(api, [...keys], timeoutMs);

    const current = new Set(prepared.map(({ object }) => inventoryKey(refOf(object))));
    const stale = [...keys].filter((k) => !current.has(k));
    for (const key of stale) {
        const ref = parseInventoryKey(key);
        const apiVersion = ref && (await preferredVersion(api, ref.group, timeoutMs));
        const mapping = ref && apiVersion ? await restMapping(api, apiVersion, ref.kind, timeoutMs, cache) : undefined;
        const live = ref && mapping ? await getObject(api, mapping, ref.namespace || undefined, ref.name, timeoutMs) : undefined;
        if (!ref || !mapping || !live) {
            keys.delete(key);
            continue;
        }
        const owner = foreignOwner(live);
        if (owner) throw new Error(`${describeRef(ref)} belongs to the inventory ${owner}: not pruned`);
        await deleteObject(api, mapping, ref.namespace || undefined, ref.name, timeoutMs);
        keys.delete(key);
        result.pruned.push(describeRef(ref));
        log(`manifests: pruned ${describeRef(ref)}`);
    }
    if (stale.length) await writeInventory(api, [...keys], timeoutMs);

    for (const { object, mapping } of changed.filter((c) => c.object.kind === "Deployment" || c.object.kind === "DaemonSet")) {
        const ref = refOf(object);
        await waitFor(
            describeRef(ref),
            "rolled out",
            timing.healthTimeoutMs,
            timing.pollIntervalMs,
            async () => {
                const live = await getObject(api, mapping, ref.namespace, ref.name, timeoutMs);
                return live ? rolloutPending(live) : "gone";
            },
            connections.stats,
        );
    }
    return result;
}
