import { customResourceTypes as our } from "../../components/custom-resources";
import type { TalosRolloutInputs } from "../../components/talos/rollout/resource";
import { RolloutState, rolloutChanged, rolloutCheck } from "../../provider/talos-rollout";
import { applyIgnoreChanges, parsePropertyPath, PathPart } from "./ignore-changes";

// What `pulumi preview` plans for each resource of a built stack, from the inputs of the last `up` and of
// the preview run: create, update, replace, delete or nothing. The engine diffs each resource's inputs
// after applying its ignoreChanges (./ignore-changes.ts); the provider decides whether a change replaces.
// Which inputs replace is each provider's schema, written down below with where it was read; an unknown
// value (a new upstream output) in such an input plans a replacement, as the bridged providers do.

/** The part of a recorded registration the plan reads. */
export interface PreviewRegistration {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** A component its provider renders (helm.v4.Chart): its objects change with its inputs, so it is planned too. */
    remote?: boolean;
    inputs: Record<string, unknown>;
    ignoreChanges: string[];
    replaceOnChanges: string[];
    /** URNs whose replacement replaces this one (the `replaceWith` option). */
    replaceWith?: string[];
}

export type Operation = "create" | "update" | "replace" | "delete" | "same";

export interface PreviewStep {
    urn: string;
    name: string;
    type: string;
    op: Operation;
    /** The inputs that differ, as property paths (top-level keys, or the replacing path). */
    changed: string[];
}

const kubernetesIdentity = ["metadata.name", "metadata.namespace", "apiVersion", "kind"];

/**
 * Inputs whose change makes the provider replace the resource. Sources: bpg terraform-provider-proxmox
 * v0.111.1 (proxmoxtf/resource/vm/vm.go CustomizeDiff: vm_id, node_name unless migrate;
 * vm/disk/schema.go: disk file_id ForceNew; fwprovider/nodes/resource_download_file.go RequiresReplace);
 * terraform-provider-talos v0.11.0 (no RequiresReplace but the secrets' talos_version going backwards);
 * pulumi-kubernetes (an object's name, namespace, apiVersion or kind; a Release's name or namespace);
 * our provider's diff functions (provider/: the gates move with the API host; a forwarder with its url or domain).
 */
export const replacingInputs: Readonly<Record<string, readonly string[]>> = {
    "proxmoxve:index/vmLegacy:VmLegacy": ["vmId", "nodeName", "disks[*].fileId"],
    "proxmoxve:download/file:File": [
        "contentType",
        "fileName",
        "datastoreId",
        "nodeName",
        "url",
        "checksum",
        "checksumAlgorithm",
        "decompressionAlgorithm",
    ],
    "kubernetes:helm.sh/v3:Release": ["name", "namespace"],
    [our.KubernetesApiReady]: ["host"],
    [our.KubernetesNodesReady]: ["host"],
    [our.AdguardForwarder]: ["url", "domain"],
    [our.TechnitiumForwarder]: ["url", "domain"],
    [our.KubernetesNode]: ["node"],
};

/**
 * Our resources whose provider's diff looks at some inputs only (provider/): a change in any other input is no
 * change. Their diffs are pure but for the forwarders' (which ask the server when the inputs are the same: not here,
 * offline) and the token term's (which reads the clock: its inputs never change).
 */
export const comparedInputs: Readonly<Record<string, readonly string[]>> = {
    [our.KubernetesApiReady]: ["host"],
    [our.KubernetesNodesReady]: ["host"],
    [our.TalosRollout]: ["order", "restarts", "restartTriggers", "target"],
    // A node's first config: its diff sees no change ever (provider/maintenance-apply.ts); it is replaced with its apply.
    [our.MaintenanceApply]: [],
    // A Node object's record: the control planes it reads the kubeconfig from (provider/kubernetes-node.ts).
    [our.KubernetesNode]: ["node", "controlPlanes"],
};

/** Our resources whose provider's own diff decides whether anything changed: the provider's function, called here. */
export const providerDiffs: Readonly<Record<string, (olds: Record<string, unknown>, news: Record<string, unknown>) => boolean>> = {
    [our.TalosRollout]: (olds, news) => rolloutChanged(olds as Partial<RolloutState>, news as unknown as TalosRolloutInputs),
};

/** Our resources whose provider's check compares the new inputs with the last run's: a failure stops the
 *  preview, as the engine stops it (check runs in a preview too, with the old inputs). */
export const providerChecks: Readonly<
    Record<string, (olds: Record<string, unknown>, news: Record<string, unknown>) => Promise<{ property: string; reason: string }[]>>
> = {
    [our.TalosRollout]: (olds, news) => rolloutCheck(olds as Partial<TalosRolloutInputs>, news as unknown as TalosRolloutInputs),
};

