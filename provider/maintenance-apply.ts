// A node's first config (components/talos/maintenance-apply.ts says why): asked with our client certificate first,
// a configured node is left alone; a node in maintenance mode gets the config over the maintenance API.
import type { MaintenanceApplyInputs, MaintenanceOutcome } from "../components/talos/maintenance-apply";
import { maintenanceApply } from "../components/talos/api/maintenance";
import { talosVersion } from "../components/talos/api/machine";
import { sleep, TalosConnections, withNode } from "../components/talos/rollout/gates";
import type { ResourceHandler } from "./handler";

/** Asks, until one answers or the time is up: our client certificate (a configured node), then the
 *  maintenance API. Each refusal is kept for the message. */
export async function applyInMaintenance(inputs: MaintenanceApplyInputs): Promise<MaintenanceOutcome> {
    const { callTimeoutMs, rebootTimeoutMs, pollIntervalMs } = inputs.timing;
    const connections: TalosConnections = {
        talos: inputs.talos,
        timing: {
            callTimeoutMs,
            streamTimeoutMs: callTimeoutMs,
            rebootTimeoutMs,
            healthTimeoutMs: rebootTimeoutMs,
            drainTimeoutMs: rebootTimeoutMs,
            pollIntervalMs,
        },
    };
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
        if (Date.now() + pollIntervalMs > deadline)
            throw new Error(
                `${inputs.node}: neither configured nor in maintenance mode within ${rebootTimeoutMs / 1000} s: ${refusals.join("; ")}`,
            );
        await sleep(pollIntervalMs);
    }
}

export const maintenanceApplyHandler: ResourceHandler<MaintenanceApplyInputs, { node: string; outcome: MaintenanceOutcome }> = {
    async create(inputs) {
        const outcome = await applyInMaintenance(inputs);
        return { id: `${inputs.node}-maintenance-apply`, outs: { node: inputs.node, outcome } };
    },
    // Its work is the first boot's: a later config change is the config apply's and the rollout's. A replaced
    // VM replaces its apply, and this with it (replaceWith).
    async diff() {
        return { changes: false, replaces: [] };
    },
};
