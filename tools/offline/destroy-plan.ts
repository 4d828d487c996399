// Which deletes reach a provider. The engine skips the provider's delete of a resource whose `deletedWith`
// target is deleted in the same operation (pkg/resource/deploy/step.go, DeleteStep.Apply and isDeletedWith,
// @pulumi/pulumi 3.248.0); a protected resource is still in that set until its own delete refuses. So the
// Talos node resets, `deletedWith` the cluster's secrets, are skipped by a whole-stack destroy (the VMs go
// anyway) and still run when one node is removed (the secrets stay).

export interface DeletableRegistration {
    urn: string;
    name: string;
    type: string;
    custom: boolean;
    /** URN of the `deletedWith` target, or "". */
    deletedWith?: string;
}

export interface DeleteCall {
    name: string;
    type: string;
    /** True when the provider's delete runs; false when the engine skips it. */
    providerDelete: boolean;
}

/** The delete of each of `deleted` (URNs), as the engine runs it when exactly those are deleted together. */
export function deleteCalls(resources: readonly DeletableRegistration[], deleted: ReadonlySet<string>): DeleteCall[] {
    return resources
        .filter((r) => r.custom && deleted.has(r.urn))
        .map((r) => ({ name: r.name, type: r.type, providerDelete: !(r.deletedWith && deleted.has(r.deletedWith)) }));
}
