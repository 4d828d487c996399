// A kube-apiserver stand-in for the gates on 127.0.0.1: HTTPS that demands a client certificate its CA signed (as
// kube-apiserver does with Talos' admin certificate), `GET /readyz` and `GET /api/v1/nodes`. Each answers from
// a queue the test fills (`readyz: [503, 200]`), then keeps giving the last answer. Every request is logged.
import * as https from "https";
import { AddressInfo } from "net";
import type { TestPki } from "../talos/fakes/certs";

export interface FakeApiServer {
    host: string;
    /** `GET /readyz`, ... in order. */
    requests: string[];
    /** HTTP statuses /readyz answers, in turn. */
    readyz: number[];
    /** Node lists /api/v1/nodes answers, in turn: each node's name and whether it is Ready. */
    nodes: Record<string, boolean>[];
    close(): Promise<void>;
}

function nodeList(nodes: Record<string, boolean>) {
    return {
        kind: "NodeList",
        apiVersion: "v1",
        items: Object.entries(nodes).map(([name, ready]) => ({
            metadata: { name },
            status: { conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
        })),
    };
}

export async function startFakeApiServer(pki: TestPki): Promise<FakeApiServer> {
    const fake = { requests: [], readyz: [200], nodes: [{}] } as unknown as FakeApiServer;
    const next = <T>(queue: T[]): T => (queue.length > 1 ? queue.shift()! : queue[0]);
    const server = https.createServer(
        { ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key, requestCert: true, rejectUnauthorized: true },
        (req, res) => {
            fake.requests.push(`${req.method} ${req.url}`);
            if (req.method === "GET" && req.url === "/readyz") {
                const status = next(fake.readyz);
                res.writeHead(status, { "content-type": "text/plain" }).end(
                    status === 200 ? "ok" : "[-]etcd failed: reason withheld\nreadyz check failed",
                );
            } else if (req.method === "GET" && req.url === "/api/v1/nodes") {
                res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(nodeList(next(fake.nodes))));
            } else {
                res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ kind: "Status", reason: "NotFound" }));
            }
        },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    fake.host = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fake.close = () =>
        new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        });
    return fake;
}
