import { ResourceValidationPolicy, UnknownValueError } from "@pulumi/policy";
import * as YAML from "yaml";
import { configSchema, NetworkPolicyConfig } from "../config";
import { at, list, Props, record, text } from "./props";
import { requireType, resourceTypes } from "./resource-types";

const configKeys = ["podCidr", "serviceCidr"] as const;
type Config = Pick<NetworkPolicyConfig, (typeof configKeys)[number]>;

/**
 * The `cluster.network` a document sets. A strategic merge patch is a map; a JSON patch (RFC 6902) is a
 * list of operations, and each add/replace under /cluster is folded into the same shape:
 * `{op: add, path: /cluster/network/podSubnets/-, value: 10.244.0.0/16}` -> `{podSubnets: ["10.244.0.0/16"]}`.
 * A `remove` (back to Talos' defaults) is not seen.
 */
function networkSettings(document: unknown): Props[] {
    if (!Array.isArray(document)) {
        const network = record(at(document, "cluster", "network"));
        return network ? [network] : [];
    }
    return document.flatMap((operation) => {
        const op = text(at(operation, "op"));
        const path = text(at(operation, "path")) ?? "";
        if ((op !== "add" && op !== "replace") || !path.startsWith("/cluster")) return [];
        const segments = path
            .split("/")
            .slice(1)
            .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
        const tree = segments.reduceRight<unknown>(
            (value, segment) => (/^(\d+|-)$/.test(segment) ? [value] : { [segment]: value }),
            at(operation, "value"),
        );
        const network = record(at(tree, "cluster", "network"));
        return network ? [network] : [];
    });
}

function subnetProblem(network: Props, key: "podSubnets" | "serviceSubnets", planned: string, what: string): string[] {
    if (!(key in network)) return [];
    const subnets = list(network[key]).map((s) => text(s) ?? JSON.stringify(s));
    return subnets.length > 0 && subnets.every((s) => s === planned)
        ? []
        : [`sets cluster.network.${key} to ${subnets.join(", ") || "[]"}, not the ${what} ${planned}`];
}

function cniProblem(network: Props): string[] {
    if (!("cni" in network)) return [];
    const name = text(at(network, "cni", "name"));
    return name === "none"
        ? []
        : [`sets cluster.network.cni.name to ${name ?? "(unset)"}, not none (Cilium is installed by Helm after bootstrap)`];
}

/** Problems of one YAML text (one or more documents), each message prefixed by `source`. */
export function machineConfigProblems(source: string, yamlText: string, config: Config): string[] {
    const documents = YAML.parseAllDocuments(yamlText);
    const broken = documents.find((d) => d.errors.length > 0);
    if (broken) return [`${source} is not valid YAML (${broken.errors[0].code})`];
    return documents
        .flatMap((d) => networkSettings(d.toJS()))
        .flatMap((network) => [
            ...subnetProblem(network, "podSubnets", config.podCidr, "pod CIDR"),
            ...subnetProblem(network, "serviceSubnets", config.serviceCidr, "service CIDR"),
            ...cniProblem(network),
        ])
        .map((problem) => `${source} ${problem}`);
}

export function talosNetworkProblems(resourceName: string, props: Props, config: Config): string[] {
    const label = `Talos ConfigurationApply ${resourceName}`;
    const problems = list(props.configPatches).flatMap((patch, i) => {
        const source = `${label}: configPatches[${i}]`;
        return typeof patch === "string" ? machineConfigProblems(source, patch, config) : [`${source} is not a string`];
    });
    try {
        // The generated config, with the cluster-wide patches the program passes to getConfiguration merged in.
        // In a first preview it waits on the machine secrets and is unknown: then only the patches are checked.
        const input = props.machineConfigurationInput;
        if (typeof input === "string") problems.push(...machineConfigProblems(`${label}: machineConfigurationInput`, input, config));
    } catch (error) {
        if (!(error instanceof UnknownValueError)) throw error;
    }
    return problems;
}

export const talosNetworkKept: ResourceValidationPolicy = {
    name: "talos-network-kept",
    description:
        "Talos machine configs keep the planned networks: cluster.network.podSubnets and serviceSubnets are exactly the " +
        "configured CIDRs and cni.name is none (Cilium comes later). Checks each ConfigurationApply's configPatches " +
        "(strategic merge or JSON patch) and its machineConfigurationInput when known. The cluster-wide patches go to the " +
        "getConfiguration invoke, which no policy sees: they are checked through that invoke's result in " +
        "machineConfigurationInput, so only once the machine secrets exist (not in the first preview).",
    enforcementLevel: "mandatory",
    configSchema: configSchema(configKeys),
    validateResource: (args, reportViolation) => {
        requireType(args, resourceTypes.talosConfigurationApply);
        talosNetworkProblems(args.name, args.props, args.getConfig<Config>()).forEach((message) => reportViolation(message));
    },
};
