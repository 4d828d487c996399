import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as https from "https";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { customResourceTypes } from "../../components/custom-resources";
import {
    apiReady,
    GateProps,
    nodesNotReady,
    nodesReady,
    probe,
    probeReadyz,
    ProbeResult,
    waitForApi,
    waitForNodes,
} from "../../provider/readiness";
import { called } from "../provider/handler-harness";
import { Graph } from "../../tools/offline/graph";
import { runStack } from "../harness/home";

// A throwaway CA, server and client certificate from openssl, so the probe is checked against a real
// TLS server that demands a client certificate, as kube-apiserver does. Traffic stays on 127.0.0.1.
function makeCertificates(dir: string) {
    const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
    run(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "1",
        "-subj",
        "/CN=test-ca",
    );
    for (const [name, extra] of [
        ["server", "subjectAltName=IP:127.0.0.1"],
        ["client", "extendedKeyUsage=clientAuth"],
    ]) {
        run(
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            `${name}.key`,
            "-out",
            `${name}.csr`,
            "-subj",
            `/CN=${name}/O=system:masters`,
        );
        fs.writeFileSync(path.join(dir, `${name}.ext`), `${extra}\n`);
        run(
            "x509",
            "-req",
            "-in",
            `${name}.csr`,
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            `${name}.crt`,
            "-days",
            "1",
            "-extfile",
            `${name}.ext`,
        );
    }
    run(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "rogue.key",
        "-out",
        "rogue.crt",
        "-days",
        "1",
        "-subj",
        "/CN=rogue/O=system:masters",
    );
    const read = (f: string) => fs.readFileSync(path.join(dir, f));
    return {
        ca: read("ca.crt"),
        serverCert: read("server.crt"),
        serverKey: read("server.key"),
        clientCert: read("client.crt"),
        clientKey: read("client.key"),
        rogueCert: read("rogue.crt"),
        rogueKey: read("rogue.key"),
    };
}

