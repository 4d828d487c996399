import { ResourceValidationPolicy } from "@pulumi/policy";
import { AddressRange, inRange, parseAddress, rangeOf, showRange } from "../../components/config/addresses";
import { configSchema, NetworkPolicyConfig, requireRange } from "../config";
import { AddressClaim, gatewayAddressClaims, isLoadBalancerService, serviceAddressClaims } from "./claims";
import { objectName, Props } from "./props";
import { lbIpsAnnotation, resourceTypes } from "./resource-types";

const configKeys = ["loadBalancerRange", "gateways", "gatewayNames"] as const;
type Config = Pick<NetworkPolicyConfig, (typeof configKeys)[number]>;

function claimProblems(label: string, claims: AddressClaim[], range: AddressRange): string[] {
    return claims.flatMap((claim) => {
        const address = parseAddress(claim.text);
        if (!address) return [`${label}: "${claim.text}" in ${claim.field} is not an IPv4 address`];
        return inRange(address, range) ? [] : [`${label}: ${claim.text} is outside the load-balancer range ${showRange(range)}`];
    });
}

/** The address the plan gives a Gateway it names (envoy-internal -> gateways.internal), if it names this one. */
function plannedGatewayAddress(namespacedName: string, config: Config): string | undefined {
    const { namespace, internal, external } = config.gatewayNames;
    if (namespacedName === `${namespace}/${internal}`) return config.gateways.internal;
    if (namespacedName === `${namespace}/${external}`) return config.gateways.external;
    return undefined;
}

/** Problems of a LoadBalancer Service or a Gateway; [] for any other resource (and for other Service types). */
export function lbAddressProblems(type: string, resourceName: string, props: Props, config: Config): string[] {
    const range = requireRange(
        rangeOf(config.loadBalancerRange.start, config.loadBalancerRange.stop),
        "loadBalancerRange",
        config.loadBalancerRange,
    );
    if (type === resourceTypes.service && isLoadBalancerService(props)) {
        const label = `Service ${objectName(props, resourceName)}`;
        const claims = serviceAddressClaims(props);
        if (claims.length === 0)
            return [`${label}: type LoadBalancer without a ${lbIpsAnnotation} annotation; pin an address in ${showRange(range)}`];
        return claimProblems(label, claims, range);
    }
    if (type === resourceTypes.gateway) {
        const name = objectName(props, resourceName);
        const label = `Gateway ${name}`;
        const claims = gatewayAddressClaims(props);
        if (claims.length === 0) {
            return [
                `${label}: no pinned address; set spec.addresses or spec.infrastructure.annotations["${lbIpsAnnotation}"] to an address in ${showRange(range)}`,
            ];
        }
        const planned = plannedGatewayAddress(name, config);
        const unplanned =
            planned === undefined
                ? []
                : claims.filter((c) => c.text !== planned).map((c) => `${label}: pinned to ${c.text}, the plan gives it ${planned}`);
        return [...claimProblems(label, claims, range), ...unplanned];
    }
    return [];
}

export const lbAddressPinnedInPool: ResourceValidationPolicy = {
    name: "lb-address-pinned-in-pool",
    description:
        `Every LoadBalancer Service pins its address with the ${lbIpsAnnotation} annotation, and every Gateway with ` +
        `spec.addresses or spec.infrastructure.annotations["${lbIpsAnnotation}"], inside the load-balancer range; ` +
        "envoy-internal and envoy-external get exactly their planned addresses. Objects a helm.sh/v4 Chart renders are " +
        "checked under `pulumi preview` (the provider registers each as its own resource) but not by the offline plan, " +
        "where the offline engine renders no chart; the Chart's values themselves are never inspected.",
    enforcementLevel: "mandatory",
    configSchema: configSchema(configKeys),
    validateResource: (args, reportViolation) => {
        if (args.type !== resourceTypes.service && args.type !== resourceTypes.gateway) {
            args.notApplicable(`Policy only applies to resources of type '${resourceTypes.service}' or '${resourceTypes.gateway}'`);
        }
        lbAddressProblems(args.type, args.name, args.props, args.getConfig<Config>()).forEach((message) => reportViolation(message));
    },
};
