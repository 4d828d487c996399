// Pure: which nodes a rollout restarts, from what each node's restart would apply, compared with the last
// rollout's record. A node restarts when its VM hardware changed (Proxmox holds cores and memory pending
// until it restarts the VM itself). A node whose apply staged a new machine config is work for the rollout
// too: the engine reads what the node holds staged and applies it live, or restarts the node when Talos says
// it needs a reboot (staged-config.ts). New nodes are neither: they booted with both.
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import type { RolloutNode } from "./steps";

export interface RestartTrigger {
    /** The VM hardware a restart applies: `4 cores, 8192 MiB`. */
    hardware: string;
    /** The boot disk's size, GiB: no restart, but not resized in the same run as `hardware` (proxmox/plan/talos-vms.ts). */
    diskGiB?: number;
    /** The machine config the node holds staged (a digest), or "" when it applied its config at once. */
    stagedConfig: string;
}

export interface PlannedRestarts {
    /** Node -> why it restarts, for the engine and its log. */
    restarts: Record<string, string>;
    /** The nodes whose restart must go through the hypervisor (pending hardware), in rollout order. */
    viaHypervisor: string[];
    /** The nodes whose apply staged a new config since the record, in rollout order. */
    stagedConfigs: string[];
}

export function plannedRestarts(
    nodes: readonly RolloutNode[],
    olds: Readonly<Record<string, RestartTrigger>> = {},
    news: Readonly<Record<string, RestartTrigger>> = {},
): PlannedRestarts {
    const restarts: Record<string, string> = {};
    const viaHypervisor: string[] = [];
    const stagedConfigs: string[] = [];
    for (const { name } of nodes) {
        const [before, after] = [olds[name], news[name]];
        if (!before || !after) continue;
        if (before.hardware !== after.hardware) {
            restarts[name] = `hardware ${before.hardware} -> ${after.hardware}`;
            viaHypervisor.push(name);
        }
        if (after.stagedConfig !== "" && after.stagedConfig !== before.stagedConfig) stagedConfigs.push(name);
    }
    return { restarts, viaHypervisor, stagedConfigs };
}

/**
 * The trigger of a node's staged config: a digest of the config it applied when the provider staged it
 * (resolvedApplyMode "staged"), else "". Not secret: a digest of the config reveals none of its secrets.
 */
export function stagedConfigDigest(mode: pulumi.Input<string>, machineConfiguration: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.unsecret(
        pulumi.all([mode, machineConfiguration]).apply(([m, config]) =>
            m === "staged"
                ? createHash("sha256")
                      .update(config ?? "")
                      .digest("hex")
                      .slice(0, 16)
                : "",
        ),
    );
}
