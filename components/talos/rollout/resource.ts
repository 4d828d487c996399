// TalosRollout: a dynamic resource whose update runs the rollout engine. Create does nothing (new nodes
// boot the current image); an update with new versions upgrades node by node; the preview shows the
// `order` lines, old -> new, in rollout order. The client configuration and the Kubernetes client key are
// secret inputs and never appear in the outputs, which hold only the order and what each node landed on.
//
// A failed update records how far it got: @pulumi/pulumi 3.248.0's dynamic provider host turns an error
// that carries `id` and `properties` into ErrorResourceInitFailed (cmd/dynamic-provider/index.js,
// grpcResponseFromError), which the engine saves as the resource's outputs. The outputs keep the old
// `order`, so the next `pulumi up` still sees the change and runs again; the engine then skips, from live
// versions, every node that landed.
import * as pulumi from "@pulumi/pulumi";
import type { ApiAccess } from "../api-ready";
import type { TalosClientConfiguration } from "../api/client";
import { Landed, RolloutError, runRollout } from "./engine";
import type { RolloutTiming } from "./gates";
import { RolloutPlainInputs } from "./inputs";

export interface TalosRolloutInputs extends RolloutPlainInputs {
    talos: TalosClientConfiguration;
    /** Unset: read through the Talos API when the rollout has steps (engine.ts). */
    kubernetes?: ApiAccess;
    timing: RolloutTiming;
}

export interface TalosRolloutOutputs {
    order: string[];
    landed: Record<string, Landed>;
}

const resourceId = "talos-rollout";

/** What moves: a node that was there before with other versions, or a restart asked for. Credentials,
 *  endpoints and timings alone start no rollout, and neither does a node joining (it boots the current
 *  image) or leaving: no node is dialed for those. */
function rolloutChanged(olds: Partial<TalosRolloutOutputs & { restarts: Record<string, string> }>, news: TalosRolloutInputs): boolean {
    const nodeOf = (line: string) => line.slice(0, line.indexOf(":"));
    const before = new Map((olds.order ?? []).map((line) => [nodeOf(line), line]));
    const moved = news.order.some((line) => before.has(nodeOf(line)) && before.get(nodeOf(line)) !== line);
    return moved || JSON.stringify(olds.restarts ?? {}) !== JSON.stringify(news.restarts);
}

export const talosRolloutProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: TalosRolloutInputs) {
        const landed = Object.fromEntries(inputs.nodes.map((n) => [n.name, { talosVersion: inputs.target.talosVersion, kubeletVersion: inputs.target.kubernetesVersion }]));
        return { id: resourceId, outs: { order: inputs.order, restarts: inputs.restarts, landed } };
    },

    async diff(_id: string, olds: TalosRolloutOutputs & { restarts: Record<string, string> }, news: TalosRolloutInputs) {
        return { changes: rolloutChanged(olds, news), replaces: [] };
    },

    async update(_id: string, olds: TalosRolloutOutputs & { restarts: Record<string, string>; __provider?: string }, news: TalosRolloutInputs & { __provider?: string }) {
        try {
            const result = await runRollout({
                nodes: news.nodes, target: news.target, restarts: news.restarts, talos: news.talos, kubernetes: news.kubernetes, timing: news.timing,
            });
            return { outs: { order: news.order, restarts: news.restarts, landed: result.landed } };
        } catch (error) {
            const landed = (error as RolloutError).landed ?? olds.landed;
            // Partial state: what landed, under the old order, so the next run still sees the change.
            throw Object.assign(new Error((error as Error).message), {
                id: resourceId,
                properties: { order: olds.order, restarts: olds.restarts, landed, __provider: news.__provider },
                reasons: [(error as Error).message],
            });
        }
    },
};

export interface TalosRolloutArgs {
    /** From rolloutPlainInputs: nodes in rollout order, the target, the order lines, restarts. */
    plan: RolloutPlainInputs;
    /** The Talos provider's client configuration: secret. */
    talos: pulumi.Input<TalosClientConfiguration>;
    /** Kubernetes API access from the kubeconfig: the client key is secret. Leave it out for a rollout that
     *  must run before the kubeconfig resource exists (before the machine config applies): it then reads the
     *  admin kubeconfig through the Talos API, only when it has steps to run, and keeps it in memory. */
    kubernetes?: pulumi.Input<ApiAccess>;
    /** Deadlines and bounds; defaults sized for a real node (gates.ts, defaultTiming). */
    timing: RolloutTiming;
}

/** Kubernetes access as an input, the client key secret. */
function kubernetesInputs(kubernetes: pulumi.Output<ApiAccess>) {
    return { kubernetes: { host: kubernetes.host, caCertificate: kubernetes.caCertificate, clientCertificate: kubernetes.clientCertificate, clientKey: pulumi.secret(kubernetes.clientKey) } };
}

/** The dynamic resource's inputs: secrets wrapped, the rest plain. */
export function talosRolloutInputs(args: TalosRolloutArgs) {
    const kubernetes = pulumi.output(args.kubernetes);
    return {
        ...args.plan,
        talos: pulumi.secret(args.talos),
        // None given: the rollout reads it through Talos.
        ...(args.kubernetes === undefined ? {} : kubernetesInputs(kubernetes as pulumi.Output<ApiAccess>)),
        timing: args.timing,
    };
}

export class TalosRollout extends pulumi.dynamic.Resource {
    declare public readonly order: pulumi.Output<string[]>;
    declare public readonly landed: pulumi.Output<Record<string, Landed>>;

    constructor(name: string, args: TalosRolloutArgs, opts?: pulumi.CustomResourceOptions) {
        super(talosRolloutProvider, name, { ...talosRolloutInputs(args), landed: undefined }, opts, "talos", "TalosRollout");
    }
}
