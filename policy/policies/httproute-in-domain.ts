import { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchema, NetworkPolicyConfig } from "../config";
import { at, list, objectName, Props, text } from "./props";
import { requireType, resourceTypes } from "./resource-types";

const configKeys = ["domain", "gatewayNames"] as const;
type Config = Pick<NetworkPolicyConfig, (typeof configKeys)[number]>;

const gatewayGroup = "gateway.networking.k8s.io";

/** `myapp.ragas.cc` and `*.ragas.cc` are under `ragas.cc`, as is the domain itself; `ragas.cc.evil.com` and `notragas.cc` are not. */
export function isUnderDomain(hostname: string, domain: string): boolean {
    const host = hostname.toLowerCase();
    const zone = domain.toLowerCase();
    return host === zone || host.endsWith(`.${zone}`);
}

/**
 * The Gateway a parentRef names (`network/envoy-internal`), or for another kind its kind, group and name
 * (`Service network/web`, `ListenerSet.gateway.networking.x-k8s.io network/edge`), so it never matches a Gateway.
 */
function describeParent(ref: unknown, routeNamespace: string): string {
    const kind = text(at(ref, "kind")) ?? "Gateway";
    const group = text(at(ref, "group")) ?? gatewayGroup;
    const name = `${text(at(ref, "namespace")) ?? routeNamespace}/${text(at(ref, "name")) ?? ""}`;
    if (kind === "Gateway" && group === gatewayGroup) return name;
    return `${kind}${group ? `.${group}` : ""} ${name}`;
}

export function httpRouteProblems(resourceName: string, props: Props, config: Config): string[] {
    const route = `HTTPRoute ${objectName(props, resourceName)}`;
    const routeNamespace = text(at(props, "metadata", "namespace")) ?? "default";
    const { namespace, internal, external } = config.gatewayNames;
    const allowed = [`${namespace}/${internal}`, `${namespace}/${external}`];
    const hostnames = list(at(props, "spec", "hostnames"))
        .map((h) => text(h) ?? JSON.stringify(h))
        .filter((h) => !isUnderDomain(h, config.domain))
        .map((h) => `${route}: ${h} is not under the domain ${config.domain}`);
    const parents = list(at(props, "spec", "parentRefs"))
        .map((ref) => describeParent(ref, routeNamespace))
        .filter((parent) => !allowed.includes(parent))
        .map((parent) => `${route}: parent ${parent} is not one of the gateways ${allowed.join(", ")}`);
    return [...hostnames, ...parents];
}

export const httpRouteInDomain: ResourceValidationPolicy = {
    name: "httproute-in-domain",
    description:
        "Every HTTPRoute hostname is the domain or under it, and every parentRef names one of the planned Gateways " +
        "(envoy-internal, envoy-external in their namespace). A route without hostnames takes its Gateway's listeners' hostnames and passes.",
    enforcementLevel: "mandatory",
    configSchema: configSchema(configKeys),
    validateResource: (args, reportViolation) => {
        requireType(args, resourceTypes.httpRoute);
        httpRouteProblems(args.name, args.props, args.getConfig<Config>()).forEach((message) => reportViolation(message));
    },
};
