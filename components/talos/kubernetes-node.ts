// KubernetesNode: the Kubernetes Node object of one Talos node, deleted after the node is reset. The kubelet
// makes the object; a Talos reset (the config apply's onDestroy) cordons and drains the node, leaves etcd and
// wipes it, but deletes no Node object (Talos v1.13.9 v1alpha1_sequencer.go Reset: drain, cleanup, leave,
// reset phases), so a removed node would stay behind as NotReady. Each node's config apply depends on this
// resource, so Pulumi deletes this one after the apply: after the reset, when no kubelet can register the node
// again. It reaches the Kubernetes API with the admin kubeconfig read through the Talos API of a control plane
// (the kubeconfig resource comes after the applies, so it cannot be an input here), from the control planes it
// records; a change of them is an update that records the new list and dials nothing.
import * as pulumi from "@pulumi/pulumi";
import type { TalosClientConfiguration } from "./api/client";
import { deleteNode } from "./api/kubernetes";
import { defaultTiming, RolloutTiming } from "./rollout/gates";
import { kubernetesThroughTalos } from "./rollout/kubernetes-access";
import type { RolloutNode } from "./rollout/plan";

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

/** Deletes the Node object, reading the admin kubeconfig from a control plane other than the node itself. */
export async function deleteNodeObject(inputs: KubernetesNodeInputs, log: (line: string) => void = () => undefined): Promise<"deleted" | "absent"> {
    const timing: RolloutTiming = { ...defaultTiming, callTimeoutMs: inputs.callTimeoutMs, streamTimeoutMs: inputs.callTimeoutMs };
    const others = inputs.controlPlanes.filter((n) => n.name !== inputs.node);
    const api = await kubernetesThroughTalos({ talos: inputs.talos, timing }, others, log);
    return deleteNode(api, inputs.node, inputs.callTimeoutMs);
}

export const kubernetesNodeProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: KubernetesNodeInputs) {
        return { id: inputs.node, outs: { ...inputs } };
    },
    async diff(_id: string, olds: KubernetesNodeInputs, news: KubernetesNodeInputs) {
        // The control planes are recorded (a same step would keep the old list in the outputs); the node's name
        // is its identity.
        return { changes: JSON.stringify(olds.controlPlanes) !== JSON.stringify(news.controlPlanes), replaces: olds.node !== news.node ? ["node"] : [] };
    },
    async update(_id: string, _olds: KubernetesNodeInputs, news: KubernetesNodeInputs) {
        return { outs: { ...news } };
    },
    async delete(_id: string, outs: KubernetesNodeInputs) {
        await deleteNodeObject(outs);
    },
};

export interface KubernetesNodeArgs {
    node: string;
    talos: pulumi.Input<TalosClientConfiguration>;
    controlPlanes: RolloutNode[];
    callTimeoutMs: number;
}

export class KubernetesNode extends pulumi.dynamic.Resource {
    constructor(name: string, args: KubernetesNodeArgs, opts?: pulumi.CustomResourceOptions) {
        super(kubernetesNodeProvider, name, { ...args, talos: pulumi.secret(args.talos) }, opts, "talos", "KubernetesNode");
    }
}
