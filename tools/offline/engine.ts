import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { decodeWire, Invocation, RecordedRun, Registration, StackExport, wire } from "./record";
import { mockCall, mockResource } from "./mock-outputs";
import { applyIgnoreChanges } from "./ignore-changes";
import { diffResource } from "./preview-steps";
import {
    enableEngineFeatures,
    forgetLeakCandidates,
    MockMonitor,
    registerResourceResponse,
    rememberResource,
    serializeProperties,
    waitForRPCs,
} from "./pulumi-internals";
import type { StackConfig } from "../../components/config/stack-config";

// The recording mock engine: runs index.ts under Pulumi's mocks with a monitor that records every
// registration (parent, dependencies, provider, secrets, options) and invoke. It also does the two
// things the real engine does that plain mocks skip, so secrecy is tested as it will really be:
// outputs named in additionalSecretOutputs, and outputs whose same-named input was secret, come back secret.

/* eslint-disable @typescript-eslint/no-explicit-any */
type Req = any;
type Callback = (err: Error | null, response?: unknown) => void;

/** The URN the mock monitor gives: the parent's type is prefixed to the child's, as the engine does. */
function urnOf(parent: string, type: string, name: string): string {
    const qualified = parent ? `${parent.split("::")[2]}$${type}` : type;
    return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
}

/**
 * The Talos provider's functions that dial the nodes they name (terraform-provider-talos v0.11.0:
 * talos_cluster_health, talos_machine_disks); its other functions compute locally.
 */
export const nodeDialingInvokes: readonly string[] = ["talos:cluster/getHealth:getHealth", "talos:machine/getDisks:getDisks"];

class RecordingMonitor extends MockMonitor {
    readonly registrations: Registration[] = [];
    readonly invokes: Invocation[] = [];

    /** Replaced in this preview, by URN: their dependents by `replaceWith` are replaced too. */
    private readonly replaced = new Set<string>();

    /**
     * In a preview: the resources of the last `up`, by URN; anything else is being created. `unreachable`:
     * addresses no invoke can reach (a node that is down), so an invoke naming one fails as it would.
     */
    constructor(
        private readonly prior?: ReadonlyMap<string, Registration>,
        private readonly unreachable: readonly string[] = [],
    ) {
        super({ newResource: mockResource, call: mockCall });
    }

    /**
     * What the engine answers in a preview (./preview-steps.ts decides the step). A resource being created or
     * replaced gets no id and only its inputs back (its computed outputs are unknown). One updated with an
     * unknown input (ignoreChanges applied the engine's way) keeps its id, its outputs unknown; one unchanged
     * or updated with known inputs answers as the provider would for those inputs.
     */
    private previewInputs(registration: Registration): { create: true } | { create: false; inputs?: Record<string, unknown> } {
        const prior = this.prior?.get(registration.urn);
        if (!prior) return { create: true };
        const step = diffResource(prior, registration);
        if (step.op === "replace" || registration.replaceWith.some((urn) => this.replaced.has(urn))) {
            this.replaced.add(registration.urn);
            return { create: true };
        }
        const { inputs } = applyIgnoreChanges(registration.inputs, prior.inputs, registration.ignoreChanges);
        return JSON.stringify(inputs).includes("<unknown>") ? { create: false } : { create: false, inputs };
    }

    async registerResource(req: Req, callback: Callback): Promise<void> {
        try {
            const raw = req.getObject()?.toJavaScript() ?? {};
            const { value: inputs, secretPaths } = decodeWire(raw);
            const propertyDependencies: Record<string, string[]> = {};
            req.getPropertydependenciesMap().forEach((v: any, k: string) => (propertyDependencies[k] = [...v.getUrnsList()].sort()));
            const urn = urnOf(req.getParent(), req.getType(), req.getName());
            const registration: Registration = {
                urn,
                type: req.getType(),
                name: req.getName(),
                custom: req.getCustom(),
                remote: req.getRemote(),
                parent: req.getParent(),
                dependencies: [...req.getDependenciesList()].sort(),
                propertyDependencies,
                provider: req.getProvider(),
                protect: req.getProtect() === true,
                retainOnDelete: req.getRetainondelete() === true,
                ignoreChanges: req.getIgnorechangesList(),
                additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
                replaceOnChanges: req.getReplaceonchangesList(),
                replaceWith: [...req.getReplaceWithList()].sort(),
                deletedWith: req.getDeletedwith(),
                deleteBeforeReplace: req.getDeletebeforereplace(),
                aliases: req.getAliasesList().map((alias: any) => {
                    if (!alias.hasSpec()) return { urn: alias.getUrn() };
                    const spec = alias.getSpec();
                    return { ...(spec.getType() ? { type: spec.getType() } : {}), ...(spec.getName() ? { name: spec.getName() } : {}) };
                }),
                version: req.getVersion(),
                pluginDownloadURL: req.getPlugindownloadurl(),
                inputs: inputs as Record<string, unknown>,
                secretPaths,
            };
            this.registrations.push(registration);
            const preview = this.prior ? this.previewInputs(registration) : { create: false as const, inputs: undefined };
            if (preview.create || (this.prior && !preview.inputs)) {
                // Created, or changed by an unknown input: the inputs come back, computed outputs stay unknown.
                const existing = this.prior?.get(urn) && !this.replaced.has(urn);
                return callback(null, registerResourceResponse(urn, existing ? `${registration.name}-id` : "", raw));
            }
            const result = await this.mocks.newResource({
                type: registration.type,
                name: registration.name,
                // Plain values (secrets unwrapped), as a provider sees them.
                inputs: preview.inputs ?? registration.inputs,
                provider: registration.provider,
                custom: registration.custom,
                id: req.getImportid(),
            });
            const state = await serializeProperties(result.state);
            const secretInputs = new Set(secretPaths.map((p) => p.split("/")[1]));
            for (const key of Object.keys(state)) {
                if (
                    (registration.additionalSecretOutputs.includes(key) || secretInputs.has(key)) &&
                    state[key]?.[wire.sigKey] !== wire.secretSig
                ) {
                    state[key] = { [wire.sigKey]: wire.secretSig, value: state[key] };
                }
            }
            rememberResource(this, urn, result.id ?? null, state);
            callback(null, registerResourceResponse(urn, result.id || "", state));
        } catch (err) {
            callback(err as Error);
        }
    }

