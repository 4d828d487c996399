// The record of a node's Kubernetes Node object (components/talos/kubernetes-node.ts says why): its delete reads the
// admin kubeconfig through another control plane's Talos API and deletes the Node.
import type { KubernetesNodeInputs } from "../components/talos/kubernetes-node";
import { deleteNode } from "../components/talos/api/kubernetes";
import { kubernetesThroughTalos } from "../components/talos/rollout/kubernetes-access";
import { defaultTiming, RolloutTiming } from "../components/talos/rollout/timing";
import type { ResourceHandler } from "./handler";

/** Deletes the Node object, reading the admin kubeconfig from a control plane other than the node itself. */
export async function deleteNodeObject(
    inputs: KubernetesNodeInputs,
    log: (line: string) => void = () => undefined,
): Promise<"deleted" | "absent"> {
    const timing: RolloutTiming = { ...defaultTiming, callTimeoutMs: inputs.callTimeoutMs, streamTimeoutMs: inputs.callTimeoutMs };
    const others = inputs.controlPlanes.filter((n) => n.name !== inputs.node);
    const api = await kubernetesThroughTalos({ talos: inputs.talos, timing }, others, log);
    return deleteNode(api, inputs.node, inputs.callTimeoutMs);
}

export const kubernetesNodeHandler: ResourceHandler<KubernetesNodeInputs, KubernetesNodeInputs> = {
    async create(inputs) {
        return { id: inputs.node, outs: { ...inputs } };
    },
    async diff(_id, olds, news) {
        // The control planes are recorded (a same step would keep the old list in the outputs); the node's name
        // is its identity.
        return {
            changes: JSON.stringify(olds.controlPlanes) !== JSON.stringify(news.controlPlanes),
            replaces: olds.node !== news.node ? ["node"] : [],
        };
    },
    async update(_id, _olds, news) {
        return { outs: { ...news } };
    },
    async delete(_id, outs) {
        await deleteNodeObject(outs);
    },
};
