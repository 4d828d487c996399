import { createHash } from "crypto";

// RFC 1123 host names: labels of 1-63 lower-case letters, digits and hyphens, not starting or
// ending with a hyphen; a full name is at most 253 characters. `talos-cp-1` is a label,
// `myapp.ragas.cc` a name; `Talos_CP`, `-cp` and `cp-` are neither.
const label = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function isLabel(text: string): boolean {
    return label.test(text);
}

/** A DNS name of two or more labels (`ragas.cc`). */
export function isDomainName(text: string): boolean {
    const labels = text.split(".");
    return text.length <= 253 && labels.length >= 2 && labels.every(isLabel);
}

/** `aa:bb:cc:dd:ee:ff`, lower case, unicast (the lowest bit of the first octet clear). */
export function isUnicastMac(text: string): boolean {
    return /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(text) && (parseInt(text.slice(0, 2), 16) & 1) === 0;
}

/**
 * A stable MAC for a node, from its name alone, so a VM keeps its MAC (and Talos its link selector)
 * when its address, size or host changes. `02` marks it locally administered and unicast, so it can
 * never collide with a vendor-assigned address; the other five octets come from the name's SHA-256.
 * talos-cp-1 -> 02:xx:xx:xx:xx:xx; a clash between two names is caught by validation.
 */
export function deriveMac(nodeName: string): string {
    const digest = createHash("sha256").update(`homelab/node/${nodeName}`).digest();
    return ["02", ...[...digest.subarray(0, 5)].map((b) => b.toString(16).padStart(2, "0"))].join(":");
}

/** `myapp` -> `myapp.ragas.cc`; a name already under the domain is kept. */
export function qualifyHostname(hostname: string, domain: string): string {
    return hostname.includes(".") ? hostname : `${hostname}.${domain}`;
}
