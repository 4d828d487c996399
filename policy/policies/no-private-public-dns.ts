import { ResourceValidationPolicy } from "@pulumi/policy";
import * as ipaddr from "ipaddr.js";
import { Props, text } from "./props";
import { requireType, resourceTypes } from "./resource-types";

// ipaddr.js range names -> what the message calls them. Everything else (public, documentation,
// multicast...) is left alone: the rule is about leaking the home network, not about valid targets.
const privateIPv4: Record<string, string> = {
    private: "a private address (RFC 1918)",
    loopback: "a loopback address (127.0.0.0/8)",
    linkLocal: "a link-local address (169.254.0.0/16)",
    carrierGradeNat: "a shared carrier-grade NAT address (RFC 6598)",
    unspecified: "an unspecified address (0.0.0.0/8)",
};
const privateIPv6: Record<string, string> = {
    uniqueLocal: "a unique local address (fc00::/7)",
    linkLocal: "a link-local address (fe80::/10)",
    loopback: "the loopback address (::1)",
    unspecified: "the unspecified address (::)",
};

/** Why an A/AAAA target must stay out of public DNS, or undefined when it may be published. */
export function privateAddressKind(recordType: string, content: string): string | undefined {
    if (recordType === "A" && ipaddr.IPv4.isValidFourPartDecimal(content)) return privateIPv4[ipaddr.IPv4.parse(content).range()];
    if (recordType === "AAAA" && ipaddr.IPv6.isValid(content)) {
        const address = ipaddr.IPv6.parse(content);
        // ::ffff:172.16.1.61 reaches the same host as 172.16.1.61.
        if (address.isIPv4MappedAddress()) return privateIPv4[address.toIPv4Address().range()];
        return privateIPv6[address.range()];
    }
    return undefined;
}

export function publicDnsProblems(resourceName: string, props: Props): string[] {
    const recordType = text(props.type) ?? "";
    const content = text(props.content) ?? "";
    const kind = privateAddressKind(recordType, content);
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
