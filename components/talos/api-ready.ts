import * as https from "https";
import * as pulumi from "@pulumi/pulumi";

// The wait between the Talos-level health gate and the first Kubernetes call: Talos' checks without
// Kubernetes cover etcd, apid and the kubelet, not kube-apiserver, so Cilium's install could otherwise
// meet a closed port (anchor notes, finding 5). A dynamic resource that polls /readyz with the admin
// client certificate until it answers 200; it only waits when it is created.

export interface ApiReadyProps {
    /** `https://172.16.1.49:6443` */
    host: string;
    /** Base64 PEM, as the Talos kubeconfig resource gives them. */
    caCertificate: string;
    clientCertificate: string;
    clientKey: string;
    /** How long to wait in all, in seconds. */
    timeoutSeconds: number;
    /** Between two tries, in seconds. */
    intervalSeconds?: number;
}

export interface ProbeResult {
    status?: number;
    error?: string;
}

/** One `GET /readyz` with the admin certificate: the HTTP status, or why there was none. */
export function probeReadyz(api: ApiReadyProps, timeoutMs: number): Promise<ProbeResult> {
    const pem = (b64: string) => Buffer.from(b64, "base64");
    return new Promise((resolve) => {
        let request: ReturnType<typeof https.request>;
        try {
            request = https.request(
            new URL("/readyz", api.host),
            { method: "GET", ca: pem(api.caCertificate), cert: pem(api.clientCertificate), key: pem(api.clientKey), timeout: timeoutMs },
            (response) => {
                response.resume();
                resolve({ status: response.statusCode });
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

/** Polls until /readyz says 200; throws with the last answer when the time is up. */
export async function waitForApi(api: ApiReadyProps, probe: typeof probeReadyz = probeReadyz): Promise<void> {
    const deadline = Date.now() + api.timeoutSeconds * 1000;
    const interval = (api.intervalSeconds ?? 5) * 1000;
    for (;;) {
        const result = await probe(api, Math.min(10000, interval * 2));
        if (result.status === 200) return;
        const last = result.status !== undefined ? `HTTP ${result.status}` : result.error;
        if (Date.now() + interval > deadline) {
            throw new Error(`the Kubernetes API at ${api.host} was not ready within ${api.timeoutSeconds} s (last answer: ${last})`);
        }
        await new Promise((resolve) => setTimeout(resolve, interval));
    }
}

/** A gate: waits when created, and again only if the API moves to another address. */
export const apiReadyProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: ApiReadyProps) {
        await waitForApi(inputs);
        return { id: "kubernetes-api-ready", outs: { host: inputs.host } };
    },
    async diff(_id: string, olds: { host: string }, news: ApiReadyProps) {
        const moved = olds.host !== news.host;
        return { changes: moved, replaces: moved ? ["host"] : [] };
    },
    async update(_id: string, olds: { host: string }) {
        return { outs: { host: olds.host } };
    },
};

export interface KubernetesApiReadyArgs {
    /** The API server URL of the kubeconfig (the VIP). */
    host: pulumi.Input<string>;
    caCertificate: pulumi.Input<string>;
    clientCertificate: pulumi.Input<string>;
    /** The admin client key; secret. */
    clientKey: pulumi.Input<string>;
    /** How long to wait in all, in seconds. */
    timeoutSeconds: pulumi.Input<number>;
}

/** Exists once kube-apiserver answers /readyz behind the VIP. Its state keeps the host alone. */
export class KubernetesApiReady extends pulumi.dynamic.Resource {
    declare public readonly host: pulumi.Output<string>;

    constructor(name: string, args: KubernetesApiReadyArgs, opts?: pulumi.CustomResourceOptions) {
        super(apiReadyProvider, name, { ...args, clientKey: pulumi.secret(args.clientKey) }, opts, "talos", "KubernetesApiReady");
    }
}
