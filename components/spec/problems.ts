import * as pulumi from "@pulumi/pulumi";

/** One thing wrong with the config: the key it is at, what is wrong, and how to fix it. */
export interface Problem {
    /** Full key path, e.g. `homelab:nodes[2].ip`. */
    key: string;
    message: string;
    fix: string;
}

export function formatProblem(p: Problem): string {
    return `${p.key}: ${p.message}. Fix: ${p.fix}.`;
}

/** Thrown before any resource is registered; the message lists every problem, one per line. */
export class SpecError extends pulumi.RunError {
    constructor(public readonly problems: readonly Problem[]) {
        super(
            `homelab config has ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was created:\n` +
                problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
        );
        this.name = "SpecError";
    }
}

/** `homelab:nodes` + [2, "ip"] -> `homelab:nodes[2].ip` */
export function keyPath(root: string, path: readonly PropertyKey[]): string {
    return path.reduce<string>((acc, part) => (typeof part === "number" ? `${acc}[${part}]` : `${acc}.${String(part)}`), `homelab:${root}`);
}
