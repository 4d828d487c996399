// A fake kube-apiserver on 127.0.0.1 (HTTPS, client certificate required) over FakeCluster: nodes (Ready
// while up, the kubelet version its config gives; DELETE removes one), pods per node, evictions, cordon and
// uncordon. It records `cordon <node>`, `uncordon <node>`, `evict <ns>/<pod>` and `delete node <node>` in the
// cluster's event list.
import * as https from "https";
import { AddressInfo } from "net";
import { FakeCluster, FakeNode } from "./cluster";
import { TestPki } from "./certs";

export interface FakeKubernetesApi {
    host: string;
    /** `METHOD path` of every request. */
    requests: string[];
    close(): Promise<void>;
}

function nodeObject(node: FakeNode) {
    return {
        kind: "Node",
        apiVersion: "v1",
        metadata: { name: node.name },
        spec: node.unschedulable ? { unschedulable: true } : {},
        status: {
            conditions: [{ type: "Ready", status: node.up ? "True" : "Unknown" }],
            nodeInfo: { kubeletVersion: node.kubeletVersion },
        },
    };
}

function podObjects(node: FakeNode) {
    const pods = node.pods.map((p) => ({
        metadata: {
            name: p.name,
            namespace: p.namespace,
            ...(p.mirror ? { annotations: { "kubernetes.io/config.mirror": "abc" } } : {}),
            ...(p.owner ? { ownerReferences: [{ kind: p.owner, controller: true, name: "owner" }] } : {}),
        },
        spec: { nodeName: node.name, containers: [{ name: "main", image: "example" }] },
        status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
    }));
    for (const [component, pod] of Object.entries(node.staticPods)) {
        const mirror = pods.find((p) => p.metadata.name === `${component}-${node.name}`);
        if (!mirror) continue;
        Object.assign(mirror.metadata, { labels: { "k8s-app": component } });
        mirror.spec.containers[0].image = pod.image;
        mirror.status.conditions[0].status = pod.ready && node.up ? "True" : "False";
    }
    return pods;
}

export async function startFakeKubernetes(cluster: FakeCluster, pki: TestPki): Promise<FakeKubernetesApi> {
    const requests: string[] = [];
    const server = https.createServer(
        { ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key, requestCert: true, rejectUnauthorized: true },
        (req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (c: Buffer) => chunks.push(c));
            req.on("end", () => {
                const url = new URL(req.url ?? "/", "https://127.0.0.1");
                requests.push(`${req.method} ${url.pathname}${url.search}`);
                const send = (status: number, body: unknown) =>
                    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
                const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
                let match: RegExpExecArray | null;
                if ((match = /^\/api\/v1\/nodes\/([^/]+)$/.exec(url.pathname))) {
                    const node = cluster.nodes.get(decodeURIComponent(match[1]));
                    if (!node?.registered) return send(404, { kind: "Status", reason: "NotFound" });
                    if (req.method === "DELETE") {
                        node.registered = false;
                        cluster.record(`delete node ${node.name}`);
                        return send(200, { kind: "Status", status: "Success" });
                    }
                    if (req.method === "PATCH") {
                        if (req.headers["content-type"] !== "application/strategic-merge-patch+json") return send(415, { kind: "Status" });
                        node.unschedulable = body?.spec?.unschedulable === true;
                        cluster.record(`${node.unschedulable ? "cordon" : "uncordon"} ${node.name}`);
                    }
                    return send(200, nodeObject(node));
                }
                if (url.pathname === "/api/v1/pods" && req.method === "GET") {
                    const name = /^spec\.nodeName=(.+)$/.exec(url.searchParams.get("fieldSelector") ?? "")?.[1];
                    const node = name ? cluster.nodes.get(name) : undefined;
                    return send(200, { kind: "PodList", items: node ? podObjects(node) : [] });
                }
                if (url.pathname === "/api/v1/namespaces/kube-system/pods" && req.method === "GET") {
                    const app = /^k8s-app=(.+)$/.exec(url.searchParams.get("labelSelector") ?? "")?.[1];
                    const items = [...cluster.nodes.values()]
                        .flatMap(podObjects)
                        .filter((p) => (p.metadata as { labels?: Record<string, string> }).labels?.["k8s-app"] === app);
                    return send(200, { kind: "PodList", items });
                }
                if ((match = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/eviction$/.exec(url.pathname)) && req.method === "POST") {
                    const [namespace, name] = [match[1], match[2]];
                    if (body?.kind !== "Eviction" || body?.apiVersion !== "policy/v1" || body?.metadata?.name !== name)
                        return send(400, { kind: "Status", reason: "BadRequest" });
                    for (const node of cluster.nodes.values()) {
                        const index = node.pods.findIndex((p) => p.namespace === namespace && p.name === name);
                        if (index >= 0) {
                            node.pods.splice(index, 1);
                            cluster.record(`evict ${namespace}/${name}`);
                            return send(201, { kind: "Status", status: "Success" });
                        }
                    }
                    return send(404, { kind: "Status", reason: "NotFound" });
                }
                if (cluster.objects.handle(req.method ?? "GET", url, body, req.headers, send)) return;
                return send(404, { kind: "Status", reason: "NotFound", message: `${req.method} ${url.pathname}` });
            });
        },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        host: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
