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

/** How many problems the message lists: a generated config with thousands of bad entries stays readable. */
export const listedProblems = 25;

/**
 * Thrown before any resource is registered; the message lists the first `listedProblems` problems, one per line,
 * and counts the rest. `problems` holds all of them.
 */
export class SpecError extends pulumi.RunError {
    constructor(public readonly problems: readonly Problem[]) {
        const rest = problems.length - listedProblems;
        super(
            `homelab config has ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was created:\n` +
                problems.slice(0, listedProblems).map((p) => `  - ${formatProblem(p)}`).join("\n") +
                (rest > 0 ? `\n  ... and ${rest} more problem${rest === 1 ? "" : "s"}: fix these and run again to see them` : ""),
        );
        this.name = "SpecError";
    }
}

/** `homelab:nodes` + [2, "ip"] -> `homelab:nodes[2].ip` */
export function keyPath(root: string, path: readonly PropertyKey[]): string {
    return path.reduce<string>((acc, part) => (typeof part === "number" ? `${acc}[${part}]` : `${acc}.${String(part)}`), `homelab:${root}`);
}
