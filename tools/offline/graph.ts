import { RecordedRun, Registration } from "./record";

// Queries over a recorded run, shared by every whole-program test and by the plan tool.

// Two runs are compared as the engine compares them in ./preview-steps.ts (previewSteps).

export class Graph {
    readonly byUrn: ReadonlyMap<string, Registration>;

    constructor(readonly run: RecordedRun) {
        this.byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    }

    get resources(): readonly Registration[] {
        return this.run.resources;
    }

    ofType(type: string): Registration[] {
        return this.run.resources.filter((r) => r.type === type);
    }

    /** The one resource of this type and name; throws naming what exists when there is none. */
    get(type: string, name: string): Registration {
        const found = this.run.resources.filter((r) => r.type === type && r.name === name);
        if (found.length !== 1) {
            const names = this.ofType(type)
                .map((r) => r.name)
                .join(", ");
            throw new Error(`expected one ${type} named ${name}, found ${found.length} (have: ${names || "none"})`);
        }
        return found[0];
    }

    children(parent: Registration): Registration[] {
        return this.run.resources.filter((r) => r.parent === parent.urn);
    }

    /** The URN of the provider behind a reference `urn::id`. */
    static providerUrn(reference: string): string {
        return reference.split("::").slice(0, -1).join("::");
    }

    private isWithin(urn: string, ancestor: string): boolean {
        for (let at: string | undefined = urn; at; at = this.byUrn.get(at)?.parent) if (at === ancestor) return true;
        return false;
    }

    /** Everything `r` waits for, directly: its dependencies and its provider. */
    directDependencies(r: Registration): string[] {
        return r.provider ? [...r.dependencies, Graph.providerUrn(r.provider)] : r.dependencies;
    }

    /**
     * Whether `a` waits for `b`, transitively through dependencies and providers. Waiting for anything
     * inside a component counts as waiting for the component.
     */
    dependsOn(a: Registration, b: Registration): boolean {
        const seen = new Set<string>();
        const queue = [...this.directDependencies(a)];
        while (queue.length) {
            const urn = queue.pop()!;
            if (seen.has(urn)) continue;
            seen.add(urn);
            if (this.isWithin(urn, b.urn)) return true;
            const next = this.byUrn.get(urn);
            if (next) queue.push(...this.directDependencies(next));
        }
        return false;
    }

    /**
     * Every place a marker (e.g. CANARY) appears in plain, non-secret data that Pulumi persists:
     * resource inputs and stack exports. (Invoke arguments are sent to the provider unwrapped by
     * design and never stored; an invoke result is secret when any argument was.)
     */
    leaks(marker: string): string[] {
        const found: string[] = [];
        const scan = (where: string, value: unknown, secretPaths: string[], p = "") => {
            if (secretPaths.some((s) => p === s || p.startsWith(`${s}/`) || s === "/")) return;
            if (typeof value === "string" && value.includes(marker)) found.push(`${where} ${p || "/"}`);
            else if (Array.isArray(value)) value.forEach((v, i) => scan(where, v, secretPaths, `${p}/${i}`));
            else if (value && typeof value === "object")
                Object.entries(value).forEach(([k, v]) => scan(where, v, secretPaths, `${p}/${k}`));
        };
        this.run.resources.forEach((r) => scan(r.urn, r.inputs, r.secretPaths));
        Object.entries(this.run.exports).forEach(([k, e]) => !e.secret && scan(`export ${k}`, e.value, []));
        return found;
    }
}
