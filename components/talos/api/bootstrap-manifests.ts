// The bootstrap manifests a control plane renders (CoreDNS, Talos' node RBAC, its ServiceAccount CRD, ...),
// read as `talosctl upgrade-k8s` reads them: a COSI List of `Manifests.kubernetes.talos.dev` in namespace
// `controlplane` (siderolabs/go-kubernetes v0.2.38 kubernetes/manifests/get.go GetBootstrapManifests, which
// Talos v1.13.9 pkg/cluster/kubernetes/talos_managed.go getManifests calls), each resource's objects in order.
import { TalosApiError, TalosClient } from "./client";
import type { KubeObject } from "./kubernetes-objects";
import { manifestObjects } from "./protos";

/** The most the manifests may weigh in all: Talos' own are some tens of KB. */
const maxManifestBytes = 4 * 1024 * 1024;

export async function bootstrapManifests(client: TalosClient): Promise<KubeObject[]> {
    type Listed = { resource: { metadata: { id: string } | null; spec: { proto_spec: Buffer } | null } | null };
    let size = 0;
    const listed = await client.stream<Listed>(
        "cosi.resource.State",
        "List",
        { namespace: "controlplane", type: "Manifests.kubernetes.talos.dev" },
        (message) => {
            size += message.resource?.spec?.proto_spec?.length ?? 0;
            if (size > maxManifestBytes)
                throw new TalosApiError(
                    client.endpoint.name,
                    "State.List",
                    undefined,
                    `the bootstrap manifests weigh more than ${maxManifestBytes} bytes`,
                );
        },
    );
    if (!listed.length)
        throw new TalosApiError(
            client.endpoint.name,
            "State.List",
            undefined,
            "the node renders no bootstrap manifests (is it a control plane?)",
        );
    // COSI lists by id; the ids carry Talos' order (`00-kubelet-bootstrapping-token`, `11-core-dns`, ...).
    return listed
        .filter((m) => m.resource?.spec?.proto_spec)
        .sort((a, b) => a.resource!.metadata!.id.localeCompare(b.resource!.metadata!.id))
        .flatMap((m) => manifestObjects(m.resource!.spec!.proto_spec) as KubeObject[]);
}
