import type * as k8s from "@kubernetes/client-node" with { "resolution-mode": "import" };
import type { PlainSpec } from "../../components/config";
import { once } from "./check";
import { describeApiError, KubeApis } from "./kube";
import type { VerifyOptions } from "./options";

// What every area's checks share: the spec (what should be true), the API clients, the options, and the
// reads several checks need, fetched once.

export interface VerifyContext {
    spec: PlainSpec;
    kube: KubeApis;
    options: VerifyOptions;
    /** The Cloudflare API token, from the environment; undefined skips the Cloudflare checks. */
    cloudflareToken?: string;
    now: () => Date;
    nodes: () => Promise<k8s.V1Node[]>;
    services: () => Promise<k8s.V1Service[]>;
    /** What checks made in the cluster and must remove (the lookup pod); run.ts runs what is left when the run stops. */
    cleanups: Set<() => Promise<unknown>>;
}

export function verifyContext(
    spec: PlainSpec,
    kube: KubeApis,
    options: VerifyOptions,
    cloudflareToken?: string,
    now = () => new Date(),
): VerifyContext {
    return {
        spec,
        kube,
        options,
        cloudflareToken,
        now,
        nodes: once(async () => (await kube.core.listNode()).items),
        services: once(async () => (await kube.core.listServiceForAllNamespaces()).items),
        cleanups: new Set(),
    };
}

/** The value, or the error told in one line. */
export async function read<T>(ctx: VerifyContext, fetch: () => Promise<T>): Promise<{ value: T } | { error: string }> {
    try {
        return { value: await fetch() };
    } catch (error) {
        return { error: describeApiError(error, ctx.options.timeoutMs) };
    }
}

export function isReady(node: k8s.V1Node): boolean {
    return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}
