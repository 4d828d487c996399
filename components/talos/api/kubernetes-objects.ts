// Any Kubernetes object by its apiVersion and kind, for the bootstrap manifest sync and the upgrade checks:
// the REST path from API discovery (what client-go's RESTMapper reads), server-side apply, get, delete and a
// bounded list. Every call has the rollout's deadline and the answer cap of kubernetes.ts.
import type { ApiAccess } from "../../kubernetes/api-access";
import { kubeRequest } from "./kubernetes";

export interface KubeObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; annotations?: Record<string, string>; generation?: number; [key: string]: unknown };
    [key: string]: unknown;
}

export interface ResourceMapping {
    /** `/apis/apps/v1` or `/api/v1`. */
    base: string;
    /** The plural resource: `deployments`. */
    resource: string;
    namespaced: boolean;
}

/** Discovery answers, by group version, for one run. */
export type DiscoveryCache = Map<string, { name: string; kind: string; namespaced: boolean }[] | undefined>;

const groupVersionPath = (apiVersion: string) => (apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`);

/** Where objects of this apiVersion and kind live, or undefined when the API server does not serve them. */
export async function restMapping(
    api: ApiAccess,
    apiVersion: string,
    kind: string,
    timeoutMs: number,
    cache: DiscoveryCache,
): Promise<ResourceMapping | undefined> {
    const base = groupVersionPath(apiVersion);
    if (!cache.has(apiVersion)) {
        const response = await kubeRequest(api, "GET", base, timeoutMs);
        if (response.status === 404) cache.set(apiVersion, undefined);
        else if (response.status === 200)
            cache.set(
                apiVersion,
                (JSON.parse(response.body) as { resources?: { name: string; kind: string; namespaced: boolean }[] }).resources ?? [],
            );
        else throw new Error(`GET ${base}: HTTP ${response.status} ${response.body.slice(0, 200)}`);
    }
    // Subresources (`deployments/status`) share the kind: the resource itself has no slash.
    const found = cache.get(apiVersion)?.find((r) => r.kind === kind && !r.name.includes("/"));
    return found && { base, resource: found.name, namespaced: found.namespaced };
}

/** `/apis/apps/v1/namespaces/kube-system/deployments/coredns`; the collection when no name is given. */
export function objectPath(mapping: ResourceMapping, namespace: string | undefined, name?: string): string {
    const scope = mapping.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? "default")}` : "";
    return `${mapping.base}${scope}/${mapping.resource}${name === undefined ? "" : `/${encodeURIComponent(name)}`}`;
}

async function jsonAnswer<T>(what: string, response: { status: number; body: string }, expect: number[]): Promise<T> {
    if (!expect.includes(response.status)) throw new Error(`${what}: HTTP ${response.status} ${response.body.slice(0, 300)}`);
    return JSON.parse(response.body) as T;
}

export async function getObject(
    api: ApiAccess,
    mapping: ResourceMapping,
    namespace: string | undefined,
    name: string,
    timeoutMs: number,
): Promise<KubeObject | undefined> {
    const path = objectPath(mapping, namespace, name);
    const response = await kubeRequest(api, "GET", path, timeoutMs);
    return response.status === 404 ? undefined : jsonAnswer<KubeObject>(`GET ${path}`, response, [200]);
}

/** Server-side apply as `fieldManager`, taking over fields another manager owns (fluxcd/pkg ssa, which
 *  upgrade-k8s applies with, patches with client.ForceOwnership). JSON is YAML, so the body is the object. */
export async function applyObject(
    api: ApiAccess,
    mapping: ResourceMapping,
    object: KubeObject,
    fieldManager: string,
    timeoutMs: number,
): Promise<KubeObject> {
    const path = `${objectPath(mapping, object.metadata.namespace, object.metadata.name)}?fieldManager=${encodeURIComponent(fieldManager)}&force=true`;
    const response = await kubeRequest(api, "PATCH", path, timeoutMs, { contentType: "application/apply-patch+yaml", data: object });
    return jsonAnswer<KubeObject>(`PATCH ${path}`, response, [200, 201]);
}

/** Deletes an object, its dependents in the background (upgrade-k8s prunes with DeletePropagationBackground). */
export async function deleteObject(
    api: ApiAccess,
    mapping: ResourceMapping,
    namespace: string | undefined,
    name: string,
    timeoutMs: number,
): Promise<"deleted" | "absent"> {
    const path = objectPath(mapping, namespace, name);
    const response = await kubeRequest(api, "DELETE", path, timeoutMs, {
        contentType: "application/json",
        data: { apiVersion: "v1", kind: "DeleteOptions", propagationPolicy: "Background" },
    });
    if (response.status === 404) return "absent";
    await jsonAnswer(`DELETE ${path}`, response, [200, 202]);
    return "deleted";
}

/** The first `limit` objects of a collection (all namespaces) and how many more there are: a page, never all. */
export async function listPage(
    api: ApiAccess,
    collectionPath: string,
    limit: number,
    timeoutMs: number,
): Promise<{ items: KubeObject[]; more: number } | undefined> {
    const response = await kubeRequest(api, "GET", `${collectionPath}?limit=${limit}`, timeoutMs);
    if (response.status === 404) return undefined;
    const list = await jsonAnswer<{ items?: KubeObject[]; metadata?: { remainingItemCount?: number; continue?: string } }>(
        `GET ${collectionPath}`,
        response,
        [200],
    );
    const more = list.metadata?.remainingItemCount ?? (list.metadata?.continue ? 1 : 0);
    return { items: list.items ?? [], more };
}
