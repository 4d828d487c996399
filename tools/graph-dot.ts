import { Registration } from "./offline/record";
import { BuildOrder, isWork } from "./waves";

// The recorded graph as Graphviz DOT: one box per resource, grouped by the component that owns it,
// an arrow from each dependency to its dependent, the critical path in red. Pure and deterministic.

const quote = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/** `kubernetes:cilium.io/v2:CiliumLoadBalancerIPPool` -> `CiliumLoadBalancerIPPool` */
function shortType(type: string): string {
    return type.split(":").pop()!.split("/").pop()!;
}

export function toDot(resources: readonly Registration[], order: BuildOrder): string {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const critical = new Set(order.criticalPath.map((s) => s.urn));
    const criticalEdges = new Set(order.criticalPath.slice(1).map((s, i) => `${order.criticalPath[i].urn}>${s.urn}`));
    const step = new Map(order.steps.map((s) => [s.urn, s]));

    // Each resource is drawn inside the component directly under the root that owns it; resources
    // registered straight under the root (a provider) stand outside any box.
    const ownerOf = (r: Registration): string => {
        let owner = "";
        for (let at = r; at.parent && byUrn.get(at.parent)?.parent; at = byUrn.get(at.parent)!) owner = at.parent;
        return owner;
    };
    // URN order, not registration order (which depends on when Outputs resolve), so the picture is stable.
    const work = resources.filter(isWork).sort((a, b) => a.urn.localeCompare(b.urn));
    const groups = new Map<string, Registration[]>();
    for (const r of work) groups.set(ownerOf(r), [...(groups.get(ownerOf(r)) ?? []), r]);

    const lines = [
        "digraph homelab {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fillcolor="#f5f7fa", fontname="Helvetica", fontsize=10];',
        '  edge [color="#8a94a6"];',
    ];
    const node = (r: Registration) => {
        const s = step.get(r.urn)!;
        const style = critical.has(r.urn) ? ', color="#d62728", penwidth=2, fillcolor="#fdecea"' : "";
        return `    ${quote(r.urn)} [label=${quote(`${r.name}\n${shortType(r.type)} · wave ${s.wave} · ${s.seconds}s`)}${style}];`;
    };
    let index = 0;
    for (const [g, members] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        if (g) {
            const owner = byUrn.get(g)!;
            lines.push(
                `  subgraph cluster_${index++} {`,
                `    label=${quote(`${owner.name} (${shortType(owner.type)})`)};`,
                '    style="rounded"; color="#c3cad6"; fontname="Helvetica";',
            );
            members.forEach((r) => lines.push(node(r)));
            lines.push("  }");
        } else members.forEach((r) => lines.push(node(r).slice(2)));
    }
    for (const r of work) {
        const provider = r.provider ? [r.provider.split("::").slice(0, -1).join("::")] : [];
        for (const dep of [...new Set([...r.dependencies, ...provider])].sort()) {
            if (!step.has(dep)) continue;
            const style = criticalEdges.has(`${dep}>${r.urn}`) ? ' [color="#d62728", penwidth=2.5]' : "";
            lines.push(`  ${quote(dep)} -> ${quote(r.urn)}${style};`);
        }
    }
    lines.push("}");
    return lines.join("\n") + "\n";
}

/** Renders DOT to SVG with the Graphviz WebAssembly build from npm: no system binary needed. */
export async function renderSvg(dot: string): Promise<string> {
    const { instance } = await import("@viz-js/viz");
    const viz = await instance();
    return viz.renderString(dot, { format: "svg", engine: "dot" });
}
