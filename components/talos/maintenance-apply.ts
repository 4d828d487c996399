// MaintenanceApply: the first config of a node, applied at once. Every config apply stages its config
// (cluster.ts, applyMode "staged"), so no apply ever reboots a running node; but in maintenance mode a staged
// config is only persisted, and the node waits for an active one (Talos v1.13.9 v1alpha1_server.go
// ApplyConfiguration, mode STAGED: SetPersistedConfig only; internal/app/machined/pkg/controllers/config/
// acquire.go stateMaintenance waits for the `v1alpha1` (active) config). This resource runs once per VM, right
// after its apply: a node that already answers our client certificate runs a config and is left alone; one in
// maintenance mode gets the same config applied at once over the maintenance API (api/maintenance.ts).
import * as pulumi from "@pulumi/pulumi";
import type { TalosClientConfiguration } from "./api/client";
import { maintenanceApply } from "./api/maintenance";
import { talosVersion } from "./api/machine";
import { RolloutTiming, sleep, TalosConnections, withNode } from "./rollout/gates";

export interface MaintenanceApplyInputs {
    /** Node name: `talos-cp-1`. */
    node: string;
    /** Its apid address: `172.16.1.50:50000`. */
    endpoint: string;
    /** The cluster's client configuration (secret): a node that accepts it runs a config already. */
    talos: TalosClientConfiguration;
    /** The rendered config its apply staged (secret). */
    machineConfiguration: string;
    /** `callTimeoutMs` bounds each call, `rebootTimeoutMs` the whole wait, `pollIntervalMs` the pace. */
    timing: Pick<RolloutTiming, "callTimeoutMs" | "rebootTimeoutMs" | "pollIntervalMs">;
}

/** How the node was found: configured already (nothing sent), or in maintenance mode (its config applied). */
export type MaintenanceOutcome = "configured" | "applied";

/** Asks, until one answers or the time is up: our client certificate (a configured node), then the
 *  maintenance API. Each refusal is kept for the message. */
export async function applyInMaintenance(inputs: MaintenanceApplyInputs): Promise<MaintenanceOutcome> {
    const { callTimeoutMs, rebootTimeoutMs, pollIntervalMs } = inputs.timing;
    const connections: TalosConnections = { talos: inputs.talos, timing: { callTimeoutMs, streamTimeoutMs: callTimeoutMs, rebootTimeoutMs, healthTimeoutMs: rebootTimeoutMs, drainTimeoutMs: rebootTimeoutMs, pollIntervalMs } };
    const node = { name: inputs.node, role: "worker" as const, endpoint: inputs.endpoint };
    const deadline = Date.now() + rebootTimeoutMs;
    for (;;) {
        const refusals: string[] = [];
        try {
            await withNode(connections, node, talosVersion);
            return "configured";
        } catch (error) {
            refusals.push((error as Error).message);
        }
        try {
            await maintenanceApply({ name: inputs.node, address: inputs.endpoint }, inputs.machineConfiguration, callTimeoutMs);
            return "applied";
        } catch (error) {
            refusals.push((error as Error).message);
        }
        if (Date.now() + pollIntervalMs > deadline) throw new Error(`${inputs.node}: neither configured nor in maintenance mode within ${rebootTimeoutMs / 1000} s: ${refusals.join("; ")}`);
        await sleep(pollIntervalMs);
    }
}

export const maintenanceApplyProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: MaintenanceApplyInputs) {
        const outcome = await applyInMaintenance(inputs);
        return { id: `${inputs.node}-maintenance-apply`, outs: { node: inputs.node, outcome } };
    },
    // Its work is the first boot's: a later config change is the config apply's and the rollout's. A replaced
    // VM replaces its apply, and this with it (replaceWith).
    async diff() {
        return { changes: false, replaces: [] };
    },
};

export interface MaintenanceApplyArgs {
    node: string;
    endpoint: string;
    talos: pulumi.Input<TalosClientConfiguration>;
    /** The apply's `machineConfiguration` output (secret). */
    machineConfiguration: pulumi.Input<string>;
    timing: MaintenanceApplyInputs["timing"];
}

export class MaintenanceApply extends pulumi.dynamic.Resource {
    declare public readonly outcome: pulumi.Output<MaintenanceOutcome>;

    constructor(name: string, args: MaintenanceApplyArgs, opts?: pulumi.CustomResourceOptions) {
        const inputs = { ...args, talos: pulumi.secret(args.talos), machineConfiguration: pulumi.secret(args.machineConfiguration), outcome: undefined };
        super(maintenanceApplyProvider, name, inputs, opts, "talos", "MaintenanceApply");
    }
}