describe("Kubernetes API readiness gate", () => {
    describe("waitForApi", () => {
        const api: GateProps = {
            host: "https://172.16.1.49:6443",
            caCertificate: "",
            clientCertificate: "",
            clientKey: "",
            timeoutSeconds: 1,
            intervalSeconds: 0.01,
        };

        it("keeps asking until /readyz answers 200", async () => {
            const answers: ProbeResult[] = [{ error: "connect ECONNREFUSED" }, { status: 500 }, { status: 200 }];
            let calls = 0;
            await waitForApi(api, async () => answers[calls++]);
            assert.equal(calls, 3);
        });

        it("gives up when the time is up, naming the last answer", async () => {
            await assert.rejects(
                waitForApi({ ...api, timeoutSeconds: 0.05 }, async () => ({ status: 503 })),
                {
                    message: "the Kubernetes API at https://172.16.1.49:6443: not within 0.05 s (last answer: HTTP 503)",
                },
            );
        });
    });

    describe("nodes gate", () => {
        const node = (name: string, ready: string) => ({
            metadata: { name },
            status: {
                conditions: [
                    { type: "MemoryPressure", status: "False" },
                    { type: "Ready", status: ready },
                ],
            },
        });
        const list = (...items: object[]): ProbeResult => ({ status: 200, body: JSON.stringify({ kind: "NodeList", items }) });

        it("is satisfied when every expected node is Ready", () => {
            assert.equal(nodesNotReady(list(node("talos-cp-1", "True"), node("talos-worker-1", "True")), 2), undefined);
        });

        it("names the nodes that are not Ready (no CNI yet), and counts the missing ones", () => {
            assert.equal(
                nodesNotReady(list(node("talos-worker-1", "False"), node("talos-cp-1", "Unknown")), 2),
                "not Ready: talos-cp-1, talos-worker-1",
            );
            assert.equal(nodesNotReady(list(node("talos-cp-1", "True")), 4), "1 of 4 nodes registered");
            assert.equal(nodesNotReady({ status: 403, body: "" }, 1), "HTTP 403");
            assert.equal(nodesNotReady({ status: 200, body: "<html>" }, 1), "the node list could not be read");
        });

        it("keeps asking until the nodes are Ready", async () => {
            const answers = [list(node("talos-cp-1", "False")), list(node("talos-cp-1", "True"))];
            let calls = 0;
            await waitForNodes(
                {
                    host: "https://172.16.1.49:6443",
                    caCertificate: "",
                    clientCertificate: "",
                    clientKey: "",
                    timeoutSeconds: 1,
                    intervalSeconds: 0.01,
                    expectedNodes: 1,
                },
                async (_api, path) => {
                    assert.equal(path, "/api/v1/nodes");
                    return answers[calls++];
                },
            );
            assert.equal(calls, 2);
        });
    });

    describe("probeReadyz against a TLS server that demands a client certificate", () => {
        let dir: string;
        let certs: ReturnType<typeof makeCertificates>;
        let server: https.Server;
        let api: GateProps;
        const seen: string[] = [];

        before(function (done) {
            this.timeout(20000);
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-api-"));
            certs = makeCertificates(dir);
            server = https.createServer(
                { ca: certs.ca, cert: certs.serverCert, key: certs.serverKey, requestCert: true, rejectUnauthorized: true },
                (req, res) => {
                    seen.push(`${req.method} ${req.url}`);
                    if (req.url === "/api/v1/nodes")
                        res.writeHead(200, { "content-type": "application/json" }).end(
                            JSON.stringify({
                                items: [{ metadata: { name: "talos-cp-1" }, status: { conditions: [{ type: "Ready", status: "True" }] } }],
                            }),
                        );
                    else res.writeHead(req.url === "/readyz" ? 200 : 404).end("ok");
                },
            );
            server.listen(0, "127.0.0.1", () => {
                const b64 = (b: Buffer) => b.toString("base64");
                api = {
                    host: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
                    caCertificate: b64(certs.ca),
                    clientCertificate: b64(certs.clientCert),
                    clientKey: b64(certs.clientKey),
                    timeoutSeconds: 5,
                    intervalSeconds: 0.05,
                };
                done();
            });
        });
        after(() => {
            server.close();
            fs.rmSync(dir, { recursive: true, force: true });
        });

        it("reads 200 from /readyz with the admin certificate, trusting only the cluster CA", async () => {
            assert.deepEqual(await probeReadyz(api, 2000), { status: 200, body: "ok" });
            assert.deepEqual(seen, ["GET /readyz"]);
        });

        it("gets no answer with a client certificate the cluster CA did not sign", async () => {
            const stranger = {
                ...api,
                clientCertificate: certs.rogueCert.toString("base64"),
                clientKey: certs.rogueKey.toString("base64"),
            };
            const result = await probeReadyz(stranger, 2000);
            assert.equal(result.status, undefined);
            assert.ok(result.error, "the TLS handshake fails");
            assert.deepEqual(seen, ["GET /readyz"], "no request got through");
        });

        it("reports a certificate that does not fit its key instead of crashing", async () => {
            const result = await probeReadyz({ ...api, clientCertificate: api.caCertificate }, 2000);
            assert.match(String(result.error), /key values mismatch/);
        });

        it("refuses a server the cluster CA did not sign", async () => {
            const result = await probeReadyz({ ...api, caCertificate: certs.clientCert.toString("base64") }, 2000);
            assert.equal(result.status, undefined);
            assert.match(String(result.error), /certificate/);
        });

        it("is created once the API answers, keeping only the host", async () => {
            const created = await called(apiReady).create(api);
            assert.deepEqual(created, { id: "kubernetes-api-ready", outs: { host: api.host } });
        });

        it("reads the node list with the same certificate, and the nodes gate is created on it", async () => {
            const result = await probe(api, "/api/v1/nodes", 2000);
            assert.equal(result.status, 200);
            assert.equal(nodesNotReady(result, 1), undefined);
            assert.deepEqual(await called(nodesReady).create({ ...api, expectedNodes: 1 }), {
                id: "kubernetes-nodes-ready",
                outs: { host: api.host },
            });
        });

        it("waits again only when the API moves", async () => {
            assert.deepEqual(await called(apiReady).diff("id", { host: api.host }, { ...api, clientKey: "rotated" }), {
                changes: false,
                replaces: [],
            });
            assert.deepEqual(await called(apiReady).diff("id", { host: api.host }, { ...api, host: "https://172.16.1.48:6443" }), {
                changes: true,
                replaces: ["host"],
            });
        });
    });

    describe("in the graph", () => {
        let graph: Graph;
        before(async () => {
            graph = await runStack();
        });

        it("stands between the kubeconfig and the first Kubernetes call, with the client key secret", () => {
            const gate = graph.get(customResourceTypes.KubernetesApiReady, "home-talos-api-ready");
            assert.ok(graph.dependsOn(gate, graph.get("talos:cluster/kubeconfig:Kubeconfig", "home-talos-kubeconfig")));
            assert.ok(gate.secretPaths.includes("/clientKey"));
            assert.equal(gate.inputs.host, "https://mock:6443");
            const cilium = graph.get("kubernetes:helm.sh/v4:Chart", "home-cilium-chart");
            assert.ok(graph.dependsOn(cilium, gate));
            assert.deepEqual(graph.leaks("CANARY"), []);
        });

        it("holds the add-ons' provider until every node is Ready, after Cilium, its pool and its policy", () => {
            const nodes = graph.get(customResourceTypes.KubernetesNodesReady, "home-ready-nodes");
            assert.equal(nodes.inputs.expectedNodes, 4);
            assert.deepEqual(nodes.ignoreChanges, ["expectedNodes"]);
            assert.ok(nodes.secretPaths.includes("/clientKey"));
            for (const name of ["home-cilium-lb-pool", "home-cilium-l2-policy"])
                assert.ok(
                    nodes.dependencies.some((d) => d.endsWith(`::${name}`)),
                    name,
                );
            assert.ok(nodes.dependencies.some((d) => d.endsWith("::home-cilium-chart")));
            const ready = graph.get("pulumi:providers:kubernetes", "home-ready-kubernetes");
            assert.ok(ready.propertyDependencies.kubeconfig.includes(nodes.urn));
        });
    });
});
