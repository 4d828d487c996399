import * as ipaddr from "ipaddr.js";

// IPv4 arithmetic for the rules: an address is its 32-bit value, a network or range an inclusive span
// of values. Parsing never throws: a rule reports what it cannot read. IPv4 only, as the plan is.

export interface Span {
    first: number;
    last: number;
}

/** 172.16.1.50 -> 2886729010; undefined for anything but a dotted quad. */
export function addressValue(text: unknown): number | undefined {
    if (typeof text !== "string" || !ipaddr.IPv4.isValidFourPartDecimal(text)) return undefined;
    return ipaddr.IPv4.parse(text).toByteArray().reduce((n, byte) => n * 256 + byte, 0);
}

export function showAddress(value: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** `<ip>/<prefix>` as a VM or Talos link carries it ("172.16.1.50/24"). */
export function addressWithPrefix(text: unknown): { address: number; prefix: number } | undefined {
    if (typeof text !== "string") return undefined;
    const match = /^([^/]+)\/(\d{1,2})$/.exec(text);
    const address = match ? addressValue(match[1]) : undefined;
    const prefix = match ? Number(match[2]) : NaN;
    return address === undefined || prefix > 32 ? undefined : { address, prefix };
}

/** Every address of a network, its own and broadcast address included: "172.16.1.0/24" -> .0-.255. Host bits are masked, as Cilium does. */
export function cidrSpan(text: unknown): Span | undefined {
    const parsed = addressWithPrefix(text);
    if (!parsed) return undefined;
    const size = 2 ** (32 - parsed.prefix);
    const first = Math.floor(parsed.address / size) * size;
    return { first, last: first + size - 1 };
}

/** start-stop, both included; undefined when either end is unreadable or stop comes before start. */
export function rangeSpan(start: unknown, stop: unknown): Span | undefined {
    const first = addressValue(start);
    const last = addressValue(stop);
    return first === undefined || last === undefined || last < first ? undefined : { first, last };
}

export function contains(span: Span, value: number): boolean {
    return span.first <= value && value <= span.last;
}

export function within(inner: Span, outer: Span): boolean {
    return outer.first <= inner.first && inner.last <= outer.last;
}

/** "172.16.1.60-172.16.1.69". */
export function showRange(span: Span): string {
    return `${showAddress(span.first)}-${showAddress(span.last)}`;
}

/** The config's own networks; a config the schema let through but that makes no sense is an error, not a verdict. */
export function requireSpan(span: Span | undefined, key: string, value: unknown): Span {
    if (!span) throw new Error(`policy config ${key}: ${JSON.stringify(value)} is not a valid network or range`);
    return span;
}

export function requireAddress(value: number | undefined, key: string, text: unknown): number {
    if (value === undefined) throw new Error(`policy config ${key}: ${JSON.stringify(text)} is not an IPv4 address`);
    return value;
}
