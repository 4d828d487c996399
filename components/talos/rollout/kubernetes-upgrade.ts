// What `talosctl upgrade-k8s` (Talos v1.13.9 pkg/cluster/kubernetes/talos_managed.go Upgrade) does around its
// component steps, for the rollout's Kubernetes upgrades: the pre-checks before anything moves, and the image
// pre-pulls before the first component restarts. The bootstrap manifest sync that ends it is manifest-sync.ts.
//
// Pre-checks (siderolabs/go-kubernetes v0.2.38 kubernetes/upgrade/checks.go, Checks.Run): upgrade-k8s refuses
// an upgrade while objects are stored through an API the target no longer serves, and while a component runs
// with a flag, feature gate or admission plugin the target removed. This cluster's components run with the
// flags Talos generates alone (components/talos/plan/patches.ts sets no extraArgs), which the supported Talos
// versions keep valid, so the flag checks have nothing to find here; the API check is made.
import type { ApiAccess } from "../../kubernetes/api-access";
import { pullImage } from "../api/machine";
import { listPage } from "../api/kubernetes-objects";
import { parseVersionTag } from "../../config/releases";
import { TalosConnections, withNode } from "./gates";
import { componentImage, KubernetesComponent } from "./machine-config";
import { controlPlaneComponents, RolloutNode } from "./steps";

/**
 * API resources a Kubernetes minor serves no more at all, `resource.version.group`, keyed by that minor: the
 * objects stored through them would be left in etcd unreachable. The set upgrade-k8s checks for the minors the
 * supported Talos versions run (components/config/releases.ts: 1.30 to 1.37): 1.32 dropped classic DRA's
 * PodSchedulingContext (kubernetes/kubernetes#128003); go-kubernetes v0.2.38 lists no other removal from 1.30 on.
 * An API that moves to a newer version (FlowSchema v1beta3 -> v1 in 1.32) keeps its objects and is no entry.
 */
export const removedApiResources: Readonly<Record<string, readonly string[]>> = {
    "1.32": ["podschedulingcontexts.v1alpha3.resource.k8s.io"],
};

/** How many objects a refusal names; it counts the rest. */
const namedObjects = 5;

/** Every removed API still holding objects, on the way from `from` to `to` (each minor crossed), by name. */
export async function removedApiProblems(api: ApiAccess, from: string, to: string, timeoutMs: number): Promise<string[]> {
    const [a, b] = [parseVersionTag(from), parseVersionTag(to)];
    if (!a || !b || a.major !== b.major) return [];
    const problems: string[] = [];
    for (let minor = a.minor + 1; minor <= b.minor; minor++) {
        for (const resource of removedApiResources[`${b.major}.${minor}`] ?? []) {
            const [plural, version, ...group] = resource.split(".");
            const page = await listPage(api, `/apis/${group.join(".")}/${version}/${plural}`, namedObjects, timeoutMs);
            if (!page?.items.length) continue;
            const names = page.items.map((o) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name));
            const rest = page.more ? ` and ${page.more} more` : "";
            problems.push(
                `Kubernetes v${b.major}.${minor} no longer serves ${resource}, which still holds ${names.join(", ")}${rest}: migrate or delete them, then run again`,
            );
        }
    }
    return problems;
}

/** The image a step installs, with the kubelet's flavour suffix kept (upgrade-k8s' extractKubeletVersionSuffix). */
function imageFor(component: KubernetesComponent, version: string, kubeletSuffix: string): string {
    return componentImage(component, `${version}${component === "kubelet" ? kubeletSuffix : ""}`);
}

/**
 * Pulls the target's images before the first component restarts, as upgrade-k8s does (prePullImages): the
 * control-plane images into Kubernetes' containerd namespace on each control plane, the kubelet's into the
 * system namespace on every node. A node without ImageService (UNIMPLEMENTED) is skipped, as upgrade-k8s skips it.
 */
export async function prePullImages(
    connections: TalosConnections,
    nodes: RolloutNode[],
    version: string,
    kubeletSuffixes: Record<string, string>,
    log: (line: string) => void,
): Promise<void> {
    for (const node of nodes) {
        const pulls: [string, "cri" | "system"][] = [
            ...(node.role === "controlplane" ? controlPlaneComponents.map((c): [string, "cri"] => [imageFor(c, version, ""), "cri"]) : []),
            [imageFor("kubelet", version, kubeletSuffixes[node.name] ?? ""), "system"],
        ];
        await withNode(connections, node, async (client) => {
            for (const [image, namespace] of pulls) {
                try {
                    await pullImage(client, image, namespace);
                    log(`${node.name}: pre-pulled ${image}`);
                } catch (error) {
                    if ((error as { code?: number }).code !== 12) throw error;
                    log(`${node.name}: no image pull API (UNIMPLEMENTED), skipping`);
                    return;
                }
            }
        });
    }
}
