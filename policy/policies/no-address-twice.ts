import { PolicyResource, StackValidationPolicy, UnknownValueError } from "@pulumi/policy";
import { Claimant, claimantOf } from "./claims";
import { compareAddresses, parseAddress } from "../../components/config/addresses";

interface Holder {
    label: string;
    field: string;
    urn: string;
    sharingKey?: string;
}

/** `a`, `a and b`, `a, b and c`. */
function listing(items: string[]): string {
    return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * The claimant behind a resource, or undefined when it claims nothing or (during preview) one of the
 * fields it would claim through is not known yet: that resource is left out rather than failing the
 * whole stack check.
 */
function knownClaimant(resource: Pick<PolicyResource, "type" | "name" | "props">): Claimant | undefined {
    try {
        // claimantOf reads every field it needs before returning, so an unknown one throws here.
        return claimantOf(resource.type, resource.name, resource.props);
    } catch (error) {
        if (error instanceof UnknownValueError) return undefined;
        throw error;
    }
}

/** Each address held by more than one resource, with every holder, in address order; the URN is the last holder's. */
export function duplicateClaims(
    resources: readonly Pick<PolicyResource, "type" | "name" | "props" | "urn">[],
): { message: string; urn: string }[] {
    const holders = new Map<string, Holder[]>();
    for (const resource of resources) {
        const claimant = knownClaimant(resource);
        for (const claim of claimant?.claims ?? []) {
            // A VM's address carries its prefix; unreadable addresses are the single-resource rules' business.
            const address = parseAddress(claim.text.split("/")[0])?.toString();
            if (address === undefined) continue;
            const list = holders.get(address) ?? [];
            // The same resource naming an address in two fields still holds it once.
            if (!list.some((h) => h.urn === resource.urn))
                list.push({ label: claimant!.label, field: claim.field, urn: resource.urn, sharingKey: claimant!.sharingKey });
            holders.set(address, list);
        }
    }
    return [...holders.entries()]
        .sort(([a], [b]) => compareAddresses(parseAddress(a)!, parseAddress(b)!))
        .filter(([, list]) => list.length > 1 && !(list[0].sharingKey && list.every((h) => h.sharingKey === list[0].sharingKey)))
        .map(([address, list]) => ({
            message: `${address} is claimed by ${listing(list.map((h) => `${h.label} (${h.field})`))}`,
            urn: list[list.length - 1].urn,
        }));
}

export const noAddressTwice: StackValidationPolicy = {
    name: "no-address-twice",
    description:
        "No address is claimed by two resources of the stack: VM cloud-init addresses, LoadBalancer Services' " +
        "lbipam.cilium.io/ips annotations and Gateways' pinned addresses. Services or Gateways with the same " +
        "lbipam.cilium.io/sharing-key share on purpose and are allowed. During preview, a resource whose address is " +
        "not known yet is left out.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        duplicateClaims(args.resources).forEach(({ message, urn }) => reportViolation(message, urn));
    },
};