    async invoke(req: Req, callback: Callback): Promise<void> {
        const { value, secretPaths } = decodeWire(req.getArgs()?.toJavaScript() ?? {});
        this.invokes.push({
            token: req.getTok(),
            args: value as Record<string, unknown>,
            secretPaths,
            version: req.getVersion(),
            pluginDownloadURL: req.getPlugindownloadurl(),
        });
        const text = JSON.stringify(value);
        const dials = nodeDialingInvokes.includes(req.getTok());
        const down = dials
            ? this.unreachable.find(
                  (address) => text.includes(`"${address}"`) || text.includes(`"${address}:`) || text.includes(`//${address}:`),
              )
            : undefined;
        if (down) {
            const message = `${req.getTok()}: dial ${down}: connection refused (the node is down)`;
            return callback(Object.assign(new Error(message), { details: message }));
        }
        // The SDK reports an invoke failure by its gRPC `details`, which a mock's thrown Error lacks.
        return super.invoke(req, (err, response) => callback(err ? Object.assign(err, { details: err.message }) : null, response));
    }
}

const programPath = path.resolve(__dirname, "../../index.ts");

async function unwrapExport(value: unknown): Promise<StackExport> {
    if (!pulumi.Output.isInstance(value)) return { value, secret: false };
    const output = value as any;
    return { value: await output.promise(), secret: await output.isSecret };
}

/**
 * Runs the program once with this config and returns everything it registered. A config error
 * comes back as `error` with whatever had been registered (which must be nothing).
 */
export interface EvaluateOptions {
    project?: string;
    stack?: string;
    stallMs?: number;
    /** Another program than index.ts. */
    program?: string;
    /** Run as `pulumi preview` against the resources of a previous run (see RecordingMonitor.previewInputs). */
    previewAgainst?: readonly Registration[];
    /** Addresses that do not answer: a node-dialing invoke that names one fails (a node that is down). */
    unreachable?: readonly string[];
    /** Keep Pulumi's per-promise stack traces, as a real run does (the whole-process bench). */
    keepStackTraces?: boolean;
}

export async function evaluate(config: StackConfig, secretKeys: string[], opts: EvaluateOptions = {}): Promise<RecordedRun> {
    const prior = opts.previewAgainst ? new Map(opts.previewAgainst.map((r) => [r.urn, r])) : undefined;
    const monitor = new RecordingMonitor(prior, opts.unreachable);
    pulumi.runtime.setMockOptions(monitor, opts.project ?? "homelab", opts.stack ?? "home", prior !== undefined);
    enableEngineFeatures();
    pulumi.runtime.setAllConfig(config, secretKeys);

    // A failed registration surfaces only as an unhandled rejection while the outputs that depend on it
    // never resolve; so the run races the program against the first such failure and a stall watchdog.
    let abort!: (error: Error) => void;
    const aborted = new Promise<never>((_, reject) => (abort = reject));
    const onRejection = (reason: unknown) => abort(reason instanceof Error ? reason : new Error(String(reason)));
    process.on("unhandledRejection", onRejection);
    const watchdog = setTimeout(
        () =>
            abort(
                new Error(
                    `the program stalled after ${monitor.registrations.length} registrations (last: ${monitor.registrations.at(-1)?.urn})`,
                ),
            ),
        opts.stallMs ?? 30000,
    );
    const exports: Record<string, StackExport> = {};
    let error: Error | undefined;
    const run = async () => {
        const file = opts.program ?? programPath;
        delete require.cache[require.resolve(file)];
        const program = require(file);
        for (const key of Object.keys(program).sort()) exports[key] = await unwrapExport(program[key]);
        await waitForRPCs();
    };
    // Pulumi records a stack trace for every promise it creates (runtime/debuggable.js, for leak reports),
    // and under ts-node each trace is source-mapped frame by frame. That cost grows faster than the graph
    // (measured, 3 + 60 nodes: 10.0 s at the default 10 frames, 0.9 s with none), so a run records none:
    // the figures then measure the program, not the tracing. Errors keep their messages.
    const stackTraceLimit = Error.stackTraceLimit;
    if (!opts.keepStackTraces) Error.stackTraceLimit = 0;
    try {
        await Promise.race([run(), aborted]);
    } catch (err) {
        error = err as Error;
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
        forgetLeakCandidates();
        clearTimeout(watchdog);
        await new Promise((resolve) => setImmediate(resolve));
        process.off("unhandledRejection", onRejection);
    }
    return { resources: monitor.registrations, invokes: monitor.invokes, exports, error };
}
