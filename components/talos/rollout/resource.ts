// TalosRollout: Talos and Kubernetes versions, restarts and staged configs moved onto the nodes one at a time, by
// our provider plugin (provider/talos-rollout.ts runs the rollout engine in its update). The preview shows the
// `order` lines, old -> new, in rollout order. The client configuration and the Kubernetes client key are secret
// inputs and never appear in the outputs, which hold only the order and what each node landed on.
import * as pulumi from "@pulumi/pulumi";
import { customResourceOptions, customResourceTypes } from "../../custom-resources";
import type { ApiAccess } from "../../kubernetes/api-access";
import { ProxmoxAccess, proxmoxApi } from "../../proxmox/access";
import type { TalosClientConfiguration } from "../api/client";
import type { Landed } from "./run";
import type { RolloutPlainInputs } from "./inputs";
import type { RestartTrigger } from "./restart-triggers";
import type { RolloutTiming } from "./timing";

export interface TalosRolloutInputs extends RolloutPlainInputs {
    talos: TalosClientConfiguration;
    /** Unset: read through the Talos API when the rollout has steps (run.ts). */
    kubernetes?: ApiAccess;
    timing: RolloutTiming;
    /** Per node, what a restart applies; a node whose entry changed restarts once (restart-triggers.ts). */
    restartTriggers?: Record<string, RestartTrigger>;
    /** For restarts that apply pending VM hardware: the Proxmox API (token secret) and each node's VM. */
    proxmox?: { access: ProxmoxAccess; vms: Record<string, { host: string; vmId: number }> };
}

export interface TalosRolloutOutputs {
    order: string[];
    landed: Record<string, Landed>;
}

export interface TalosRolloutArgs {
    /** From rolloutPlainInputs: nodes in rollout order, the target, the order lines, restarts. */
    plan: RolloutPlainInputs;
    /** The Talos provider's client configuration: secret. */
    talos: pulumi.Input<TalosClientConfiguration>;
    /** Kubernetes API access from the kubeconfig: the client key is secret. Leave it out for a rollout that
     *  must run before the kubeconfig resource exists (before the machine config applies): it then reads the
     *  admin kubeconfig through the Talos API, only when it has steps to run, and keeps it in memory. */
    kubernetes?: pulumi.Input<ApiAccess>;
    /** Deadlines and bounds; defaults sized for a real node (timing.ts, defaultTiming). */
    timing: RolloutTiming;
    /** The installer image when it comes from another resource (the image factory); overrides the plan's. */
    installerImage?: pulumi.Input<string>;
    /** Per node, what a restart applies (restart-triggers.ts); a node whose entry changed restarts once. */
    restartTriggers?: Record<string, { [K in keyof RestartTrigger]: pulumi.Input<RestartTrigger[K]> }>;
    /** For restarts that apply pending VM hardware: the Proxmox API (the token is secret) and each node's VM. */
    proxmox?: Omit<ProxmoxAccess, "apiToken"> & { apiToken: pulumi.Input<string>; vms: Record<string, { host: string; vmId: number }> };
}

/** Kubernetes access as an input, the client key secret. */
function kubernetesInputs(kubernetes: pulumi.Output<ApiAccess>) {
    return {
        kubernetes: {
            host: kubernetes.host,
            caCertificate: kubernetes.caCertificate,
            clientCertificate: kubernetes.clientCertificate,
            clientKey: pulumi.secret(kubernetes.clientKey),
        },
    };
}

/** The resource's inputs: secrets wrapped, the rest plain. */
export function talosRolloutInputs(args: TalosRolloutArgs) {
    const kubernetes = pulumi.output(args.kubernetes);
    const { proxmox } = args;
    return {
        ...args.plan,
        target: { ...args.plan.target, installerImage: args.installerImage ?? args.plan.target.installerImage },
        talos: pulumi.secret(args.talos),
        // None given: the rollout reads it through Talos.
        ...(args.kubernetes === undefined ? {} : kubernetesInputs(kubernetes as pulumi.Output<ApiAccess>)),
        timing: args.timing,
        ...(args.restartTriggers ? { restartTriggers: args.restartTriggers } : {}),
        ...(proxmox
            ? { proxmox: { access: { ...proxmoxApi(proxmox), apiToken: pulumi.secret(proxmox.apiToken) }, vms: proxmox.vms } }
            : {}),
    };
}

export class TalosRollout extends pulumi.CustomResource {
    declare public readonly order: pulumi.Output<string[]>;
    declare public readonly landed: pulumi.Output<Record<string, Landed>>;

    constructor(name: string, args: TalosRolloutArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            customResourceTypes.TalosRollout,
            name,
            { ...talosRolloutInputs(args), landed: undefined },
            customResourceOptions("TalosRollout", opts),
        );
    }
}
