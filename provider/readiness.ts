// The Kubernetes readiness gates (components/kubernetes/readiness.ts): each waits, when it is created, until the
// API answers as the gate wants, asking every few seconds with the admin client certificate.
import { clientCertificateOf, type ApiAccess } from "../components/kubernetes/api-access";
import { httpRequest, HttpError } from "../components/http/client";
import type { ResourceHandler } from "./handler";

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

/** A node list of ~100 nodes is well under this; the gates read nothing longer. */
const maxAnswerBytes = 4 * 1024 * 1024;

/** One authenticated `GET <path>`: the HTTP status and body, or why there was none. */
export async function probe(api: ApiAccess, path: string, timeoutMs: number): Promise<ProbeResult> {
    try {
        const answer = await httpRequest({
            method: "GET",
            url: new URL(path, api.host),
            timeoutMs,
            maxAnswerBytes,
            clientCertificate: clientCertificateOf(api),
        });
        return { status: answer.status, body: answer.text };
    } catch (error) {
        const { kind, reason } = error as HttpError;
        return {
            error:
                kind === "timeout"
                    ? `no answer within ${timeoutMs} ms`
                    : kind === "too-large"
                      ? `an answer over ${maxAnswerBytes} bytes`
                      : reason,
        };
    }
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
    const notReady = items
        .filter((n) => !n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"))
        .map((n) => n.metadata?.name ?? "?");
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
        if (Date.now() + interval > deadline)
            throw new Error(`${what} at ${gate.host}: not within ${gate.timeoutSeconds} s (last answer: ${problem})`);
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
    return waitUntil(gate, "the Kubernetes nodes", async () =>
        nodesNotReady(await check(gate, "/api/v1/nodes", 10000), gate.expectedNodes ?? 1),
    );
}

/** A create-only gate: waits when created, and again only if the API moves to another address. */
function gate(id: string, wait: (gate: GateProps) => Promise<void>): ResourceHandler<GateProps, { host: string }> {
    return {
        async create(inputs) {
            await wait(inputs);
            return { id, outs: { host: inputs.host } };
        },
        async diff(_id, olds, news) {
            const moved = olds.host !== news.host;
            return { changes: moved, replaces: moved ? ["host"] : [] };
        },
        async update(_id, olds) {
            return { outs: { host: olds.host } };
        },
    };
}

export const apiReady = gate("kubernetes-api-ready", (g) => waitForApi(g));
export const nodesReady = gate("kubernetes-nodes-ready", (g) => waitForNodes(g));
