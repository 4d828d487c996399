import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type * as k8s from "@kubernetes/client-node" with { "resolution-mode": "import" };

// The Kubernetes side: where the kubeconfig comes from, API clients whose every request is bounded, and
// errors told in one line (never the client's dump of headers and body).

// @kubernetes/client-node 1.x is an ES module: this CommonJS program loads it with import(), once.
let loaded: Promise<typeof k8s> | undefined;
export function kubeClient(): Promise<typeof k8s> {
    return (loaded ??= import("@kubernetes/client-node"));
}

export interface KubeconfigSource {
    /** --kubeconfig FILE. */
    file?: string;
    stack: string;
    env: NodeJS.ProcessEnv;
    /** Bound on the Pulumi CLI call. */
    timeoutMs: number;
}

/** Where an executable named `name` sits on PATH, if anywhere. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
    for (const dir of (env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
        const candidate = path.join(dir, name);
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            if (fs.statSync(candidate).isFile()) return candidate;
        } catch {
            // not here
        }
    }
    return undefined;
}

function pulumiKubeconfig(cli: string, source: KubeconfigSource): Promise<string> {
    return new Promise((resolve, reject) => {
        // The output is a secret: it goes to the client only, never to the console or an error message.
        execFile(
            cli,
            ["stack", "output", "--show-secrets", "kubeconfig", "--stack", source.stack],
            { timeout: source.timeoutMs * 6, env: source.env, maxBuffer: 1 << 20 },
            (error, stdout, stderr) => {
                if (error)
                    reject(
                        new Error(
                            `pulumi stack output kubeconfig --stack ${source.stack} failed: ${(stderr || error.message).trim().split("\n")[0]}`,
                        ),
                    );
                else resolve(stdout);
            },
        );
    });
}

/** The kubeconfig, and where it came from: --kubeconfig, else the stack output through the Pulumi CLI, else KUBECONFIG. */
export async function loadKubeconfig(source: KubeconfigSource): Promise<{ config: k8s.KubeConfig; from: string }> {
    const config = new (await kubeClient()).KubeConfig();
    if (source.file) {
        if (!fs.existsSync(source.file)) throw new Error(`--kubeconfig ${source.file}: no such file`);
        config.loadFromFile(source.file);
        return { config, from: source.file };
    }
    const cli = findOnPath("pulumi", source.env);
    if (cli) {
        config.loadFromString(await pulumiKubeconfig(cli, source));
        return { config, from: `pulumi stack output kubeconfig (stack ${source.stack})` };
    }
    const fromEnv = source.env.KUBECONFIG?.split(path.delimiter).find(Boolean);
    if (fromEnv) {
        if (!fs.existsSync(fromEnv)) throw new Error(`KUBECONFIG ${fromEnv}: no such file`);
        config.loadFromFile(fromEnv);
        return { config, from: `KUBECONFIG ${fromEnv}` };
    }
    throw new Error(
        "no kubeconfig: pass --kubeconfig FILE, install the Pulumi CLI (the stack's kubeconfig output is used), or set KUBECONFIG",
    );
}

export interface KubeApis {
    server: string;
    core: k8s.CoreV1Api;
    apps: k8s.AppsV1Api;
    coordination: k8s.CoordinationV1Api;
    custom: k8s.CustomObjectsApi;
    version: k8s.VersionApi;
}

/** API clients for the kubeconfig's current cluster; every request is aborted after `timeoutMs`. */
export async function kubeApis(config: k8s.KubeConfig, timeoutMs: number): Promise<KubeApis> {
    const k8s = await kubeClient();
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new Error("the kubeconfig has no current context with a cluster: set current-context");
    const configuration = k8s.createConfiguration({
        baseServer: new k8s.ServerConfiguration(cluster.server, {}),
        authMethods: { default: config },
        promiseMiddleware: [
            {
                pre: async (context) => {
                    context.setSignal(AbortSignal.timeout(timeoutMs));
                    return context;
                },
                post: async (context) => context,
            },
        ],
    });
    return {
        server: cluster.server,
        core: new k8s.CoreV1Api(configuration),
        apps: new k8s.AppsV1Api(configuration),
        coordination: new k8s.CoordinationV1Api(configuration),
        custom: new k8s.CustomObjectsApi(configuration),
        version: new k8s.VersionApi(configuration),
    };
}

/** The client's ApiException (an HTTP answer that was not 2xx), told by its shape: the class lives in the ES module. */
export function isApiException(error: unknown): error is { code: number; body: unknown } {
    return typeof (error as { code?: unknown })?.code === "number" && "body" in (error as object);
}

/** One line for any error the clients throw: `not found (HTTP 404)`, `no answer within 5 s`, `connect ECONNREFUSED ...`. */
export function describeApiError(error: unknown, timeoutMs: number): string {
    if (isApiException(error)) {
        const body = typeof error.body === "string" ? safeJson(error.body) : error.body;
        // The Status's message, else the client's own word for the code (`Message: Unauthorized` in its text).
        const message =
            (body as { message?: string } | undefined)?.message ?? /\nMessage: (.*)\n/.exec((error as unknown as Error).message ?? "")?.[1];
        if (error.code === 404) return "not found (HTTP 404)";
        return `HTTP ${error.code}${message ? `: ${message}` : ""}`;
    }
    const e = error as { name?: string; type?: string; message?: string; code?: string };
    if (e?.name === "AbortError" || e?.type === "aborted") return `no answer within ${timeoutMs / 1000} s`;
    const text = e?.message ?? String(error);
    return text.split("\n")[0].replace(/^request to \S+ failed, reason: /, "");
}

function safeJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

/** The value of a status condition (`True`/`False`/`Unknown`), or undefined when absent. */
export function condition(
    conditions: readonly { type: string; status: string; reason?: string; message?: string }[] | undefined,
    type: string,
) {
    return conditions?.find((c) => c.type === type);
}
