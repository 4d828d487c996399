// The TalosRollout (components/talos/rollout/resource.ts): its update runs the rollout engine. Create does nothing
// (new nodes boot the current image); an update with new versions upgrades node by node; the preview shows the
// `order` lines, old -> new, in rollout order; a node joining or leaving is an update that records the new order
// and dials nothing. The client configuration and the Kubernetes client key are secret inputs and never appear in
// the outputs, which hold only the order and what each node landed on.
//
// What the engine does with these answers (pulumi/pulumi v3.248.0): check(old inputs, news); diff(old OUTPUTS,
// news); then update(old outputs, news), whose outputs the state keeps, or a same step that keeps the old outputs
// (pkg/resource/deploy/step.go, SameStep.Apply). A failed update records how far it got: an error that carries `id`
// and `properties` becomes ErrorResourceInitFailed (@pulumi/pulumi provider/server.js, grpcResponseFromError), which
// the engine saves as the outputs, with the OLD inputs (pkg/engine/update.go, "partially-failed update, saving old
// inputs"). The outputs keep the old `order`, so the next `pulumi up` still sees the change and runs again; the
// engine then skips, from live versions, every node that landed. test/talos/fakes/engine-model.ts plays this.
import type * as provider from "@pulumi/pulumi/provider";
import { rebootApplyingPending } from "../components/proxmox/power-cycle";
import { resizeProblems } from "../components/proxmox/plan/talos-vms";
import { formatProblem } from "../components/config/problems";
import { kubernetesSupportProblems, releaseProblems } from "../components/config/version-rules";
import { reboot } from "../components/talos/api/machine";
import { Landed, RestartCapability, RolloutError, runRollout } from "../components/talos/rollout/run";
import { withNode } from "../components/talos/rollout/gates";
import { nodesLastRolled } from "../components/talos/rollout/inputs";
import type { RolloutNode } from "../components/talos/rollout/steps";
import type { TalosRolloutInputs, TalosRolloutOutputs } from "../components/talos/rollout/resource";
import { plannedRestarts, RestartTrigger } from "../components/talos/rollout/restart-triggers";
import { PartialUpdateError, ResourceHandler } from "./handler";

/** The state an update reads: the outputs of the last create or update. */
export type RolloutState = TalosRolloutOutputs & {
    restarts: Record<string, string>;
    restartTriggers?: Record<string, RestartTrigger>;
    target?: TalosRolloutInputs["target"];
};

const resourceId = "talos-rollout";

const nodeOf = (line: string) => line.slice(0, line.indexOf(":"));

/** The nodes that joined and left since the order a state records. */
export function membershipChange(lastOrder: readonly string[] | undefined, order: readonly string[]): { joined: string[]; left: string[] } {
    const [before, after] = [(lastOrder ?? []).map(nodeOf), order.map(nodeOf)];
    return { joined: after.filter((n) => !before.includes(n)), left: before.filter((n) => !after.includes(n)) };
}

/** Work for the engine: a node that was there before with other versions, another installer, a restart asked
 *  for, or a newly staged config. Credentials, endpoints and timings alone are no work, and neither is a node
 *  joining or leaving. */
export function rolloutWork(olds: Partial<RolloutState>, news: TalosRolloutInputs): boolean {
    const before = new Map((olds.order ?? []).map((line) => [nodeOf(line), line]));
    const moved = news.order.some((line) => before.has(nodeOf(line)) && before.get(nodeOf(line)) !== line);
    const planned = plannedRestarts(news.nodes, olds.restartTriggers, news.restartTriggers);
    const restarting = Object.keys(planned.restarts).length > 0 || planned.stagedConfigs.length > 0;
    // Another installer at the same version (a system extension change) moves every node too. A state
    // written before the target was kept has none: that is no change.
    const otherInstaller = olds.target !== undefined && olds.target.installerImage !== news.target.installerImage;
    return moved || restarting || otherInstaller || JSON.stringify(olds.restarts ?? {}) !== JSON.stringify(news.restarts);
}

/**
 * A change is work, or a node that joined or left: both are updates, because the engine's diff decides what
 * the state keeps. A "no change" answer makes the engine take a same step, which keeps the OLD outputs
 * (pulumi/pulumi v3.248.0 pkg/resource/deploy/step.go, SameStep.Apply: "Retain the ID and outputs",
 * `s.new.Outputs = s.old.Outputs`), and every later update reads `olds.order` from those outputs: a node that
 * joined in a same step would never be rolled, and a control plane that joined would make the etcd gate
 * expect one member too few forever. So a membership change is recorded by an update that dials no node.
 */
export function rolloutChanged(olds: Partial<RolloutState>, news: TalosRolloutInputs): boolean {
    const { joined, left } = membershipChange(olds.order, news.order);
    return rolloutWork(olds, news) || joined.length > 0 || left.length > 0;
}

/**
 * The versions a stack moves to, checked against what it last rolled out (the old inputs), so a preview
 * refuses a skipped minor or a step back that the pins alone cannot see (a stack already past them), and
 * against what the target Talos runs (the table the config's validation uses, components/config/releases.ts).
 */
