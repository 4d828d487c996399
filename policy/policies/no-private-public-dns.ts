import { ResourceValidationPolicy } from "@pulumi/policy";
import { privateAddressKind } from "../../components/config/addresses";
import { Props, text } from "./props";
import { requireType, resourceTypes } from "./resource-types";

export function publicDnsProblems(resourceName: string, props: Props): string[] {
    const recordType = text(props.type) ?? "";
    const content = text(props.content) ?? "";
    // An A record names an IPv4 address, an AAAA record an IPv6 one; other records name no address.
    const version = recordType === "A" ? 4 : recordType === "AAAA" ? 6 : undefined;
    const kind = version && privateAddressKind(content, version);
    return kind ? [`DNS record ${text(props.name) ?? resourceName} (${recordType}): ${content} is ${kind}`] : [];
}

export const noPrivatePublicDns: ResourceValidationPolicy = {
    name: "no-private-public-dns",
    description:
        "Public Cloudflare A/AAAA records never point at a non-routable address: IPv4 private (RFC 1918), loopback, " +
        "link-local, carrier-grade NAT (RFC 6598) and 0.0.0.0/8; IPv6 unique local, link-local, loopback, unspecified, " +
        "and IPv4-mapped forms of the IPv4 ones. Home addresses belong in split DNS (k8s_gateway), not in the public zone.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        requireType(args, resourceTypes.dnsRecord);
        publicDnsProblems(args.name, args.props).forEach((message) => reportViolation(message));
    },
};
