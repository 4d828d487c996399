import { Registration } from "./offline/record";
import { durationOf } from "./durations";

// The build order of a recorded graph: waves (every resource one wave after its latest dependency),
// the serial depth, and the critical path by typical durations.

export interface Step {
    urn: string;
    name: string;
    type: string;
    wave: number;
    seconds: number;
    /** Earliest finish, in seconds from the start, if everything that can run in parallel does. */
    finish: number;
}

export interface BuildOrder {
    steps: Step[];
    waves: Step[][];
    criticalPath: Step[];
    estimateSeconds: number;
}

/** Real work: custom resources and provider-rendered charts; local components only group. */
export function isWork(r: Registration): boolean {
    return r.custom || r.remote;
}

function predecessors(r: Registration, byUrn: ReadonlyMap<string, Registration>): string[] {
    const provider = r.provider ? [r.provider.split("::").slice(0, -1).join("::")] : [];
    return [...new Set([...r.dependencies, ...provider])].filter((urn) => byUrn.has(urn) && isWork(byUrn.get(urn)!)).sort();
}

export function buildOrder(resources: readonly Registration[]): BuildOrder {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const steps = new Map<string, Step & { after: string[] }>();
    const visit = (urn: string, trail: Set<string>): Step & { after: string[] } => {
        const done = steps.get(urn);
        if (done) return done;
        if (trail.has(urn)) throw new Error(`dependency cycle through ${urn}`);
        trail.add(urn);
        const r = byUrn.get(urn)!;
        const after = predecessors(r, byUrn).map((p) => visit(p, trail));
        const seconds = durationOf(r).seconds;
        const step = {
            urn,
            name: r.name,
            type: r.type,
            wave: after.length ? Math.max(...after.map((a) => a.wave)) + 1 : 0,
            seconds,
            finish: seconds + (after.length ? Math.max(...after.map((a) => a.finish)) : 0),
            after: after.map((a) => a.urn),
        };
        trail.delete(urn);
        steps.set(urn, step);
        return step;
    };
    // Registration order depends on when each Output resolves; URN order does not.
    const work = resources.filter(isWork).sort((a, b) => a.urn.localeCompare(b.urn));
    work.forEach((r) => visit(r.urn, new Set()));

    const all = work.map((r) => steps.get(r.urn)!);
    const waves: (Step & { after: string[] })[][] = [];
    for (const s of all) (waves[s.wave] ??= []).push(s);

    // Walk back from the latest finish through the predecessor that finishes last (ties: first by URN).
    const criticalPath: (Step & { after: string[] })[] = [];
    let at = all.reduce<(Step & { after: string[] }) | undefined>((best, s) => (!best || s.finish > best.finish ? s : best), undefined);
    while (at) {
        criticalPath.unshift(at);
        const prior = at.after.map((u) => steps.get(u)!);
        at = prior.reduce<(Step & { after: string[] }) | undefined>((best, s) => (!best || s.finish > best.finish ? s : best), undefined);
    }
    const strip = ({ after: _after, ...s }: Step & { after: string[] }): Step => s;
    return {
        steps: all.map(strip),
        waves: waves.map((w) => w.map(strip)),
        criticalPath: criticalPath.map(strip),
        estimateSeconds: criticalPath.at(-1)?.finish ?? 0,
    };
}
