// Kubernetes access for a rollout that runs before the cluster's kubeconfig resource exists (before the
// machine config applies it follows): the admin kubeconfig through the Talos API, from the first control
// plane that serves it, in rollout order. Talos makes it from the machine config each node holds, so it is
// the one the kubeconfig resource would give. It is held in memory for the run only.
import type { ApiAccess } from "../../kubernetes/api-access";
import { adminKubeconfig } from "../api/kubeconfig";
import { TalosConnections, withNode } from "./gates";
import { RolloutNode } from "./steps";

export async function kubernetesThroughTalos(
    connections: TalosConnections,
    nodes: RolloutNode[],
    log: (line: string) => void,
): Promise<ApiAccess> {
    const controlPlanes = nodes.filter((n) => n.role === "controlplane");
    if (!controlPlanes.length)
        throw new Error(
            "no control plane in the rollout to get the admin kubeconfig from (workers do not serve it): give the rollout `kubernetes` access",
        );
    // A kubeconfig is a few KB: one call's deadline, not a stream's (an image pull's), bounds each try.
    const quick: TalosConnections = {
        ...connections,
        timing: { ...connections.timing, streamTimeoutMs: connections.timing.callTimeoutMs },
    };
    const refusals: string[] = [];
    for (const node of controlPlanes) {
        try {
            const api = await withNode(quick, node, adminKubeconfig);
            log(`${node.name}: admin kubeconfig read through the Talos API (Kubernetes API ${api.host})`);
            return api;
        } catch (error) {
            refusals.push((error as Error).message);
        }
    }
    throw new Error(`no control plane gave the admin kubeconfig through the Talos API: ${refusals.join("; ")}`);
}
