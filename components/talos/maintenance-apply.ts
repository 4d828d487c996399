// MaintenanceApply: the first config of a node, applied at once (provider/maintenance-apply.ts). Every config apply stages its config
// (cluster.ts, applyMode "staged"), so no apply ever reboots a running node; but in maintenance mode a staged
// config is only persisted, and the node waits for an active one (Talos v1.13.9 v1alpha1_server.go
// ApplyConfiguration, mode STAGED: SetPersistedConfig only; internal/app/machined/pkg/controllers/config/
// acquire.go stateMaintenance waits for the `v1alpha1` (active) config). This resource runs once per VM, right
// after its apply: a node that already answers our client certificate runs a config and is left alone; one in
// maintenance mode gets the same config applied at once over the maintenance API (api/maintenance.ts).
import * as pulumi from "@pulumi/pulumi";
import { customResourceOptions, customResourceTypes } from "../custom-resources";
import type { TalosClientConfiguration } from "./api/client";
import type { RolloutTiming } from "./rollout/timing";

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

export interface MaintenanceApplyArgs {
    node: string;
    endpoint: string;
    talos: pulumi.Input<TalosClientConfiguration>;
    /** The apply's `machineConfiguration` output (secret). */
    machineConfiguration: pulumi.Input<string>;
    timing: MaintenanceApplyInputs["timing"];
}

export class MaintenanceApply extends pulumi.CustomResource {
    declare public readonly outcome: pulumi.Output<MaintenanceOutcome>;

    constructor(name: string, args: MaintenanceApplyArgs, opts?: pulumi.CustomResourceOptions) {
        const inputs = {
            ...args,
            talos: pulumi.secret(args.talos),
            machineConfiguration: pulumi.secret(args.machineConfiguration),
            outcome: undefined,
        };
        super(customResourceTypes.MaintenanceApply, name, inputs, customResourceOptions("MaintenanceApply", opts));
    }
}
