import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { mockCall } from "../offline/mock-outputs";
import { RecordedRun, Registration } from "../offline/record";
import { projectRoot } from "../../components/config/stack-file";
import { buildOrder } from "../waves";

// What the upstream judges take, read from a recorded run of the program (the offline engine's graph, the
// same data `npm run plan` writes to plan.json): the Talos provider's arguments, each Helm chart's release,
// and every Kubernetes object the program creates. Pure: no process is started here.

/** ../shared/charts beside the project (or $HOMELAB_CHARTS): chart sources at their release tags. */
export const chartsRoot = process.env.HOMELAB_CHARTS ?? path.resolve(projectRoot, "../shared/charts");

// ---- Talos

/** The talos_machine_configuration data source's arguments, as the program passed them. */
export interface TalosGenerateArgs {
    clusterName: string;
    clusterEndpoint: string;
    machineType: "controlplane" | "worker";
    talosVersion: string;
    kubernetesVersion: string;
    configPatches: string[];
    docs: boolean;
    examples: boolean;
}

/** One node's config as the provider builds it: the role's generated config, then the apply's own patches. */
export interface TalosNodeConfig {
    label: string;
    generate: TalosGenerateArgs;
    patches: string[];
}

const getConfiguration = "talos:machine/getConfiguration:getConfiguration";
const configurationApply = "talos:machine/configurationApply:ConfigurationApply";

/**
 * Each ConfigurationApply with the getConfiguration invoke its machineConfigurationInput came from. The mock
 * engine's answer is a function of the invoke's arguments (tools/offline/mock-outputs.ts), so the link is exact.
 */
export function talosNodeConfigs(run: RecordedRun, stack: string): TalosNodeConfig[] {
    const generated = run.invokes
        .filter((i) => i.token === getConfiguration)
        .map((i) => ({
            args: i.args as unknown as TalosGenerateArgs,
            config: String(mockCall({ token: getConfiguration, inputs: i.args, provider: "" }).machineConfiguration),
        }));
    return run.resources
        .filter((r) => r.type === configurationApply)
        .map((apply) => {
            const from = generated.find((g) => g.config === apply.inputs.machineConfigurationInput);
            if (!from) throw new Error(`${apply.name}: no getConfiguration invoke produced its machineConfigurationInput`);
            const { clusterName, clusterEndpoint, machineType, talosVersion, kubernetesVersion, configPatches, docs, examples } = from.args;
            return {
                label: `${stack} ${String(apply.inputs.node)} (${apply.name})`,
                generate: {
                    clusterName,
                    clusterEndpoint,
                    machineType,
                    talosVersion,
                    kubernetesVersion,
                    configPatches: configPatches ?? [],
                    docs: docs ?? false,
                    examples: examples ?? false,
                },
                patches: (apply.inputs.configPatches as string[] | undefined) ?? [],
            };
        });
}

/** The Kubernetes version the cluster runs: what every machine config is generated with. */
export function kubernetesVersionOf(run: RecordedRun): string {
    const versions = new Set(run.invokes.filter((i) => i.token === getConfiguration).map((i) => String(i.args.kubernetesVersion)));
    if (versions.size !== 1)
        throw new Error(`expected one Kubernetes version in the machine configs, found ${[...versions].join(", ") || "none"}`);
    return [...versions][0];
}

// ---- Helm

export interface HelmRelease {
    label: string;
    /** The Pulumi resource that installs the chart. */
    resource: Registration;
    chart: string;
    /** The chart's source folder, or undefined when ../shared/charts does not hold it (Cilium). */
    chartDir?: string;
    version: string;
    releaseName: string;
    namespace: string;
    kubeVersion: string;
    values: Record<string, unknown>;
    includeCrds: boolean;
    includeHooks: boolean;
}

const chartV4 = "kubernetes:helm.sh/v4:Chart";
const releaseV3 = "kubernetes:helm.sh/v3:Release";
export const isChartResource = (r: Registration) => r.type === chartV4 || r.type === releaseV3;

/** The source folder of a chart at a version: named `<chart's last path segment>-<version>` in ../shared/charts. */
export function chartFolder(chart: string, version: string, root = chartsRoot): string | undefined {
    const name = chart.split("/").at(-1)!;
    for (const candidate of [`${name}-${version}`, `${name}-v${version.replace(/^v/, "")}`, `${name}-${version.replace(/^v/, "")}`]) {
        const dir = path.join(root, candidate);
        if (fs.existsSync(path.join(dir, "Chart.yaml"))) return dir;
    }
    return undefined;
}

