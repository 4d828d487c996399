// Drives the real Pulumi CLI (bin/engine/, built by tools/engine/build.sh) for one test program: a temporary
// PULUMI_HOME and file backend, the passphrase secrets provider, no update check, no plugin download, no
// registry lookup. Every command is a child process with a deadline, run asynchronously so the fakes in this
// process keep answering while the engine and our provider plugin dial them.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const projectRoot = path.resolve(__dirname, "../..");
export const engineBin = path.join(projectRoot, "bin", "engine");
const passphrase = "engine-test-passphrase";

export interface CommandResult {
    code: number;
    stdout: string;
    stderr: string;
}

/** One step the engine reported: its operation (same, create, update, replace, delete, ...) on a resource. */
export interface Step {
    op: string;
    /** The resource's name (the last part of its URN). */
    name: string;
    type: string;
    /** For an update or replace: the properties the provider said differ (ours say none: no detailed diff). */
    diffs?: string[];
    /** Preview only: the inputs whose value differs between the old state and the program (`__provider` aside). */
    inputChanges?: string[];
}

export interface Preview {
    steps: Step[];
    changeSummary: Record<string, number>;
    diagnostics: { urn?: string; message: string; severity: string }[];
}

/** What an up, refresh or destroy reported through its event log: the steps it applied, failures, diagnostics. */
export interface Run extends CommandResult {
    steps: Step[];
    failed: string[];
    diagnostics: { name?: string; message: string; severity: string }[];
}

export interface StateResource {
    urn: string;
    type: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    initErrors?: string[];
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

function changedKeys(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
    const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
    keys.delete("__provider");
    return [...keys].filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k])).sort();
}

interface EventMetadata {
    op: string;
    urn: string;
    type: string;
    diffs?: string[];
}

export class EngineStack {
    private constructor(
        readonly programDir: string,
        readonly stack: string,
        private readonly tempDir: string,
        private readonly env: NodeJS.ProcessEnv,
    ) {}

