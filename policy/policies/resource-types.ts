// The type tokens the rules inspect. Compared as strings, so the pack loads no provider SDK;
// test/policy/resource-types.spec.ts holds each equal to its SDK class's __pulumiType.

export const resourceTypes = {
    /** @muhlba91/pulumi-proxmoxve VmLegacy (v8), the production VM resource. */
    vm: "proxmoxve:index/vmLegacy:VmLegacy",
    service: "kubernetes:core/v1:Service",
    gateway: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
    httpRoute: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
    loadBalancerPool: "kubernetes:cilium.io/v2:CiliumLoadBalancerIPPool",
    dnsRecord: "cloudflare:index/dnsRecord:DnsRecord",
    talosConfigurationApply: "talos:machine/configurationApply:ConfigurationApply",
} as const;

/** Cilium LB-IPAM's annotation pinning a Service (or, through infrastructure annotations, a Gateway) to addresses: comma-separated. */
export { lbIpsAnnotation } from "../../components/config/facts";

/** Services (and Gateways) with the same sharing key may share an address on purpose. */
export const lbSharingKeyAnnotation = "lbipam.cilium.io/sharing-key";

/** Marks a resource of another type as not applicable, with the reason the SDK's own type helpers give. */
export function requireType(args: { type: string; notApplicable(reason?: string): never }, type: string): void {
    if (args.type !== type) args.notApplicable(`Policy only applies to resources of type '${type}'`);
}
