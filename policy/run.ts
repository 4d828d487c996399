import {
    EnforcementLevel,
    Policies,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
    unknownCheckingProxy,
    UnknownValueError,
} from "@pulumi/policy";
// unknownCheckingProxy and UnknownValueError are real exports of @pulumi/policy's index.js, but its
// proxy.d.ts strips their declarations (@internal), so TypeScript sees them as `any`.
import { configKeysOf, NetworkPolicyConfig, pickConfig } from "./config";
import { packEnforcementLevel, policies } from "./policies";

// The pack's rules run in-process, without the CLI or the analyzer's gRPC server: `npm run plan` runs
// them over the recorded graph, tests over hand-made resources. The args are built as the analyzer
// builds them (server.js in @pulumi/policy): props behind the unknown-checking proxy, isType comparing
// the class's __pulumiType, getConfig returning the policy's schema keys. Differences: no resource
// options, provider, parent or dependencies are filled in, and stack policies see the same props as
// resource policies (the engine hands them a resource's outputs; the recorded graph has inputs only).

export interface PlannedResource {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
}

export interface Verdict {
    policy: string;
    /** The resource's URN; for a stack policy the URN it reported, or "" for the stack as a whole. */
    resource: string;
    message: string;
    enforcementLevel: EnforcementLevel;
}

/** Thrown by args.notApplicable; the analyzer records the reason and moves on. */
export class NotApplicable extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "not applicable");
    }
}

/** How tools/offline/record.ts writes a value that was unknown at registration. */
export const recordedUnknown = "<unknown>";
/** Pulumi's wire sentinel for an unknown string, which unknownCheckingProxy turns into an UnknownValueError on access. */
const wireUnknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function restoreUnknowns(value: unknown): unknown {
    if (value === recordedUnknown) return wireUnknown;
    if (Array.isArray(value)) return value.map(restoreUnknowns);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restoreUnknowns(v)]));
    return value;
}

const isClassOf = (type: string) => (resourceClass: unknown) => (resourceClass as { __pulumiType?: string }).__pulumiType === type;

const noOptions = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};

/** What a resource policy and a stack policy both see of one resource. */
function describeResource(resource: PlannedResource) {
    const isType = isClassOf(resource.type);
    return {
        type: resource.type,
        props: resource.props,
        urn: resource.urn,
        name: resource.name,
        opts: noOptions,
        isType,
        asType: ((resourceClass: unknown) => (isType(resourceClass) ? resource.props : undefined)) as ResourceValidationArgs["asType"],
    };
}

/** What every validation call gets besides the resources: tags, its config, and the way out. */
function context(config: object) {
    return {
        stackTags: new Map<string, string>(),
        getConfig: <T extends object>() => structuredClone(config) as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
}

export function resourceArgs(resource: PlannedResource, config: object): ResourceValidationArgs {
    return { ...describeResource(resource), ...context(config) };
}

export function stackArgs(resources: readonly PlannedResource[], config: object): StackValidationArgs {
    const policyResources: PolicyResource[] = resources.map((resource) => ({
        ...describeResource(resource),
        dependencies: [],
        propertyDependencies: {},
    }));
    return { resources: policyResources, ...context(config) };
}

function isStackPolicy(policy: ResourceValidationPolicy | StackValidationPolicy): policy is StackValidationPolicy {
    return "validateStack" in policy;
}

/**
 * Every verdict of every enabled policy over these resources, in policy order then resource order.
 * `config` is the whole policy config (each policy sees its schema's keys of it). Like the analyzer, a
 * read of an unknown value turns that run into one advisory "can't run ... during preview" verdict.
 */
export async function runPolicies(
    resources: readonly PlannedResource[],
    config: NetworkPolicyConfig,
    pack: Policies = policies,
): Promise<Verdict[]> {
    const live = resources.map((r) => ({ ...r, props: unknownCheckingProxy(restoreUnknowns(r.props)) as Record<string, unknown> }));
    const verdicts: Verdict[] = [];
    for (const policy of pack) {
        const enforcementLevel = policy.enforcementLevel ?? packEnforcementLevel;
        if (enforcementLevel === "disabled") continue;
        const policyConfig = pickConfig(config, configKeysOf(policy.configSchema));
        const run = async (resourceUrn: string, validate: (report: (message: string, urn?: string) => void) => void | Promise<void>) => {
            try {
                await validate((message, urn) =>
                    verdicts.push({ policy: policy.name, resource: urn ?? resourceUrn, message, enforcementLevel }),
                );
            } catch (error) {
                if (error instanceof NotApplicable) return;
                if (!(error instanceof UnknownValueError)) throw error;
                const message = `can't run policy '${policy.name}' during preview: ${(error as Error).message}`;
                verdicts.push({ policy: policy.name, resource: resourceUrn, message, enforcementLevel: "advisory" });
            }
        };
        if (isStackPolicy(policy)) {
            await run("", (report) => policy.validateStack(stackArgs(live, policyConfig), report));
            continue;
        }
        for (const validate of [policy.validateResource ?? []].flat()) {
            for (const resource of live) await run(resource.urn, (report) => validate(resourceArgs(resource, policyConfig), report));
        }
    }
    return verdicts;
}
