/** One thing wrong with the config: the key it is at, what is wrong, and how to fix it. */
export interface Problem {
    /** Full key path, e.g. `homelab:nodes[talos-cp-2].ip`. */
    key: string;
    message: string;
    fix: string;
}

/** `homelab:nodes[talos-cp-2].ip: <message>. Fix: <fix>.`; a message that asks ("did you mean ...?") keeps its mark. */
export function formatProblem(p: Problem): string {
    return `${p.key}: ${p.message}${p.message.endsWith("?") ? "" : "."} Fix: ${p.fix}.`;
}

/** How many problems the message lists: a generated config with thousands of bad entries stays readable. */
export const listedProblems = 25;

/**
 * The whole report: the first `listedProblems` problems, one per line, a count of the rest, and which values sat out
 * the rules that relate one key to another because their own shape was wrong (fixing them may show more).
 */
export function problemReport(problems: readonly Problem[], unchecked: readonly string[] = []): string {
    const rest = problems.length - listedProblems;
    const lines = [
        `homelab config has ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was created:`,
        ...problems.slice(0, listedProblems).map((p) => `  - ${formatProblem(p)}`),
    ];
    if (rest > 0) lines.push(`  ... and ${rest} more problem${rest === 1 ? "" : "s"}: fix these and run again to see them`);
    if (unchecked.length > 0) {
        const named = unchecked.length > 5 ? `${unchecked.slice(0, 5).join(", ")} and ${unchecked.length - 5} more` : unchecked.join(", ");
        lines.push(
            `More checks run once these are fixed: ${named} sat out the rules that relate one key to another (addresses, names, hosts).`,
        );
    }
    return lines.join("\n");
}

/**
 * The config's problems, all of them (`problems`), for whoever reads a stack without Pulumi: the tools and the
 * policy pack. The message is {@link problemReport}. The program throws the same report as a Pulumi RunError
 * (components/program-config.ts), which the CLI prints without a stack trace.
 */
export class ConfigError extends Error {
    constructor(
        public readonly problems: readonly Problem[],
        public readonly unchecked: readonly string[] = [],
    ) {
        super(problemReport(problems, unchecked));
        this.name = "ConfigError";
    }
}

/** The lists whose entries have names, and so are named by them in messages. */
export type NamedList = "nodes" | "apps" | "infrastructure";
export const namedLists: readonly NamedList[] = ["nodes", "apps", "infrastructure"];

/**
 * How messages name each entry of a list: by its `name` when that names it alone (`talos-cp-1`), else by its
 * position (`3`): a missing, repeated or odd name (brackets, spaces) would not say which entry is meant.
 */
export function entryLabels(list: readonly unknown[]): string[] {
    const names = list.map((entry) => (entry && typeof entry === "object" ? (entry as { name?: unknown }).name : undefined));
    const count = new Map<unknown, number>();
    for (const name of names) count.set(name, (count.get(name) ?? 0) + 1);
    return names.map((name, i) =>
        typeof name === "string" && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) && count.get(name) === 1 ? name : String(i),
    );
}

/** `homelab:nodes` + [2, "ip"] -> `homelab:nodes[talos-cp-3].ip` with the list's labels, `homelab:nodes[2].ip` without. */
export function keyPath(root: string, path: readonly PropertyKey[], labels?: readonly string[]): string {
    return path.reduce<string>((acc, part, i) => {
        if (typeof part !== "number") return `${acc}.${String(part)}`;
        return `${acc}[${i === 0 && labels ? (labels[part] ?? part) : part}]`;
    }, `homelab:${root}`);
}