/** Every check failure of the preview's resources of ours that existed before, as `name: property: reason`. */
export async function checkFailures(built: readonly PreviewRegistration[], preview: readonly PreviewRegistration[]): Promise<string[]> {
    const before = new Map(built.map((r) => [r.urn, r]));
    const failures: string[] = [];
    for (const r of preview) {
        const check = providerChecks[r.type];
        const prior = before.get(r.urn);
        if (check && prior) for (const f of await check(prior.inputs, r.inputs)) failures.push(`${r.name}: ${f.property}: ${f.reason}`);
    }
    return failures;
}

function compared(r: PreviewRegistration, key: string): boolean {
    return comparedInputs[r.type]?.includes(key) ?? true;
}

function replacingPaths(r: PreviewRegistration): string[] {
    const listed =
        replacingInputs[r.type] ??
        (r.type.startsWith("kubernetes:") && r.type !== "kubernetes:helm.sh/v3:Release" ? kubernetesIdentity : []);
    return [...listed, ...r.replaceOnChanges];
}

/** Every value at `path` in `value` (a `*` fans out), or "<missing>" where the path ends early. */
function valuesAt(path: PathPart[], value: unknown): unknown[] {
    if (!path.length) return [value];
    if (value === "<unknown>") return ["<unknown>"];
    const [key, ...rest] = path;
    if (key === "*") {
        if (Array.isArray(value)) return value.flatMap((v) => valuesAt(rest, v));
        if (value && typeof value === "object") return Object.values(value).flatMap((v) => valuesAt(rest, v));
        return ["<missing>"];
    }
    if (value && typeof value === "object" && key in (value as object))
        return valuesAt(rest, (value as Record<string | number, unknown>)[key]);
    return ["<missing>"];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const unknownIn = (v: unknown) => JSON.stringify(v)?.includes("<unknown>") ?? false;

/** The step of one resource found in both runs, ignoring its replaceWith targets. */
export function diffResource(prior: PreviewRegistration, next: PreviewRegistration): { op: Operation; changed: string[] } {
    const { inputs } = applyIgnoreChanges(next.inputs, prior.inputs, next.ignoreChanges);
    const keys = [...new Set([...Object.keys(prior.inputs), ...Object.keys(inputs)])].sort();
    const changed = keys.filter((k) => compared(next, k) && (!same(prior.inputs[k], inputs[k]) || unknownIn(inputs[k])));
    if (!changed.length) return { op: "same", changed };
    const decide = providerDiffs[next.type];
    // The provider server hands its diff the inputs as they are, unknowns as a sentinel value (provider/server.js).
    if (decide && !decide(prior.inputs, inputs)) return { op: "same", changed: [] };
    const replacing = replacingPaths(next).filter((path) => {
        const parts = parsePropertyPath(path);
        const before = valuesAt(parts, prior.inputs);
        const after = valuesAt(parts, inputs);
        return !same(before, after) || after.some(unknownIn);
    });
    return replacing.length ? { op: "replace", changed: replacing } : { op: "update", changed };
}

const planned = (r: PreviewRegistration) => r.custom || r.remote === true;

/** The preview's steps for every custom resource and rendered component, in registration order, then the deletes. */
export function previewSteps(built: readonly PreviewRegistration[], preview: readonly PreviewRegistration[]): PreviewStep[] {
    const before = new Map(built.map((r) => [r.urn, r]));
    const steps = new Map<string, PreviewStep>();
    for (const r of preview.filter(planned)) {
        const prior = before.get(r.urn);
        const { op, changed } = prior ? diffResource(prior, r) : { op: "create" as const, changed: [] };
        // A replaceWith target registers before its dependents, so its step is already known.
        const replacedWith = (r.replaceWith ?? []).filter((urn) => steps.get(urn)?.op === "replace");
        steps.set(
            r.urn,
            replacedWith.length && op !== "create"
                ? {
                      urn: r.urn,
                      name: r.name,
                      type: r.type,
                      op: "replace",
                      changed: replacedWith.map((u) => `replaceWith ${u.split("::").pop()}`),
                  }
                : { urn: r.urn, name: r.name, type: r.type, op, changed },
        );
    }
    const seen = new Set(preview.map((r) => r.urn));
    for (const r of built.filter((b) => planned(b) && !seen.has(b.urn)))
        steps.set(r.urn, { urn: r.urn, name: r.name, type: r.type, op: "delete", changed: [] });
    return [...steps.values()];
}

/** Resource names by operation, sorted: the shape of the README's day-2 table and its tests. */
export function summarize(steps: readonly PreviewStep[]): Record<Exclude<Operation, "same">, string[]> {
    const pick = (op: Operation) =>
        steps
            .filter((s) => s.op === op)
            .map((s) => s.name)
            .sort();
    return { create: pick("create"), update: pick("update"), replace: pick("replace"), delete: pick("delete") };
}
