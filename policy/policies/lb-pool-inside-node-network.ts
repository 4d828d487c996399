import { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchema, NetworkPolicyConfig } from "../config";
import { addressValue, cidrSpan, contains, rangeSpan, requireSpan, showRange, Span, within } from "./net";
import { at, list, objectName, Props, text } from "./props";
import { requireType, resourceTypes } from "./resource-types";

const configKeys = ["nodeCidr", "loadBalancerRange", "vip", "nodes", "infrastructure"] as const;
type Config = Pick<NetworkPolicyConfig, (typeof configKeys)[number]>;

/** A pool block as Cilium reads it: a CIDR, or start-stop where a lone start is a single address. */
function blockSpan(block: unknown): { label: string; span?: Span } {
    const cidr = text(at(block, "cidr"));
    if (cidr !== undefined) return { label: cidr, span: cidrSpan(cidr) };
    const start = text(at(block, "start"));
    const stop = text(at(block, "stop")) ?? start;
    return { label: start === stop ? `${start}` : `${start}-${stop}`, span: rangeSpan(start, stop) };
}

/** The addresses the plan gives to something other than a LoadBalancer, in address order. */
function plannedHosts(config: Config): { label: string; value: number }[] {
    const hosts = [
        { label: `the Kubernetes API VIP (${config.vip})`, ip: config.vip },
        ...config.nodes.map((n) => ({ label: `node ${n.name} (${n.ip})`, ip: n.ip })),
        ...config.infrastructure.map((h) => ({ label: `infrastructure host ${h.name} (${h.ip})`, ip: h.ip })),
    ];
    return hosts
        .flatMap((h) => {
            const value = addressValue(h.ip);
            return value === undefined ? [] : [{ label: h.label, value }];
        })
        .sort((a, b) => a.value - b.value);
}

export function lbPoolProblems(resourceName: string, props: Props, config: Config): string[] {
    const nodeNetwork = requireSpan(cidrSpan(config.nodeCidr), "nodeCidr", config.nodeCidr);
    const lbRange = requireSpan(rangeSpan(config.loadBalancerRange.start, config.loadBalancerRange.stop), "loadBalancerRange", config.loadBalancerRange);
    const hosts = plannedHosts(config);
    const pool = `CiliumLoadBalancerIPPool ${objectName(props, resourceName, false)}`;
    return list(at(props, "spec", "blocks")).flatMap((block, i) => {
        const { label, span } = blockSpan(block);
        if (!span) return [`${pool}: block ${i} (${JSON.stringify(block)}) is neither a CIDR nor a start-stop range of IPv4 addresses`];
        if (!within(span, nodeNetwork)) return [`${pool}: block ${label} is outside the node network ${config.nodeCidr}`];
        const problems: string[] = [];
        const covered = hosts.filter((h) => contains(span, h.value)).map((h) => h.label);
        if (covered.length > 0) problems.push(`${pool}: block ${label} covers ${covered.join(", ")}`);
        if (!within(span, lbRange)) problems.push(`${pool}: block ${label} reaches outside the load-balancer range ${showRange(lbRange)}`);
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
