import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import { binDir } from "./build";
import { KubeObject } from "./inputs";

// A real kube-apiserver (tools/upstream/kube-apiserver: etcd embedded, our Kubernetes minor) on 127.0.0.1,
// started with a temporary directory and stopped after, and a small client that server-side applies objects
// as the Kubernetes provider does, answering each with the server's verdict and its warnings.

interface Ready {
    server: string;
    kubeconfig: string;
}

export interface ServerOptions {
    /** The cluster's service network, as Talos gives kube-apiserver (--service-cluster-ip-range). */
    serviceCidr: string;
    /** An AdmissionConfiguration file: the admission plugins' config Talos renders. */
    admissionConfig?: string;
    /** How long to wait for /readyz: a loaded machine is slow (bounded). */
    readyTimeoutMs?: number;
}

export class JudgeServer {
    private constructor(
        private readonly child: ChildProcess,
        readonly dir: string,
        readonly client: KubeClient,
    ) {}

    static async start(opts: ServerOptions): Promise<JudgeServer> {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-kube-judge-"));
        const readyTimeoutMs = opts.readyTimeoutMs ?? 240_000;
        const args = ["--dir", dir, "--service-cidr", opts.serviceCidr, "--ready-timeout", `${Math.round(readyTimeoutMs / 1000)}s`];
        if (opts.admissionConfig) args.push("--admission-config", opts.admissionConfig);
        const child = spawn(path.join(binDir, "kube-apiserver"), args, { stdio: ["pipe", "pipe", "pipe"] });
        const stopOnExit = () => child.kill("SIGKILL");
        process.once("exit", stopOnExit);
        child.once("exit", () => process.off("exit", stopOnExit));
        let stderr = "";
        child.stderr!.on("data", (d) => (stderr = (stderr + d).slice(-20_000)));
        try {
            const ready = await new Promise<Ready>((resolve, reject) => {
                let out = "";
                const timer = setTimeout(
                    () => reject(new Error(`kube-apiserver was not ready within ${readyTimeoutMs / 1000} s`)),
                    readyTimeoutMs + 10_000,
                );
                child.stdout!.on("data", (d) => {
                    out += d;
                    const line = out.split("\n").find((l) => l.startsWith("{"));
                    if (line) {
                        clearTimeout(timer);
                        resolve(JSON.parse(line) as Ready);
                    }
                });
                child.once("exit", (code) => {
                    clearTimeout(timer);
                    reject(new Error(`kube-apiserver exited (${code}) before it was ready:\n${stderr.split("\n").slice(-30).join("\n")}`));
                });
            });
            return new JudgeServer(child, dir, new KubeClient(ready.server, dir));
        } catch (error) {
            child.kill("SIGKILL");
            fs.rmSync(dir, { recursive: true, force: true });
            throw error;
        }
    }

