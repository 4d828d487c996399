import { spawnSync } from "child_process";
import * as path from "path";
import { binDir } from "./build";
import { HelmRelease, JudgedObject, KubeObject, objectId, TalosNodeConfig } from "./inputs";

// The two judges that need no server: Talos' validator and Helm's renderer, each one process fed JSON on
// stdin, answering one JSON line per config or release (tools/upstream/talos, tools/upstream/helm).

function runJsonLines<T>(binary: string, args: string[], input: unknown, timeoutMs: number): T[] {
    const result = spawnSync(binary, args, { input: JSON.stringify(input), encoding: "utf8", timeout: timeoutMs, maxBuffer: 256 << 20 });
    if (result.error) throw new Error(`${path.basename(binary)}: ${result.error.message}`);
    if (result.status !== 0) throw new Error(`${path.basename(binary)} exited ${result.status}: ${result.stderr}`);
    return result.stdout
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as T);
}

/** The runtime modes configs are validated in: `cloud` is what nocloud runs (see talosModes' doc in the README). */
export type TalosMode = "cloud" | "metal" | "container";

export interface TalosVerdict {
    label: string;
    mode: TalosMode;
    errors: string[];
    warnings: string[];
    /** The rendered machine config, when asked for. */
    config?: string;
}

export function judgeTalos(
    configs: readonly TalosNodeConfig[],
    modes: readonly TalosMode[],
    opts: { printConfig?: boolean } = {},
): TalosVerdict[] {
    if (!configs.length) return [];
    return runJsonLines<TalosVerdict>(path.join(binDir, "talos"), opts.printConfig ? ["--print-config"] : [], { configs, modes }, 120_000);
}

export interface HelmRendering {
    label: string;
    error?: string;
    objects: JudgedObject[];
}

interface RawRendering {
    label: string;
    error?: string;
    objects: { source: string; hook: boolean; object: KubeObject }[];
}

/** Kinds that live outside any namespace: an object of any other kind without one is put in the release's. */
export const clusterScopedKinds = new Set([
    "Namespace",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleBinding",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "APIService",
    "PriorityClass",
    "StorageClass",
    "IngressClass",
    "GatewayClass",
    "ClusterIssuer",
    "CiliumLoadBalancerIPPool",
    "CiliumL2AnnouncementPolicy",
    "CiliumClusterwideNetworkPolicy",
    "PersistentVolume",
]);

/** Renders each release that has a chart source; the release's namespace is given to namespaced objects that name none, as Helm and the provider do. */
export function renderCharts(releases: readonly HelmRelease[]): Map<string, HelmRendering> {
    const renderable = releases.filter((r) => r.chartDir);
    const input = {
        releases: renderable.map((r) => ({
            label: r.label,
            chartDir: r.chartDir,
            version: r.version,
            releaseName: r.releaseName,
            namespace: r.namespace,
            kubeVersion: r.kubeVersion,
            values: r.values,
            includeCrds: r.includeCrds,
            includeHooks: r.includeHooks,
        })),
    };
    const out = new Map<string, HelmRendering>();
    if (!renderable.length) return out;
    const raw = runJsonLines<RawRendering>(path.join(binDir, "helm"), [], input, 120_000);
    raw.forEach((rendering, i) => {
        const release = renderable[i];
        const objects = rendering.objects.map(({ source, hook, object }) => {
            if (!clusterScopedKinds.has(object.kind) && !object.metadata.namespace) object.metadata.namespace = release.namespace;
            return { id: objectId(object), object, origin: `chart ${release.resource.name}: ${source}`, hook };
        });
        out.set(release.resource.urn, { label: rendering.label, error: rendering.error, objects });
    });
    return out;
}