export function targetProblems(olds: Partial<TalosRolloutInputs>, news: TalosRolloutInputs): provider.CheckFailure[] {
    const problems = olds.target
        ? [
              ...releaseProblems("homelab:talos.version", "Talos", news.target.talosVersion, olds.target.talosVersion, "running"),
              ...releaseProblems(
                  "homelab:talos.kubernetesVersion",
                  "Kubernetes",
                  news.target.kubernetesVersion,
                  olds.target.kubernetesVersion,
                  "running",
              ),
          ]
        : [];
    if (!problems.length) problems.push(...kubernetesSupportProblems(news.target.talosVersion, news.target.kubernetesVersion));
    return problems.map((p) => ({ property: "target", reason: formatProblem(p) }));
}

/** Every problem of the new inputs: the versions, and a disk resized together with cores or memory. */
export async function rolloutCheck(olds: Partial<TalosRolloutInputs>, news: TalosRolloutInputs): Promise<provider.CheckFailure[]> {
    const resizes = resizeProblems(olds.restartTriggers ?? {}, news.restartTriggers ?? {}).map((p) => ({
        property: "restartTriggers",
        reason: formatProblem(p),
    }));
    return [...targetProblems(olds, news), ...resizes];
}

/** The rollout's restart for a resized node: through Proxmox (its pending hardware); the others through Talos. */
function restartCapability(news: TalosRolloutInputs, viaHypervisor: readonly string[]): RestartCapability {
    return {
        async restart(node: RolloutNode) {
            if (!viaHypervisor.includes(node.name))
                return void (await withNode({ talos: news.talos, kubernetes: news.kubernetes, timing: news.timing }, node, (client) =>
                    reboot(client),
                ));
            if (!news.proxmox)
                throw new Error(
                    `${node.name}: its VM hardware changed, and restarting it needs the Proxmox API, which the rollout was not given`,
                );
            const { callTimeoutMs, rebootTimeoutMs, pollIntervalMs } = news.timing;
            await rebootApplyingPending(
                news.proxmox.access,
                { name: node.name, ...news.proxmox.vms[node.name] },
                {
                    callTimeoutMs,
                    taskTimeoutMs: rebootTimeoutMs,
                    pollIntervalMs,
                    shutdownTimeoutSeconds: Math.round(rebootTimeoutMs / 2000),
                },
            );
        },
    };
}

export const talosRollout: ResourceHandler<TalosRolloutInputs, RolloutState> = {
    check: rolloutCheck,

    async create(inputs) {
        const landed = Object.fromEntries(
            inputs.nodes.map((n) => [
                n.name,
                { talosVersion: inputs.target.talosVersion, kubeletVersion: inputs.target.kubernetesVersion },
            ]),
        );
        return {
            id: resourceId,
            outs: {
                order: inputs.order,
                target: inputs.target,
                restarts: inputs.restarts,
                restartTriggers: inputs.restartTriggers ?? {},
                landed,
            },
        };
    },

    async diff(_id, olds, news) {
        return { changes: rolloutChanged(olds, news), replaces: [] };
    },

    async update(_id, olds, news) {
        const record = (landed: Record<string, Landed>) => ({
            outs: { order: news.order, target: news.target, restarts: news.restarts, restartTriggers: news.restartTriggers ?? {}, landed },
        });
        // What a node that joined runs: the image and config it booted with, which are the target's.
        const { joined, left } = membershipChange(olds.order, news.order);
        const kept = Object.fromEntries(Object.entries(olds.landed ?? {}).filter(([name]) => !left.includes(name)));
        const joinedLanded = Object.fromEntries(
            news.nodes
                .filter((n) => joined.includes(n.name))
                .map((n) => [n.name, { talosVersion: news.target.talosVersion, kubeletVersion: news.target.kubernetesVersion }]),
        );
        // Only nodes joining or leaving: the order is recorded and no node is dialed. The node that left may be
        // gone already; the one that joined may have no config yet (this rollout can run before the applies)
        // or not be Ready yet. The next update that has work rolls the joined nodes with the rest.
        if (!rolloutWork(olds, news)) return record({ ...kept, ...joinedLanded });
        const planned = plannedRestarts(news.nodes, olds.restartTriggers, news.restartTriggers);
        // Only the nodes the last record lists are dialed (inputs.ts, nodesLastRolled): a node that joined in this
        // very run is left alone for the same reasons.
        const nodes = nodesLastRolled(news.nodes, olds.order);
        try {
            const result = await runRollout({
                nodes,
                target: news.target,
                restarts: { ...news.restarts, ...planned.restarts },
                talos: news.talos,
                kubernetes: news.kubernetes,
                timing: news.timing,
                restartVia: planned.viaHypervisor.length ? restartCapability(news, planned.viaHypervisor) : undefined,
            });
            return record({ ...joinedLanded, ...result.landed });
        } catch (error) {
            const landed = (error as RolloutError).landed ?? olds.landed;
            // Partial state: what landed, under the old order, so the next run still sees the change.
            throw new PartialUpdateError((error as Error).message, resourceId, {
                order: olds.order,
                target: olds.target,
                restarts: olds.restarts,
                restartTriggers: olds.restartTriggers ?? {},
                landed,
            });
        }
    },
};