    /** Logs in to a fresh file backend and creates the stack, with the program's config file removed at close. */
    static async create(program: string): Promise<EngineStack> {
        const programDir = path.join(__dirname, "programs", program);
        const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), `homelab-engine-${program}-`));
        fs.mkdirSync(path.join(tempDir, "state"));
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            PATH: `${engineBin}${path.delimiter}${process.env.PATH ?? ""}`,
            PULUMI_HOME: path.join(tempDir, "home"),
            PULUMI_CONFIG_PASSPHRASE: passphrase,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_DISABLE_REGISTRY_RESOLVE: "true",
            // Only the plugins next to bin/engine/pulumi: never another pulumi-language-nodejs on the PATH.
            PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
            PULUMI_SKIP_CONFIRMATIONS: "true",
            // Shows --event-log, through which up, refresh and destroy report their steps (the automation API's way).
            PULUMI_DEBUG_COMMANDS: "true",
            NO_COLOR: "1",
        };
        for (const key of ["PULUMI_ACCESS_TOKEN", "PULUMI_BACKEND_URL", "PULUMI_API", "PULUMI_STACK"]) delete env[key];
        const stack = `${program}-${process.pid}-${Date.now().toString(36)}`;
        const engine = new EngineStack(programDir, stack, tempDir, env);
        await engine.expect(["login", `file://${path.join(tempDir, "state")}`]);
        await engine.expect(["stack", "init", stack, "--secrets-provider", "passphrase"]);
        return engine;
    }

    /** Runs `pulumi <args>` in the program's folder; fails the test when it has not ended within `timeoutMs`. */
    run(args: string[], timeoutMs = 180_000): Promise<CommandResult> {
        return new Promise((resolve, reject) => {
            const child = spawn(path.join(engineBin, "pulumi"), ["--non-interactive", ...args], {
                cwd: this.programDir,
                env: this.env,
                stdio: ["ignore", "pipe", "pipe"],
            });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
            child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
            const timer = setTimeout(() => {
                child.kill("SIGKILL");
                reject(new Error(`pulumi ${args.join(" ")}: no end within ${timeoutMs} ms\n${stdout}\n${stderr}`));
            }, timeoutMs);
            child.on("error", (error) => {
                clearTimeout(timer);
                reject(error);
            });
            child.on("close", (code) => {
                clearTimeout(timer);
                resolve({ code: code ?? -1, stdout, stderr });
            });
        });
    }

    /** Runs a command that must succeed. */
    async expect(args: string[]): Promise<CommandResult> {
        const result = await this.run(args);
        if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
        return result;
    }

    private stackArgs(): string[] {
        return ["--stack", this.stack];
    }

    /** `pulumi config set` (a JSON value for an object; `secret` encrypts it with the passphrase). */
    async setConfig(values: Record<string, unknown>, options: { secret?: boolean } = {}): Promise<void> {
        for (const [key, value] of Object.entries(values)) {
            const text = typeof value === "string" ? value : JSON.stringify(value);
            await this.expect([
                "config",
                "set",
                key,
                ...(options.secret ? ["--secret"] : ["--plaintext"]),
                ...this.stackArgs(),
                "--",
                text,
            ]);
        }
    }

    async removeConfig(key: string): Promise<void> {
        await this.expect(["config", "rm", key, ...this.stackArgs()]);
    }

    /** `pulumi preview --diff --json`: the steps the engine plans. */
    async preview(): Promise<Preview & CommandResult> {
        const result = await this.run(["preview", "--diff", "--json", ...this.stackArgs()]);
        type State = { type: string; inputs?: Record<string, unknown> };
        let digest: {
            steps?: { op: string; urn: string; diffReasons?: string[]; newState?: State; oldState?: State }[];
            changeSummary?: Record<string, number>;
            diagnostics?: Preview["diagnostics"];
        };
        try {
            digest = JSON.parse(result.stdout);
        } catch {
            throw new Error(`pulumi preview --json printed no JSON (exit ${result.code})\n${result.stdout}\n${result.stderr}`);
        }
        const steps = (digest.steps ?? []).map((s) => ({
            op: s.op,
            name: nameOf(s.urn),
            type: (s.newState ?? s.oldState)?.type ?? "",
            diffs: s.diffReasons,
            ...(s.oldState && s.newState ? { inputChanges: changedKeys(s.oldState.inputs ?? {}, s.newState.inputs ?? {}) } : {}),
        }));
        return { ...result, steps, changeSummary: digest.changeSummary ?? {}, diagnostics: digest.diagnostics ?? [] };
    }

    /** An up, refresh or destroy with `--yes`, read back from its event log. */
    private async operation(command: string[]): Promise<Run> {
        const log = path.join(this.tempDir, `events-${Date.now()}.jsonl`);
        const result = await this.run([...command, "--yes", "--skip-preview", "--event-log", log, ...this.stackArgs()]);
        const events = fs.existsSync(log)
            ? fs
                  .readFileSync(log, "utf8")
                  .split("\n")
                  .filter(Boolean)
                  .map((line) => JSON.parse(line))
            : [];
        const step = (m: EventMetadata): Step => ({
            op: m.op,
            name: nameOf(m.urn),
            type: m.type,
            ...(m.diffs?.length ? { diffs: m.diffs } : {}),
        });
        return {
            ...result,
            steps: events.filter((e) => e.resOutputsEvent).map((e) => step(e.resOutputsEvent.metadata)),
            failed: events.filter((e) => e.resOpFailedEvent).map((e) => nameOf(e.resOpFailedEvent.metadata.urn)),
            diagnostics: events
                .filter((e) => e.diagnosticEvent && !e.diagnosticEvent.ephemeral && e.diagnosticEvent.severity !== "debug")
                .map((e) => ({
                    ...(e.diagnosticEvent.urn ? { name: nameOf(e.diagnosticEvent.urn) } : {}),
                    message: e.diagnosticEvent.message,
                    severity: e.diagnosticEvent.severity,
                })),
        };
    }

    up(): Promise<Run> {
        return this.operation(["up"]);
    }

    refresh(): Promise<Run> {
        return this.operation(["refresh"]);
    }

    destroy(): Promise<Run> {
        return this.operation(["destroy"]);
    }

    /** `pulumi stack export`, as text (for searching it) and its resources. */
    async exportState(): Promise<{ text: string; resources: StateResource[] }> {
        const { stdout } = await this.expect(["stack", "export", ...this.stackArgs()]);
        const deployment = JSON.parse(stdout) as { deployment: { resources?: StateResource[] } };
        return { text: stdout, resources: deployment.deployment.resources ?? [] };
    }

    /** The resource of that name in the exported state. */
    async resource(name: string): Promise<StateResource> {
        const found = (await this.exportState()).resources.find((r) => nameOf(r.urn) === name);
        if (!found) throw new Error(`no resource ${name} in the state of ${this.stack}`);
        return found;
    }

    /** Removes the stack (and the config file it wrote next to the program) and the temporary folder. */
    async close(): Promise<void> {
        await this.run(["stack", "rm", this.stack, "--yes", "--force"]).catch(() => undefined);
        fs.rmSync(path.join(this.programDir, `Pulumi.${this.stack}.yaml`), { force: true });
        fs.rmSync(this.tempDir, { recursive: true, force: true });
    }
}

/**
 * The steps as `op name` lines, for one readable assertion; `same` steps left out unless asked for. (`preview
 * --json` lists no same step of a custom resource at all: its changeSummary counts them.)
 */
export function stepLines(steps: readonly Step[], options: { withSame?: boolean; type?: RegExp } = {}): string[] {
    return steps
        .filter((s) => (options.withSame || s.op !== "same") && (!options.type || options.type.test(s.type)))
        .map((s) => `${s.op} ${s.name}`)
        .sort();
}
