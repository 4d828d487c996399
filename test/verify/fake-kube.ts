import * as https from "https";
import { AddressInfo } from "net";
import { Issued } from "./certs";

// A Kubernetes API server on 127.0.0.1 over HTTPS: serves the objects it holds by their REST path, answers
// 404 with a Status for the rest, demands the bearer token from the kubeconfig, and runs a pod to completion
// with a canned log (the in-cluster lookup).

export interface FakeKube {
    url: string;
    token: string;
    /** Objects by REST path: `/api/v1/nodes`, `/apis/apps/v1/namespaces/kube-system/daemonsets/cilium`. */
    objects: Map<string, unknown>;
    /** `METHOD path` of every request, in order. */
    log: string[];
    /** What a created pod's log holds once it has run. */
    podLog: string;
    /** Stop answering (the socket stays open): an API that hangs. */
    hang: boolean;
    /** The phase a created pod reports: "Succeeded" (it ran at once) or "Pending" (it never gets scheduled). */
    podPhase: "Succeeded" | "Pending";
    /** How long a read of one pod takes, ms: a slow API. */
    podReadDelayMs: number;
    close(): Promise<void>;
}

function status(code: number, message: string) {
    return { apiVersion: "v1", kind: "Status", status: "Failure", message, code, reason: code === 404 ? "NotFound" : "Unauthorized" };
}

export async function startFakeKube(tlsCert: Issued, token = "verify-test-token"): Promise<FakeKube> {
    const fake: FakeKube = {
        url: "",
        token,
        objects: new Map(),
        log: [],
        podLog: "",
        hang: false,
        podPhase: "Succeeded",
        podReadDelayMs: 0,
        close: async () => undefined,
    };
    const server = https.createServer({ key: tlsCert.keyPem, cert: tlsCert.certPem }, (req, res) => {
        const path = (req.url ?? "/").split("?")[0].replace(/\/$/, "") || "/";
        const query = new URLSearchParams((req.url ?? "").split("?")[1] ?? "");
        fake.log.push(`${req.method} ${path}`);
        if (fake.hang) return;
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", async () => {
            if (/\/pods\/[^/]+$/.test(path) && req.method === "GET" && fake.podReadDelayMs)
                await new Promise((resolve) => setTimeout(resolve, fake.podReadDelayMs));
            const send = (code: number, value: unknown, type = "application/json") => {
                res.writeHead(code, { "content-type": type });
                res.end(typeof value === "string" ? value : JSON.stringify(value));
            };
            if (req.headers.authorization !== `Bearer ${token}`) return send(401, status(401, "Unauthorized"));
            const pod = /^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+))?(\/log)?$/.exec(path);
            if (req.method === "GET" && path === "/version") return send(200, { major: "1", minor: "36", gitVersion: "v1.36.4" });
            if (pod && req.method === "POST") {
                const created = JSON.parse(body);
                // The fake kubelet: the pod has run by the time anyone asks.
                fake.objects.set(`${path}/${created.metadata.name}`, { ...created, status: { phase: fake.podPhase } });
                return send(201, created);
            }
            if (pod && !pod[2] && req.method === "GET") {
                // A list, filtered by `labelSelector=key=value[,key=value]` as the API server does for equality.
                const wanted = (query.get("labelSelector") ?? "")
                    .split(",")
                    .filter(Boolean)
                    .map((pair) => pair.split("="));
                const items = [...fake.objects.entries()]
                    .filter(([key]) => key.startsWith(`${path}/`) && !key.slice(path.length + 1).includes("/"))
                    .map(([, value]) => value as { metadata: { labels?: Record<string, string> } })
                    .filter((item) => wanted.every(([k, v]) => item.metadata.labels?.[k] === v));
                return send(200, { apiVersion: "v1", kind: "PodList", metadata: {}, items });
            }
            if (pod?.[3] && req.method === "GET")
                return fake.objects.has(path.slice(0, -4)) ? send(200, fake.podLog, "text/plain") : send(404, status(404, "pod not found"));
            if (req.method === "DELETE" && fake.objects.delete(path)) return send(200, status(200, "deleted"));
            if (req.method === "GET" && fake.objects.has(path)) return send(200, fake.objects.get(path));
            return send(404, status(404, `${path} not found`));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    fake.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fake.close = () =>
        new Promise((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        });
    return fake;
}

/** A kubeconfig for the fake: its CA and its token, nothing else. */
export function fakeKubeconfig(url: string, caPem: string, token: string): string {
    return [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: home",
        "  cluster:",
        `    server: ${url}`,
        `    certificate-authority-data: ${Buffer.from(caPem).toString("base64")}`,
        "users:",
        "- name: admin@home",
        "  user:",
        `    token: ${token}`,
        "contexts:",
        "- name: admin@home",
        "  context: {cluster: home, user: admin@home}",
        "current-context: admin@home",
        "",
    ].join("\n");
}