    /** SIGTERM, then SIGKILL after 20 s; the directory (etcd's data, the keys) goes with it. */
    async stop(): Promise<void> {
        if (this.child.exitCode === null && this.child.signalCode === null) {
            const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
            this.child.kill("SIGTERM");
            const timer = setTimeout(() => this.child.kill("SIGKILL"), 20_000);
            await exited;
            clearTimeout(timer);
        }
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

export interface ApplyVerdict {
    accepted: boolean;
    /** The HTTP status: 200/201 accepted; 4xx/5xx refused, with the server's message. */
    status: number;
    message: string;
    warnings: string[];
    /** The Status reason (Invalid, NotFound, Forbidden, ...). */
    reason?: string;
}

interface ApiResource {
    name: string;
    namespaced: boolean;
    kind: string;
}

export class KubeClient {
    private readonly agent: https.Agent;
    private readonly discovered = new Map<string, ApiResource[]>();

    constructor(
        readonly server: string,
        dir: string,
    ) {
        this.agent = new https.Agent({
            ca: fs.readFileSync(path.join(dir, "ca.crt")),
            cert: fs.readFileSync(path.join(dir, "admin.crt")),
            key: fs.readFileSync(path.join(dir, "admin.key")),
            keepAlive: true,
        });
    }

    request(
        method: string,
        urlPath: string,
        body?: string,
        contentType = "application/json",
    ): Promise<{ status: number; body: string; warnings: string[] }> {
        return new Promise((resolve, reject) => {
            const req = https.request(
                `${this.server}${urlPath}`,
                {
                    method,
                    agent: this.agent,
                    timeout: 60_000,
                    headers: body === undefined ? {} : { "content-type": contentType, "content-length": Buffer.byteLength(body) },
                },
                (res) => {
                    let text = "";
                    res.setEncoding("utf8");
                    res.on("data", (d) => (text += d));
                    res.on("end", () => {
                        const header = res.headers.warning;
                        const warnings = (Array.isArray(header) ? header : header ? [header] : []).flatMap(parseWarnings);
                        resolve({ status: res.statusCode ?? 0, body: text, warnings });
                    });
                },
            );
            req.on("timeout", () => req.destroy(new Error(`${method} ${urlPath}: no answer within 60 s`)));
            req.on("error", reject);
            if (body !== undefined) req.write(body);
            req.end();
        });
    }

    private async resources(apiVersion: string, refresh = false): Promise<ApiResource[]> {
        if (!refresh && this.discovered.has(apiVersion)) return this.discovered.get(apiVersion)!;
        const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
        const res = await this.request("GET", base);
        const list =
            res.status === 200 ? ((JSON.parse(res.body).resources as ApiResource[]) ?? []).filter((r) => !r.name.includes("/")) : [];
        this.discovered.set(apiVersion, list);
        return list;
    }

    /** The REST path of an object, or why there is none (the server serves no such kind). */
    async objectPath(object: KubeObject): Promise<{ path?: string; problem?: string }> {
        let found = (await this.resources(object.apiVersion)).find((r) => r.kind === object.kind);
        if (!found) found = (await this.resources(object.apiVersion, true)).find((r) => r.kind === object.kind);
        if (!found) return { problem: `the server serves no ${object.kind} in ${object.apiVersion} (no CRD installed for it?)` };
        const base = object.apiVersion.includes("/") ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
        const ns = object.metadata.namespace;
        if (found.namespaced && !ns) return { problem: `${object.kind} is namespaced and names no namespace` };
        if (!found.namespaced && ns) return { problem: `${object.kind} is cluster-scoped and names namespace ${ns}` };
        return { path: `${base}${found.namespaced ? `/namespaces/${ns}` : ""}/${found.name}/${encodeURIComponent(object.metadata.name)}` };
    }

    /**
     * Server-side apply, as the Kubernetes provider applies (its field manager, force: the provider
     * takes over fields it is asked to set). `dryRun`: the server runs defaulting, validation, admission
     * and the immutability checks, and persists nothing.
     */
    async apply(object: KubeObject, opts: { dryRun: boolean; fieldManager?: string }): Promise<ApplyVerdict> {
        const where = await this.objectPath(object);
        if (!where.path) return { accepted: false, status: 0, message: where.problem!, warnings: [] };
        const query = new URLSearchParams({
            fieldManager: opts.fieldManager ?? "pulumi-kubernetes",
            force: "true",
            ...(opts.dryRun ? { dryRun: "All" } : {}),
        });
        const res = await this.request("PATCH", `${where.path}?${query}`, JSON.stringify(object), "application/apply-patch+yaml");
        if (res.status >= 200 && res.status < 300) return { accepted: true, status: res.status, message: "", warnings: res.warnings };
        let message = res.body;
        let reason: string | undefined;
        try {
            const status = JSON.parse(res.body) as { message?: string; reason?: string };
            message = status.message ?? res.body;
            reason = status.reason;
        } catch {
            // Not a Status: the body is the message.
        }
        return { accepted: false, status: res.status, message, warnings: res.warnings, reason };
    }

    /** Waits until a CRD is Established, so its kind is served (bounded: 60 s). */
    async waitEstablished(name: string, timeoutMs = 60_000): Promise<boolean> {
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
            const res = await this.request("GET", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
            if (res.status === 200) {
                const conditions = (JSON.parse(res.body).status?.conditions ?? []) as { type: string; status: string }[];
                if (conditions.some((c) => c.type === "Established" && c.status === "True")) return true;
            }
            await new Promise((r) => setTimeout(r, 200));
        }
        return false;
    }
}

/** `299 - "text"` (RFC 7234 warn-code, agent, quoted text), possibly several joined by commas. */
export function parseWarnings(header: string): string[] {
    const out: string[] = [];
    const pattern = /\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"/g;
    for (let m = pattern.exec(header); m; m = pattern.exec(header)) out.push(m[1].replace(/\\(.)/g, "$1"));
    return out.length ? out : [header];
}
