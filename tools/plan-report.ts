import { AddressAllocation, Segment } from "../components/config";
import { Registration } from "./offline/record";
import { markdownTable } from "./table";
import { BuildOrder } from "./waves";

// Pure text rendering for `npm run plan`: tables and the component tree.

/** The resources as a tree under their components, children in registration order. */
export function componentTree(resources: readonly Registration[]): string {
    const children = new Map<string, Registration[]>();
    for (const r of resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const lines: string[] = [];
    const walk = (parent: string, depth: number) => {
        for (const r of children.get(parent) ?? []) {
            const kind = r.custom ? "" : r.remote ? " (chart, rendered by the provider)" : ` [${countBelow(r.urn)} resources]`;
            lines.push(`${"  ".repeat(depth)}${r.name}  ${r.type}${kind}`);
            walk(r.urn, depth + 1);
        }
    };
    const countBelow = (urn: string): number => (children.get(urn) ?? []).reduce((n, c) => n + 1 + countBelow(c.urn), 0);
    walk("", 1);
    return lines.join("\n");
}

export function segmentTable(segments: readonly Segment[]): string {
    return markdownTable(
        ["Network", "CIDR", "Purpose"],
        segments.map((s) => [s.name, s.cidr, s.purpose]),
    );
}

export function allocationTable(rows: readonly AddressAllocation[]): string {
    return markdownTable(
        ["IP", "Service", "Description", "Segment"],
        rows.map((r) => [r.address, r.service, r.description, r.segment]),
    );
}

/** `834` -> `13 min 54 s` */
export function minutes(seconds: number): string {
    return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
}

export function waveList(order: BuildOrder): string {
    return order.waves.map((wave, i) => `  wave ${String(i).padStart(2)}: ${wave.map((s) => s.name).join(", ")}`).join("\n");
}

export function criticalPathTable(order: BuildOrder): string {
    return markdownTable(
        ["step", "resource", "kind", "takes", "done at"],
        order.criticalPath.map((s, i) => [
            String(i + 1),
            s.name,
            s.type.split(":").pop()!.split("/").pop()!,
            `${s.seconds} s`,
            minutes(s.finish),
        ]),
    );
}

export function verdictTable(verdicts: readonly { policy: string; resource: string; message: string; enforcementLevel: string }[]): string {
    return markdownTable(
        ["policy", "level", "resource", "message"],
        verdicts.map((v) => [v.policy, v.enforcementLevel, v.resource.split("::").pop() || "(stack)", v.message]),
    );
}
