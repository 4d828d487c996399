import type * as https from "https";
import * as pulumi from "@pulumi/pulumi";

// Gates on the Kubernetes API, as create-only dynamic resources: each polls the API with the admin client
// certificate (Talos turns anonymous requests off) until a condition holds, and waits only when it is
// created, so later previews and ups never re-run it and a new node never makes it unknown.
// - KubernetesApiReady: /readyz answers 200. Talos' own checks without Kubernetes cover etcd, apid and the
//   kubelet, not kube-apiserver, so Cilium's install could otherwise meet a closed port.
// - KubernetesNodesReady: every node is Ready, which needs the CNI: the gate every add-on waits for.

export interface ApiAccess {
    /** `https://<vip>:6443` */
    host: string;
    /** Base64 PEM, as the Talos kubeconfig resource gives them. */
    caCertificate: string;
    clientCertificate: string;
    clientKey: string;
}

export interface GateProps extends ApiAccess {
    /** How long to wait in all, in seconds. */
    timeoutSeconds: number;
    /** Between two tries, in seconds. */
    intervalSeconds?: number;
    /** For the nodes gate: how many nodes must be Ready. */
    expectedNodes?: number;
}

export interface ProbeResult {
    status?: number;
    body?: string;
    error?: string;
}

/**
 * One authenticated `GET <path>`: the HTTP status and body, or why there was none. `https` is required
 * inside: the gates' providers are serialized with this function, and a module captured through a
 * transpiler's import helper (swc's `_https`) is not recognised as a module, so Pulumi would try to copy
 * it by value and fail on its native functions.
 */
export function probe(api: ApiAccess, path: string, timeoutMs: number): Promise<ProbeResult> {
    const { request: httpsRequest }: typeof https = require("https");
    const pem = (b64: string) => Buffer.from(b64, "base64");
    return new Promise((resolve) => {
        let request: ReturnType<typeof https.request>;
        try {
            request = httpsRequest(
                new URL(path, api.host),
                { method: "GET", ca: pem(api.caCertificate), cert: pem(api.clientCertificate), key: pem(api.clientKey), timeout: timeoutMs },
                (response) => {
                    let body = "";
                    response.setEncoding("utf8");
                    response.on("data", (chunk: string) => (body += chunk));
                    response.on("end", () => resolve({ status: response.statusCode, body }));
                },
            );
        } catch (error) {
            // A certificate that does not fit its key fails before any connection: say so, do not crash.
            return resolve({ error: (error as Error).message });
        }
        request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        request.on("error", (error) => resolve({ error: error.message }));
        request.end();
    });
}

/** `GET /readyz` answers 200. */
export function probeReadyz(api: ApiAccess, timeoutMs: number): Promise<ProbeResult> {
    return probe(api, "/readyz", timeoutMs);
}

/** Why the node list is not yet what the gate waits for, or undefined when it is. */
export function nodesNotReady(result: ProbeResult, expectedNodes: number): string | undefined {
    if (result.status !== 200) return result.status !== undefined ? `HTTP ${result.status}` : result.error;
    let items: { metadata?: { name?: string }; status?: { conditions?: { type: string; status: string }[] } }[];
    try {
        items = JSON.parse(result.body ?? "").items;
        if (!Array.isArray(items)) throw new Error("no items");
    } catch {
        return "the node list could not be read";
    }
    const notReady = items.filter((n) => !n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).map((n) => n.metadata?.name ?? "?");
    if (notReady.length) return `not Ready: ${notReady.sort().join(", ")}`;
    if (items.length < expectedNodes) return `${items.length} of ${expectedNodes} nodes registered`;
    return undefined;
}

/** Polls `check` until it reports nothing; throws with its last report when the time is up. */
export async function waitUntil(gate: GateProps, what: string, check: () => Promise<string | undefined>): Promise<void> {
    const deadline = Date.now() + gate.timeoutSeconds * 1000;
    const interval = (gate.intervalSeconds ?? 5) * 1000;
    for (;;) {
        const problem = await check();
        if (problem === undefined) return;
        if (Date.now() + interval > deadline) throw new Error(`${what} at ${gate.host}: not within ${gate.timeoutSeconds} s (last answer: ${problem})`);
        await new Promise((resolve) => setTimeout(resolve, interval));
    }
}

/** Waits for /readyz to say 200. */
export function waitForApi(gate: GateProps, check: typeof probeReadyz = probeReadyz): Promise<void> {
    return waitUntil(gate, "the Kubernetes API", async () => {
        const result = await check(gate, 10000);
        return result.status === 200 ? undefined : result.status !== undefined ? `HTTP ${result.status}` : result.error;
    });
}

/** Waits for every node to be Ready, and at least `expectedNodes` of them. */
export function waitForNodes(gate: GateProps, check: typeof probe = probe): Promise<void> {
    return waitUntil(gate, "the Kubernetes nodes", async () => nodesNotReady(await check(gate, "/api/v1/nodes", 10000), gate.expectedNodes ?? 1));
}

/** A create-only gate: waits when created, and again only if the API moves to another address. */
function gateProvider(id: string, wait: (gate: GateProps) => Promise<void>): pulumi.dynamic.ResourceProvider {
    return {
        async create(inputs: GateProps) {
            await wait(inputs);
            return { id, outs: { host: inputs.host } };
        },
        async diff(_id: string, olds: { host: string }, news: GateProps) {
            const moved = olds.host !== news.host;
            return { changes: moved, replaces: moved ? ["host"] : [] };
        },
        async update(_id: string, olds: { host: string }) {
            return { outs: { host: olds.host } };
        },
    };
}

export const apiReadyProvider = gateProvider("kubernetes-api-ready", (gate) => waitForApi(gate));
export const nodesReadyProvider = gateProvider("kubernetes-nodes-ready", (gate) => waitForNodes(gate));

export interface GateArgs {
    /** API access from the Talos kubeconfig resource; the client key is secret. */
    access: pulumi.Input<ApiAccess>;
    /** How long to wait in all, in seconds. */
    timeoutSeconds: number;
}

function gateInputs(args: GateArgs) {
    const access = pulumi.output(args.access);
    return {
        host: pulumi.unsecret(access.host),
        caCertificate: pulumi.unsecret(access.caCertificate),
        clientCertificate: pulumi.unsecret(access.clientCertificate),
        clientKey: pulumi.secret(access.clientKey),
        timeoutSeconds: args.timeoutSeconds,
    };
}

/** Exists once kube-apiserver answers /readyz behind the VIP. Its state keeps the host alone. */
export class KubernetesApiReady extends pulumi.dynamic.Resource {
    declare public readonly host: pulumi.Output<string>;

    constructor(name: string, args: GateArgs, opts?: pulumi.CustomResourceOptions) {
        super(apiReadyProvider, name, gateInputs(args), opts, "talos", "KubernetesApiReady");
    }
}

/** Exists once every node is Ready (so the CNI runs) and `expectedNodes` have registered. */
export class KubernetesNodesReady extends pulumi.dynamic.Resource {
    declare public readonly host: pulumi.Output<string>;

    constructor(name: string, args: GateArgs & { expectedNodes: number }, opts?: pulumi.CustomResourceOptions) {
        super(nodesReadyProvider, name, { ...gateInputs(args), expectedNodes: args.expectedNodes }, opts, "talos", "KubernetesNodesReady");
    }
}
