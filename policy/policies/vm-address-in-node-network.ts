import { ResourceValidationPolicy } from "@pulumi/policy";
import {
    cidrRange,
    compareAddresses,
    inRange,
    parseAddress,
    parseInterfaceAddress,
    rangeOf,
    showRange,
} from "../../components/config/addresses";
import { configSchema, NetworkPolicyConfig, requireAddress, requireRange } from "../config";
import { vmAddressClaims, vmLabel } from "./claims";
import { Props } from "./props";
import { requireType, resourceTypes } from "./resource-types";

const configKeys = ["nodeCidr", "loadBalancerRange", "vip", "infrastructure"] as const;
type Config = Pick<NetworkPolicyConfig, (typeof configKeys)[number]>;

/** Every problem of one VM's static addresses, each message naming the VM, the address and the rule it breaks. */
export function vmAddressProblems(resourceName: string, props: Props, config: Config): string[] {
    const nodeNetwork = requireRange(cidrRange(config.nodeCidr), "nodeCidr", config.nodeCidr);
    const nodePrefix = Number(config.nodeCidr.split("/")[1]);
    const lbRange = requireRange(
        rangeOf(config.loadBalancerRange.start, config.loadBalancerRange.stop),
        "loadBalancerRange",
        config.loadBalancerRange,
    );
    const vip = requireAddress(parseAddress(config.vip), "vip", config.vip);
    const vm = vmLabel(props, resourceName);
    const problems: string[] = [];
    for (const claim of vmAddressClaims(props)) {
        const parsed = parseInterfaceAddress(claim.text);
        if (!parsed) {
            problems.push(`${vm}: ${claim.field} "${claim.text}" is not an address of the form <ip>/<prefix>`);
            continue;
        }
        const ip = claim.text.split("/")[0];
        if (!inRange(parsed.address, nodeNetwork)) {
            problems.push(`${vm}: ${ip} is outside the node network ${config.nodeCidr}`);
            continue;
        }
        const isNetwork = compareAddresses(parsed.address, nodeNetwork.first) === 0;
        if (isNetwork || compareAddresses(parsed.address, nodeNetwork.last) === 0) {
            problems.push(`${vm}: ${ip} is the ${isNetwork ? "network" : "broadcast"} address of the node network ${config.nodeCidr}`);
        }
        if (parsed.prefix !== nodePrefix)
            problems.push(`${vm}: ${claim.text} has prefix /${parsed.prefix}, the node network ${config.nodeCidr} has /${nodePrefix}`);
        if (inRange(parsed.address, lbRange)) problems.push(`${vm}: ${ip} is inside the load-balancer range ${showRange(lbRange)}`);
        if (compareAddresses(parsed.address, vip) === 0) problems.push(`${vm}: ${ip} is the Kubernetes API VIP`);
        for (const host of config.infrastructure.filter((h) => parseAddress(h.ip)?.toString() === parsed.address.toString())) {
            problems.push(`${vm}: ${ip} belongs to infrastructure host ${host.name}`);
        }
    }
    return problems;
}

export const vmAddressInNodeNetwork: ResourceValidationPolicy = {
    name: "vm-address-in-node-network",
    description:
        "Proxmox VMs (VmLegacy) take static cloud-init addresses inside the node network, with its prefix length, " +
        "and never an address of the load-balancer range, the API VIP or an infrastructure host. VMs on DHCP are not checked.",
    enforcementLevel: "mandatory",
    configSchema: configSchema(configKeys),
    validateResource: (args, reportViolation) => {
        requireType(args, resourceTypes.vm);
        vmAddressProblems(args.name, args.props, args.getConfig<Config>()).forEach((message) => reportViolation(message));
    },
};
