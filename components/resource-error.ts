import * as pulumi from "@pulumi/pulumi";

/**
 * Runs a pure computation for a component and reports its failure as a ResourceError tied to that
 * component, so the CLI names the resource instead of printing a bare stack trace.
 */
export function computeFor<T>(resource: pulumi.Resource, compute: () => T): T {
    try {
        return compute();
    } catch (error) {
        if (error instanceof pulumi.ResourceError) throw error;
        throw new pulumi.ResourceError(error instanceof Error ? error.message : String(error), resource);
    }
}
