// KubernetesNode: the Kubernetes Node object of one Talos node, deleted after the node is reset
// (provider/kubernetes-node.ts). The kubelet
// makes the object; a Talos reset (the config apply's onDestroy) cordons and drains the node, leaves etcd and
// wipes it, but deletes no Node object (Talos v1.13.9 v1alpha1_sequencer.go Reset: drain, cleanup, leave,
// reset phases), so a removed node would stay behind as NotReady. Each node's config apply depends on this
// resource, so Pulumi deletes this one after the apply: after the reset, when no kubelet can register the node
// again. It reaches the Kubernetes API with the admin kubeconfig read through the Talos API of a control plane
// (the kubeconfig resource comes after the applies, so it cannot be an input here), from the control planes it
// records; a change of them is an update that records the new list and dials nothing.
import * as pulumi from "@pulumi/pulumi";
import { customResourceOptions, customResourceTypes } from "../custom-resources";
import type { TalosClientConfiguration } from "./api/client";
import type { RolloutNode } from "./rollout/steps";

export interface KubernetesNodeInputs {
    /** The node's name, also its Node object's: `talos-worker-1`. */
    node: string;
    /** The cluster's client configuration (secret; kept in the outputs, which the engine keeps secret). */
    talos: TalosClientConfiguration;
    /** Every control plane, in rollout order: where the admin kubeconfig is read. */
    controlPlanes: RolloutNode[];
    /** Deadline of one call. */
    callTimeoutMs: number;
}

export interface KubernetesNodeArgs {
    node: string;
    talos: pulumi.Input<TalosClientConfiguration>;
    controlPlanes: RolloutNode[];
    callTimeoutMs: number;
}

export class KubernetesNode extends pulumi.CustomResource {
    constructor(name: string, args: KubernetesNodeArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            customResourceTypes.KubernetesNode,
            name,
            { ...args, talos: pulumi.secret(args.talos) },
            customResourceOptions("KubernetesNode", opts),
        );
    }
}