/**
 * The release name the provider gives: a helm.v4.Chart's is its resource name (pulumi-kubernetes
 * provider/pkg/provider/helm/v4/chart.go: `chartArgs.Name = name` when unset); a helm.v3.Release's is the
 * resource name and 8 random hex digits (helm_release.go assignNameIfAutonameable, resource.NewUniqueHex),
 * stood in for here by 8 hex digits of the name's hash, so a run is repeatable.
 */
export function releaseName(r: Registration): string {
    if (typeof r.inputs.name === "string" && r.inputs.name) return r.inputs.name;
    if (r.type === chartV4) return r.name;
    return `${r.name}-${createHash("sha256").update(r.name).digest("hex").slice(0, 8)}`;
}

export function helmReleases(run: RecordedRun, stack: string, kubeVersion = kubernetesVersionOf(run), root = chartsRoot): HelmRelease[] {
    return run.resources.filter(isChartResource).map((r) => {
        const chart = String(r.inputs.chart);
        const version = String(r.inputs.version);
        return {
            label: `${stack} ${r.name} (${chart.split("/").at(-1)} ${version})`,
            resource: r,
            chart,
            chartDir: chartFolder(chart, version, root),
            version,
            releaseName: releaseName(r),
            // A Chart without a namespace renders into the provider's default one.
            namespace: typeof r.inputs.namespace === "string" && r.inputs.namespace ? r.inputs.namespace : "default",
            kubeVersion,
            values: (r.inputs.values as Record<string, unknown> | undefined) ?? {},
            includeCrds: r.inputs.skipCrds !== true,
            // A Release runs the chart's hooks as `helm install` does; a v4 Chart drops them (DisableHooks).
            includeHooks: r.type === releaseV3,
        };
    });
}

// ---- Kubernetes objects

export interface KubeObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    [key: string]: unknown;
}

/** An object to apply, with who creates it: a program resource, or a chart (its template). */
export interface JudgedObject {
    /** `network/Service/k8s-gateway-dns`, or `ClusterRole/...` for a cluster-scoped one. */
    id: string;
    object: KubeObject;
    /** `program home-k8s-gateway-dns-service`, or `chart home-k8s-gateway-chart: k8s-gateway/templates/deployment.yaml`. */
    origin: string;
    /** A chart's hook (helm install runs it; it is applied like the rest). */
    hook?: boolean;
}

export const objectId = (o: KubeObject) => `${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.kind}/${o.metadata.name}`;

/** A resource of the Kubernetes provider that is one object (not a provider, chart or component). */
export function isKubernetesObject(r: Registration): boolean {
    return r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers:") && !isChartResource(r);
}

/** The object a Kubernetes resource of the program creates: its inputs, with the Pulumi-only keys left out. */
export function programObject(r: Registration): KubeObject {
    const object = structuredClone(r.inputs) as KubeObject;
    const unknown = JSON.stringify(object).includes("<unknown>");
    if (unknown) throw new Error(`${r.name}: an input is unknown in this run`);
    return object;
}

/**
 * Every object in program order: the build's waves (a resource one wave after the latest thing it waits for,
 * tools/waves.ts), by URN within a wave; registration order depends on when inputs resolve, this does not.
 * Each chart's rendered objects sit where the chart is, in Helm's install order.
 */
export function objectsInProgramOrder(run: RecordedRun, rendered: ReadonlyMap<string, JudgedObject[]>): JudgedObject[] {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const out: JudgedObject[] = [];
    for (const step of buildOrder(run.resources).waves.flat()) {
        const r = byUrn.get(step.urn)!;
        if (isChartResource(r)) out.push(...(rendered.get(r.urn) ?? []));
        else if (isKubernetesObject(r)) {
            const object = programObject(r);
            out.push({ id: objectId(object), object, origin: `program ${r.name}` });
        }
    }
    return out;
}

/** Namespaces first (everything namespaced needs its namespace), then CRDs (custom resources need theirs), then the rest in order. */
export function applyOrder(objects: readonly JudgedObject[]): JudgedObject[] {
    const rank = (o: JudgedObject) => (o.object.kind === "Namespace" ? 0 : o.object.kind === "CustomResourceDefinition" ? 1 : 2);
    return objects
        .map((o, i) => ({ o, i }))
        .sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i)
        .map(({ o }) => o);
}

/** Reads a YAML stream of CRDs (the Cilium CRDs in ../shared/reference). */
export function readCrds(files: readonly string[]): KubeObject[] {
    return files.flatMap((f) =>
        YAML.parseAllDocuments(fs.readFileSync(f, "utf8"))
            .map((d) => d.toJS() as KubeObject)
            .filter((o) => o?.kind === "CustomResourceDefinition"),
    );
}
