// The Kubernetes calls a rollout makes, over HTTPS with the admin client certificate (the one HTTP client,
// http/client.ts): cordon, drain, uncordon, and the node and static-pod state the gates wait on. Every request
// has a timeout and a bound on its answer.
import { HttpError, httpRequest } from "../../http/client";
import { clientCertificateOf, type ApiAccess } from "../../kubernetes/api-access";

export interface KubeResponse {
    status: number;
    body: string;
}

/**
 * The most an answer may hold: a node's pod list is the largest we read (110 pods, the kubelet's default
 * maxPods, at up to ~15 KB each with managed fields), lists of other objects are read a page at a time. A
 * longer answer is cut off, never buffered whole (as components/dns/http.ts caps its answers).
 */
export const maxAnswerBytes = 4 * 1024 * 1024;

/** One request; rejects with the reason when no HTTP answer came within `timeoutMs`, or when it is too long. */
export async function kubeRequest(
    api: ApiAccess,
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
    path: string,
    timeoutMs: number,
    body?: { contentType: string; data: unknown },
): Promise<KubeResponse> {
    const payload = body ? (typeof body.data === "string" ? body.data : JSON.stringify(body.data)) : undefined;
    try {
        const answer = await httpRequest({
            method,
            url: new URL(path, api.host),
            timeoutMs,
            maxAnswerBytes,
            clientCertificate: clientCertificateOf(api),
            body: payload,
            headers: { accept: "application/json", ...(body ? { "content-type": body.contentType } : {}) },
        });
        return { status: answer.status, body: answer.text };
    } catch (error) {
        const { kind, reason } = error as HttpError;
        if (kind === "unusable-credentials") throw new Error(`the Kubernetes client certificate or key is not usable: ${reason}`);
        const detail =
            kind === "timeout"
                ? `no answer within ${timeoutMs} ms`
                : kind === "too-large"
                  ? `the answer is longer than ${maxAnswerBytes} bytes`
                  : reason;
        throw new Error(`${method} ${path}: ${detail}`);
    }
}

async function json<T>(
    api: ApiAccess,
    method: "GET" | "PATCH",
    path: string,
    timeoutMs: number,
    expect: number[],
    body?: { contentType: string; data: unknown },
): Promise<T> {
    const response = await kubeRequest(api, method, path, timeoutMs, body);
    if (!expect.includes(response.status)) throw new Error(`${method} ${path}: HTTP ${response.status} ${response.body.slice(0, 200)}`);
    return (response.body ? JSON.parse(response.body) : {}) as T;
}

export interface NodeState {
    ready: boolean;
    unschedulable: boolean;
    kubeletVersion: string;
}

interface NodeObject {
    spec?: { unschedulable?: boolean };
    status?: { conditions?: { type: string; status: string }[]; nodeInfo?: { kubeletVersion?: string } };
}

export async function nodeState(api: ApiAccess, name: string, timeoutMs: number): Promise<NodeState> {
    const node = await json<NodeObject>(api, "GET", `/api/v1/nodes/${encodeURIComponent(name)}`, timeoutMs, [200]);
    return {
        ready: Boolean(node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")),
        unschedulable: Boolean(node.spec?.unschedulable),
        kubeletVersion: node.status?.nodeInfo?.kubeletVersion ?? "",
    };
}

/** Marks the node (un)schedulable, as `kubectl cordon` does with a strategic merge patch of spec.unschedulable. */
export async function setUnschedulable(api: ApiAccess, name: string, unschedulable: boolean, timeoutMs: number): Promise<void> {
    await json(api, "PATCH", `/api/v1/nodes/${encodeURIComponent(name)}`, timeoutMs, [200], {
        contentType: "application/strategic-merge-patch+json",
        data: { spec: { unschedulable: unschedulable ? true : null } },
    });
}

export interface PodObject {
    metadata: {
        name: string;
        namespace: string;
        uid?: string;
        annotations?: Record<string, string>;
        ownerReferences?: { kind: string; controller?: boolean }[];
    };
    spec?: { nodeName?: string; containers?: { name: string; image: string }[] };
    status?: { phase?: string; hostIP?: string; conditions?: { type: string; status: string }[] };
}

/** Pods a drain leaves alone, as talosctl's drain (kubectl's drain helper with IgnoreAllDaemonSets) does:
 *  mirror pods (the kubelet's static pods; the API cannot evict them) and pods a DaemonSet controls. */
export function drainSkips(pod: PodObject): "mirror" | "daemonset" | undefined {
    if (pod.metadata.annotations?.["kubernetes.io/config.mirror"] !== undefined) return "mirror";
    if (pod.metadata.ownerReferences?.some((o) => o.controller && o.kind === "DaemonSet")) return "daemonset";
    return undefined;
}

export async function podsOnNode(api: ApiAccess, name: string, timeoutMs: number): Promise<PodObject[]> {
    const list = await json<{ items?: PodObject[] }>(
        api,
        "GET",
        `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${name}`)}`,
        timeoutMs,
        [200],
    );
    return list.items ?? [];
}

/** Evicts one pod through the eviction API (which honours PodDisruptionBudgets): true when accepted or
 *  already gone, false when a budget refuses it for now (HTTP 429, to retry). */
export async function evict(api: ApiAccess, pod: PodObject, timeoutMs: number): Promise<boolean> {
    const { name, namespace } = pod.metadata;
    const response = await kubeRequest(
        api,
        "POST",
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/eviction`,
        timeoutMs,
        {
            contentType: "application/json",
            data: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace } },
        },
    );
    if (response.status === 201 || response.status === 200 || response.status === 404) return true;
    if (response.status === 429) return false;
    throw new Error(`evicting ${namespace}/${name}: HTTP ${response.status} ${response.body.slice(0, 200)}`);
}

/** The static pods of one control-plane component (`k8s-app=kube-apiserver`, ...) in kube-system. */
export async function controlPlanePods(api: ApiAccess, component: string, timeoutMs: number): Promise<PodObject[]> {
    const list = await json<{ items?: PodObject[] }>(
        api,
        "GET",
        `/api/v1/namespaces/kube-system/pods?labelSelector=${encodeURIComponent(`k8s-app=${component}`)}`,
        timeoutMs,
        [200],
    );
    return list.items ?? [];
}

/** Deletes a Node object; one already gone is no error. */
export async function deleteNode(api: ApiAccess, name: string, timeoutMs: number): Promise<"deleted" | "absent"> {
    const response = await kubeRequest(api, "DELETE", `/api/v1/nodes/${encodeURIComponent(name)}`, timeoutMs);
    if (response.status === 404) return "absent";
    if (response.status === 200 || response.status === 202) return "deleted";
    throw new Error(`DELETE /api/v1/nodes/${name}: HTTP ${response.status} ${response.body.slice(0, 200)}`);
}

export function podReady(pod: PodObject): boolean {
    return Boolean(pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
}
