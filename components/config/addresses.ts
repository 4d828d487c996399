import * as ipaddr from "ipaddr.js";

// The one use of ipaddr.js, for the config's rules, the plans, verify and the policy pack: parsing that reports
// instead of throwing (the pack reads whatever a resource holds), networks and ranges as spans of addresses,
// membership, overlap and order. IPv4, as the design's networks are; IPv6 only to tell a private address apart.

export type IPv4 = ipaddr.IPv4;
export type Cidr = [IPv4, number];

/** Every address from `first` to `last`, both included: a network's, or a start-stop range's. */
export interface AddressRange {
    first: IPv4;
    last: IPv4;
}

/** The address, or undefined when `text` is not a dotted-quad IPv4 address ("172.16.1.50"). */
export function parseAddress(text: unknown): IPv4 | undefined {
    return typeof text === "string" && ipaddr.IPv4.isValidFourPartDecimal(text) ? ipaddr.IPv4.parse(text) : undefined;
}

/** The network, or undefined when `text` is not `<network address>/<prefix>` ("172.16.1.0/24"; "172.16.1.5/24" is refused). */
export function parseCidr(text: string): Cidr | undefined {
    const host = parseInterfaceAddress(text);
    return host && ipaddr.IPv4.networkAddressFromCIDR(text).toString() === host.address.toString()
        ? [host.address, host.prefix]
        : undefined;
}

/**
 * An address with its network's prefix, as a VM's cloud-init or a Talos link carries it: "172.16.1.50/24". Host
 * bits are the point here, so any address is taken.
 */
export function parseInterfaceAddress(text: unknown): { address: IPv4; prefix: number } | undefined {
    if (typeof text !== "string" || !ipaddr.IPv4.isValidCIDR(text)) return undefined;
    const address = parseAddress(text.split("/")[0]);
    return address && { address, prefix: ipaddr.IPv4.parseCIDR(text)[1] };
}

/**
 * The network `text` means when it has host bits set (`172.16.1.1/24` -> `172.16.1.0/24`), for "did you mean";
 * undefined when it is a network already or no CIDR at all.
 */
export function networkMeant(text: string): string | undefined {
    const host = parseInterfaceAddress(text);
    const network = host && `${ipaddr.IPv4.networkAddressFromCIDR(text).toString()}/${host.prefix}`;
    return network === text ? undefined : network;
}

/**
 * Every address of `<address>/<prefix>`, its network and broadcast address included, host bits masked as Cilium
 * masks a pool block's: "172.16.1.0/24" and "172.16.1.5/24" -> 172.16.1.0-172.16.1.255.
 */
export function cidrRange(text: unknown): AddressRange | undefined {
    if (!parseInterfaceAddress(text)) return undefined;
    return { first: ipaddr.IPv4.networkAddressFromCIDR(text as string), last: ipaddr.IPv4.broadcastAddressFromCIDR(text as string) };
}

/** start-stop, both included; undefined when either end is unreadable or stop comes before start. */
export function rangeOf(start: unknown, stop: unknown): AddressRange | undefined {
    const [first, last] = [parseAddress(start), parseAddress(stop)];
    return first && last && compareAddresses(first, last) <= 0 ? { first, last } : undefined;
}

export function inCidr(addr: IPv4, cidr: Cidr): boolean {
    return addr.match(cidr);
}

/** Two networks overlap when the one with the shorter prefix contains the other's network address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
    const [wide, narrow] = a[1] <= b[1] ? [a, b] : [b, a];
    return narrow[0].match(wide);
}

/** The network and broadcast addresses of a CIDR, which no host may take. */
export function reservedAddresses(cidr: Cidr): [string, string] {
    const range = cidrRange(`${cidr[0].toString()}/${cidr[1]}`)!;
    return [range.first.toString(), range.last.toString()];
}

/** Orders addresses numerically (172.16.1.9 before 172.16.1.10), by their bytes. */
export function compareAddresses(a: IPv4, b: IPv4): number {
    const x = a.toByteArray();
    const y = b.toByteArray();
    for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i] - y[i];
    return 0;
}

export function inRange(addr: IPv4, range: AddressRange): boolean {
    return compareAddresses(range.first, addr) <= 0 && compareAddresses(addr, range.last) <= 0;
}

/** Whether every address of `inner` is in `outer`. */
export function rangeWithin(inner: AddressRange, outer: AddressRange): boolean {
    return inRange(inner.first, outer) && inRange(inner.last, outer);
}

/** How many addresses the range holds. */
export function rangeSize(range: AddressRange): number {
    const value = (a: IPv4) => a.toByteArray().reduce((n, byte) => n * 256 + byte, 0);
    return value(range.last) - value(range.first) + 1;
}

/**
 * Whether a URL's host is this machine: `localhost`, `[::1]` or 127.0.0.0/8 (as `URL.hostname` writes them). A
 * credential may cross plain http only to such a host (a local stand-in of a server).
 */
export function isLoopbackHost(hostname: string): boolean {
    if (hostname === "localhost" || hostname === "[::1]") return true;
    const address = parseAddress(hostname);
    return address !== undefined && address.range() === "loopback";
}

/** "172.16.1.60-172.16.1.69". */
export function showRange(range: AddressRange): string {
    return `${range.first}-${range.last}`;
}

// ipaddr.js range names -> what a message calls them: the ranges that only mean something inside a home network.
// Everything else (public, documentation, multicast...) is not private.
const privateIPv4: Readonly<Record<string, string>> = {
    private: "a private address (RFC 1918)",
    loopback: "a loopback address (127.0.0.0/8)",
    linkLocal: "a link-local address (169.254.0.0/16)",
    carrierGradeNat: "a shared carrier-grade NAT address (RFC 6598)",
    unspecified: "an unspecified address (0.0.0.0/8)",
};
const privateIPv6: Readonly<Record<string, string>> = {
    uniqueLocal: "a unique local address (fc00::/7)",
    linkLocal: "a link-local address (fe80::/10)",
    loopback: "the loopback address (::1)",
    unspecified: "the unspecified address (::)",
};

/** What kind of private address `text` is (IPv4, or IPv6 for `version` 6), or undefined when it is none or no address. */
export function privateAddressKind(text: string, version: 4 | 6): string | undefined {
    if (version === 4) return parseAddress(text) && privateIPv4[ipaddr.IPv4.parse(text).range()];
    if (!ipaddr.IPv6.isValid(text)) return undefined;
    const address = ipaddr.IPv6.parse(text);
    // ::ffff:172.16.1.61 reaches the same host as 172.16.1.61.
    if (address.isIPv4MappedAddress()) return privateIPv4[address.toIPv4Address().range()];
    return privateIPv6[address.range()];
}
