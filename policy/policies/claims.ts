import { at, list, objectName, Props, text } from "./props";
import { lbIpsAnnotation, lbSharingKeyAnnotation, resourceTypes } from "./resource-types";

// Who asks for which address: VMs through cloud-init, LoadBalancer Services and Gateways through
// Cilium LB-IPAM. Shared by the rules that check one resource and by the stack-wide duplicate check.

/** One address a resource asks for, as written, and the field it is written in (for messages). */
export interface AddressClaim {
    /** "172.16.1.50/24" for a VM (address and prefix), "172.16.1.61" elsewhere. */
    text: string;
    field: string;
}

/** What a resource claims, under the label messages call it by. */
export interface Claimant {
    label: string;
    claims: AddressClaim[];
    /** LB-IPAM lets objects with the same sharing key share an address. */
    sharingKey?: string;
}

export function vmLabel(props: Props, resourceName: string): string {
    return `VM ${text(props.name) ?? resourceName}`;
}

/** Static cloud-init addresses; `dhcp` claims nothing a plan can check. */
export function vmAddressClaims(props: Props): AddressClaim[] {
    return list(at(props, "initialization", "ipConfigs")).flatMap((config, i) => {
        const address = text(at(config, "ipv4", "address"));
        return address && address !== "dhcp" ? [{ text: address, field: `initialization.ipConfigs[${i}].ipv4.address` }] : [];
    });
}

export function isLoadBalancerService(props: Props): boolean {
    return at(props, "spec", "type") === "LoadBalancer";
}

/** The annotation's value is a comma-separated list ("172.16.1.60" or "172.16.1.60,172.16.1.61"). */
function annotatedAddresses(value: unknown, field: string): AddressClaim[] {
    return (text(value) ?? "")
        .split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry !== "")
        .map((entry) => ({ text: entry, field }));
}

export function serviceAddressClaims(props: Props): AddressClaim[] {
    return annotatedAddresses(at(props, "metadata", "annotations", lbIpsAnnotation), `metadata.annotations["${lbIpsAnnotation}"]`);
}

/**
 * A Gateway pins its address either on the Service its implementation creates (the infrastructure
 * annotations are copied onto it) or through spec.addresses; only IPAddress entries (the default type) count.
 */
export function gatewayAddressClaims(props: Props): AddressClaim[] {
    const annotated = annotatedAddresses(
        at(props, "spec", "infrastructure", "annotations", lbIpsAnnotation),
        `spec.infrastructure.annotations["${lbIpsAnnotation}"]`,
    );
    const listed = list(at(props, "spec", "addresses")).flatMap((address, i) => {
        const value = text(at(address, "value"));
        return (text(at(address, "type")) ?? "IPAddress") === "IPAddress" && value
            ? [{ text: value, field: `spec.addresses[${i}].value` }]
            : [];
    });
    return [...annotated, ...listed];
}

/** The claimant behind a resource, or undefined for a type that claims no address. */
export function claimantOf(type: string, resourceName: string, props: Props): Claimant | undefined {
    switch (type) {
        case resourceTypes.vm:
            return { label: vmLabel(props, resourceName), claims: vmAddressClaims(props) };
        case resourceTypes.service:
            if (!isLoadBalancerService(props)) return undefined;
            return {
                label: `Service ${objectName(props, resourceName)}`,
                claims: serviceAddressClaims(props),
                sharingKey: text(at(props, "metadata", "annotations", lbSharingKeyAnnotation)),
            };
        case resourceTypes.gateway:
            return {
                label: `Gateway ${objectName(props, resourceName)}`,
                claims: gatewayAddressClaims(props),
                sharingKey: text(at(props, "spec", "infrastructure", "annotations", lbSharingKeyAnnotation)),
            };
        default:
            return undefined;
    }
}
