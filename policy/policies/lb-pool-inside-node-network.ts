import { ResourceValidationPolicy } from "@pulumi/policy";
import {
    AddressRange,
    cidrRange,
    compareAddresses,
    inRange,
    IPv4,
    parseAddress,
    rangeOf,
    rangeWithin,
    showRange,
} from "../../components/config/addresses";
import { configSchema, NetworkPolicyConfig, requireRange } from "../config";
import { at, list, objectName, Props, text } from "./props";
import { requireType, resourceTypes } from "./resource-types";

const configKeys = ["nodeCidr", "loadBalancerRange", "vip", "nodes", "infrastructure"] as const;
type Config = Pick<NetworkPolicyConfig, (typeof configKeys)[number]>;

/** A pool block as Cilium reads it: a CIDR, or start-stop where a lone start is a single address. */
function blockRange(block: unknown): { label: string; range?: AddressRange } {
    const cidr = text(at(block, "cidr"));
    if (cidr !== undefined) return { label: cidr, range: cidrRange(cidr) };
    const start = text(at(block, "start"));
    const stop = text(at(block, "stop")) ?? start;
    return { label: start === stop ? `${start}` : `${start}-${stop}`, range: rangeOf(start, stop) };
}

/** The addresses the plan gives to something other than a LoadBalancer, in address order. */
function plannedHosts(config: Config): { label: string; address: IPv4 }[] {
    const hosts = [
        { label: `the Kubernetes API VIP (${config.vip})`, ip: config.vip },
        ...config.nodes.map((n) => ({ label: `node ${n.name} (${n.ip})`, ip: n.ip })),
        ...config.infrastructure.map((h) => ({ label: `infrastructure host ${h.name} (${h.ip})`, ip: h.ip })),
    ];
    return hosts
        .flatMap((h) => {
            const address = parseAddress(h.ip);
            return address ? [{ label: h.label, address }] : [];
        })
        .sort((a, b) => compareAddresses(a.address, b.address));
}

export function lbPoolProblems(resourceName: string, props: Props, config: Config): string[] {
    const nodeNetwork = requireRange(cidrRange(config.nodeCidr), "nodeCidr", config.nodeCidr);
    const lbRange = requireRange(
        rangeOf(config.loadBalancerRange.start, config.loadBalancerRange.stop),
        "loadBalancerRange",
        config.loadBalancerRange,
    );
    const hosts = plannedHosts(config);
    const pool = `CiliumLoadBalancerIPPool ${objectName(props, resourceName, false)}`;
    return list(at(props, "spec", "blocks")).flatMap((block, i) => {
        const { label, range } = blockRange(block);
        if (!range) return [`${pool}: block ${i} (${JSON.stringify(block)}) is neither a CIDR nor a start-stop range of IPv4 addresses`];
        if (!rangeWithin(range, nodeNetwork)) return [`${pool}: block ${label} is outside the node network ${config.nodeCidr}`];
        const problems: string[] = [];
        const covered = hosts.filter((h) => inRange(h.address, range)).map((h) => h.label);
        if (covered.length > 0) problems.push(`${pool}: block ${label} covers ${covered.join(", ")}`);
        if (!rangeWithin(range, lbRange))
            problems.push(`${pool}: block ${label} reaches outside the load-balancer range ${showRange(lbRange)}`);
        return problems;
    });
}

export const lbPoolInsideNodeNetwork: ResourceValidationPolicy = {
    name: "lb-pool-inside-node-network",
    description:
        "Every block of a CiliumLoadBalancerIPPool (cidr, or start-stop) lies inside the node network and the planned " +
        "load-balancer range, and covers no node, the API VIP or any infrastructure host.",
    enforcementLevel: "mandatory",
    configSchema: configSchema(configKeys),
    validateResource: (args, reportViolation) => {
        requireType(args, resourceTypes.loadBalancerPool);
        lbPoolProblems(args.name, args.props, args.getConfig<Config>()).forEach((message) => reportViolation(message));
    },
};
