import * as ipaddr from "ipaddr.js";

// Address helpers over ipaddr.js: parsing that reports instead of throwing, CIDR membership and
// overlap, and ordering. IPv4 only: the design's networks are all IPv4.

export type IPv4 = ipaddr.IPv4;
export type Cidr = [IPv4, number];

/** The address, or undefined when `text` is not a dotted-quad IPv4 address ("172.16.1.50"). */
export function parseAddress(text: string): IPv4 | undefined {
    return ipaddr.IPv4.isValidFourPartDecimal(text) ? ipaddr.IPv4.parse(text) : undefined;
}

/** The network, or undefined when `text` is not `<network address>/<prefix>` ("172.16.1.0/24"; "172.16.1.5/24" is refused). */
export function parseCidr(text: string): Cidr | undefined {
    if (!ipaddr.IPv4.isValidCIDR(text)) return undefined;
    const [addr, prefix] = ipaddr.IPv4.parseCIDR(text);
    if (!ipaddr.IPv4.isValidFourPartDecimal(text.split("/")[0])) return undefined;
    return ipaddr.IPv4.networkAddressFromCIDR(text).toString() === addr.toString() ? [addr, prefix] : undefined;
}

/**
 * The network `text` means when it has host bits set (`172.16.1.1/24` -> `172.16.1.0/24`), for "did you mean";
 * undefined when it is a network already or no CIDR at all.
 */
export function networkMeant(text: string): string | undefined {
    if (!ipaddr.IPv4.isValidCIDR(text) || !ipaddr.IPv4.isValidFourPartDecimal(text.split("/")[0])) return undefined;
    const network = `${ipaddr.IPv4.networkAddressFromCIDR(text).toString()}/${text.split("/")[1]}`;
    return network === text ? undefined : network;
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
    const text = `${cidr[0].toString()}/${cidr[1]}`;
    return [ipaddr.IPv4.networkAddressFromCIDR(text).toString(), ipaddr.IPv4.broadcastAddressFromCIDR(text).toString()];
}

/** Orders addresses numerically (172.16.1.9 before 172.16.1.10), by their bytes. */
export function compareAddresses(a: IPv4, b: IPv4): number {
    const x = a.toByteArray();
    const y = b.toByteArray();
    for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i] - y[i];
    return 0;
}

export function inRange(addr: IPv4, start: IPv4, stop: IPv4): boolean {
    return compareAddresses(start, addr) <= 0 && compareAddresses(addr, stop) <= 0;
}

/** How many addresses lie from start to stop, both included. */
export function rangeSize(start: IPv4, stop: IPv4): number {
    const value = (a: IPv4) => a.toByteArray().reduce((n, byte) => n * 256 + byte, 0);
    return value(stop) - value(start) + 1;
}
